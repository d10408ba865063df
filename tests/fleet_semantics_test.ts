// The fleet's guarantees one at a time, with in-process workers (each its own CODEX_HOME) running
// the real codex against the fake Responses server: order and history, cancel (queued and
// running, from another process), poison turns, the queue bound, graceful hand-back, and that
// no secret reaches anything the fleet stores.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import process from "node:process";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import { connect } from "@nats-io/transport-node";
import { connectFleet, ensureFleet, QueueFullError, runFleetWorker } from "../src/fleet/mod.ts";
import type { EnsureFleetOptions, Fleet, FleetEvent, FleetWorkerReport } from "../src/fleet/mod.ts";
import { countingAnswer, countingScript } from "../src/testing/counting_script.ts";
import type { CountingRequest } from "../src/testing/counting_script.ts";
import { startFakeResponsesServer } from "../src/testing/fake_responses_server.ts";
import type { FakeResponsesServer } from "../src/testing/fake_responses_server.ts";
import { startNatsServer } from "../src/testing/nats_server.ts";
import type { NatsServer } from "../src/testing/nats_server.ts";
import { offlineCodexConfig } from "../src/testing/offline.ts";
import { reply } from "../src/testing/steps.ts";
import type { Step } from "../src/testing/steps.ts";
import { NATIVE_CODEX, NATIVE_CODEX_PATH_DIR, tempDir } from "./_codex.ts";
import type { TempDir } from "./_codex.ts";
import { natsAvailable, settleCodexProcesses, WORKER_KEY } from "./_fleet.ts";

interface Worker {
  report: Promise<FleetWorkerReport>;
  stop(): Promise<FleetWorkerReport>;
}

interface Rig extends AsyncDisposable {
  nats: NatsServer;
  fake: FakeResponsesServer;
  fleet: Fleet;
  tmp: TempDir;
  worker(id: string, options?: { drainMs?: number }): Worker;
}

async function rig(
  override?: (info: CountingRequest) => Step | undefined,
  ensure: Partial<EnsureFleetOptions> = {},
): Promise<Rig> {
  const tmp = await tempDir("codexkit-fleet-");
  const nats = await startNatsServer();
  const fake = await startFakeResponsesServer(countingScript({ command: null, override }));
  await ensureFleet({ servers: nats.url, ackWaitMs: 6000, ...ensure });
  const fleet = await connectFleet({ servers: nats.url });
  const workers: Worker[] = [];
  return {
    nats,
    fake,
    fleet,
    tmp,
    worker(id, options = {}) {
      const stop = new AbortController();
      const dir = join(tmp.path, id);
      const report = runFleetWorker({
        servers: nats.url,
        workerId: id,
        slots: 2,
        codexHome: join(dir, "home"),
        workRoot: join(dir, "work"),
        drainMs: options.drainMs ?? 0,
        codex: {
          codexPathOverride: NATIVE_CODEX,
          config: offlineCodexConfig(fake).config,
          env: {
            PATH: `${NATIVE_CODEX_PATH_DIR}:${process.env.PATH ?? "/usr/bin:/bin"}`,
            HOME: tmp.path,
            TMPDIR: tmp.path,
            MOCK_KEY: WORKER_KEY,
          },
        },
        signal: stop.signal,
      });
      const worker: Worker = {
        report,
        stop: async () => {
          stop.abort();
          return await report;
        },
      };
      workers.push(worker);
      return worker;
    },
    async [Symbol.asyncDispose]() {
      await Promise.allSettled(workers.map((w) => w.stop()));
      await fleet.close();
      await fake.close();
      await nats[Symbol.asyncDispose]();
      const left = await settleCodexProcesses(tmp.path);
      await tmp[Symbol.asyncDispose]();
      assert.deepEqual(left, [], "no codex process left");
    },
  };
}

async function collect(events: AsyncIterable<FleetEvent>): Promise<FleetEvent[]> {
  const out: FleetEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

const available = natsAvailable("the fleet semantics tests");

test(
  "a thread's turns run one at a time in order across two workers, each with the whole history",
  {
    skip: !available,
  },
  async () => {
    await using r = await rig();
    // Creating the engine objects again changes nothing.
    await ensureFleet({ servers: r.nats.url, ackWaitMs: 6000 });
    r.worker("a");
    r.worker("b");
    // All turns queued at once: turn k must wait for turn k-1, on whichever worker.
    const threads = ["alpha", "beta", "gamma"].map((key) => r.fleet.thread(key));
    const turns = await Promise.all(threads.map(async (thread) => {
      const out = [];
      for (let k = 1; k <= 3; k++) out.push(await thread.submit(`TURN-MARK ${thread.key} ${k}`));
      return out;
    }));
    for (const list of turns) {
      const results = await Promise.all(list.map((t) => t.result));
      assert.deepEqual(results.map((x) => x.status), ["committed", "committed", "committed"]);
      assert.deepEqual(results.map((x) => x.finalResponse), [1, 2, 3].map(countingAnswer));
      assert.equal(new Set(results.map((x) => x.codexThreadId)).size, 1, "one codex thread");
    }
    // Replayed from the start: the first turn's log begins with its attempt.
    const events = await collect(turns[0][0].events);
    assert.equal(events[0].type, "fleet.attempt");
    assert.equal(events.at(-1)?.type, "fleet.end");
    assert.ok(events.some((e) => e.type === "turn.completed" && e.attempt === 1));
    // A producer that restarted attaches again by the turn id alone.
    const again = await connectFleet({ servers: r.nats.url });
    try {
      const turn = await again.turn(turns[1][2].turnId);
      assert.equal(turn.threadKey, "beta");
      assert.equal((await turn.result).finalResponse, countingAnswer(3));
    } finally {
      await again.close();
    }
  },
);

test(
  "a turn longer than AckWait keeps its lease through in-progress acks: one attempt, no redelivery",
  {
    skip: !available,
  },
  async () => {
    await using r = await rig(
      (info) =>
        info.prompt.includes("LONG") && !info.afterTool ? reply.execCommand("sleep 7") : undefined,
      { ackWaitMs: 3000 },
    );
    r.worker("a");
    r.worker("b");
    const turn = await r.fleet.thread("long").submit("TURN-MARK LONG");
    const result = await turn.result;
    assert.equal(result.status, "committed");
    assert.equal(result.attempts, 1);
    const events = await collect(turn.events);
    assert.deepEqual(events.filter((e) => e.type === "fleet.attempt").length, 1);
    assert.equal((await r.fleet.stats()).redelivered, 0);
  },
);

test("a worker refuses a rollout written by a newer codex than its own", {
  skip: !available,
}, async () => {
  await using r = await rig();
  r.worker("a");
  const thread = r.fleet.thread("newer");
  assert.equal((await (await thread.submit("TURN-MARK 1")).result).status, "committed");
  // As if a newer worker had committed the last turn.
  const nc = await connect({ servers: r.nats.url });
  try {
    const kv = await new Kvm(nc).open("codex-threads");
    const key = `thread.default.${btoa("newer").replaceAll("=", "")}`;
    const entry = await kv.get(key);
    const record = entry!.json<{ snapshot: { cliVersion: string } }>();
    record.snapshot.cliVersion = "99.0.0";
    await kv.update(key, JSON.stringify(record), entry!.revision);
  } finally {
    await nc.close();
  }
  const result = await (await thread.submit("TURN-MARK 2", { maxAttempts: 1 })).result;
  assert.equal(result.status, "failed");
  assert.match(
    result.error ?? "",
    /SnapshotVersionError: .*codex 99\.0\.0 with codex \d+\.\d+\.\d+/,
  );
});

test("a queued turn cancelled before any worker runs it ends cancelled and leaves no history", {
  skip: !available,
}, async () => {
  await using r = await rig();
  const thread = r.fleet.thread("q");
  const first = await thread.submit("TURN-MARK 1");
  const second = await thread.submit("TURN-MARK 2");
  await second.cancel();
  const cancelled = await second.result;
  assert.equal(cancelled.status, "cancelled");
  assert.equal(cancelled.attempts, 0);
  // Aborting the submit's signal cancels too.
  const abort = new AbortController();
  const viaSignal = await thread.submit("TURN-MARK 3", { signal: abort.signal });
  abort.abort();
  assert.equal((await viaSignal.result).status, "cancelled");
  r.worker("a");
  assert.equal((await first.result).finalResponse, countingAnswer(1));
  const third = await thread.submit("TURN-MARK 4");
  assert.equal(
    (await third.result).finalResponse,
    countingAnswer(2),
    "the cancelled turns are not in the history",
  );
  // The ack follows the announcement: wait for the queue to empty.
  let stats = await r.fleet.stats();
  for (let i = 0; i < 100 && stats.messages > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stats = await r.fleet.stats();
  }
  assert.equal(stats.messages, 0, "every message left the queue");
});

test("a running turn cancelled from another process stops codex through its abort signal", {
  skip: !available,
}, async () => {
  let held = false;
  await using r = await rig((info) => {
    if (!info.prompt.includes("HOLD") || held) return undefined;
    held = true;
    return { ...countingScriptMessage(info), hold: true };
  });
  r.worker("a");
  const thread = r.fleet.thread("running");
  assert.equal((await (await thread.submit("TURN-MARK 1")).result).status, "committed");
  const turn = await thread.submit("TURN-MARK 2 HOLD");
  await r.fake.waitForHold(1, 30_000);
  // Another process knows only the id.
  const other = await connectFleet({ servers: r.nats.url });
  try {
    await (await other.turn(turn.turnId)).cancel();
  } finally {
    await other.close();
  }
  const result = await turn.result;
  assert.equal(result.status, "cancelled");
  assert.equal(result.attempts, 1);
  r.fake.release();
  const next = await thread.submit("TURN-MARK 3");
  assert.equal(
    (await next.result).finalResponse,
    countingAnswer(2),
    "the cancelled turn left no history",
  );
});

function countingScriptMessage(info: CountingRequest): Step {
  return {
    kind: "response",
    output: [{
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: countingAnswer(info.seen) }],
    }],
  };
}

test(
  "a poison turn is dead-lettered with its last error after its last attempt, and the thread needs attention",
  {
    skip: !available,
  },
  async () => {
    await using r = await rig((info) =>
      info.prompt.includes("POISON")
        ? { kind: "http_error", status: 400, body: { error: { message: "poisoned prompt" } } }
        : undefined
    );
    r.worker("a");
    const thread = r.fleet.thread("poison");
    const turn = await thread.submit("TURN-MARK POISON", { maxAttempts: 2 });
    const result = await turn.result;
    assert.equal(result.status, "failed");
    assert.equal(result.attempts, 2);
    assert.ok(result.error && result.error.length > 0, "the last error is kept");
    const events = await collect(turn.events);
    assert.equal(events.filter((e) => e.type === "fleet.retry").length, 1);
    const record = await r.fleet.threadRecord("poison");
    assert.equal(record?.attention?.turnId, turn.turnId);
    const nc = await connect({ servers: r.nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      const dead = await jsm.streams.info("CODEX_DEAD");
      assert.equal(dead.state.messages, 1);
      const msg = await jsm.streams.getMessage("CODEX_DEAD", { seq: dead.state.first_seq });
      const body = msg!.json<
        { message: { turnId: string }; attempts: number; lastError: string }
      >();
      assert.equal(body.message.turnId, turn.turnId);
      assert.equal(body.attempts, 2);
      assert.equal(body.lastError, result.error);
    } finally {
      await nc.close();
    }
    // The thread goes on from its last good state.
    const next = await thread.submit("TURN-MARK after");
    assert.equal((await next.result).status, "committed");
  },
);

test("submit past the queue bound fails at once with QueueFullError and hands its number back", {
  skip: !available,
}, async () => {
  await using r = await rig(undefined, { maxQueued: 2 });
  const thread = r.fleet.thread("full");
  const a = await thread.submit("TURN-MARK 1");
  const b = await thread.submit("TURN-MARK 2");
  await assert.rejects(thread.submit("TURN-MARK 3"), (error: unknown) => {
    assert.ok(error instanceof QueueFullError);
    assert.equal(error.name, "QueueFullError");
    return true;
  });
  assert.equal((await r.fleet.threadRecord("full"))?.queued, 2);
  r.worker("a");
  assert.equal((await a.result).finalResponse, countingAnswer(1));
  assert.equal((await b.result).finalResponse, countingAnswer(2));
  const c = await thread.submit("TURN-MARK 3");
  assert.equal(c.turn, 3);
  assert.equal((await c.result).finalResponse, countingAnswer(3));
});

test("a worker stopped by its signal hands its running turn back and another worker commits it", {
  skip: !available,
}, async () => {
  let held = false;
  await using r = await rig((info) => {
    if (!info.prompt.includes("HOLD") || held) return undefined;
    held = true;
    return { ...countingScriptMessage(info), hold: true };
  });
  const a = r.worker("a");
  const turn = await r.fleet.thread("handback").submit("TURN-MARK HOLD");
  await r.fake.waitForHold(1, 30_000);
  const report = await a.stop();
  assert.equal(report.handedBack, 1);
  r.worker("b");
  const result = await turn.result;
  assert.equal(result.status, "committed");
  assert.equal(result.worker, "b");
  assert.equal(result.attempts, 1, "a hand-back costs no attempt");
  assert.equal(result.finalResponse, countingAnswer(1));
});

test("a worker stopped by its signal with drainMs lets its running turn finish first", {
  skip: !available,
}, async () => {
  let held = false;
  await using r = await rig((info) => {
    if (!info.prompt.includes("HOLD") || held) return undefined;
    held = true;
    return { ...countingScriptMessage(info), hold: true };
  });
  const a = r.worker("a", { drainMs: 120_000 });
  const turn = await r.fleet.thread("drain").submit("TURN-MARK HOLD");
  await r.fake.waitForHold(1, 30_000);
  const stopping = a.stop();
  r.fake.release();
  const report = await stopping;
  assert.deepEqual([report.committed, report.handedBack], [1, 0]);
  const result = await turn.result;
  assert.deepEqual([result.status, result.worker, result.attempts], ["committed", "a", 1]);
});

test(
  "no worker key reaches a queued payload, an event, a record or a snapshot; events are redacted",
  {
    skip: !available,
  },
  async () => {
    await using r = await rig((info) =>
      info.prompt.includes("ECHO")
        ? {
          kind: "response",
          output: [{
            type: "message",
            role: "assistant",
            content: [{ type: "output_text", text: `key ${WORKER_KEY}` }],
          }],
        }
        : undefined
    );
    r.worker("a");
    const thread = r.fleet.thread("secrets", { threadOptions: { model: "gpt-5.5" } });
    for (let k = 1; k <= 2; k++) {
      assert.equal(
        (await (await thread.submit(`TURN-MARK ${k}`)).result).status,
        "committed",
      );
    }
    // A model that repeats the key: the events and the result carry it redacted.
    const echo = await r.fleet.thread("echo").submit("TURN-MARK ECHO please");
    const result = await echo.result;
    assert.equal(result.finalResponse, "key [redacted]");
    const echoEvents = JSON.stringify(await collect(echo.events));
    assert.ok(!echoEvents.includes(WORKER_KEY) && echoEvents.includes("[redacted]"));
    // Scan everything the fleet stored, except the echo thread's rollout (the model's own words).
    const nc = await connect({ servers: r.nats.url });
    let scanned = 0;
    const hits: string[] = [];
    const scan = (where: string, data: Uint8Array): void => {
      scanned += 1;
      const text = new TextDecoder().decode(data);
      if (text.includes(WORKER_KEY)) hits.push(`${where}: ${text.slice(0, 600)}`);
    };
    try {
      const jsm = await jetstreamManager(nc);
      for await (const name of jsm.streams.names()) {
        if (name.startsWith("OBJ_")) continue;
        const info = await jsm.streams.info(name);
        for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
          const msg = await jsm.streams.getMessage(name, { seq }).catch(() => null);
          if (msg) scan(`${name}#${seq}`, msg.data);
        }
      }
      const os = await new Objm(nc).open("codex-rollouts");
      for (const info of await os.list()) {
        const data = await os.getBlob(info.name);
        if (!data) continue;
        // Only rollout files leave a worker's home: every object is a session's JSONL.
        const firstLine = new TextDecoder().decode(data).split("\n")[0];
        assert.equal((JSON.parse(firstLine) as { type: string }).type, "session_meta", info.name);
        const echoKey = info.name.includes(btoa("echo").replaceAll("=", ""));
        if (!echoKey) scan(`object ${info.name}`, data);
      }
      const kv = await new Kvm(nc).open("codex-threads");
      for await (const key of await kv.keys()) {
        const entry = await kv.get(key);
        if (entry) scan(`kv ${key}`, entry.value);
      }
    } finally {
      await nc.close();
    }
    assert.ok(scanned > 10, `scanned ${scanned} items`);
    assert.deepEqual(hits, []);
  },
);

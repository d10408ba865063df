import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeInput, Thread } from "./thread.ts";
import type { LaneSource } from "./thread.ts";
import { CodexError, ExitError, RpcError, ThreadNotFoundError, TurnFailedError } from "./errors.ts";
import type { ThreadEvent } from "./events.ts";
import type { NormalizedInput, TurnLane, TurnRequest } from "./lanes/lane.ts";
import { events } from "./testing/event_builders.ts";

/** What a scripted turn does: its events, then an optional error, optionally held at a gate. */
interface ScriptedTurn {
  events: ThreadEvent[];
  error?: Error;
  /** The turn's stream waits here after its first batch until the test opens it. */
  gate?: Promise<void>;
}

/** A lane that plays one scripted turn per call and records what it was asked. */
class ScriptedLane implements TurnLane {
  readonly requests: TurnRequest[] = [];
  readonly cancelled: number[] = [];
  readonly interrupts: string[] = [];
  readonly steers: { threadId: string; input: NormalizedInput }[] = [];
  #turns: ScriptedTurn[];
  #started: (() => void)[] = [];
  interrupt?: (threadId: string) => Promise<void>;
  steer?: (threadId: string, input: NormalizedInput) => Promise<void>;

  constructor(turns: ScriptedTurn[], control = false) {
    this.#turns = turns;
    if (control) {
      this.interrupt = (id) => {
        this.interrupts.push(id);
        return Promise.resolve();
      };
      this.steer = (threadId, input) => {
        this.steers.push({ threadId, input });
        return Promise.resolve();
      };
    }
  }

  /** Resolves once `runTurn` has been called `count` times. */
  startedTurns(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#started.push(resolve));
  }

  runTurn(request: TurnRequest): ReadableStream<ThreadEvent[]> {
    const index = this.requests.length;
    this.requests.push(request);
    for (const resolve of this.#started.splice(0)) resolve();
    const turn = this.#turns[index];
    assert.ok(turn, `no scripted turn ${index}`);
    let step = 0;
    return new ReadableStream<ThreadEvent[]>({
      pull: async (controller) => {
        if (step === 0 && turn.events.length > 0) {
          controller.enqueue([turn.events[0]]);
        } else if (step === 0) {
          controller.enqueue([]);
        } else if (step === 1) {
          await turn.gate;
          if (turn.events.length > 1) controller.enqueue(turn.events.slice(1));
          else controller.enqueue([]);
        } else if (turn.error) {
          controller.error(turn.error);
        } else {
          controller.close();
        }
        step++;
      },
      cancel: () => {
        this.cancelled.push(index);
      },
    });
  }
}

function barrier(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const ok = (id: string, text = "done"): ScriptedTurn => ({
  events: events.turn([events.agentMessage(text)], { threadId: id }),
});

test("normalizeInput joins text parts with blank lines and keeps image paths in order", () => {
  assert.deepEqual(normalizeInput("hi"), { prompt: "hi", images: [] });
  assert.deepEqual(
    normalizeInput([
      { type: "text", text: "a" },
      { type: "local_image", path: "1.png" },
      { type: "text", text: "b" },
      { type: "local_image", path: "2.png" },
    ]),
    { prompt: "a\n\nb", images: ["1.png", "2.png"] },
  );
  assert.deepEqual(normalizeInput([]), { prompt: "", images: [] });
});

test("normalizeInput keeps a copy of all parts, in order, when some have no place in prompt and images", () => {
  const input = [
    { type: "text" as const, text: "look" },
    { type: "image_url" as const, url: "data:image/png;base64,AA==" },
    { type: "skill" as const, name: "s", path: "/s" },
  ];
  const normalized = normalizeInput(input);
  assert.equal(normalized.prompt, "look");
  assert.deepEqual(normalized.images, []);
  assert.deepEqual(normalized.parts, input);
  assert.notEqual(normalized.parts?.[0], input[0]);
});

test("a new thread has no id until thread.started, then continues under that id", async () => {
  const lane = new ScriptedLane([ok("t-1", "one"), ok("t-1", "two")]);
  const thread = new Thread(lane, { model: "m" }, { kind: "new" });
  assert.equal(thread.id, null);
  const first = await thread.run("hello");
  assert.equal(first.finalResponse, "one");
  assert.equal(thread.id, "t-1");
  await thread.run([{ type: "text", text: "again" }]);
  assert.deepEqual(
    lane.requests.map((r) => [r.threadId, r.resumeLast, r.fork, r.input.prompt]),
    [[null, false, false, "hello"], ["t-1", false, false, "again"]],
  );
  assert.equal(lane.requests[0].threadOptions.model, "m");
  assert.ok(Object.isFrozen(lane.requests[0].threadOptions));
});

test("a resumed thread has its id at once and asks the lane for it", async () => {
  const lane = new ScriptedLane([ok("t-9")]);
  const thread = new Thread(lane, {}, { kind: "resume", id: "t-9" });
  assert.equal(thread.id, "t-9");
  await thread.run("go");
  assert.equal(lane.requests[0].threadId, "t-9");
});

test("a resumed thread whose turn reports a different id rejects with ThreadNotFoundError and stops the turn", async () => {
  const lane = new ScriptedLane([ok("other")]);
  const thread = new Thread(lane, {}, { kind: "resume", id: "wanted" });
  await assert.rejects(thread.run("go"), (e: unknown) => {
    assert.ok(e instanceof ThreadNotFoundError);
    assert.equal(e.threadId, "wanted");
    assert.equal(e.reportedId, "other");
    return true;
  });
  assert.deepEqual(lane.cancelled, [0]);
  assert.equal(thread.id, "wanted");
});

test("a resume that codex answers with no rollout found rejects with ThreadNotFoundError keeping the cause", async () => {
  const exit = new ExitError("Codex Exec exited with code 1", {
    exitCode: 1,
    signal: null,
    stderrTail: "Error: thread/resume: no rollout found for thread id abc",
    command: ["codex", "exec", "resume", "abc"],
  });
  const lane = new ScriptedLane([{ events: [], error: exit }]);
  const thread = new Thread(lane, {}, { kind: "resume", id: "abc" });
  await assert.rejects(thread.run("go"), (e: unknown) => {
    assert.ok(e instanceof ThreadNotFoundError);
    assert.equal(e.threadId, "abc");
    assert.equal(e.cause, exit);
    assert.deepEqual(e.command, exit.command);
    assert.match(e.stderrTail ?? "", /no rollout found/);
    return true;
  });
});

test("a fork of a thread that has no session rejects with ThreadNotFoundError naming the source id", async () => {
  const rpc = new RpcError("no rollout found for thread id src", {
    code: -32600,
    method: "thread/fork",
  });
  const lane = new ScriptedLane([{ events: [], error: rpc }]);
  const thread = new Thread(lane, {}, { kind: "fork", id: "src" });
  await assert.rejects(thread.run("go"), (e: unknown) => {
    assert.ok(e instanceof ThreadNotFoundError);
    assert.equal(e.threadId, "src");
    assert.equal(e.cause, rpc);
    return true;
  });
});

test("other run errors pass through unchanged, on a new thread even when they say no rollout", async () => {
  const exit = new ExitError("exit", { exitCode: 1, signal: null, stderrTail: "no rollout found" });
  const lane = new ScriptedLane([{ events: [], error: exit }]);
  await assert.rejects(new Thread(lane, {}, { kind: "new" }).run("go"), (e) => e === exit);
});

test("a forked thread asks once to fork, then continues under the new id", async () => {
  const lane = new ScriptedLane([ok("child"), ok("child")]);
  const thread = new Thread(lane, {}, { kind: "fork", id: "parent" });
  assert.equal(thread.id, null);
  await thread.run("one");
  assert.equal(thread.id, "child");
  await thread.run("two");
  assert.deepEqual(lane.requests.map((r) => [r.threadId, r.fork, r.resumeLast]), [
    ["parent", true, false],
    ["child", false, false],
  ]);
});

test("a thread of the last session asks once to resume the last, then continues by id", async () => {
  const lane = new ScriptedLane([ok("last-1"), ok("last-1")]);
  const thread = new Thread(lane, {}, { kind: "last" });
  await thread.run("one");
  await thread.run("two");
  assert.deepEqual(lane.requests.map((r) => [r.threadId, r.resumeLast]), [
    [null, true],
    ["last-1", false],
  ]);
});

test("a second turn while one runs rejects as busy; with queue: true it runs after the first", async () => {
  const gate = barrier();
  const lane = new ScriptedLane([{ ...ok("t"), gate: gate.promise }, ok("t", "second")]);
  const thread = new Thread(lane, {}, { kind: "new" });
  const first = thread.run("one");
  await lane.startedTurns(1);
  await assert.rejects(thread.run("two"), (e: unknown) => {
    assert.ok(e instanceof CodexError);
    assert.match(e.message, /already running one \(pass queue: true/);
    return true;
  });
  const queued = thread.run("three", { queue: true });
  assert.equal(lane.requests.length, 1);
  gate.open();
  assert.equal((await first).finalResponse, "done");
  assert.equal((await queued).finalResponse, "second");
  assert.deepEqual(lane.requests.map((r) => r.input.prompt), ["one", "three"]);
});

test("a queued turn whose signal aborts while it waits never reaches the lane", async () => {
  const gate = barrier();
  const lane = new ScriptedLane([{ ...ok("t"), gate: gate.promise }]);
  const thread = new Thread(lane, {}, { kind: "new" });
  const first = thread.run("one");
  await lane.startedTurns(1);
  const controller = new AbortController();
  const queued = thread.run("two", { queue: true, signal: controller.signal });
  controller.abort(new Error("changed my mind"));
  await assert.rejects(queued, /cancelled while queued: it never started/);
  gate.open();
  await first;
  assert.equal(lane.requests.length, 1);
});

test("leaving runStreamed's loop early cancels the lane's stream", async () => {
  const gate = barrier();
  const lane = new ScriptedLane([{ ...ok("t"), gate: gate.promise }]);
  const thread = new Thread(lane, {}, { kind: "new" });
  const { events: stream } = await thread.runStreamed("go");
  const seen: string[] = [];
  for await (const event of stream) {
    seen.push(event.type);
    break;
  }
  assert.deepEqual(seen, ["thread.started"]);
  assert.deepEqual(lane.cancelled, [0]);
  // The thread is free again: a new turn is not refused as busy.
  gate.open();
});

test("runStreamed starts nothing until the first event is read", async () => {
  const lane = new ScriptedLane([ok("t")]);
  const thread = new Thread(lane, {}, { kind: "new" });
  const { events: stream } = await thread.runStreamed("go");
  assert.equal(lane.requests.length, 0);
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  assert.deepEqual(types, ["thread.started", "turn.started", "item.completed", "turn.completed"]);
});

test("run rejects with TurnFailedError on turn.failed", async () => {
  const lane = new ScriptedLane([{ events: events.turn([], { threadId: "t", failed: "quota" }) }]);
  await assert.rejects(new Thread(lane, {}, { kind: "new" }).run("go"), (e: unknown) => {
    assert.ok(e instanceof TurnFailedError);
    assert.match(e.message, /quota/);
    return true;
  });
});

test("interrupt and steer on a lane without control are TypeErrors naming the transport", async () => {
  const thread = new Thread(new ScriptedLane([]), {}, { kind: "resume", id: "t" });
  await assert.rejects(thread.interrupt(), (e: unknown) => {
    assert.ok(e instanceof TypeError);
    assert.match(e.message, /^Cannot interrupt: needs transport "app-server"/);
    return true;
  });
  await assert.rejects(thread.steer("more"), (e: unknown) => {
    assert.ok(e instanceof TypeError);
    assert.equal(e.message, 'Cannot steer: needs transport "app-server"');
    return true;
  });
});

test("interrupt and steer before the thread has started are refused", async () => {
  const lane = new ScriptedLane([], true);
  const thread = new Thread(lane, {}, { kind: "new" });
  await assert.rejects(thread.interrupt(), /Cannot interrupt: the thread has not started/);
  await assert.rejects(thread.steer("x"), /Cannot steer: the thread has not started/);
  assert.deepEqual(lane.interrupts, []);
  assert.deepEqual(lane.steers, []);
});

test("interrupt and steer reach a lane with control under the thread's id, input normalised", async () => {
  const lane = new ScriptedLane([], true);
  const thread = new Thread(lane, {}, { kind: "resume", id: "t-5" });
  await thread.interrupt();
  await thread.steer([{ type: "text", text: "a" }, { type: "local_image", path: "p.png" }]);
  assert.deepEqual(lane.interrupts, ["t-5"]);
  assert.deepEqual(lane.steers, [{ threadId: "t-5", input: { prompt: "a", images: ["p.png"] } }]);
});

test("a lane source is loaded only when the first turn starts, and its control flag decides", async () => {
  const lane = new ScriptedLane([ok("t")], true);
  let loads = 0;
  const source: LaneSource = {
    load: () => {
      loads++;
      return Promise.resolve(lane);
    },
    control: false,
  };
  const thread = new Thread(source, {}, { kind: "new" });
  assert.equal(loads, 0);
  await assert.rejects(thread.interrupt(), TypeError);
  assert.equal(loads, 0);
  await thread.run("go");
  assert.equal(loads, 1);
});

test("a missing working directory is a TypeError before the lane is asked", async () => {
  const lane = new ScriptedLane([ok("t")]);
  const thread = new Thread(lane, { workingDirectory: "/nonexistent/dir/for/test" }, {
    kind: "new",
  });
  await assert.rejects(thread.run("go"), (e: unknown) => {
    assert.ok(e instanceof TypeError);
    assert.match(e.message, /Cannot use workingDirectory: "\/nonexistent\/dir\/for\/test"/);
    return true;
  });
  assert.equal(lane.requests.length, 0);
});

test("an app-server-only input part on an exec thread is a TypeError before the lane is asked", async () => {
  const lane = new ScriptedLane([ok("t")]);
  const thread = new Thread(lane, {}, { kind: "new" });
  await assert.rejects(
    thread.run([{ type: "text", text: "see" }, {
      type: "image_url",
      url: "data:image/png;base64,AA==",
    }]),
    /Cannot use input\[1\] of type "image_url" with transport "exec"/,
  );
  assert.equal(lane.requests.length, 0);
});

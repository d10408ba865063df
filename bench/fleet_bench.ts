/**
 * The fleet's cost: 120 turns (30 threads x 4, each thread's turns in order) of the real codex
 * against the fake Responses server, once through three worker processes (2 slots each) on one
 * nats-server, once in this process with one `Codex` client at the same concurrency (6). Prints
 * turns per second of both, the ratio (fleet time / one-process time; target <= 1.15), p50/p95
 * turn latency (submit to result), and snapshot bytes, put and restore times.
 *
 *   node_modules/.bin/node bench/fleet_bench.ts     # THREADS=30 TURNS=4 COMMAND="sleep 1"|none
 *
 * @module
 */
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../mod.ts";
import { connectFleet, ensureFleet } from "../src/fleet/mod.ts";
import { countingAnswer, countingScript } from "../src/testing/counting_script.ts";
import { startFakeResponsesServer } from "../src/testing/fake_responses_server.ts";
import { startNatsServer } from "../src/testing/nats_server.ts";
import { offlineCodexConfig } from "../src/testing/offline.ts";
import { NATIVE_CODEX, NATIVE_CODEX_PATH_DIR, tempDir } from "../tests/_codex.ts";
import { natsAvailable, startWorkerProcess, WORKER_KEY } from "../tests/_fleet.ts";
import type { WorkerLine } from "../tests/_fleet.ts";

const THREADS = Number(process.env.THREADS ?? 30);
const TURNS = Number(process.env.TURNS ?? 4);
const COMMAND = process.env.COMMAND === "none" ? null : process.env.COMMAND ?? "sleep 1";
const WORKERS = 3;
const SLOTS = 2;
const CONCURRENCY = WORKERS * SLOTS;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

/** Runs `threads` drivers with at most `limit` turns at once; each returns its latencies. */
async function drive(
  limit: number,
  turn: (thread: number, k: number) => Promise<string>,
): Promise<{ seconds: number; latencies: number[]; mismatches: number }> {
  let free = limit;
  const queue: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (free > 0) {
      free -= 1;
      return;
    }
    await new Promise<void>((resolve) => queue.push(resolve));
  };
  const release = (): void => {
    const next = queue.shift();
    if (next) next();
    else free += 1;
  };
  const latencies: number[] = [];
  let mismatches = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: THREADS }, async (_, t) => {
    for (let k = 1; k <= TURNS; k++) {
      await acquire();
      const t0 = performance.now();
      try {
        if ((await turn(t, k)) !== countingAnswer(k)) mismatches += 1;
      } finally {
        release();
      }
      latencies.push(performance.now() - t0);
    }
  }));
  return { seconds: (performance.now() - start) / 1000, latencies, mismatches };
}

if (natsAvailable("the fleet bench")) {
  await using tmp = await tempDir("codexkit-fleet-bench-");
  await using fake = await startFakeResponsesServer(countingScript({ command: COMMAND }));

  // One process, one client, the same concurrency.
  const codex = new Codex({
    codexPathOverride: NATIVE_CODEX,
    codexHome: join(tmp.path, "single", "home"),
    config: offlineCodexConfig(fake).config,
    env: {
      PATH: `${NATIVE_CODEX_PATH_DIR}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HOME: tmp.path,
      TMPDIR: tmp.path,
      MOCK_KEY: WORKER_KEY,
    },
  });
  const { mkdir } = await import("node:fs/promises");
  await mkdir(join(tmp.path, "single", "home"), { recursive: true });
  await mkdir(join(tmp.path, "single", "work"), { recursive: true });
  const ids = new Map<number, string>();
  const single = await drive(CONCURRENCY, async (t, k) => {
    const options = { skipGitRepoCheck: true, workingDirectory: join(tmp.path, "single", "work") };
    const id = ids.get(t);
    const thread = id ? codex.resumeThread(id, options) : codex.startThread(options);
    const turn = await thread.run(`TURN-MARK thread ${t} turn ${k}`);
    if (thread.id) ids.set(t, thread.id);
    return turn.finalResponse;
  });

  // The fleet.
  await using nats = await startNatsServer();
  await ensureFleet({ servers: nats.url, ackWaitMs: 30_000 });
  const workers = await Promise.all(Array.from({ length: WORKERS }, (_, i) =>
    startWorkerProcess({
      id: `w${i + 1}`,
      runtime: "node",
      servers: nats.url,
      fakeUrl: fake.url,
      root: join(tmp.path, "fleet"),
      slots: SLOTS,
    })));
  const fleet = await connectFleet({ servers: nats.url });
  const fleetRun = await drive(CONCURRENCY, async (t, k) => {
    const turn = await fleet.thread(`thread ${t}`).submit(`TURN-MARK thread ${t} turn ${k}`);
    return (await turn.result).finalResponse;
  });
  await fleet.close();
  await Promise.all(workers.map((w) => w.stop()));
  const metric = (name: string): number[] =>
    workers.flatMap((w) => w.lines).filter((l: WorkerLine) =>
      l.kind === "metric" && l.name === name
    )
      .map((l) => l.value!);

  const turns = THREADS * TURNS;
  const row = (name: string, r: typeof single): string =>
    `${name.padEnd(12)} ${(turns / r.seconds).toFixed(2)} turns/s  ${r.seconds.toFixed(1)} s  ` +
    `p50 ${quantile(r.latencies, 0.5).toFixed(0)} ms  p95 ${
      quantile(r.latencies, 0.95).toFixed(0)
    } ms  ` +
    `mismatches ${r.mismatches}`;
  console.log(
    `${turns} turns (${THREADS} threads x ${TURNS}), ${CONCURRENCY} at once, command ${
      COMMAND ?? "none"
    }`,
  );
  console.log(row("one process", single));
  console.log(row("fleet", fleetRun));
  console.log(
    `ratio fleet/one-process time: ${
      (fleetRun.seconds / single.seconds).toFixed(3)
    } (target <= 1.15)`,
  );
  const bytes = metric("snapshot.bytes");
  console.log(
    `snapshots: ${bytes.length}, bytes p50 ${quantile(bytes, 0.5)} max ${Math.max(...bytes)}; ` +
      `put p50 ${quantile(metric("snapshot.duration_ms"), 0.5)} ms p95 ${
        quantile(metric("snapshot.duration_ms"), 0.95)
      } ms; ` +
      `restore p50 ${quantile(metric("restore.duration_ms"), 0.5)} ms p95 ${
        quantile(metric("restore.duration_ms"), 0.95)
      } ms`,
  );
  console.log(
    JSON.stringify({
      bench: "fleet",
      turns,
      single_s: single.seconds,
      fleet_s: fleetRun.seconds,
      ratio: fleetRun.seconds / single.seconds,
    }),
  );
}

/**
 * Event pipeline throughput, on the runtime that runs this file:
 *
 *   node_modules/.bin/deno run -A --v8-flags=--expose-gc bench/pipeline_bench.ts [--stages]
 *   node_modules/.bin/bun bench/pipeline_bench.ts
 *   node_modules/.bin/node --expose-gc bench/pipeline_bench.ts
 *
 * A fake codex replays a prebuilt JSONL file of EVENTS (default 1,000,000) events with `cat`.
 * Each run reads all of it three ways, in rotating order: our `Thread.runStreamed`, the bare
 * baseline (the runtime's own spawn, split on `\n`, `JSON.parse`), and `@openai/codex-sdk`.
 * Prints medians of RUNS (default 7) and the median of each round's ratios. `--stages` adds one pipeline stage at a
 * time, to show where the time goes. Prints one JSON line last, for bench/run.sh.
 *
 * @module
 */
import process from "node:process";
import { Codex } from "../src/codex.ts";
import { ExecLane } from "../src/exec/lane.ts";
import { runExec } from "../src/exec/run_exec.ts";
import { getSpawner } from "../src/runtime/mod.ts";
import { decodeThreadEvents } from "../src/streams/thread_event_stream.ts";
import { TextLineStream } from "../src/streams/text_line_stream.ts";
import { safeParseEvent } from "../src/events.ts";
import { Codex as UpstreamCodex } from "@openai/codex-sdk";
import {
  bareParser,
  ensureFakeCodex,
  fullGc,
  median,
  runtimeName,
  spawnNative,
} from "./_fake_codex.ts";
import type { FakeCodex } from "./_fake_codex.ts";

const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 7);
const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

/** One way of reading the fake's output; resolves with the number of events seen. */
type Reader = (fake: FakeCodex) => Promise<number>;

const ours: Reader = async (fake) => {
  const thread = new Codex({ codexPathOverride: fake.bin, env }).startThread();
  const { events } = await thread.runStreamed("go");
  let n = 0;
  for await (const _ of events) n++;
  return n;
};

const upstream: Reader = async (fake) => {
  const thread = new UpstreamCodex({ codexPathOverride: fake.bin, env }).startThread();
  const { events } = await thread.runStreamed("go");
  let n = 0;
  for await (const _ of events) n++;
  return n;
};

const bare: Reader = async (fake) => {
  const child = await spawnNative(fake.bin, [], { env, stdinText: "go" });
  const parser = bareParser();
  await child.read((chunk) => parser.push(chunk));
  await child.exited;
  return parser.end();
};

/** Spawns the fake through the SDK's seam, prompt on stdin, stderr cancelled. */
async function seamChild(fake: FakeCodex) {
  const child = await getSpawner().spawn(fake.bin, [], { env, stdin: "piped" });
  void child.stderr.cancel();
  const writer = child.stdin.getWriter();
  writer.write(new TextEncoder().encode("go")).then(() => writer.close()).catch(() => {});
  return child;
}

async function countStream(stream: ReadableStream<unknown>): Promise<number> {
  const reader = stream.getReader();
  let n = 0;
  while (!(await reader.read()).done) n++;
  return n;
}

/** Counts the events of a stream of batches (what the lanes yield). */
async function countBatched(stream: ReadableStream<readonly unknown[]>): Promise<number> {
  const reader = stream.getReader();
  let n = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) n += r.value.length;
  return n;
}

/** Cumulative stages, from the bare baseline to the whole public API. */
const stages: [string, Reader][] = [
  ["native spawn + split + JSON.parse (baseline)", bare],
  ["seam spawn + split + JSON.parse", async (fake) => {
    const child = await seamChild(fake);
    const parser = bareParser();
    const reader = child.stdout.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) parser.push(r.value);
    await child.exited;
    return parser.end();
  }],
  ["+ TextDecoderStream", async (fake) => {
    const child = await seamChild(fake);
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let rest = "";
    let n = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      const text = rest + r.value;
      let start = 0;
      for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
        JSON.parse(text.slice(start, nl));
        n++;
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    await child.exited;
    return n;
  }],
  ["+ TextLineStream", async (fake) => {
    const child = await seamChild(fake);
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new TextLineStream(),
    ).getReader();
    let n = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      if (r.value.length) {
        JSON.parse(r.value);
        n++;
      }
    }
    await child.exited;
    return n;
  }],
  ["+ valibot check inline (no extra stage)", async (fake) => {
    const child = await seamChild(fake);
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new TextLineStream(),
    ).getReader();
    let n = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      if (r.value.length && safeParseEvent(JSON.parse(r.value)).success) n++;
    }
    await child.exited;
    return n;
  }],
  ["+ ThreadEventStream (decodeThreadEvents)", async (fake) => {
    const child = await seamChild(fake);
    const n = await countStream(decodeThreadEvents(child.stdout));
    await child.exited;
    return n;
  }],
  [
    "runExec alone (src/exec/run_exec.ts: fused decode, one read per chunk)",
    (fake) =>
      countBatched(runExec({
        spawner: getSpawner(),
        prepare: () =>
          Promise.resolve({ binary: fake.bin, args: [], displayCommand: [fake.bin], env }),
        stdinText: "go",
      })),
  ],
  ["+ ExecLane (src/exec/lane.ts: argv, env)", (fake) => {
    const lane = new ExecLane({
      options: { env },
      spawner: getSpawner(),
      secrets: [],
      resolve: () =>
        Promise.resolve({
          binary: { path: fake.bin, source: "override", pathDirs: [] },
          codexHome: undefined,
          gate: undefined,
          configuredExclude: undefined,
        }),
    });
    return countBatched(lane.runTurn({
      input: { prompt: "go", images: [] },
      threadId: null,
      threadOptions: {},
      turnOptions: {},
    }));
  }],
  ["+ Thread.runStreamed (src/thread.ts), whole API", ours],
];

/**
 * What a batched pipeline would cost: one fused stage turns each stdout chunk into an array of
 * checked events (one queue hop per chunk instead of one per event per stage), and an async
 * generator hands them out one by one as `Thread.runStreamed` does.
 */
function batchedEvents(bytes: ReadableStream<Uint8Array>, check: boolean): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let rest = "";
  const split = (text: string, out: unknown[]) => {
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      if (nl > start) {
        const value = JSON.parse(text.slice(start, nl));
        if (check && !safeParseEvent(value).success) throw new Error("bad event");
        out.push(value);
      }
      start = nl + 1;
    }
    rest = text.slice(start);
  };
  const batches = bytes.pipeThrough(
    new TransformStream<Uint8Array, unknown[]>({
      transform(chunk, controller) {
        const out: unknown[] = [];
        split(rest + decoder.decode(chunk, { stream: true }), out);
        if (out.length) controller.enqueue(out);
      },
      flush(controller) {
        const out: unknown[] = [];
        split(rest + decoder.decode() + "\n", out);
        if (out.length) controller.enqueue(out);
      },
    }),
  );
  return (async function* () {
    const reader = batches.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) yield* r.value;
  })();
}

const proposals: [string, Reader][] = [
  ["proposal: batched, valibot check, generator", async (fake) => {
    const child = await seamChild(fake);
    let n = 0;
    for await (const _ of batchedEvents(child.stdout, true)) n++;
    await child.exited;
    return n;
  }],
  ["proposal: batched, no check (floor)", async (fake) => {
    const child = await seamChild(fake);
    let n = 0;
    for await (const _ of batchedEvents(child.stdout, false)) n++;
    await child.exited;
    return n;
  }],
];

async function time(reader: Reader, fake: FakeCodex): Promise<number> {
  // Each reader starts on a collected heap: otherwise the one before leaves its garbage (a
  // million events' worth) to be collected on the next one's clock.
  fullGc();
  const t = performance.now();
  const n = await reader(fake);
  const ms = performance.now() - t;
  if (n !== fake.count) throw new Error(`expected ${fake.count} events, got ${n}`);
  return ms;
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;
const rate = (fake: FakeCodex, ms: number) => `${(fake.count / ms / 1000).toFixed(2)} M ev/s`;

async function main(): Promise<void> {
  const fake = await ensureFakeCodex(EVENTS);
  const rt = runtimeName();
  console.log(
    `# pipeline on ${rt}: ${fake.count} events, ${(fake.bytes / 1e6).toFixed(0)} MB, ${RUNS} runs`,
  );
  if (!fullGc()) {
    console.log(
      "# no full GC between runs: pass --v8-flags=--expose-gc (Deno) or --expose-gc (Node)",
    );
  }
  // Warm caches and JIT on a short replay first.
  const warm = await ensureFakeCodex(20_000);
  for (const r of [ours, bare, upstream]) await time(r, warm);

  const contenders: [string, Reader][] = [["ours", ours], ["bare", bare], ["upstream", upstream]];
  const times: Record<string, number[]> = { ours: [], bare: [], upstream: [] };
  for (let i = 0; i < RUNS; i++) {
    for (let j = 0; j < contenders.length; j++) {
      const [name, reader] = contenders[(i + j) % contenders.length];
      times[name].push(await time(reader, fake));
    }
  }
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  for (const [name] of contenders) {
    console.log(`${name.padEnd(9)} ${fmt(m[name])}  ${rate(fake, m[name])}`);
  }
  // Throughput ratios: above 1 means ours moves more events per second. Each is the median of
  // the rounds' own ratios: a round's readers run back to back, so a slow spell of a shared
  // machine slows all of them, where a ratio of medians would set one round's against another's.
  const paired = (other: string) => median(times[other].map((ms, i) => ms / times.ours[i]));
  const vsBare = paired("bare");
  const vsUpstream = paired("upstream");
  console.log(`ours/bare throughput     ${vsBare.toFixed(2)} (target >= 0.85)`);
  console.log(`ours/upstream throughput ${vsUpstream.toFixed(2)} (target > 1)`);

  const stageTimes: Record<string, number> = {};
  if (process.argv.includes("--stages")) {
    const runs = Math.max(3, Math.min(RUNS, 5));
    const all = [...stages, ...proposals];
    const samples: number[][] = all.map(() => []);
    for (let i = 0; i < runs; i++) {
      for (let s = 0; s < all.length; s++) samples[s].push(await time(all[s][1], fake));
    }
    console.log(`\n# stages (cumulative, median of ${runs}); delta = cost of that stage`);
    let previous = 0;
    for (let s = 0; s < stages.length; s++) {
      const ms = median(samples[s]);
      stageTimes[stages[s][0]] = ms;
      const delta = s === 0
        ? ""
        : `  (${ms - previous >= 0 ? "+" : ""}${(ms - previous).toFixed(0)} ms)`;
      console.log(`${stages[s][0].padEnd(52)} ${fmt(ms).padStart(8)}${delta}`);
      previous = ms;
    }
    const base = stageTimes[stages[0][0]];
    for (let p = 0; p < proposals.length; p++) {
      const ms = median(samples[stages.length + p]);
      stageTimes[proposals[p][0]] = ms;
      const ratio = `  (bare/this ${(base / ms).toFixed(2)})`;
      console.log(`${proposals[p][0].padEnd(52)} ${fmt(ms).padStart(8)}${ratio}`);
    }
  }
  console.log(JSON.stringify({
    bench: "pipeline",
    runtime: rt,
    events: fake.count,
    bytes: fake.bytes,
    runs: RUNS,
    ms: m,
    vsBare,
    vsUpstream,
    stages: stageTimes,
  }));
}

await main();

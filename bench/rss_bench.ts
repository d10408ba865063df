/**
 * RSS growth over EVENTS (default 1,000,000) streamed events, on the runtime that runs it.
 * Run with the GC exposed so "after" is measured after a full collection:
 *
 *   node_modules/.bin/deno run -A --v8-flags=--expose-gc bench/rss_bench.ts
 *   node_modules/.bin/bun bench/rss_bench.ts
 *   node_modules/.bin/node --expose-gc bench/rss_bench.ts
 *
 * A warm-up turn of 20,000 events loads every module and warms the JIT; then RSS is read,
 * one `Thread.runStreamed` over the fake codex is consumed (events dropped as they come, as
 * a streaming consumer would), and RSS is read again after a GC. Peak RSS is sampled every
 * 50 ms. A second turn follows: RSS that does not grow again is a high-water mark the
 * allocator keeps, not a leak. Prints one JSON line last, for bench/run.sh.
 *
 * @module
 */
import process from "node:process";
import { Codex } from "../src/codex.ts";
import { ensureFakeCodex, fullGc, runtimeName } from "./_fake_codex.ts";

const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
const MB = 1024 * 1024;

async function stream(bin: string): Promise<number> {
  const thread = new Codex({ codexPathOverride: bin, env }).startThread();
  const { events } = await thread.runStreamed("go");
  let n = 0;
  for await (const _ of events) n++;
  return n;
}

async function settle(): Promise<number> {
  // Let finished children, timers and stream teardown run before measuring.
  await new Promise((r) => setTimeout(r, 50));
  const collected = fullGc();
  await new Promise((r) => setTimeout(r, 50));
  if (collected) fullGc();
  return process.memoryUsage().rss;
}

const fake = await ensureFakeCodex(EVENTS);
const warm = await ensureFakeCodex(20_000);
await stream(warm.bin);
await stream(warm.bin);
const gc = fullGc();
const before = await settle();
const heapBefore = process.memoryUsage().heapUsed;
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
const n = await stream(fake.bin);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
const after = await settle();
const heapAfter = process.memoryUsage().heapUsed;
// A second turn tells a leak (grows again) from a high-water mark the allocator keeps.
await stream(fake.bin);
const afterSecond = await settle();
if (n !== fake.count) throw new Error(`expected ${fake.count} events, got ${n}`);

const growth = (after - before) / MB;
console.log(`# rss on ${runtimeName()}: ${n} events, gc ${gc ? "forced" : "NOT exposed"}`);
console.log(
  `before ${(before / MB).toFixed(1)} MB, after ${(after / MB).toFixed(1)} MB, peak ${
    (peak / MB).toFixed(1)
  } MB`,
);
console.log(
  `growth ${growth.toFixed(1)} MB (target < 50 MB); JS heap in use ${
    ((heapAfter - heapBefore) / MB).toFixed(1)
  } MB`,
);
console.log(`a second ${n}-event turn adds ${((afterSecond - after) / MB).toFixed(1)} MB more`);
console.log(JSON.stringify({
  bench: "rss",
  runtime: runtimeName(),
  events: n,
  gc,
  beforeMB: before / MB,
  afterMB: after / MB,
  peakMB: peak / MB,
  growthMB: growth,
  peakGrowthMB: (peak - before) / MB,
  heapGrowthMB: (heapAfter - heapBefore) / MB,
  secondRunGrowthMB: (afterSecond - after) / MB,
}));

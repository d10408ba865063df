/**
 * Decoding one very long line: a `MB` MB (default 100) `agent_message` event fed to the exec
 * decoder in 64 KiB chunks, against a linear baseline in the same run: bare concatenation of
 * the decoded pieces, `indexOf` on each new piece only, one `JSON.parse`. A third contender,
 * the decoder before it became linear (pending text re-joined and rescanned on every chunk),
 * runs on a smaller line (`OLD_MB`, default 8; 0 skips it) because it is quadratic.
 *
 *   node_modules/.bin/deno run -A bench/long_line_bench.ts
 *   node_modules/.bin/bun bench/long_line_bench.ts
 *   node_modules/.bin/node --no-warnings bench/long_line_bench.ts
 *
 * Each sample runs in a fresh child process of the same runtime, so peak RSS (the kernel's
 * high-water mark, VmHWM) belongs to one contender alone; contenders are interleaved, RUNS
 * (default 3) samples each, medians reported. The input chunks are made on the fly from one
 * reused buffer, so the input itself costs no memory. Prints one JSON line last.
 *
 * @module
 */
import process from "node:process";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ThreadEventDecoder } from "../src/streams/thread_event_stream.ts";
import { median, runtimeName } from "./_fake_codex.ts";

const CHUNK = 64 * 1024;
const MB = 1024 * 1024;

type Mode = "ours" | "bare" | "old";

/** The event's bytes in CHUNK-sized pieces: head, a reused run of `x`, tail. */
function* chunks(textBytes: number): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  const head = encoder.encode(
    '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"',
  );
  const tail = encoder.encode('"}}\n');
  const filler = new Uint8Array(CHUNK).fill(0x78);
  yield head;
  let left = textBytes;
  while (left > 0) {
    const n = Math.min(left, CHUNK);
    yield n === CHUNK ? filler : filler.subarray(0, n);
    left -= n;
  }
  yield tail;
}

/** Decodes with the SDK's decoder; returns the length of the decoded text. */
function ours(textBytes: number): number {
  const decoder = new ThreadEventDecoder("bench", { maxLineBytes: 2 * textBytes });
  let length = -1;
  for (const chunk of chunks(textBytes)) {
    for (const event of decoder.decode(chunk)) {
      if (event.type === "item.completed" && event.item.type === "agent_message") {
        length = event.item.text.length;
      }
    }
  }
  decoder.flush();
  return length;
}

/** The linear baseline: concatenate decoded pieces, look for `\n` in new text only, parse once. */
function bare(textBytes: number): number {
  const decoder = new TextDecoder();
  let pending = "";
  let length = -1;
  for (const chunk of chunks(textBytes)) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    let nl = text.indexOf("\n");
    while (nl !== -1) {
      const line = pending + text.slice(start, nl);
      pending = "";
      length = JSON.parse(line).item.text.length;
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    pending += start === 0 ? text : text.slice(start);
  }
  return length;
}

/** The decoder's loop before this change: the pending text is prepended and rescanned. */
function old(textBytes: number): number {
  const decoder = new TextDecoder();
  let partial = "";
  let length = -1;
  for (const chunk of chunks(textBytes)) {
    const text = partial + decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = text.indexOf("\n");
    while (newline !== -1) {
      length = JSON.parse(text.slice(start, newline)).item.text.length;
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    partial = start === 0 ? text : text.slice(start);
  }
  return length;
}

/** Peak RSS of this process in MB: VmHWM on Linux, else the runtime's maxRSS. */
function peakRssMB(): number {
  try {
    const status = readFileSync("/proc/self/status", "utf8");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status);
    if (kb) return Number(kb[1]) / 1024;
  } catch {
    // Not Linux.
  }
  const usage = (process as { resourceUsage?: () => { maxRSS: number } }).resourceUsage?.();
  return usage ? usage.maxRSS / 1024 : Number.NaN;
}

/** One sample, in this process: prints `{ms, peakMB, length, baseMB}`. */
function sample(mode: Mode, mb: number): void {
  const baseMB = peakRssMB();
  const textBytes = mb * MB;
  const run = mode === "ours" ? ours : mode === "bare" ? bare : old;
  const t0 = performance.now();
  const length = run(textBytes);
  const ms = performance.now() - t0;
  if (length !== textBytes) throw new Error(`${mode}: decoded ${length} of ${textBytes}`);
  console.log(JSON.stringify({ ms, peakMB: peakRssMB(), baseMB }));
}

function childArgv(mode: Mode, mb: number): [string, string[]] {
  const file = fileURLToPath(import.meta.url);
  const rt = runtimeName();
  const rest = [file, "--sample", mode, String(mb)];
  if (rt === "deno") return [process.execPath, ["run", "-A", ...rest]];
  if (rt === "bun") return [process.execPath, rest];
  return [process.execPath, ["--no-warnings", ...rest]];
}

function measure(mode: Mode, mb: number): { ms: number; peakMB: number; baseMB: number } {
  const [cmd, args] = childArgv(mode, mb);
  const result = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1024 * 1024 });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  if (result.status !== 0 || !line.startsWith("{")) {
    throw new Error(`${mode} sample failed (${result.status}): ${result.stderr.slice(-2000)}`);
  }
  return JSON.parse(line);
}

const argv = process.argv.slice(2);
if (argv[0] === "--sample") {
  sample(argv[1] as Mode, Number(argv[2]));
} else {
  const mb = Number(process.env.MB ?? 100);
  const oldMb = Number(process.env.OLD_MB ?? 8);
  const runs = Number(process.env.RUNS ?? 3);
  const rt = runtimeName();
  const samples: Record<Mode, { ms: number; peakMB: number; baseMB: number }[]> = {
    ours: [],
    bare: [],
    old: [],
  };
  for (let i = 0; i < runs; i++) {
    samples.ours.push(measure("ours", mb));
    samples.bare.push(measure("bare", mb));
    if (oldMb > 0) samples.old.push(measure("old", oldMb));
  }
  const summary = (mode: Mode) => {
    const s = samples[mode];
    if (s.length === 0) return undefined;
    return {
      ms: median(s.map((x) => x.ms)),
      peakMB: median(s.map((x) => x.peakMB)),
      peakGrowthMB: median(s.map((x) => x.peakMB - x.baseMB)),
    };
  };
  const result = {
    bench: "longline",
    runtime: rt,
    mb,
    oldMb,
    chunkBytes: CHUNK,
    ours: summary("ours"),
    bare: summary("bare"),
    old: summary("old"),
    timeRatio: median(samples.ours.map((x) => x.ms)) / median(samples.bare.map((x) => x.ms)),
  };
  const f = (x: number | undefined, d = 0) => (x === undefined ? "n/a" : x.toFixed(d));
  console.log(
    `long line ${mb} MB in ${CHUNK / 1024} KiB chunks on ${rt}: ours ${f(result.ours?.ms)} ms, ` +
      `peak RSS ${f(result.ours?.peakMB)} MB (+${f(result.ours?.peakGrowthMB)}); bare ${
        f(result.bare?.ms)
      } ms, peak RSS ${f(result.bare?.peakMB)} MB (+${f(result.bare?.peakGrowthMB)}); ` +
      `ours/bare time ${f(result.timeRatio, 2)}`,
  );
  if (result.old) {
    console.log(
      `  previous decoder on ${oldMb} MB: ${f(result.old.ms)} ms, peak RSS ${
        f(result.old.peakMB)
      } MB`,
    );
  }
  console.log(JSON.stringify(result));
}

/**
 * What gating by default costs on a client's first turn, on the runtime that runs this file:
 *
 *   node_modules/.bin/deno run -A bench/gate_first_turn_bench.ts
 *   node_modules/.bin/bun bench/gate_first_turn_bench.ts
 *   node_modules/.bin/node bench/gate_first_turn_bench.ts
 *
 * - import: loading the capability code (the client does it on its first turn);
 * - cold: a binary never seen (empty cache dir): fingerprint + probe + cache write;
 * - known: the same, on a release with a committed snapshot: one `--version`, and the full
 *   probe confirms in the background (target: at most 30 ms over warm disk);
 * - warm disk: a new process's first turn with the binary in the on-disk cache;
 * - warm memory: every later turn of the process (one stat of the binary).
 * RUNS (default 5) samples of cold and warm disk, each with new cache objects; the codex is
 * the one the SDK resolves (the pinned npm package after `npm ci`). Prints one JSON line last.
 *
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { resolveCodexBinary } from "../src/binary/resolve.ts";
import { median, runtimeName } from "./_fake_codex.ts";

const RUNS = Number(process.env.RUNS ?? 5);
const binary = await resolveCodexBinary();

let t = performance.now();
const { installedGate } = await import("../capabilities/installed_gate.ts");
const { CapabilityCache } = await import("../capabilities/cache.ts");
const importMs = performance.now() - t;

const scratch = await mkdtemp(join(tmpdir(), "codexkit-bench-gate-"));
try {
  const cold: number[] = [];
  const known: number[] = [];
  const disk: number[] = [];
  const memory: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = join(scratch, `cache-${i}`);
    const gateOf = () => installedGate({ cache: new CapabilityCache({ dir }) });
    t = performance.now();
    await new CapabilityCache({ dir: join(scratch, `probe-${i}`) }).lookup(binary.path);
    cold.push(performance.now() - t);
    const first = gateOf();
    t = performance.now();
    const gate = await first(binary);
    known.push(performance.now() - t);
    await first.settled();
    if (gate.fallback || gate.support("exec.json") !== "supported") throw new Error("bad probe");
    const warm = gateOf();
    t = performance.now();
    await warm(binary);
    disk.push(performance.now() - t);
    t = performance.now();
    await warm(binary);
    memory.push(performance.now() - t);
  }
  const ms = {
    import: importMs,
    cold: median(cold),
    known: median(known),
    disk: median(disk),
    memory: median(memory),
  };
  const rt = runtimeName();
  console.log(`# first-turn gate cost on ${rt}, ${binary.path}, ${RUNS} runs`);
  console.log(`import capability code  ${ms.import.toFixed(1)} ms (once per process)`);
  console.log(`cold cache (probe)      ${ms.cold.toFixed(1)} ms (once per binary fingerprint)`);
  console.log(`known version           ${ms.known.toFixed(1)} ms (new binary, committed snapshot)`);
  console.log(`warm disk cache         ${ms.disk.toFixed(1)} ms (first turn of a process)`);
  console.log(
    `known over warm disk    ${(ms.known - ms.disk).toFixed(1)} ms (target: at most 30 ms)`,
  );
  console.log(`warm memory             ${ms.memory.toFixed(2)} ms (every later turn)`);
  console.log(JSON.stringify({ bench: "gate-first-turn", runtime: rt, runs: RUNS, ms }));
} finally {
  await rm(scratch, { recursive: true, force: true });
}

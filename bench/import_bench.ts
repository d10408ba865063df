/**
 * Cold import time of `mod.ts` vs `@openai/codex-sdk`, on the runtime that runs this file:
 *
 *   node_modules/.bin/deno run -A bench/import_bench.ts
 *   node_modules/.bin/bun bench/import_bench.ts
 *   node_modules/.bin/node bench/import_bench.ts
 *
 * Each sample is a fresh process of the same runtime running this file with `--child <what>`:
 * it imports the module and prints `performance.now()` (ms since the process began). An
 * empty child (`none`) is the baseline subtracted from both. RUNS (default 10) samples each,
 * interleaved, after one discarded round (it fills the runtimes' transpile caches).
 *
 * @module
 */
import process from "node:process";

const what = process.argv[process.argv.indexOf("--child") + 1];
if (process.argv.includes("--child")) {
  if (what === "ours") await import("../mod.ts");
  else if (what === "upstream") await import("@openai/codex-sdk");
  console.log(performance.now());
} else {
  await main();
}

async function main(): Promise<void> {
  const { execFileSync } = await import("node:child_process");
  const { fileURLToPath } = await import("node:url");
  const { median, runtimeName } = await import("./_fake_codex.ts");
  const RUNS = Number(process.env.RUNS ?? 10);
  const self = fileURLToPath(import.meta.url);
  const rt = runtimeName();
  const argv = (child: string): string[] =>
    rt === "deno" ? ["run", "-A", self, "--child", child] : [self, "--child", child];
  // Same runtime binary as this process: Deno.execPath / process.execPath.
  const exe = process.execPath;
  const sample = (child: string): number =>
    Number(execFileSync(exe, argv(child), { encoding: "utf8" }).trim().split("\n").pop());

  const kinds = ["none", "ours", "upstream"] as const;
  for (const k of kinds) sample(k);
  const times: Record<string, number[]> = { none: [], ours: [], upstream: [] };
  for (let i = 0; i < RUNS; i++) for (const k of kinds) times[k].push(sample(k));
  const m = Object.fromEntries(kinds.map((k) => [k, median(times[k])]));
  const ours = m.ours - m.none;
  const upstream = m.upstream - m.none;
  console.log(`# cold import on ${rt}: median of ${RUNS} fresh processes`);
  console.log(`empty script ${m.none.toFixed(1)} ms`);
  console.log(`mod.ts             +${ours.toFixed(1)} ms`);
  console.log(`@openai/codex-sdk  +${upstream.toFixed(1)} ms`);
  console.log(JSON.stringify({ bench: "import", runtime: rt, runs: RUNS, ms: m, ours, upstream }));
}

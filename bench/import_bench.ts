/**
 * Cold import time of `mod.ts` vs `@openai/codex-sdk`, on the runtime that runs this file, and
 * on Node also of the built npm package (`.build/npm/mod.js`, after `npm run build`):
 *
 *   node_modules/.bin/deno run -A bench/import_bench.ts
 *   node_modules/.bin/bun bench/import_bench.ts
 *   node_modules/.bin/node bench/import_bench.ts
 *
 * Each sample is a fresh process of the same runtime running this file with `--child <what>`:
 * it imports the module and prints `performance.now()` (ms since the process began) and the
 * CPU time it used. An empty child (`none`) is the baseline subtracted from the others. RUNS (default 10) samples each,
 * interleaved, after one discarded round (it fills the runtimes' transpile caches).
 *
 * @module
 */
import process from "node:process";

const what = process.argv[process.argv.indexOf("--child") + 1];
if (process.argv.includes("--child")) {
  if (what === "ours") await import("../mod.ts");
  else if (what === "built") await import("../.build/npm/mod.js" as string);
  else if (what === "upstream") await import("@openai/codex-sdk");
  // Wall time since the process began, and the process's CPU time: on a busy machine the
  // second is the steadier measure of the work an import does.
  const { user, system } = process.cpuUsage();
  console.log(`${performance.now()} ${(user + system) / 1000}`);
} else {
  await main();
}

async function main(): Promise<void> {
  const { execFileSync } = await import("node:child_process");
  const { fileURLToPath } = await import("node:url");
  const { existsSync } = await import("node:fs");
  const { median, runtimeName } = await import("./_fake_codex.ts");
  const RUNS = Number(process.env.RUNS ?? 10);
  const self = fileURLToPath(import.meta.url);
  const rt = runtimeName();
  const argv = (child: string): string[] =>
    rt === "deno" ? ["run", "-A", self, "--child", child] : [self, "--child", child];
  // Same runtime binary as this process: Deno.execPath / process.execPath.
  const exe = process.execPath;
  const sample = (child: string): [number, number] => {
    const line = execFileSync(exe, argv(child), { encoding: "utf8" }).trim().split("\n").pop()!;
    const [wall, cpu] = line.split(" ").map(Number);
    return [wall, cpu];
  };

  // The built package is what Node users import; Deno and Bun users import the sources.
  const built = rt === "node" &&
    existsSync(fileURLToPath(new URL("../.build/npm/mod.js", import.meta.url)));
  const kinds = ["none", "ours", "upstream", ...(built ? ["built"] : [])];
  for (const k of kinds) sample(k);
  const walls: Record<string, number[]> = Object.fromEntries(kinds.map((k) => [k, []]));
  const cpus: Record<string, number[]> = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const k of kinds) {
      const [wall, cpu] = sample(k);
      walls[k].push(wall);
      cpus[k].push(cpu);
    }
  }
  const m = Object.fromEntries(kinds.map((k) => [k, median(walls[k])]));
  const c = Object.fromEntries(kinds.map((k) => [k, median(cpus[k])]));
  const over = (k: string) => k in m ? { wall: m[k] - m.none, cpu: c[k] - c.none } : undefined;
  const ours = over("ours")!;
  const upstream = over("upstream")!;
  const builtMs = over("built");
  const show = (label: string, x: { wall: number; cpu: number }) =>
    console.log(`${label.padEnd(20)}+${x.wall.toFixed(1)} ms wall, +${x.cpu.toFixed(1)} ms CPU`);
  console.log(`# cold import on ${rt}: median of ${RUNS} fresh processes`);
  console.log(`empty script        ${m.none.toFixed(1)} ms wall, ${c.none.toFixed(1)} ms CPU`);
  show("mod.ts", ours);
  if (builtMs !== undefined) show(".build/npm/mod.js", builtMs);
  else if (rt === "node") console.log(`.build/npm/mod.js   (run npm run build first)`);
  show("@openai/codex-sdk", upstream);
  console.log(
    JSON.stringify({
      bench: "import",
      runtime: rt,
      runs: RUNS,
      ms: m,
      cpuMs: c,
      ours: ours.wall,
      built: builtMs?.wall,
      upstream: upstream.wall,
      cpu: { ours: ours.cpu, built: builtMs?.cpu, upstream: upstream.cpu },
    }),
  );
}

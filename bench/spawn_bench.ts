/**
 * Spawn cost per adapter vs the `node:child_process` adapter, on the runtime that runs this:
 *
 *   node_modules/.bin/deno run -A bench/spawn_bench.ts
 *   node_modules/.bin/bun bench/spawn_bench.ts
 *   node_modules/.bin/node bench/spawn_bench.ts   (node adapter only)
 *
 * Each round spawns `true` SPAWNS (default 50) times one after another through
 * `getSpawner(name).spawn`, draining stdout and stderr and awaiting the exit, as the exec
 * lane does. Rounds alternate between adapters; prints the median per-spawn cost of ROUNDS
 * (default 5) rounds. Prints one JSON line last, for bench/run.sh.
 *
 * @module
 */
import process from "node:process";
import { getSpawner } from "../src/runtime/mod.ts";
import type { RuntimeName } from "../src/runtime/mod.ts";
import { median, runtimeName } from "./_fake_codex.ts";

const SPAWNS = Number(process.env.SPAWNS ?? 50);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const TRUE = "/bin/true";

async function round(adapter: RuntimeName, count: number): Promise<number> {
  const spawner = getSpawner(adapter);
  const t = performance.now();
  for (let i = 0; i < count; i++) {
    const child = await spawner.spawn(TRUE, [], { stdin: "null" });
    const [, , status] = await Promise.all([
      new Response(child.stdout).arrayBuffer(),
      new Response(child.stderr).arrayBuffer(),
      child.exited,
    ]);
    if (status.code !== 0) throw new Error(`true exited with ${status.code}`);
  }
  return (performance.now() - t) / count;
}

const rt = runtimeName();
const adapters: RuntimeName[] = rt === "node" ? ["node"] : [rt, "node"];
for (const a of adapters) await round(a, 5);
const per: Record<string, number[]> = Object.fromEntries(adapters.map((a) => [a, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const a of r % 2 ? [...adapters].reverse() : adapters) per[a].push(await round(a, SPAWNS));
}
const ms = Object.fromEntries(adapters.map((a) => [a, median(per[a])]));
console.log(`# spawn on ${rt}: ${SPAWNS} x true per round, median of ${ROUNDS} rounds`);
for (const a of adapters) console.log(`${a.padEnd(5)} adapter ${ms[a].toFixed(2)} ms/spawn`);
const ratio = rt === "node" ? 1 : ms[rt] / ms.node;
if (rt !== "node") {
  console.log(`${rt}/node ${ratio.toFixed(2)} (below 1: the native adapter is cheaper)`);
}
console.log(
  JSON.stringify({ bench: "spawn", runtime: rt, spawns: SPAWNS, rounds: ROUNDS, ms, ratio }),
);

/**
 * How long children outlive a host killed with SIGKILL (Linux): a host started under the given
 * runtime spawns, through the SDK's seam, `sh` with a `sleep` in its group and one in a session
 * of its own; the host is SIGKILLed and /proc is polled until no process carrying the marker is
 * left. Only the lifeline watchdog can act (the host runs no code).
 *
 *   node_modules/.bin/node bench/host_death_bench.ts [node|bun|deno]   # RUNS=10
 *
 * @module
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { median, ROOT } from "./_fake_codex.ts";

const RUNS = Number(process.env.RUNS ?? 10);
const rt = process.argv[2] ?? "node";
const host = join(ROOT, ".cache", "host_death_host.ts");
writeFileSync(
  host,
  `import { getSpawner } from ${JSON.stringify(join(ROOT, "src/runtime/mod.ts"))};
const c = await getSpawner().spawn("sh", ["-c", "setsid sleep 300 & sleep 301"], {
  stdin: "null", env: { PATH: process.env.PATH, HOST_DEATH_MARK: process.argv[2] } });
console.log("ready");
await c.exited;
`,
);
const cmd = join(ROOT, "node_modules/.bin", rt);
const alive = (mark: string) =>
  readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/environ`, "latin1").includes(mark) &&
        !/\) Z /.test(readFileSync(`/proc/${p}/stat`, "latin1"));
    } catch {
      return false;
    }
  }).length;

const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const mark = `HOST_DEATH_MARK=m${process.pid}x${i}`;
  const args = rt === "deno" ? ["run", "-A", host, mark.split("=")[1]] : [host, mark.split("=")[1]];
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((r) =>
    child.stdout!.on("data", (d) => String(d).includes("ready") && r())
  );
  while (alive(mark) < 2) await new Promise((r) => setTimeout(r, 5));
  const t = performance.now();
  child.kill("SIGKILL");
  while (alive(mark) > 0 && performance.now() - t < 10_000) {
    await new Promise((r) => setTimeout(r, 2));
  }
  times.push(performance.now() - t);
}
console.log(`# ${rt}: children gone after host SIGKILL, ${RUNS} runs`);
console.log(`median ${median(times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`);
console.log(JSON.stringify({ bench: "host_death", runtime: rt, runs: RUNS, times }));

/**
 * Capability probe figures, on any of the three runtimes:
 *
 *   node_modules/.bin/deno run -A bench/probe_bench.ts [path/to/native/codex]
 *   node_modules/.bin/bun bench/probe_bench.ts
 *   node_modules/.bin/node bench/probe_bench.ts
 *
 * Prints medians of: a cold probe vs the slowest single probe call, a warm in-process lookup,
 * and a warm on-disk lookup measured inside a fresh process (process start excluded).
 *
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { detectRuntime, getSpawner } from "../src/runtime/mod.ts";
import { CapabilityCache } from "../capabilities/cache.ts";
import { runCommand } from "../capabilities/_run.ts";
import { PROBE_SAFETY_ARGS, probeCapabilities, PROBED_COMMANDS } from "../capabilities/probe.ts";

const NATIVE = fileURLToPath(
  new URL(
    "../node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
    import.meta.url,
  ),
);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

if (process.argv[2] === "--child") {
  // One warm on-disk lookup in a fresh process; prints its duration in ms.
  const [, , , dir, binary] = process.argv;
  const cache = new CapabilityCache({ dir });
  const t = performance.now();
  const result = await cache.lookup(binary);
  const ms = performance.now() - t;
  if (result.origin !== "disk") throw new Error(`expected a disk hit, got ${result.origin}`);
  console.log(ms);
} else {
  await main(process.argv[2] ?? NATIVE);
}

async function main(binary: string): Promise<void> {
  const RUNS = 9;
  const scratch = await mkdtemp(join(tmpdir(), "codexkit-bench-"));
  try {
    const home = join(scratch, "home");
    const env = { PATH: process.env.PATH ?? "", HOME: home, CODEX_HOME: home, TMPDIR: scratch };
    await import("node:fs/promises").then((fs) => fs.mkdir(home));
    const steps = [
      ["--version"],
      ["features", "list"],
      ...PROBED_COMMANDS.map((p) => [...p.split(" ").slice(1), "--help"]),
    ];

    await probeCapabilities(binary); // page the binary in before timing anything
    const cold: number[] = [];
    const slowest: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      const snap = await probeCapabilities(binary);
      cold.push(performance.now() - t);
      if (snap.gaps.length) throw new Error(`probe left gaps: ${JSON.stringify(snap.gaps)}`);
      let worst = 0;
      for (const step of steps) {
        t = performance.now();
        await runCommand(binary, [...PROBE_SAFETY_ARGS, ...step], {
          env,
          cwd: scratch,
          timeoutMs: 10_000,
        });
        worst = Math.max(worst, performance.now() - t);
      }
      slowest.push(worst);
    }

    const dir = join(scratch, "cache");
    const cache = new CapabilityCache({ dir });
    await cache.get(binary);
    const warm: number[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const n = 500;
      const t = performance.now();
      for (let i = 0; i < n; i++) await cache.get(binary);
      warm.push((performance.now() - t) / n);
    }

    const disk: number[] = [];
    const runtime = detectRuntime();
    const self = fileURLToPath(import.meta.url);
    const args = runtime === "deno" ? ["run", "-A", self] : [self];
    for (let i = 0; i < RUNS; i++) {
      const child = await getSpawner().spawn(process.execPath, [...args, "--child", dir, binary], {
        stdin: "null",
      });
      const [out, err] = await Promise.all([
        new Response(child.stdout).text(),
        new Response(child.stderr).text(),
      ]);
      const status = await child.exited;
      if (status.code !== 0) throw new Error(`child failed: ${err}`);
      disk.push(Number(out.trim()));
    }

    const c = median(cold);
    const s = median(slowest);
    const w = median(warm);
    const d = median(disk);
    const fmt = (x: number) => x.toFixed(3);
    console.log(
      `runtime ${runtime}, binary ${binary}, medians of ${RUNS} runs (warm: 20 batches x 500)`,
    );
    console.log(`cold probe (${steps.length} steps in parallel): ${fmt(c)} ms`);
    console.log(
      `slowest single probe call:               ${fmt(s)} ms  -> ratio ${
        (c / s).toFixed(2)
      } (target <= 1.3)`,
    );
    console.log(
      `warm in-process lookup:                  ${fmt(w)} ms  (target < 0.05) = ${
        (w / c).toExponential(2)
      } x cold`,
    );
    console.log(
      `warm on-disk lookup, fresh process:      ${fmt(d)} ms  (target < 2) = ${
        (d / c).toExponential(2)
      } x cold`,
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

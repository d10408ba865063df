/**
 * How long `Thread.run` takes after codex prints `turn.completed`, when codex lingers after it
 * (a fake that sleeps `LINGER_MS`, 8000 by default, as 0.169 does for about 5 s when its
 * analytics endpoint is slow) against a baseline fake that exits at once. Both fakes print the
 * same turn; samples are interleaved. Prints medians and the ratio lingering / baseline (1 means
 * a lingering codex costs the caller nothing).
 *
 *   node_modules/.bin/node bench/turn_end_bench.ts
 *   node_modules/.bin/bun bench/turn_end_bench.ts
 *   node_modules/.bin/deno run -A bench/turn_end_bench.ts
 *
 * @module
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../src/codex.ts";
import { CACHE_DIR, median, runtimeName } from "./_fake_codex.ts";

const SAMPLES = Number(process.env.SAMPLES ?? 7);
const LINGER_MS = Number(process.env.LINGER_MS ?? 8000);

const TURN = [
  `printf '%s\\n' '{"type":"thread.started","thread_id":"bench-thread"}'`,
  `printf '%s\\n' '{"type":"turn.started"}'`,
  `printf '%s\\n' '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"ok"}}'`,
  `printf '%s\\n' '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1}}'`,
].join("\n");

async function fake(name: string, after: string): Promise<string> {
  await mkdir(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, name);
  await writeFile(path, `#!/bin/sh\ncat >/dev/null\n${TURN}\n${after}\n`);
  await chmod(path, 0o755);
  return path;
}

async function sample(codex: Codex): Promise<number> {
  const start = performance.now();
  await codex.startThread().run("x");
  const took = performance.now() - start;
  // Untimed: the lingering codex's background stop, so it does not land in the next sample.
  await codex.close();
  return took;
}

const baseline = new Codex({
  capabilities: false,
  codexPathOverride: await fake("codex-exits", "exit 0"),
});
const lingering = new Codex({
  capabilities: false,
  codexPathOverride: await fake("codex-lingers", `sleep ${LINGER_MS / 1000}`),
  onWarning: () => {},
});
await sample(baseline);
await sample(lingering);
const base: number[] = [];
const linger: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
  base.push(await sample(baseline));
  linger.push(await sample(lingering));
}
await Promise.all([baseline.close(), lingering.close()]);
const b = median(base);
const l = median(linger);
console.log(
  `${runtimeName()}: run() with codex exiting at once ${
    b.toFixed(1)
  } ms, lingering ${LINGER_MS} ms ` +
    `${l.toFixed(1)} ms; lingering / baseline ${(l / b).toFixed(2)} (target <= 1.2)`,
);

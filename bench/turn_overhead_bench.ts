/**
 * Per-turn overhead of `Thread.run` against spawning `codex exec --json` directly with the
 * same argv and environment, on the runtime that runs this file:
 *
 *   node_modules/.bin/deno run -A bench/turn_overhead_bench.ts
 *   node_modules/.bin/bun bench/turn_overhead_bench.ts
 *   node_modules/.bin/node bench/turn_overhead_bench.ts
 *
 * The real native codex answers a one-message turn from the fake Responses server on
 * 127.0.0.1 (plugins and analytics off). Every sample gets a fresh CODEX_HOME (made before
 * the clock starts) and a fresh client; RUNS (default 20) samples of each, interleaved.
 * The direct run uses the runtime's own spawn, writes the prompt to stdin and reads stdout
 * to the end. The client gates flags by default: the warm-up sample fills the capability
 * cache, so samples measure a warm cache (a new client per sample, one stat of the binary).
 * GATE=off measures with `capabilities: false`. Prints one JSON line last, for bench/run.sh.
 *
 * @module
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../src/codex.ts";
import { buildExecArgs, buildExecEnv } from "../src/exec/args.ts";
import type { ThreadOptions } from "../src/options.ts";
import { offlineCodexConfig } from "../src/testing/offline.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { median, ROOT, runtimeName, spawnNative } from "./_fake_codex.ts";

const RUNS = Number(process.env.RUNS ?? 20);
const NATIVE = join(
  ROOT,
  "node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
);
const PATH_DIR = join(NATIVE, "..", "..", "codex-path");
const PROMPT = "Say hello";

await using server = await startFakeResponsesServer(() => reply.message("Hello!"));
const scratch = await mkdtemp(join(tmpdir(), "codexkit-bench-turn-"));
try {
  await main();
} finally {
  await rm(scratch, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const offline = offlineCodexConfig(server);
  const work = join(scratch, "work");
  const tmp = join(scratch, "tmp");
  await mkdir(work);
  await mkdir(tmp);
  const baseEnv = {
    PATH: `${PATH_DIR}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: scratch,
    TMPDIR: tmp,
    ...offline.env,
  };
  const threadOptions: ThreadOptions = {
    workingDirectory: work,
    skipGitRepoCheck: true,
    sandboxMode: "read-only",
  };
  let serial = 0;
  const freshHome = async () => {
    const home = join(scratch, `home-${serial++}`);
    await mkdir(home);
    return home;
  };

  const sdk = async (): Promise<number> => {
    const home = await freshHome();
    const codex = new Codex({
      codexPathOverride: NATIVE,
      codexHome: home,
      env: baseEnv,
      config: offline.config as unknown as NonNullable<
        ConstructorParameters<typeof Codex>[0]
      >["config"],
      configOverrides: ["analytics.enabled=false"],
      ...(process.env.GATE === "off" ? { capabilities: false as const } : {}),
    });
    const t = performance.now();
    const turn = await codex.startThread(threadOptions).run(PROMPT);
    const ms = performance.now() - t;
    if (turn.finalResponse !== "Hello!") throw new Error(`unexpected reply ${turn.finalResponse}`);
    return ms;
  };

  // The argv and env the exec lane builds for the same client and thread options.
  const direct = async (): Promise<number> => {
    const home = await freshHome();
    const { args } = buildExecArgs({
      config: offline.config as unknown as Parameters<typeof buildExecArgs>[0]["config"],
      configOverrides: ["analytics.enabled=false"],
      thread: threadOptions,
      threadId: null,
    });
    const env = buildExecEnv({ base: baseEnv, codexHome: home });
    const t = performance.now();
    const child = await spawnNative(NATIVE, args, { env, cwd: work, stdinText: PROMPT });
    const chunks: Uint8Array[] = [];
    await child.read((c) => chunks.push(c));
    const code = await child.exited;
    const ms = performance.now() - t;
    const text = new TextDecoder().decode(Buffer.concat(chunks));
    if (code !== 0 || !text.includes('"Hello!"')) throw new Error(`direct run failed: ${code}`);
    return ms;
  };

  // One of each first: pages the binary in.
  await sdk();
  await direct();
  const times = { sdk: [] as number[], direct: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    if (i % 2) {
      times.direct.push(await direct());
      times.sdk.push(await sdk());
    } else {
      times.sdk.push(await sdk());
      times.direct.push(await direct());
    }
  }
  const m = { sdk: median(times.sdk), direct: median(times.direct) };
  const ratio = m.sdk / m.direct;
  const rt = runtimeName();
  console.log(`# turn overhead on ${rt}: real codex vs fake Responses server, ${RUNS} runs each`);
  console.log(`direct codex exec --json ${m.direct.toFixed(1)} ms`);
  console.log(`Thread.run               ${m.sdk.toFixed(1)} ms`);
  console.log(`ratio ${ratio.toFixed(3)}x, +${(m.sdk - m.direct).toFixed(1)} ms (target <= 1.05x)`);
  const gate = process.env.GATE === "off" ? "off" : "default";
  console.log(JSON.stringify({ bench: "turn", runtime: rt, runs: RUNS, gate, ms: m, ratio }));
}

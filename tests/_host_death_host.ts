/**
 * A host process for tests/host_death_test.ts: uses the SDK to start a long-running child,
 * prints "ready" once it runs, then waits to be killed by the test.
 *
 *   <runtime> tests/_host_death_host.ts <exec|app-server|login|probe> <dir> [own-sigint]
 *
 * `<dir>` holds `home/`, `work/`, `tmp/` (made by the test); every child carries
 * `CODEX_HOME=<dir>/home` in its environment, which is how the test finds survivors.
 *
 * @module
 */
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { runCommand } from "../capabilities/_run.ts";
import { Codex } from "../src/codex.ts";
import { authStatus } from "../src/home/auth.ts";
import { offlineCodexConfig } from "../src/testing/offline.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { CodexOptions } from "../src/options.ts";
import { NATIVE_CODEX, NATIVE_CODEX_PATH_DIR } from "./_codex.ts";

const [mode, dir, extra] = process.argv.slice(2);
const home = join(dir, "home");
const env = {
  PATH: `${NATIVE_CODEX_PATH_DIR}:${process.env.PATH ?? "/usr/bin:/bin"}`,
  HOME: dir,
  TMPDIR: join(dir, "tmp"),
  CODEX_HOME: home,
};

if (extra === "own-sigint") {
  process.on("SIGINT", () => console.log("host handled SIGINT"));
}

// A codex stand-in for the CLI helper runs: a long command in the child's environment.
async function sleeper(): Promise<string> {
  const path = join(dir, "fake-codex");
  await writeFile(path, "#!/bin/sh\nsleep 30\n");
  await chmod(path, 0o755);
  return path;
}

if (mode === "exec" || mode === "app-server") {
  const server = await startFakeResponsesServer([
    reply.execCommand("sleep 30"),
    reply.message("never"),
  ]);
  const offline = offlineCodexConfig(server);
  const codex = new Codex({
    codexPathOverride: NATIVE_CODEX,
    codexHome: home,
    env: { ...env, ...offline.env },
    config: offline.config as unknown as CodexOptions["config"],
  });
  const { events } = await codex.startThread({
    transport: mode,
    skipGitRepoCheck: true,
    workingDirectory: join(dir, "work"),
  }).runStreamed("sleep");
  try {
    for await (const event of events) {
      if (event.type === "item.started" && event.item.type === "command_execution") {
        console.log("ready");
      }
    }
  } catch (error) {
    if (extra !== "own-sigint") throw error;
    // The SDK stopped the run on SIGINT; this host decides to keep going.
    console.log(`run ended: ${(error as Error).name}`);
    await new Promise((r) => setTimeout(r, 60_000));
  }
} else if (mode === "login") {
  const pending = authStatus(home, { codexPathOverride: await sleeper(), env });
  console.log("ready");
  await pending;
} else if (mode === "probe") {
  const pending = runCommand(await sleeper(), ["--version"], { env, timeoutMs: 120_000 });
  console.log("ready");
  await pending;
} else {
  throw new Error(`unknown mode ${mode}`);
}

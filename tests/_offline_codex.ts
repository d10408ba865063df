/**
 * A `Codex` client pointed at a fake Responses server, for this project's end-to-end tests:
 * fresh CODEX_HOME and TMPDIR per call, nothing inherited from the parent's environment but
 * PATH, analytics and plugins off so nothing leaves loopback.
 *
 * @module
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../src/codex.ts";
import type { CodexOptions } from "../src/options.ts";
import { offlineCodexConfig } from "../src/testing/offline.ts";
import type { FakeResponsesServer } from "../src/testing/fake_responses_server.ts";
import { NATIVE_CODEX, NATIVE_CODEX_PATH_DIR } from "./_codex.ts";

/** A client and the dirs it owns; dispose removes them. */
export interface OfflineClient extends AsyncDisposable {
  codex: Codex;
  home: string;
  /** A scratch working directory for the agent. */
  work: string;
  /** The environment the client hands its children. */
  env: Record<string, string>;
}

/** Options beyond the offline defaults. */
export type ClientOptions = Omit<CodexOptions, "config" | "env"> & {
  config?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Reuse this CODEX_HOME (for resume across clients). */
  home?: string;
};

/** Creates an offline client. Use with `await using`. */
export async function offlineClient(
  server: FakeResponsesServer,
  options: ClientOptions = {},
): Promise<OfflineClient> {
  const scratch = await mkdtemp(join(tmpdir(), "codexkit-e2e-"));
  const home = options.home ?? join(scratch, "home");
  const work = join(scratch, "work");
  const tmp = join(scratch, "tmp");
  await mkdir(work);
  await mkdir(tmp);
  const offline = offlineCodexConfig(server);
  const env = {
    PATH: [NATIVE_CODEX_PATH_DIR, process.env.PATH ?? "/usr/bin:/bin"].filter(Boolean).join(":"),
    HOME: scratch,
    TMPDIR: tmp,
    ...offline.env,
    ...options.env,
  };
  const { home: _home, config, ...rest } = options;
  const codex = new Codex({
    // The codex under test (CODEXKIT_TEST_CODEX / _VERSION), unless the test pins a bundle.
    ...(rest.bundle ? {} : { codexPathOverride: NATIVE_CODEX }),
    ...rest,
    codexHome: home,
    env,
    config: { ...offline.config, ...config } as CodexOptions["config"],
  });
  return {
    codex,
    home,
    work,
    env,
    async [Symbol.asyncDispose]() {
      await codex.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** Live processes whose environment holds `needle` (e.g. a CODEX_HOME path; Linux /proc). */
export async function processesMatching(needle: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = await readFile(`/proc/${entry}/environ`, "utf8");
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      // Zombies (state Z) have exited and only wait to be reaped.
      if (environ.includes(needle) && !/^\d+ \(.*\) Z/.test(stat)) found.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** Polls `check` until it is true or `timeoutMs` passes; returns the last answer. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 3000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return await check();
}

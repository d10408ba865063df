/**
 * A throwaway `nats-server` with JetStream on 127.0.0.1, for tests, examples and benches of the
 * fleet: `nats-server -js -a 127.0.0.1 -p <free port> -sd <temp dir>`, stopped by pid, its
 * store removed on dispose. The server is registered with the SDK's child lifeline, so it dies
 * with the process that started it, however that process ends.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import process from "node:process";
import { spawnerFor } from "../process/spawner.ts";
import type { ChildProcess } from "../runtime/types.ts";

/** Where to get nats-server when it is missing: printed by tests that skip. */
export const NATS_SERVER_INSTALL_HINT: string =
  "nats-server not found: install it (apt-get install nats-server) or set NATS_SERVER_BIN";

/**
 * The `nats-server` executable: `NATS_SERVER_BIN` when set, else the first on `PATH`, else the
 * sbin directories Debian installs it to (often not on a user's PATH). `undefined` when none.
 */
export function findNatsServer(
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  if (env.NATS_SERVER_BIN) return existsSync(env.NATS_SERVER_BIN) ? env.NATS_SERVER_BIN : undefined;
  const dirs = [...(env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin", "/sbin"];
  for (const dir of dirs) {
    if (dir === "") continue;
    const candidate = join(dir, "nats-server");
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Options of {@linkcode startNatsServer}. */
export interface StartNatsServerOptions {
  /** The executable (default: {@linkcode findNatsServer}). */
  bin?: string;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** How long to wait for "Server is ready" (default 15000 ms). */
  readyTimeoutMs?: number;
}

/** A running nats-server; `await using` stops it and removes its store. */
export interface NatsServer extends AsyncDisposable {
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  /** The port it listens on (kept across restarts). */
  readonly port: number;
  /** The JetStream store directory (kept across restarts, removed on dispose). */
  readonly storeDir: string;
  /** The server's pid, or `undefined` while stopped. */
  readonly pid: number | undefined;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same store. */
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `nats-server -js` on 127.0.0.1 with a fresh store directory. Throws an `Error` carrying
 * {@linkcode NATS_SERVER_INSTALL_HINT} when no executable is found.
 *
 * @example A server for one test
 * ```ts ignore
 * import { startNatsServer } from "@codexkit/sdk/testing";
 * await using nats = await startNatsServer();
 * // connectFleet({ servers: nats.url }) ...
 * ```
 */
export async function startNatsServer(options: StartNatsServerOptions = {}): Promise<NatsServer> {
  const bin = options.bin ?? findNatsServer();
  if (!bin) throw new Error(NATS_SERVER_INSTALL_HINT);
  const port = options.port ?? await freePort();
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const storeDir = await mkdtemp(join(tmpdir(), "codexkit-nats-"));
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    if (child) return;
    // The SDK's own seam: the server gets a process group of its own and dies with this host.
    const proc = await spawnerFor().spawn(
      bin,
      ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", storeDir],
      { stdin: "null", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } },
    );
    child = proc;
    void proc.exited.then(() => {
      if (child === proc) child = undefined;
    });
    void proc.stdout.cancel().catch(() => {});
    const reader = proc.stderr.getReader();
    const decoder = new TextDecoder();
    let log = "";
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        (async () => {
          while (!log.includes("Server is ready")) {
            const { value, done } = await reader.read();
            if (done) throw new Error(`nats-server exited before ready: ${log.slice(-2000)}`);
            log += decoder.decode(value, { stream: true });
          }
        })(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(`nats-server not ready in ${readyTimeoutMs} ms: ${log.slice(-2000)}`),
              ),
            readyTimeoutMs,
          );
        }),
      ]);
    } catch (error) {
      await stop();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    // Keep reading so the server never blocks on a full stderr pipe.
    void (async () => {
      try {
        while (!(await reader.read()).done) { /* drained */ }
      } catch {
        // The stream ends with the process.
      }
    })();
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    if (!proc) return;
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
    await proc.exited;
    clearTimeout(timer);
  };

  try {
    await start();
  } catch (error) {
    await rm(storeDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    get pid() {
      return child?.pid;
    },
    stop,
    start,
    async [Symbol.asyncDispose]() {
      await stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

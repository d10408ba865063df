/**
 * The stdio transport: a `codex app-server` child started through the runtime seam, its stdin
 * and stdout as the JSON-RPC duplex, stderr read by the process stages' stderr stage (a bounded
 * tail for errors, each line to `onStderr`).
 *
 * @module
 */
import type { ConnectionClosedErrorOptions } from "../errors.ts";
import { within } from "../process/long_timer.ts";
import { spawnerFor } from "../process/spawner.ts";
import { StderrCollector } from "../process/stderr.ts";
import { redactArgs } from "../redact.ts";
import { DEFAULT_KILL_GRACE_MS, terminate } from "../runtime/mod.ts";
import type { ChildProcess, RuntimeName, Spawner } from "../runtime/mod.ts";
import type { RpcDuplex } from "./rpc.ts";

/** How to start `codex app-server`. */
export interface StdioServerOptions {
  /** Path of the codex binary (the native one: the JS launcher adds ~65 ms per start). */
  binary: string;
  /**
   * Global flags placed before the `app-server` subcommand: `--config k=v` pairs,
   * `--disable plugins`, ... (the CLI accepts them there, 0.169.0).
   */
  args?: readonly string[];
  /** Flags placed after `app-server` (`--listen ws://...`, `--ws-auth ...`). */
  serverArgs?: readonly string[];
  /** The child's whole environment (inherits the parent's when omitted). */
  env?: Record<string, string>;
  /** Working directory of the server. */
  cwd?: string;
  /** Which process adapter to use (default: the current runtime's). */
  runtime?: RuntimeName;
  /** Spawns the server (default: the adapter of `runtime`). */
  spawner?: Spawner;
  /** Receives each stderr line. */
  onStderr?: (line: string) => void;
  /** Time between SIGTERM and SIGKILL when the server must be stopped (default 2000 ms). */
  killGraceMs?: number;
}

/** A connected transport: the duplex, why it closed, and how to end it. */
export interface AppServerTransport extends RpcDuplex {
  /** What is on the other end, for messages. */
  readonly description: string;
  /** The command line that was run, when a child was started. */
  readonly command?: readonly string[];
  /** The server process, when the transport started one. */
  readonly child?: ChildProcess;
  /** The server's stderr so far (bounded), when the transport started one. */
  stderrTail?(): string;
  /** Describes the closure: exit code, signal and stderr tail when known. */
  describeClose(): Promise<ConnectionClosedErrorOptions & { reason?: string }>;
  /** Ends whatever is left after the duplex closed (waits for exit, then escalates). */
  dispose(graceMs?: number): Promise<void>;
}

/** The argv of the server: global flags, `app-server`, then its own flags. */
export function appServerArgv(options: Pick<StdioServerOptions, "args" | "serverArgs">): string[] {
  return [...(options.args ?? []), "app-server", ...(options.serverArgs ?? [])];
}

/** A started app-server child, for transports that need its process too. */
export interface StartedServer {
  /** The child. */
  child: ChildProcess;
  /** The command line. */
  command: readonly string[];
  /** The stderr seen so far (bounded). */
  stderrTail(): string;
  /** SIGTERM -> SIGKILL after the grace period, unless it exited within `waitMs` first. */
  stop(waitMs?: number): Promise<void>;
}

/** Starts `codex [args] app-server [serverArgs]` through the seam and drains its stderr. */
export async function startServerProcess(options: StdioServerOptions): Promise<StartedServer> {
  if (typeof options.binary !== "string" || options.binary === "") {
    throw new TypeError("Cannot start the app-server: options.binary must be a path");
  }
  const argv = appServerArgv(options);
  const child = await spawnerFor(options).spawn(options.binary, argv, {
    cwd: options.cwd,
    env: options.env,
    stdin: "piped",
  });
  const stderr = new StderrCollector(child.stderr, options.onStderr);
  const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  return {
    child,
    // Quoted in errors and shown as AppServer.command: secret config pairs masked.
    command: redactArgs([options.binary, ...argv]),
    stderrTail: () => stderr.tail(),
    async stop(waitMs = 0) {
      if (!(await within(child.exited, waitMs))) await terminate(child, grace);
      // The run is gone, so stderr ends; still, never wait on a pipe out of reach.
      await stderr.settle(grace);
    },
  };
}

/**
 * Starts `codex app-server` on stdio. The duplex is the child's stdout and stdin; the server
 * exits 0 once its stdin closes (0.169.0), which is how `close()` ends it.
 */
export async function spawnStdioTransport(
  options: StdioServerOptions,
): Promise<AppServerTransport> {
  const server = await startServerProcess(options);
  const { child } = server;
  return {
    description: "app-server",
    command: server.command,
    stderrTail: server.stderrTail,
    child,
    readable: child.stdout,
    writable: child.stdin,
    async describeClose() {
      // stdout can end a moment before the exit status is known; do not wait forever for it.
      if (!(await within(child.exited, 2000))) {
        return {
          reason: "its output ended",
          stderrTail: server.stderrTail(),
          command: server.command,
        };
      }
      const status = await child.exited;
      return {
        reason: status.signal
          ? `the server was ended by ${status.signal}`
          : `the server exited with code ${status.code}`,
        exitCode: status.code,
        signal: status.signal,
        stderrTail: server.stderrTail(),
        command: server.command,
      };
    },
    dispose: (graceMs = 2000) => server.stop(graceMs),
  };
}

/**
 * `codex stdio-to-uds <socket>`: relays the child's stdin and stdout to a Unix domain socket,
 * for hosts that speak to a socket-bound server (an app-server daemon) through a pipe.
 *
 * @module
 */
import { DEFAULT_KILL_GRACE_MS, terminate } from "../runtime/mod.ts";
import type { ExitStatus } from "../runtime/mod.ts";
import { StderrCollector } from "../process/stderr.ts";
import { checkCommandOptions, prepareCommand } from "./_prepare.ts";
import type { CodexCommandOptions } from "./_prepare.ts";

/** A running relay. Dispose (or `stop()`) ends it. */
export interface StdioToUdsRelay extends AsyncDisposable {
  /** The relay's process id. */
  readonly pid: number;
  /** Bytes written here reach the socket. Closing it ends the relay's input. */
  readonly writable: WritableStream<Uint8Array>;
  /** Bytes the socket sends. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Settles when the relay has exited. */
  readonly exited: Promise<ExitStatus>;
  /** The last few KB of the relay's stderr (why it could not connect, for instance). */
  stderrTail(): string;
  /** Stops the relay's process group. */
  stop(): Promise<ExitStatus>;
}

/**
 * Starts `codex stdio-to-uds <socketPath>`.
 *
 * @example
 * ```ts ignore
 * import { stdioToUds } from "@codexkit/sdk/commands";
 * await using relay = await stdioToUds("/run/codex.sock");
 * const writer = relay.writable.getWriter();
 * await writer.write(new TextEncoder().encode('{"id":1,"method":"initialize"}\n'));
 * ```
 */
export async function stdioToUds(
  socketPath: string,
  options: CodexCommandOptions = {},
): Promise<StdioToUdsRelay> {
  checkCommandOptions(options);
  if (typeof socketPath !== "string" || socketPath === "" || socketPath.startsWith("-")) {
    throw new TypeError(
      `Cannot relay to the socket: socketPath must be a path, got ${JSON.stringify(socketPath)}`,
    );
  }
  const prepared = await prepareCommand(["stdio-to-uds"], ["stdio-to-uds", socketPath], options);
  const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const child = await prepared.spawner.spawn(prepared.binary.path, prepared.args, {
    cwd: options.cwd,
    env: prepared.env,
    stdin: "piped",
  });
  const stderr = new StderrCollector(child.stderr);
  const stop = () => terminate(child, grace);
  const onAbort = () => void stop();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  void child.exited.then(() => options.signal?.removeEventListener("abort", onAbort));
  return {
    pid: child.pid,
    writable: child.stdin,
    readable: child.stdout,
    exited: child.exited,
    stderrTail: () => stderr.tail(),
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
  };
}

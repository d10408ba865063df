/**
 * One `codex exec --json` run as a stream of events. Every way a run can end (exit, abort,
 * timeout, idle, consumer cancel, malformed output) is one race: the first reason wins and is
 * kept; the child's process group is then stopped (SIGTERM, then SIGKILL) on every path.
 *
 * @module
 */
import { AbortError, ExitError, IdleTimeoutError, TimeoutError } from "../errors.ts";
import type { ThreadEvent } from "../events.ts";
import { DEFAULT_KILL_GRACE_MS, terminate } from "../runtime/mod.ts";
import type { ChildProcess, Spawner } from "../runtime/mod.ts";
import { decodeThreadEvents } from "../streams/thread_event_stream.ts";
import { StderrCollector } from "./stderr.ts";

/** What one run needs. */
export interface ExecRunOptions {
  /** Spawns the child. */
  spawner: Spawner;
  /** The binary. */
  binary: string;
  /** Arguments after the binary. */
  args: string[];
  /** The argv as it may appear in errors (secrets redacted). */
  displayCommand: string[];
  /** The child's environment. */
  env: Record<string, string>;
  /** Working directory of the child. */
  cwd?: string;
  /** Written to stdin, which is then closed. */
  stdinText: string;
  /** Cancels the run. */
  signal?: AbortSignal;
  /** Limit for the whole run, in ms. */
  timeoutMs?: number;
  /** Limit without any event, in ms. */
  idleTimeoutMs?: number;
  /** Each stderr line. */
  onStderr?: (line: string) => void;
  /** SIGTERM -> SIGKILL grace. */
  killGraceMs?: number;
  /** Runs once when the run is over, whatever the reason (temp files go here). */
  onSettled?: () => Promise<void> | void;
}

type StopReason = { kind: "abort"; reason: unknown } | { kind: "timeout" } | { kind: "idle" } | {
  kind: "cancel";
};

/**
 * Starts the run and returns its events. The stream errors with `AbortError`,
 * `TimeoutError`, `IdleTimeoutError`, `ExitError`, `MalformedOutputError` or `SpawnError`;
 * cancelling it stops the child.
 */
export function runExec(options: ExecRunOptions): ReadableStream<ThreadEvent> {
  const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const command = options.displayCommand;
  let child: ChildProcess | undefined;
  let events: ReadableStreamDefaultReader<ThreadEvent> | undefined;
  let stderr: StderrCollector | undefined;
  let stopped: StopReason | undefined;
  let settled = false;
  let totalTimer: ReturnType<typeof setTimeout> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let output!: ReadableStreamDefaultController<ThreadEvent>;
  let onAbort: (() => void) | undefined;

  const settle = async () => {
    if (settled) return;
    settled = true;
    clearTimeout(totalTimer);
    clearTimeout(idleTimer);
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    await options.onSettled?.();
  };

  const stopError = (reason: StopReason): Error => {
    const tail = stderr?.tail();
    switch (reason.kind) {
      case "abort":
        return new AbortError("The run was aborted", {
          cause: reason.reason,
          command,
          stderrTail: tail,
        });
      case "timeout":
        return new TimeoutError(`The run timed out after ${options.timeoutMs} ms`, {
          timeoutMs: options.timeoutMs!,
          command,
          stderrTail: tail,
        });
      case "idle":
        return new IdleTimeoutError(
          `No event for ${options.idleTimeoutMs} ms; the run was stopped`,
          {
            timeoutMs: options.idleTimeoutMs!,
            command,
            stderrTail: tail,
          },
        );
      case "cancel":
        return new AbortError("The run was cancelled by its reader", { command, stderrTail: tail });
    }
  };

  /** First reason wins: error the output at once, then stop the child in the background. */
  const stop = (reason: StopReason): Promise<void> => {
    if (stopped || settled) return Promise.resolve();
    stopped = reason;
    if (reason.kind !== "cancel") {
      try {
        output.error(stopError(reason));
      } catch {
        // Already closed.
      }
    }
    return cleanup();
  };

  const cleanup = async () => {
    if (child) await terminate(child, grace);
    await events?.cancel().catch(() => {});
    await stderr?.done;
    await settle();
  };

  const armIdle = () => {
    if (options.idleTimeoutMs === undefined) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void stop({ kind: "idle" }), options.idleTimeoutMs);
  };

  return new ReadableStream<ThreadEvent>({
    async start(controller) {
      output = controller;
      if (options.signal?.aborted) {
        stopped = { kind: "abort", reason: options.signal.reason };
        await settle();
        throw stopError(stopped);
      }
      try {
        child = await options.spawner.spawn(options.binary, options.args, {
          cwd: options.cwd,
          env: options.env,
          stdin: "piped",
        });
      } catch (error) {
        await settle();
        throw error;
      }
      stderr = new StderrCollector(child.stderr, options.onStderr);
      events = decodeThreadEvents(child.stdout, `${command[0]} output`).getReader();
      if (options.signal) {
        onAbort = () => void stop({ kind: "abort", reason: options.signal!.reason });
        options.signal.addEventListener("abort", onAbort, { once: true });
      }
      if (options.timeoutMs !== undefined) {
        totalTimer = setTimeout(() => void stop({ kind: "timeout" }), options.timeoutMs);
      }
      armIdle();
      const writer = child.stdin.getWriter();
      // A child that exits before reading stdin is reported by its exit, not by EPIPE.
      writer.write(new TextEncoder().encode(options.stdinText)).then(() => writer.close()).catch(
        () => {},
      );
    },

    async pull(controller) {
      if (stopped) return;
      let next: ReadableStreamReadResult<ThreadEvent>;
      try {
        next = await events!.read();
      } catch (error) {
        if (stopped) return;
        stopped = { kind: "cancel" };
        await cleanup();
        controller.error(error);
        return;
      }
      if (stopped) return;
      if (!next.done) {
        armIdle();
        controller.enqueue(next.value);
        return;
      }
      const status = await child!.exited;
      await stderr!.done;
      if (stopped) return;
      stopped = { kind: "cancel" };
      // Clean up before settling the stream, so a caller that sees the end sees no leftovers.
      await cleanup();
      if (status.code === 0) {
        controller.close();
        return;
      }
      const how = status.signal
        ? `was killed by ${status.signal}`
        : `exited with code ${status.code}`;
      controller.error(
        new ExitError(`${command[0]} ${how}`, {
          exitCode: status.code,
          signal: status.signal,
          command,
          stderrTail: stderr!.tail(),
        }),
      );
    },

    async cancel() {
      await stop({ kind: "cancel" });
    },
  }, { highWaterMark: 0 });
}

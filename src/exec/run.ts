/**
 * One `codex exec --json` run as a stream of events. Every way a run can end (exit, abort,
 * timeout, idle, consumer cancel, malformed output) is one race: the first reason wins and is
 * kept; the child's process group is then stopped (SIGTERM, then SIGKILL) on every path.
 *
 * @module
 */
import {
  AbortError,
  execExitMessage,
  ExitError,
  IdleTimeoutError,
  TimeoutError,
} from "../errors.ts";
import type { ThreadEvent } from "../events.ts";
import { DEFAULT_KILL_GRACE_MS, terminate } from "../runtime/mod.ts";
import type { ChildProcess, Spawner } from "../runtime/mod.ts";
import { ThreadEventDecoder } from "../streams/thread_event_stream.ts";
import { StderrCollector } from "./stderr.ts";
import { setLongTimeout } from "../_timer.ts";
import type { LongTimer } from "../_timer.ts";

/** The parts of a run that take async preparation (binary lookup, temp files). */
export interface ExecCommand {
  /** The binary. */
  binary: string;
  /** Arguments after the binary. */
  args: string[];
  /** The argv as it may appear in errors (secrets redacted). */
  displayCommand: string[];
  /** Known secrets (API key, secret config values), scrubbed from every error of the run. */
  secrets?: readonly string[];
  /** The child's environment. */
  env: Record<string, string>;
  /** Working directory of the child. */
  cwd?: string;
  /** Runs once when the run is over, whatever the reason (temp files go here). */
  onSettled?: () => Promise<void> | void;
}

/** What one run needs. */
export interface ExecRunOptions {
  /** Spawns the child. */
  spawner: Spawner;
  /**
   * Prepares the command when the run starts. If it throws, the run errors with that error;
   * whatever it acquired before throwing is its own to release.
   */
  prepare: () => Promise<ExecCommand>;
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
  /** The longest stdout line accepted, in bytes (default 64 MiB). */
  maxLineBytes?: number;
}

type StopReason = { kind: "abort"; reason: unknown } | { kind: "timeout" } | { kind: "idle" } | {
  kind: "cancel";
};

/**
 * Starts the run and returns its events in batches (the events of each stdout chunk, in order).
 * The stream errors with `AbortError`,
 * `TimeoutError`, `IdleTimeoutError`, `ExitError`, `MalformedOutputError` or `SpawnError`;
 * cancelling it stops the child.
 */
export function runExec(options: ExecRunOptions): ReadableStream<ThreadEvent[]> {
  const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  let command: string[] = [];
  let secrets: readonly string[] | undefined;
  let onSettled: (() => Promise<void> | void) | undefined;
  let child: ChildProcess | undefined;
  let stdout: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let decoder: ThreadEventDecoder | undefined;
  let stderr: StderrCollector | undefined;
  let stopped: StopReason | undefined;
  let settled = false;
  let totalTimer: LongTimer | undefined;
  let idleTimer: LongTimer | undefined;
  let output!: ReadableStreamDefaultController<ThreadEvent[]>;
  let onAbort: (() => void) | undefined;

  let released: Promise<void> | undefined;
  const release = () => (released ??= Promise.resolve(onSettled?.()).then(() => {}));

  const settle = async () => {
    if (settled) return;
    settled = true;
    totalTimer?.clear();
    idleTimer?.clear();
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    await release();
  };

  const stopError = (reason: StopReason): Error => {
    const tail = stderr?.tail();
    switch (reason.kind) {
      case "abort":
        return new AbortError("The run was aborted", {
          cause: reason.reason,
          command,
          stderrTail: tail,
          secrets,
        });
      case "timeout":
        return new TimeoutError(`The run timed out after ${options.timeoutMs} ms`, {
          timeoutMs: options.timeoutMs!,
          command,
          stderrTail: tail,
          secrets,
        });
      case "idle":
        return new IdleTimeoutError(
          `No event for ${options.idleTimeoutMs} ms; the run was stopped`,
          {
            timeoutMs: options.idleTimeoutMs!,
            command,
            stderrTail: tail,
            secrets,
          },
        );
      case "cancel":
        return new AbortError("The run was cancelled by its reader", {
          command,
          stderrTail: tail,
          secrets,
        });
    }
  };

  /**
   * First reason wins. Temp files go first (a few ms), then the output errors, and the child
   * is stopped in the background: an abort must not wait out a SIGTERM grace period.
   */
  const stop = async (reason: StopReason): Promise<void> => {
    if (stopped || settled) return;
    stopped = reason;
    if (reason.kind !== "cancel") {
      await release();
      try {
        output.error(stopError(reason));
      } catch {
        // Already closed.
      }
    }
    await cleanup();
  };

  const cleanup = async () => {
    if (child) await terminate(child, grace);
    await stdout?.cancel().catch(() => {});
    await stderr?.done;
    await settle();
  };

  const finish = async (controller: ReadableStreamDefaultController<ThreadEvent[]>) => {
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
    const stderrTail = stderr!.tail();
    controller.error(
      new ExitError(execExitMessage(status.code, status.signal, stderrTail), {
        exitCode: status.code,
        signal: status.signal,
        command,
        stderrTail,
        secrets,
      }),
    );
  };

  const armIdle = () => {
    if (options.idleTimeoutMs === undefined) return;
    idleTimer?.clear();
    idleTimer = setLongTimeout(() => void stop({ kind: "idle" }), options.idleTimeoutMs);
  };

  return new ReadableStream<ThreadEvent[]>({
    async start(controller) {
      output = controller;
      if (options.signal?.aborted) {
        stopped = { kind: "abort", reason: options.signal.reason };
        throw stopError(stopped);
      }
      const prepared = await options.prepare();
      command = prepared.displayCommand;
      secrets = prepared.secrets;
      onSettled = prepared.onSettled;
      if (options.signal?.aborted) {
        stopped = { kind: "abort", reason: options.signal.reason };
        await settle();
        throw stopError(stopped);
      }
      try {
        child = await options.spawner.spawn(prepared.binary, prepared.args, {
          cwd: prepared.cwd,
          env: prepared.env,
          stdin: "piped",
        });
      } catch (error) {
        await settle();
        throw error;
      }
      stderr = new StderrCollector(child.stderr, options.onStderr);
      stdout = child.stdout.getReader();
      decoder = new ThreadEventDecoder(`${command[0]} output`, {
        maxLineBytes: options.maxLineBytes,
        secrets,
      });
      if (options.signal) {
        onAbort = () => void stop({ kind: "abort", reason: options.signal!.reason });
        options.signal.addEventListener("abort", onAbort, { once: true });
      }
      if (options.timeoutMs !== undefined) {
        totalTimer = setLongTimeout(() => void stop({ kind: "timeout" }), options.timeoutMs);
      }
      armIdle();
      const writer = child.stdin.getWriter();
      // A child that exits before reading stdin is reported by its exit, not by EPIPE.
      writer.write(new TextEncoder().encode(options.stdinText)).then(() => writer.close()).catch(
        () => {},
      );
    },

    // One stdout read per pull, and the events it completes go out as one batch: a stream hop
    // per event costs more than parsing it.
    async pull(controller) {
      while (!stopped) {
        let events: ThreadEvent[];
        let done = false;
        try {
          const next = await stdout!.read();
          if (stopped) return;
          if (next.done) {
            done = true;
            events = decoder!.flush();
          } else {
            events = decoder!.decode(next.value);
          }
        } catch (error) {
          if (stopped) return;
          stopped = { kind: "cancel" };
          await cleanup();
          controller.error(error);
          return;
        }
        if (events.length > 0) {
          armIdle();
          controller.enqueue(events);
        }
        if (done) return finish(controller);
        if (events.length > 0) return;
      }
    },

    async cancel() {
      await stop({ kind: "cancel" });
    },
  }, { highWaterMark: 0 });
}

/**
 * One `codex exec --json` run as a stream of events. Every way a run can end (exit, abort,
 * timeout, idle, consumer cancel, malformed output) is one race: the first reason wins and is
 * kept; the child's process group is then stopped (SIGTERM, then SIGKILL) on every path.
 *
 * The run ends when codex EXITS, not when its pipes close: a background process it left
 * behind may hold stdout/stderr open for as long as it lives. After the exit the output is
 * read ahead until it has been quiet for `drainMs` (bounded by `DRAIN_CAP_MS`), then the pipes
 * are let go and whatever of the run is still alive is killed.
 *
 * @module
 */
import {
  AbortError,
  ConnectTimeoutError,
  execExitMessage,
  ExitError,
  IdleTimeoutError,
  TimeoutError,
} from "../errors.ts";
import type { FileSystemError } from "../errors.ts";
import { openLineLog } from "../fs/line_log.ts";
import type { LineLog, LineLogTarget } from "../fs/line_log.ts";
import type { ThreadEvent } from "../events.ts";
import { DEFAULT_KILL_GRACE_MS, reapRun, terminate } from "../runtime/mod.ts";
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
  /** Limit until the first event, in ms. */
  connectTimeoutMs?: number;
  /** Where the raw stdout lines are teed as they arrive (the run's secrets scrubbed). */
  eventLog?: LineLogTarget;
  /**
   * Gets the event log's failure, after which the run goes on unlogged; without it, a log that
   * cannot be written ends the run with a `FileSystemError`.
   */
  onEventLogError?: (error: FileSystemError) => void;
  /** Each stderr line. */
  onStderr?: (line: string) => void;
  /** SIGTERM -> SIGKILL grace. */
  killGraceMs?: number;
  /** The longest stdout line accepted, in bytes (default 64 MiB). */
  maxLineBytes?: number;
  /**
   * After codex exits, how long its output may stay quiet before the run stops waiting for
   * EOF (default {@linkcode DEFAULT_DRAIN_MS}).
   */
  drainMs?: number;
}

/** Default of {@linkcode ExecRunOptions.drainMs}. */
export const DEFAULT_DRAIN_MS = 200;
/** However busy the leftover output, the run ends this long after codex's exit. */
export const DRAIN_CAP_MS = 5000;

type StopReason =
  | { kind: "abort"; reason: unknown }
  | { kind: "timeout" }
  | { kind: "idle" }
  | { kind: "connect" }
  | { kind: "cancel" };

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
  // Set once codex has exited: from then on stdout is read ahead through it.
  let drain: ExitDrain | undefined;
  let decoder: ThreadEventDecoder | undefined;
  let stderr: StderrCollector | undefined;
  let stopped: StopReason | undefined;
  let settled = false;
  let totalTimer: LongTimer | undefined;
  let idleTimer: LongTimer | undefined;
  let connectTimer: LongTimer | undefined;
  let log: LineLog | undefined;
  let output!: ReadableStreamDefaultController<ThreadEvent[]>;
  let onAbort: (() => void) | undefined;

  let released: Promise<void> | undefined;
  const release = () => (released ??= Promise.resolve(onSettled?.()).then(() => {}));

  const settle = async () => {
    if (settled) return;
    settled = true;
    totalTimer?.clear();
    idleTimer?.clear();
    connectTimer?.clear();
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    await Promise.all([release(), log?.close().catch(() => {})]);
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
      case "connect":
        return new ConnectTimeoutError(
          `No event within ${options.connectTimeoutMs} ms of the start; the run was stopped`,
          { timeoutMs: options.connectTimeoutMs!, command, stderrTail: tail, secrets },
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
    drain?.stop();
    await stdout?.cancel().catch(() => {});
    // The run's processes are gone (on Linux) or their group is: stderr ends; still, never
    // wait on a pipe something outside our reach may hold.
    await stderr?.settle(grace);
    await settle();
  };

  const finish = async (controller: ReadableStreamDefaultController<ThreadEvent[]>) => {
    const status = await child!.exited;
    // stderr gets what is left of the drain window, then is let go.
    const heldOpen = drain?.cut === true || !(await stderr!.settle(drain?.quietMs ?? 0));
    if (stopped) return;
    stopped = { kind: "cancel" };
    // Clean up before settling the stream, so a caller that sees the end sees no leftovers.
    // A normal end only needs codex's group checked (one syscall); when something held the
    // pipes past the exit, the whole run is searched and stopped.
    if (heldOpen) await cleanup();
    else {
      reapRun(child!, [], { search: false });
      await settle();
    }
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
        // Opened before the spawn: a log that cannot be written fails the run with no child.
        if (options.eventLog !== undefined) {
          log = openLineLog(options.eventLog, { secrets, onError: options.onEventLogError });
        }
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
      const reader = stdout;
      void child.exited.then(() => {
        if (!stopped) drain = new ExitDrain(reader, options.drainMs ?? DEFAULT_DRAIN_MS);
      });
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
      if (options.connectTimeoutMs !== undefined) {
        connectTimer = setLongTimeout(
          () => void stop({ kind: "connect" }),
          options.connectTimeoutMs,
        );
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
          const next = await (drain ? drain.read() : stdout!.read());
          if (stopped) return;
          if (next.done) {
            done = true;
            events = decoder!.flush();
          } else {
            // Teed before decoding, so a line that fails to parse is in the log too.
            await log?.write(next.value);
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
          connectTimer?.clear();
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

/** One read of a byte stream (spelled out: not every TypeScript lib names it). */
type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

/**
 * Reads a pipe ahead after its writer has exited, so the run does not wait on a background
 * process that inherited it: the output ends once no chunk has arrived for `quietMs`, or
 * {@linkcode DRAIN_CAP_MS} after the exit, whichever is first. Reads that were already
 * pending on the reader are served first (a reader resolves reads in order), so nothing is
 * reordered or lost; what a dead codex wrote is in the pipe and arrives at once.
 */
class ExitDrain {
  /** True when the output was cut off rather than ended: something still holds the pipe. */
  cut = false;
  readonly quietMs: number;
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #queue: ReadResult[] = [];
  #waiting: ((r: ReadResult) => void) | undefined;
  #quiet: ReturnType<typeof setTimeout> | undefined;
  #cap: ReturnType<typeof setTimeout>;
  #ended = false;

  constructor(reader: ReadableStreamDefaultReader<Uint8Array>, quietMs: number) {
    this.#reader = reader;
    this.quietMs = quietMs;
    this.#cap = setTimeout(() => this.#cutOff(), DRAIN_CAP_MS);
    void this.#pump();
  }

  /** The next chunk, in order; `done` once the pipe ended or was cut off. */
  read(): Promise<ReadResult> {
    const next = this.#queue.shift();
    if (next) return Promise.resolve(next);
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => this.#waiting = resolve);
  }

  /** Lets the pipe go now. */
  stop(): void {
    this.#finish();
  }

  async #pump(): Promise<void> {
    while (!this.#ended) {
      clearTimeout(this.#quiet);
      this.#quiet = setTimeout(() => this.#cutOff(), this.quietMs);
      let result: ReadResult;
      try {
        result = await this.#reader.read();
      } catch {
        result = { done: true, value: undefined };
      }
      if (this.#ended) return;
      if (result.done) return this.#finish();
      this.#push(result);
    }
  }

  #push(result: ReadResult): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) waiting(result);
    else this.#queue.push(result);
  }

  #cutOff(): void {
    if (this.#ended) return;
    this.cut = true;
    this.#finish();
    // Resolves the pending read with done (and closes our side of the pipe).
    this.#reader.cancel().catch(() => {});
  }

  #finish(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#quiet);
    clearTimeout(this.#cap);
    this.#push({ done: true, value: undefined });
  }
}

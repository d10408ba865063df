/**
 * One `codex exec --json` run as a stream of events: spawn, stdin, pump, finish. The process
 * stages do the rest: every way a run can end (exit, abort, timeout, idle, connect, consumer
 * cancel, malformed output) is one race (`RunLimits`) whose first reason wins and is kept,
 * mapped to its error by `stopError`; the child's process group is then stopped (SIGTERM, then
 * SIGKILL) on every path.
 *
 * The turn ends when codex says so: at `turn.completed` or `turn.failed` the stream closes at
 * once, and codex gets `exitGraceMs` to exit in the background before it and its group are
 * stopped (0.169 lingers about 5 s at shutdown when its analytics endpoint is slow). Without
 * either event the run ends when codex EXITS, not when its pipes close: after the exit the
 * output is read ahead through the exit drain (quiet for `drainMs`, at most `DRAIN_CAP_MS`),
 * then the pipes are let go and whatever of the run is still alive is killed.
 *
 * @module
 */
import type { FileSystemError } from "../errors.ts";
import { openLineLog } from "../fs/line_log.ts";
import type { LineLog, LineLogTarget } from "../fs/line_log.ts";
import type { ThreadEvent, ThreadStartedEvent } from "../events.ts";
import { mayBeThreadOrTurnType } from "../events.ts";
import { DEFAULT_KILL_GRACE_MS, reapRun, terminate } from "../runtime/mod.ts";
import type { ChildProcess, Spawner } from "../runtime/mod.ts";
import { ThreadEventDecoder } from "../streams/thread_event_stream.ts";
import { DEFAULT_DRAIN_MS, ExitDrain } from "../process/drain.ts";
import { RunLimits } from "../process/limits.ts";
import type { StopReason } from "../process/limits.ts";
import { StderrCollector } from "../process/stderr.ts";
import { exitError, stopError } from "../process/stop_error.ts";
import { within } from "../process/long_timer.ts";

/** How long codex may take to exit after the turn ended before it is stopped. */
export const DEFAULT_EXIT_GRACE_MS = 1000;

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
   * EOF (default 200 ms, the exit drain stage's `DEFAULT_DRAIN_MS`).
   */
  drainMs?: number;
  /** After `turn.completed` / `turn.failed`, how long codex may take to exit (default 1000). */
  exitGraceMs?: number;
  /** Told when codex had to be stopped after its turn ended, or exited with an error then. */
  onWarning?: (message: string) => void;
  /**
   * Receives the stop of a codex that outlives its turn, which runs after the stream closed:
   * the owner (the client) awaits it when it closes.
   */
  background?: (work: Promise<void>) => void;
  /**
   * Given the events that end the turn (up to `turn.completed` / `turn.failed`) and the
   * thread's id as `thread.started` gave it, returns the events to send instead (the exec lane
   * adds the context window it reads from the rollout). A failure keeps the events as they are.
   */
  atTurnEnd?: (
    events: ThreadEvent[],
    threadId: string | undefined,
    exited: Promise<unknown>,
  ) => Promise<ThreadEvent[]>;
}

/**
 * Starts the run and returns its events in batches (the events of each stdout chunk, in order).
 * The stream errors with `AbortError`,
 * `TimeoutError`, `IdleTimeoutError`, `ExitError`, `MalformedOutputError` or `SpawnError`;
 * cancelling it stops the child.
 */
export function runExec(options: ExecRunOptions): ReadableStream<ThreadEvent[]> {
  const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  let prepared: ExecCommand | undefined;
  let child: ChildProcess | undefined;
  let stdout: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // Set once codex has exited: from then on stdout is read ahead through it.
  let drain: ExitDrain | undefined;
  let decoder: ThreadEventDecoder | undefined;
  let stderr: StderrCollector | undefined;
  let log: LineLog | undefined;
  let threadId: string | undefined;
  let output!: ReadableStreamDefaultController<ThreadEvent[]>;
  let stopping: Promise<void> | undefined;
  const limits = new RunLimits(options, (reason) => void (stopping = stop(reason)));
  const context = () => ({
    command: prepared?.displayCommand ?? [],
    stderrTail: stderr?.tail(),
    secrets: prepared?.secrets,
  });

  let released: Promise<void> | undefined;
  const release = () => (released ??= Promise.resolve(prepared?.onSettled?.()).then(() => {}));
  let settled: Promise<void> | undefined;
  const settle = () => {
    limits.clear();
    return settled ??= Promise.all([release(), log?.close().catch(() => {})]).then(() => {});
  };

  /**
   * The reason that won the race. Temp files go first (a few ms), then the output errors, and
   * the child is stopped in the background: an abort must not wait out a SIGTERM grace period.
   */
  const stop = async (reason: StopReason): Promise<void> => {
    if (reason.kind !== "cancel") {
      await release();
      try {
        output.error(stopError(reason, context()));
      } catch {
        // Already closed.
      }
    }
    await cleanup();
  };

  const cleanup = async () => {
    if (child) await terminate(child, grace, { spawner: options.spawner });
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
    if (!limits.finish()) return;
    // Clean up before settling the stream, so a caller that sees the end sees no leftovers.
    // A normal end only needs codex's group checked (one syscall); when something held the
    // pipes past the exit, the whole run is searched and stopped.
    if (heldOpen) await cleanup();
    else {
      reapRun(child!, [], { search: false });
      await settle();
    }
    if (status.code === 0) controller.close();
    else controller.error(exitError(status, { subject: "Codex Exec", ...context() }));
  };

  /**
   * The turn is over (codex said so): the stream closes now and the child gets its grace to
   * exit in the background, then is stopped with its group as on any other end.
   */
  const endAtTurn = async (
    controller: ReadableStreamDefaultController<ThreadEvent[]>,
    completed: boolean,
  ) => {
    if (!limits.finish()) return;
    // Temp files and the event log first (a few ms), so a caller that sees the end sees them
    // gone and complete; the child is not waited for.
    await settle();
    const exitGrace = options.exitGraceMs ?? DEFAULT_EXIT_GRACE_MS;
    const exiting = child!;
    const reader = stdout!;
    const after = (async () => {
      // Read to EOF so a chatty codex never blocks on a full pipe; nothing after the turn is
      // an event of it.
      const eof = (async () => {
        while (!(await reader.read()).done) { /* discarded */ }
      })().catch(() => {});
      if (!(await within(exiting.exited, exitGrace))) {
        options.onWarning?.(
          `codex did not exit within ${exitGrace} ms after its turn ended; stopping it`,
        );
        await cleanup();
      } else {
        // As at any exit: only a run that holds the pipes past it is searched for (the search
        // reads /proc synchronously, which would cost the caller's next turn).
        const quiet = options.drainMs ?? DEFAULT_DRAIN_MS;
        if (!(await within(eof, quiet)) || !(await stderr!.settle(quiet))) await cleanup();
        else {
          drain?.stop();
          reapRun(exiting, [], { search: false });
        }
      }
      const status = await exiting.exited;
      // After turn.failed codex exits 1 by design; after a completed turn it is news.
      if (completed && status.code !== 0 && status.signal === null) {
        options.onWarning?.(`codex exited with code ${status.code} after its turn ended`);
      }
    })().catch(() => {});
    options.background?.(after);
    controller.close();
  };

  return new ReadableStream<ThreadEvent[]>({
    async start(controller) {
      output = controller;
      const aborted = () => stopError({ kind: "abort", reason: options.signal!.reason }, context());
      if (options.signal?.aborted) throw aborted();
      prepared = await options.prepare();
      if (options.signal?.aborted) {
        await settle();
        throw aborted();
      }
      try {
        // Opened before the spawn: a log that cannot be written fails the run with no child.
        if (options.eventLog !== undefined) {
          log = openLineLog(options.eventLog, {
            secrets: prepared.secrets,
            onError: options.onEventLogError,
          });
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
        if (!limits.over) drain = new ExitDrain(reader, options.drainMs ?? DEFAULT_DRAIN_MS);
      });
      decoder = new ThreadEventDecoder(`${prepared.displayCommand[0]} output`, {
        maxLineBytes: options.maxLineBytes,
        secrets: prepared.secrets,
      });
      limits.arm();
      const writer = child.stdin.getWriter();
      // A child that exits before reading stdin is reported by its exit, not by EPIPE.
      writer.write(new TextEncoder().encode(options.stdinText)).then(() => writer.close()).catch(
        () => {},
      );
    },

    // One stdout read per pull, and the events it completes go out as one batch: a stream hop
    // per event costs more than parsing it.
    async pull(controller) {
      while (!limits.over) {
        let events: ThreadEvent[];
        let done = false;
        try {
          const next = await (drain ? drain.read() : stdout!.read());
          if (limits.over) return;
          if (next.done) {
            done = true;
            events = decoder!.flush();
          } else {
            // Teed before decoding, so a line that fails to parse is in the log too.
            await log?.write(next.value);
            events = decoder!.decode(next.value);
          }
        } catch (error) {
          if (!limits.finish()) return;
          await cleanup();
          controller.error(error);
          return;
        }
        if (events.length > 0) {
          limits.connected();
          limits.activity();
          let end = -1;
          for (let i = 0; i < events.length && end < 0; i++) {
            const type = events[i].type;
            if (!mayBeThreadOrTurnType(type)) continue;
            if (type === "turn.completed" || type === "turn.failed") end = i;
            else if (type === "thread.started") {
              threadId = (events[i] as ThreadStartedEvent).thread_id;
            }
          }
          if (end >= 0) {
            const completed = events[end].type === "turn.completed";
            let last = events.slice(0, end + 1);
            if (options.atTurnEnd) {
              last = await options.atTurnEnd(last, threadId, child!.exited).catch(() => last);
            }
            if (limits.over) return;
            controller.enqueue(last);
            return endAtTurn(controller, completed);
          }
          controller.enqueue(events);
        }
        if (done) return finish(controller);
        if (events.length > 0) return;
      }
    },

    async cancel() {
      limits.stop({ kind: "cancel" });
      await stopping;
    },
  }, { highWaterMark: 0 });
}

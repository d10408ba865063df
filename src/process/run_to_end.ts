/**
 * "Run a short command to the end": spawn, feed stdin, collect both outputs (bounded), race the
 * exit against the limits, give the pipes a short drain after the exit, and leave nothing of the
 * command behind. For every child that is not a stream of events: codex subcommands, capability
 * probes, home CLI calls, `git apply`, `npm config get registry`.
 *
 * @module
 */
import { DEFAULT_KILL_GRACE_MS, terminate, writeStdin } from "../runtime/mod.ts";
import type { Spawner } from "../runtime/mod.ts";
import { OutputCollector } from "./collect.ts";
import { DEFAULT_DRAIN_MS } from "./drain.ts";
import { RunLimits } from "./limits.ts";
import type { StopReason } from "./limits.ts";
import { within } from "./long_timer.ts";

/** Most bytes kept per output stream unless the caller says otherwise (16 MiB). */
export const DEFAULT_MAX_OUTPUT_BYTES: number = 16 * 1024 * 1024;

/** Options of {@linkcode runToEnd}. */
export interface RunToEndOptions {
  /** Spawns the child (see `spawnerFor`). */
  spawner: Spawner;
  /** The child's whole environment (the parent's when omitted). */
  env?: Record<string, string>;
  /** Working directory of the child. */
  cwd?: string;
  /** Written to stdin, which is then closed; stdin is closed at once without it. */
  stdin?: string;
  /** Stops the command (`stopped: abort`). */
  signal?: AbortSignal;
  /** Limit for the whole command, in ms, of any size (`stopped: timeout`). */
  timeoutMs?: number;
  /** SIGTERM -> SIGKILL grace when the command is stopped (default 2000 ms). */
  killGraceMs?: number;
  /**
   * Most bytes kept per stream (default {@linkcode DEFAULT_MAX_OUTPUT_BYTES}); more stops the
   * command (`stopped: overflow`).
   */
  maxOutputBytes?: number;
  /** Keep only the last this many characters of each stream instead; never overflows. */
  tailChars?: number;
  /** After the exit, how long the pipes may take to end before they are let go (default 200). */
  drainMs?: number;
  /**
   * Called with the text of both streams so far, each time either grows. A throw stops the
   * command and `runToEnd` rejects with it.
   */
  onOutput?: (stdout: string, stderr: string) => void;
}

/** How a short command ended. */
export interface RunToEndResult {
  /** Exit code, or `null` when a signal ended it (or it never started). */
  exitCode: number | null;
  /** The signal that ended it, or `null`. */
  signal: string | null;
  /** What it printed on stdout (bounded). */
  stdout: string;
  /** What it printed on stderr (bounded). */
  stderr: string;
  /** Wall time from spawn to exit, in ms. */
  durationMs: number;
  /** Why it was stopped, when a limit stopped it (then it did not end by itself). */
  stopped?: StopReason;
}

/**
 * Runs `command args` to its end under every limit. Resolves however the command ended (look at
 * `stopped` and `exitCode`); rejects only when it cannot be spawned (`SpawnError`) or
 * `onOutput` throws. A signal that has already fired resolves `stopped: abort` with no spawn.
 *
 * @example
 * ```ts ignore
 * const result = await runToEnd("git", ["status"], { spawner: spawnerFor(), timeoutMs: 5000 });
 * if (result.stopped || result.exitCode !== 0) throw new Error(result.stderr);
 * ```
 */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: RunToEndOptions,
): Promise<RunToEndResult> {
  if (options.signal?.aborted) {
    const stopped = { kind: "abort", reason: options.signal.reason } as const;
    return { exitCode: null, signal: null, stdout: "", stderr: "", durationMs: 0, stopped };
  }
  const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const maxBytes = options.tailChars === undefined
    ? options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES
    : undefined;
  const started = performance.now();
  const child = await options.spawner.spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin === undefined ? "null" : "piped",
  });
  let stopping: Promise<unknown> | undefined;
  const limits = new RunLimits(
    options,
    () => stopping ??= terminate(child, grace, { spawner: options.spawner }),
  );
  let failed: { error: unknown } | undefined;
  const report = () => {
    if (failed) return;
    try {
      options.onOutput?.(stdout.text(), stderr.text());
    } catch (error) {
      failed = { error };
      limits.finish();
      stopping ??= terminate(child, grace, { spawner: options.spawner });
    }
  };
  const collect = (stream: ReadableStream<Uint8Array>, name: "stdout" | "stderr") =>
    new OutputCollector(stream, {
      maxBytes,
      tailChars: options.tailChars,
      onOverflow: () => limits.stop({ kind: "overflow", stream: name, limitBytes: maxBytes! }),
      onText: report,
    });
  const stdout = collect(child.stdout, "stdout");
  const stderr = collect(child.stderr, "stderr");
  limits.arm();
  try {
    const feed = writeStdin(child, options.stdin);
    const status = await child.exited;
    const durationMs = performance.now() - started;
    limits.finish();
    const drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
    await Promise.all([stdout.settle(drainMs), stderr.settle(drainMs), within(feed, drainMs)]);
    if (failed) throw failed.error;
    return {
      exitCode: status.code,
      signal: status.signal,
      stdout: stdout.text(),
      stderr: stderr.text(),
      durationMs,
      ...(limits.reason ? { stopped: limits.reason } : {}),
    };
  } finally {
    limits.clear();
    // Every path (a throwing callback included) leaves no process behind: after the exit this
    // kills the group and, on Linux, whatever of the run (tag, descendants) is still alive.
    await (stopping ?? terminate(child, grace, { spawner: options.spawner }));
  }
}

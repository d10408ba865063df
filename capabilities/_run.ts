/**
 * Runs one short probe command to its end (the process stages' `runToEnd`) with a timeout and
 * an abort signal, and always leaves no process behind; the outcome is data, never a throw.
 *
 * @module
 */
import { runToEnd } from "../src/process/run_to_end.ts";
import { spawnerFor } from "../src/process/spawner.ts";
import type { Spawner } from "../src/runtime/mod.ts";

/** How a probe command ended. */
export type RunOutcome =
  | { kind: "exited"; code: number | null; signal: string | null; stdout: string; stderr: string }
  | { kind: "spawn-failed"; message: string }
  | { kind: "timeout"; timeoutMs: number }
  | { kind: "overflow"; limitBytes: number }
  | { kind: "aborted"; reason: unknown };

/** Options of {@linkcode runCommand}. */
export interface RunOptions {
  env: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  spawner?: Spawner;
}

// Help pages are a few KB; anything past this is not a help page (the probe is stopped).
const OUTPUT_LIMIT = 1 << 20;
const KILL_GRACE_MS = 250;

/** Runs `command args`, collecting bounded stdout/stderr; never rejects. */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunOutcome> {
  let result;
  try {
    result = await runToEnd(command, args, {
      spawner: spawnerFor(options),
      env: options.env,
      cwd: options.cwd,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      killGraceMs: KILL_GRACE_MS,
      maxOutputBytes: OUTPUT_LIMIT,
    });
  } catch (error) {
    return {
      kind: "spawn-failed",
      message: error instanceof Error ? error.message : String(error),
    };
  }
  const { stopped } = result;
  if (stopped?.kind === "timeout") return { kind: "timeout", timeoutMs: stopped.timeoutMs };
  if (stopped?.kind === "abort") return { kind: "aborted", reason: stopped.reason };
  // No help page or version line is this long: the answer of a binary that is not codex (or a
  // wrapper that runs something else), the same on every run, so not a passing failure.
  if (stopped?.kind === "overflow") return { kind: "overflow", limitBytes: stopped.limitBytes };
  return {
    kind: "exited",
    code: result.exitCode,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/**
 * The process seam: the only shapes the rest of the SDK knows about child processes.
 *
 * Everything outside `src/runtime/` talks to a {@linkcode Spawner}; the adapters for
 * `Deno.Command`, `Bun.spawn` and `node:child_process` live beside this file.
 *
 * @module
 */

import type { RuntimeName } from "../options.ts";
// Named with the options (`runtime`), whose list of values it is derived from.
export type { RuntimeName } from "../options.ts";

/** What to do with the child's standard input. */
export type StdinMode = "piped" | "null";

/** Options for {@linkcode Spawner.spawn}. */
export interface SpawnOptions {
  /** Working directory of the child; the parent's when omitted. */
  cwd?: string;
  /**
   * The child's whole environment. When omitted the child inherits the parent's.
   * The parent's environment is never mutated.
   */
  env?: Record<string, string>;
  /** `"piped"` gives a writable {@linkcode ChildProcess.stdin}; `"null"` closes it at once. */
  stdin?: StdinMode;
}

/** How a child process ended. */
export interface ExitStatus {
  /** Exit code, or `null` when the process was ended by a signal. */
  code: number | null;
  /** The signal that ended the process (`"SIGKILL"`, ...), or `null`. */
  signal: string | null;
}

/** A running child process, in web-stream terms. */
export interface ChildProcess {
  /** Process id (also the id of its process group: children start in a group of their own). */
  readonly pid: number;
  /** The child's stdin. With `stdin: "null"` it is already closed. */
  readonly stdin: WritableStream<Uint8Array>;
  /** The child's stdout. Read it (or cancel it) or the child may block on a full pipe. */
  readonly stdout: ReadableStream<Uint8Array>;
  /** The child's stderr. Read it (or cancel it) or the child may block on a full pipe. */
  readonly stderr: ReadableStream<Uint8Array>;
  /** Settles once when the process has ended; never rejects. */
  readonly exited: Promise<ExitStatus>;
  /**
   * Sends a signal to the child's whole process group (codex starts shells of its own).
   * Does nothing once the child has ended.
   */
  kill(signal?: "SIGTERM" | "SIGKILL" | "SIGINT"): void;
  /**
   * The run tag in the child's environment (`CODEXKIT_RUN`), which its descendants inherit:
   * how a stop finds helpers that left the child's process group. Absent for children the
   * SDK's adapters did not start.
   */
  readonly tag?: string;
}

/** Spawns child processes for one runtime. */
export interface Spawner {
  /** The runtime this adapter drives. */
  readonly runtime: RuntimeName;
  /**
   * Starts `command` with `args`. Rejects with a `SpawnError` when the program cannot be
   * started at all (missing, not executable).
   */
  spawn(command: string, args: readonly string[], options?: SpawnOptions): Promise<ChildProcess>;
}

/**
 * Runs one short probe command through the runtime seam with a timeout and an abort signal,
 * and always leaves no process behind.
 *
 * @module
 */
import { getSpawner, reapRun, terminate } from "../src/runtime/mod.ts";
import type { ChildProcess, Spawner } from "../src/runtime/mod.ts";

/** How a probe command ended. */
export type RunOutcome =
  | { kind: "exited"; code: number | null; signal: string | null; stdout: string; stderr: string }
  | { kind: "spawn-failed"; message: string }
  | { kind: "timeout"; timeoutMs: number }
  | { kind: "aborted"; reason: unknown };

/** Options of {@linkcode runCommand}. */
export interface RunOptions {
  env: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  spawner?: Spawner;
}

// Help pages are a few KB; anything past this is not a help page.
const OUTPUT_LIMIT = 1 << 20;
const KILL_GRACE_MS = 250;
// After the command exits, how long its output may take to end before it is let go.
const DRAIN_MS = 200;

/** Runs `command args`, collecting bounded stdout/stderr; never rejects. */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunOutcome> {
  if (options.signal?.aborted) return { kind: "aborted", reason: options.signal.reason };
  let child: ChildProcess;
  try {
    child = await (options.spawner ?? getSpawner()).spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdin: "null",
    });
  } catch (error) {
    return {
      kind: "spawn-failed",
      message: error instanceof Error ? error.message : String(error),
    };
  }
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<RunOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ kind: "timeout", timeoutMs: options.timeoutMs }),
      options.timeoutMs,
    );
    onAbort = () => resolve({ kind: "aborted", reason: options.signal?.reason });
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const ended = await Promise.race([child.exited.then(() => undefined), stop]);
    if (ended) {
      await terminate(child, KILL_GRACE_MS);
      return ended;
    }
    const status = await child.exited;
    const [out, err] = await Promise.all([stdout.text(), stderr.text()]);
    // Something the command left behind still holds its pipes: end it (the whole run when
    // the output was cut off, else just the command's process group: one syscall).
    reapRun(child, [], { search: !(stdout.ended() && stderr.ended()) });
    return { kind: "exited", code: status.code, signal: status.signal, stdout: out, stderr: err };
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
    stdout.cancel();
    stderr.cancel();
  }
}

interface Collector {
  text(): Promise<string>;
  /** Whether the stream ended by itself. */
  ended(): boolean;
  cancel(): void;
}

function collect(stream: ReadableStream<Uint8Array>): Collector {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let done = false;
  const finished = (async () => {
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        if (text.length < OUTPUT_LIMIT) text += decoder.decode(chunk.value, { stream: true });
      }
      text += decoder.decode();
    } catch {
      // A cancelled or broken pipe ends the output; what was read is kept.
    } finally {
      done = true;
    }
  })();
  return {
    // A grandchild may hold the pipe open after the child exits; do not wait for it forever.
    text: async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([finished, new Promise((r) => timer = setTimeout(r, DRAIN_MS))]);
      } finally {
        clearTimeout(timer);
      }
      return text;
    },
    ended: () => done,
    cancel: () => {
      if (!done) reader.cancel().catch(() => {});
    },
  };
}

/** Small web-stream helpers shared by the adapters. */

/** A writable that is already closed: what `stdin` is for a child started with `stdin: "null"`. */
export function closedWritable(): WritableStream<Uint8Array> {
  const stream = new WritableStream<Uint8Array>();
  // Closing an unlocked stream with no writer cannot fail; ignore the promise.
  stream.close().catch(() => {});
  return stream;
}

/** Sends `signal` to the process group led by `pid`, ignoring "no such process". */
export function killGroup(
  kill: (pid: number, signal: "SIGTERM" | "SIGKILL" | "SIGINT") => void,
  pid: number,
  signal: "SIGTERM" | "SIGKILL" | "SIGINT",
): void {
  try {
    // The child leads its own group (detached), so -pid reaches the shells codex starts too.
    kill(-pid, signal);
  } catch {
    try {
      kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

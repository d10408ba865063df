/**
 * A tee for a run's raw output, one complete line at a time: to a file opened for appending
 * and written through with no buffering of our own (a crash of the host leaves every line that
 * was complete on disk), or to a caller's `WritableStream`.
 *
 * @module
 */
import { closeSync, openSync, writeSync } from "node:fs";

/** Where a line log goes. */
export type LineLogTarget = string | WritableStream<Uint8Array>;

/** Writes complete lines out of the byte chunks it is given. */
export interface LineLog {
  /** Takes the next chunk; writes the complete lines it finishes, keeps the partial rest. */
  write(chunk: Uint8Array): Promise<void> | void;
  /** Writes what is left (a last line without newline) and lets the target go. */
  close(): Promise<void>;
}

/**
 * Opens the log. A path is opened (created when missing, mode 0600: a turn's output may hold
 * anything the agent read) for appending at once, so a bad path fails before any child starts.
 * A stream is locked for the turn, written to, and released (never closed) by `close()`.
 */
export function openLineLog(target: LineLogTarget): LineLog {
  let pending: Uint8Array[] = [];
  const take = (chunk: Uint8Array): Uint8Array | undefined => {
    const nl = chunk.lastIndexOf(10);
    if (nl === -1) {
      pending.push(chunk.slice());
      return undefined;
    }
    const head = chunk.subarray(0, nl + 1);
    const out = pending.length === 0 ? head.slice() : concat([...pending, head]);
    pending = nl + 1 < chunk.byteLength ? [chunk.slice(nl + 1)] : [];
    return out;
  };
  const rest = (): Uint8Array | undefined => {
    const out = pending.length > 0 ? concat(pending) : undefined;
    pending = [];
    return out;
  };

  if (typeof target === "string") {
    let fd: number | undefined = openSync(target, "a", 0o600);
    const put = (bytes: Uint8Array) => {
      let off = 0;
      while (off < bytes.byteLength) off += writeSync(fd!, bytes, off);
    };
    return {
      write(chunk) {
        const lines = fd === undefined ? undefined : take(chunk);
        if (lines) put(lines);
      },
      close() {
        if (fd === undefined) return Promise.resolve();
        const last = rest();
        try {
          if (last) put(last);
        } finally {
          closeSync(fd);
          fd = undefined;
        }
        return Promise.resolve();
      },
    };
  }

  const writer = target.getWriter();
  let open = true;
  return {
    async write(chunk) {
      const lines = open ? take(chunk) : undefined;
      if (lines) await writer.write(lines);
    },
    async close() {
      if (!open) return;
      open = false;
      const last = rest();
      try {
        if (last) await writer.write(last);
      } finally {
        writer.releaseLock();
      }
    },
  };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

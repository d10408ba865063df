/**
 * A tee for a run's raw output, one complete line at a time: to a file opened for appending
 * and written through with no buffering of our own (a crash of the host leaves every line that
 * was complete on disk), or to a caller's `WritableStream`. Known secrets are scrubbed from
 * every line before it is written, as they are from errors.
 *
 * @module
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { fileSystemError } from "../errors.ts";
import type { FileOperation, FileSystemError } from "../errors.ts";
import { redactText } from "../redact.ts";

/** Where a line log goes. */
export type LineLogTarget = string | WritableStream<Uint8Array>;

/** Writes complete lines out of the byte chunks it is given. */
export interface LineLog {
  /**
   * Takes the next chunk; writes the complete lines it finishes, keeps the partial rest. A
   * file log that cannot write throws at once (a {@linkcode FileSystemError}); a stream log
   * rejects.
   */
  write(chunk: Uint8Array): Promise<void> | void;
  /** Writes what is left (a last line without newline) and lets the target go. */
  close(): Promise<void>;
}

/** Options of {@linkcode openLineLog}. */
export interface LineLogOptions {
  /** Known secrets: replaced by `[redacted]` in every line written. */
  secrets?: readonly string[];
  /**
   * Gets the first failure (open, write or close) instead of it being thrown; the log then
   * writes nothing more. Without it, every failure throws a {@linkcode FileSystemError}.
   */
  onError?: (error: FileSystemError) => void;
}

const NOOP: LineLog = { write() {}, close: () => Promise.resolve() };

/**
 * Opens the log. A path is opened (created when missing, mode 0600: a turn's output may hold
 * anything the agent read) for appending at once, so a bad path fails before any child starts.
 * A stream is locked for the turn, written to, and released (never closed) by `close()`.
 * Failures are {@linkcode FileSystemError}s naming the path and the system's reason.
 */
export function openLineLog(target: LineLogTarget, options: LineLogOptions = {}): LineLog {
  // A line is JSON: a secret holding a quote or a backslash shows there in its escaped form.
  const secrets = (options.secrets ?? []).flatMap((s) => {
    const escaped = JSON.stringify(s).slice(1, -1);
    return escaped === s ? [s] : [s, escaped];
  }).filter((s) => s.length > 0);
  const path = typeof target === "string" ? target : undefined;
  const what = path === undefined ? "the event log stream" : "the event log";
  let failed = false;
  /** The typed error; thrown, or handed to `onError` once (and the log stops). */
  const failure = (operation: FileOperation, error: unknown): FileSystemError | undefined => {
    const typed = fileSystemError(what, operation, path, error, secrets);
    if (!options.onError) return typed;
    if (!failed) {
      failed = true;
      try {
        options.onError(typed);
      } catch {
        // A warning hook that throws must not end the run it only observes.
      }
    }
    return undefined;
  };
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
    return scrub(out, secrets);
  };
  const rest = (): Uint8Array | undefined => {
    const out = pending.length > 0 ? concat(pending) : undefined;
    pending = [];
    return out && scrub(out, secrets);
  };

  if (typeof target === "string") {
    let fd: number | undefined;
    try {
      fd = openSync(target, "a", 0o600);
    } catch (error) {
      const typed = failure("open", error);
      if (typed) throw typed;
      return NOOP;
    }
    const put = (bytes: Uint8Array) => {
      let off = 0;
      while (off < bytes.byteLength) off += writeSync(fd!, bytes, off);
    };
    const giveUp = (error: unknown): void => {
      const typed = failure("write", error);
      const last = fd;
      fd = undefined;
      if (last !== undefined) {
        try {
          closeSync(last);
        } catch {
          // The write's failure is the one to report.
        }
      }
      if (typed) throw typed;
    };
    return {
      write(chunk) {
        const lines = fd === undefined ? undefined : take(chunk);
        if (!lines) return;
        try {
          put(lines);
        } catch (error) {
          giveUp(error);
        }
      },
      close() {
        if (fd === undefined) return Promise.resolve();
        const last = rest();
        try {
          if (last) put(last);
        } catch (error) {
          try {
            giveUp(error);
          } catch (typed) {
            return Promise.reject(typed);
          }
          return Promise.resolve();
        }
        closeSync(fd);
        fd = undefined;
        return Promise.resolve();
      },
    };
  }

  const writer = target.getWriter();
  let open = true;
  const send = async (bytes: Uint8Array): Promise<void> => {
    try {
      await writer.write(bytes);
    } catch (error) {
      open = false;
      const typed = failure("write", error);
      if (typed) throw typed;
    }
  };
  return {
    async write(chunk) {
      const lines = open ? take(chunk) : undefined;
      if (lines) await send(lines);
    },
    async close() {
      const wasOpen = open;
      open = false;
      if (wasOpen) {
        const last = rest();
        try {
          if (last) await send(last);
        } finally {
          writer.releaseLock();
        }
      } else {
        try {
          writer.releaseLock();
        } catch {
          // Released already.
        }
      }
    },
  };
}

/** `bytes` with every known secret replaced; the same bytes when there is nothing to scrub. */
function scrub(bytes: Uint8Array, secrets: readonly string[]): Uint8Array {
  if (secrets.length === 0) return bytes;
  const text = decoder.decode(bytes);
  const clean = redactText(text, secrets);
  return clean === text ? bytes : encoder.encode(clean);
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

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

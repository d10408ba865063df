/**
 * The stderr stage: drains a child's stderr as it arrives, so a flood can never stall the child
 * on a full pipe, keeping only a bounded tail for error messages and handing lines to an
 * optional callback. Every child the SDK runs for longer than a short command (exec turns, the
 * app-server, the proxy commands) has its stderr read here.
 *
 * @module
 */
import { STDERR_TAIL_LIMIT } from "../errors.ts";
import { within } from "./long_timer.ts";

const MAX_LINE = 64 * 1024;

/** Reads a stderr stream to its end in the background. */
export class StderrCollector {
  /** Settles when the stream has been read to its end (never rejects). */
  readonly done: Promise<void>;
  #chunks: Uint8Array[] = [];
  #size = 0;
  #limit: number;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #ended = false;

  /** Starts draining `stream`; `onLine` gets each complete line (and a final partial one). */
  constructor(
    stream: ReadableStream<Uint8Array>,
    onLine?: (line: string) => void,
    limit: number = STDERR_TAIL_LIMIT,
  ) {
    this.#limit = limit;
    this.done = this.#drain(stream, onLine);
  }

  async #drain(stream: ReadableStream<Uint8Array>, onLine?: (line: string) => void): Promise<void> {
    const decoder = onLine ? new TextDecoder() : undefined;
    let partial = "";
    const emit = (line: string) => {
      try {
        onLine!(line.endsWith("\r") ? line.slice(0, -1) : line);
      } catch {
        // A throwing callback must not stop the draining, or the child would block.
      }
    };
    try {
      this.#reader = stream.getReader();
      for (;;) {
        const { done, value: chunk } = await this.#reader.read();
        if (done) break;
        this.#keep(chunk);
        if (decoder) {
          const lines = (partial + decoder.decode(chunk, { stream: true })).split("\n");
          partial = lines.pop()!;
          for (const line of lines) emit(line);
          // A flood with no newline must not grow without bound: hand it over in pieces.
          if (partial.length > MAX_LINE) {
            emit(partial);
            partial = "";
          }
        }
      }
    } catch {
      // The stream was cancelled or the child vanished: what was read is what we have.
    }
    this.#ended = true;
    if (decoder) {
      partial += decoder.decode();
      if (partial.length > 0) emit(partial);
    }
  }

  /**
   * Waits up to `waitMs` for the stream to end; if it has not (a background process of the
   * child still holds the pipe), stops reading it. Resolves `true` when it ended by itself.
   */
  async settle(waitMs: number): Promise<boolean> {
    if (!this.#ended) await within(this.done, waitMs);
    if (this.#ended) return true;
    await this.#reader?.cancel().catch(() => {});
    await this.done;
    return false;
  }

  #keep(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#size += chunk.byteLength;
    // Keep a few times the limit in bytes (multi-byte text), dropping whole old chunks.
    while (this.#chunks.length > 1 && this.#size - this.#chunks[0].byteLength >= this.#limit * 4) {
      this.#size -= this.#chunks.shift()!.byteLength;
    }
  }

  /** The last `limit` characters read so far. */
  tail(): string {
    const bytes = new Uint8Array(this.#size);
    let offset = 0;
    for (const chunk of this.#chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    const text = new TextDecoder().decode(bytes);
    return text.length > this.#limit ? text.slice(-this.#limit) : text;
  }
}

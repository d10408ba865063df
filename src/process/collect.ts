/**
 * The bounded collection stage: reads one output stream of a short command to its end as text,
 * never holding more than a bound. Either the head is kept up to `maxBytes` (more is an
 * overflow: the caller stops the command, since a cut-off output would parse into wrong data),
 * or only the last `tailChars` characters are (a log-like output). Reading goes on past the
 * bound, so the child never blocks on a full pipe.
 *
 * @module
 */
import { DRAIN_CAP_MS } from "./drain.ts";
import { turn, within } from "./long_timer.ts";

/** How much of a stream {@linkcode OutputCollector} keeps. */
export interface CollectOptions {
  /** Keep the head, at most this many bytes; one byte more calls `onOverflow` once. */
  maxBytes?: number;
  /** Keep only the last this many characters instead (never overflows). */
  tailChars?: number;
  /** Called once when the head bound is passed. */
  onOverflow?: () => void;
  /** Called after each chunk was added (with nothing: read {@linkcode OutputCollector.text}). */
  onText?: () => void;
}

/**
 * Reads `stream` to its end in the background, keeping a bounded text.
 *
 * @example Collect stdout, at most 1 MiB
 * ```ts
 * import { OutputCollector } from "./collect.ts";
 * const out = new OutputCollector(new Blob(["hello"]).stream(), { maxBytes: 1 << 20 });
 * await out.done;
 * console.log(out.text()); // "hello"
 * ```
 */
export class OutputCollector {
  /** Settles when the stream has ended or was let go (never rejects). */
  readonly done: Promise<void>;
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #text = "";
  #size = 0;
  #overflowed = false;
  #ended = false;
  #letGo = false;
  #chunks = 0;
  #finished = false;

  /** Starts reading `stream`. */
  constructor(stream: ReadableStream<Uint8Array>, options: CollectOptions = {}) {
    this.#reader = stream.getReader();
    this.done = this.#read(options);
  }

  /** The text kept so far. */
  text(): string {
    return this.#text;
  }

  /** True once more than `maxBytes` arrived. */
  get overflowed(): boolean {
    return this.#overflowed;
  }

  /** True when the stream ended by itself (not let go by {@linkcode settle}). */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Waits up to `waitMs` for the stream to end; if it has not (a background process of the
   * child still holds the pipe), lets it go. Resolves `true` when it ended by itself.
   */
  async settle(waitMs: number): Promise<boolean> {
    const cap = Date.now() + DRAIN_CAP_MS;
    while (!this.#ended) {
      const seen = this.#chunks;
      if (await within(this.done, waitMs)) break;
      // Output that is already in the pipe is not lost to a busy event loop: the quiet window
      // counts only once a whole loop turn (its I/O phase included) brought nothing new.
      await turn();
      if (this.#ended || this.#finished) break;
      if (this.#chunks === seen || Date.now() >= cap) {
        this.#letGo = true;
        await this.#reader.cancel().catch(() => {});
        await this.done;
        break;
      }
    }
    return this.#ended;
  }

  async #read(options: CollectOptions): Promise<void> {
    const decoder = new TextDecoder();
    const add = (text: string) => {
      this.#text += text;
      if (options.tailChars !== undefined && this.#text.length > options.tailChars) {
        this.#text = this.#text.slice(-options.tailChars);
      }
      if (text) options.onText?.();
    };
    let cancelled = false;
    try {
      for (;;) {
        const { done, value } = await this.#reader.read();
        if (done) break;
        this.#chunks++;
        if (this.#overflowed) continue;
        this.#size += value.byteLength;
        if (options.maxBytes !== undefined && this.#size > options.maxBytes) {
          this.#overflowed = true;
          options.onOverflow?.();
          continue;
        }
        add(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Cancelled, or the child vanished: what was read is what there is.
      cancelled = true;
    }
    this.#ended = !cancelled && !this.#letGo;
    this.#finished = true;
    if (!this.#overflowed) add(decoder.decode());
  }
}

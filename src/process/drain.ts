/**
 * The exit drain stage: a run ends when its child EXITS, not when its pipes close. A background
 * process the child left behind may hold stdout open for as long as it lives, so after the exit
 * the output is read ahead until it has been quiet for a while (bounded by
 * {@linkcode DRAIN_CAP_MS}), then let go.
 *
 * @module
 */
import { turn } from "./long_timer.ts";

/** How long the output may stay quiet after the exit before the run stops waiting for EOF. */
export const DEFAULT_DRAIN_MS = 200;
/** However busy the leftover output, the run ends this long after the child's exit. */
export const DRAIN_CAP_MS = 5000;

/** One read of a byte stream (spelled out: not every TypeScript lib names it). */
export type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

/**
 * Reads a pipe ahead after its writer has exited, so the run does not wait on a background
 * process that inherited it: the output ends once no chunk has arrived for `quietMs`, or
 * {@linkcode DRAIN_CAP_MS} after the exit, whichever is first. Reads that were already
 * pending on the reader are served first (a reader resolves reads in order), so nothing is
 * reordered or lost; what a dead codex wrote is in the pipe and arrives at once.
 *
 * @example Read what is left after an exit
 * ```ts ignore
 * const drain = new ExitDrain(child.stdout.getReader(), DEFAULT_DRAIN_MS);
 * for (let r = await drain.read(); !r.done; r = await drain.read()) use(r.value);
 * ```
 */
export class ExitDrain {
  /** True when the output was cut off rather than ended: something still holds the pipe. */
  cut = false;
  /** The quiet window, in ms. */
  readonly quietMs: number;
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #queue: ReadResult[] = [];
  #waiting: ((r: ReadResult) => void) | undefined;
  #quiet: ReturnType<typeof setTimeout> | undefined;
  #cap: ReturnType<typeof setTimeout>;
  #ended = false;
  #chunks = 0;

  /** Starts reading `reader` ahead; the cap counts from now (the exit). */
  constructor(reader: ReadableStreamDefaultReader<Uint8Array>, quietMs: number) {
    this.#reader = reader;
    this.quietMs = quietMs;
    this.#cap = setTimeout(() => this.#cutOff(), DRAIN_CAP_MS);
    void this.#pump();
  }

  /** The next chunk, in order; `done` once the pipe ended or was cut off. */
  read(): Promise<ReadResult> {
    const next = this.#queue.shift();
    if (next) return Promise.resolve(next);
    if (this.#ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => this.#waiting = resolve);
  }

  /** Lets the pipe go now. */
  stop(): void {
    this.#finish();
  }

  async #pump(): Promise<void> {
    while (!this.#ended) {
      clearTimeout(this.#quiet);
      const seen = this.#chunks;
      // Cut off only when a whole loop turn after the quiet window brought nothing: output
      // already in the pipe is not lost to a busy event loop.
      this.#quiet = setTimeout(() =>
        void turn().then(() => {
          if (this.#chunks === seen) this.#cutOff();
        }), this.quietMs);
      let result: ReadResult;
      try {
        result = await this.#reader.read();
      } catch {
        result = { done: true, value: undefined };
      }
      if (this.#ended) return;
      if (result.done) return this.#finish();
      this.#chunks++;
      this.#push(result);
    }
  }

  #push(result: ReadResult): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting) waiting(result);
    else this.#queue.push(result);
  }

  #cutOff(): void {
    if (this.#ended) return;
    this.cut = true;
    this.#finish();
    // Resolves the pending read with done (and closes our side of the pipe).
    this.#reader.cancel().catch(() => {});
  }

  #finish(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#quiet);
    clearTimeout(this.#cap);
    this.#push({ done: true, value: undefined });
  }
}

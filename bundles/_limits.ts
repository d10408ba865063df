/**
 * The bounds of one `addToBundle`: an overall time limit, an idle limit while waiting on the
 * registry, and a byte cap per response. A stalled registry or an endless body ends in a
 * BundleError that names the option, instead of holding the call or filling the disk.
 *
 * @module
 */
import { BundleError } from "../src/errors.ts";
import { setLongTimeout } from "../src/process/long_timer.ts";
import type { LongTimer } from "../src/process/long_timer.ts";

/** Default of `maxBytes`: 1 GiB, about six times the 0.169.0 linux-x64 tarball (167 MB). */
export const DEFAULT_MAX_BYTES: number = 1 << 30;
/** Default of `idleTimeoutMs`: a minute without a byte from the registry. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/** Default of `timeoutMs`: an hour for the whole call (170 MB at 400 kB/s takes about 7 min). */
export const DEFAULT_TIMEOUT_MS = 60 * 60_000;

/** What the caller may set; checked by {@linkcode checkLimitOptions}. */
export interface LimitOptions {
  maxBytes?: number;
  idleTimeoutMs?: number;
  timeoutMs?: number;
}

/** The limits with defaults applied. */
export interface Limits {
  maxBytes: number;
  idleTimeoutMs: number;
  timeoutMs: number;
}

/** The limits of `options` with defaults; a TypeError naming the option for a bad value. */
export function checkLimitOptions(options: LimitOptions): Limits {
  const positive = (name: keyof LimitOptions, fallback: number): number => {
    const value = options[name];
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !(value > 0) || Number.isNaN(value)) {
      throw new TypeError(
        `Invalid option ${name}: ${JSON.stringify(value)} is not a positive number`,
      );
    }
    return value;
  };
  return {
    maxBytes: positive("maxBytes", DEFAULT_MAX_BYTES),
    idleTimeoutMs: positive("idleTimeoutMs", DEFAULT_IDLE_TIMEOUT_MS),
    timeoutMs: positive("timeoutMs", DEFAULT_TIMEOUT_MS),
  };
}

/**
 * The watchdog of one call. Its `signal` aborts when the caller's does, when the overall limit
 * passes, or when the idle clock runs out; the idle clock only runs while a network wait is
 * under way ({@linkcode Watchdog.waiting} ... {@linkcode Watchdog.resting}).
 */
export class Watchdog implements Disposable {
  readonly limits: Limits;
  #controller = new AbortController();
  #reason: BundleError | undefined;
  #overall: LongTimer;
  #idle: LongTimer | undefined;
  #unlink: () => void;

  constructor(limits: Limits, signal: AbortSignal | undefined) {
    this.limits = limits;
    this.#overall = setLongTimeout(
      () =>
        this.#fire(
          `it took longer than ${limits.timeoutMs} ms (option timeoutMs)`,
        ),
      limits.timeoutMs,
    );
    const onAbort = () => this.#controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();
    this.#unlink = () => signal?.removeEventListener("abort", onAbort);
  }

  /** Aborts on the caller's signal or a limit. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The BundleError of the limit that fired, or `undefined` (none did). */
  get reason(): BundleError | undefined {
    return this.#reason;
  }

  /** (Re)starts the idle clock: a network wait begins, or a chunk just arrived. */
  waiting(what: string): void {
    this.#idle?.clear();
    this.#idle = setLongTimeout(
      () =>
        this.#fire(
          `${what} sent nothing for ${this.limits.idleTimeoutMs} ms (option idleTimeoutMs)`,
        ),
      this.limits.idleTimeoutMs,
    );
  }

  /** Stops the idle clock: no network wait is under way. */
  resting(): void {
    this.#idle?.clear();
    this.#idle = undefined;
  }

  /**
   * Waits for `promise`, or rejects as soon as the signal aborts (a body whose runtime does
   * not end its read on abort cannot hold the call).
   */
  race<T>(promise: Promise<T>): Promise<T> {
    const signal = this.signal;
    // The loser of the race may still reject (a read failing on the abort): that is expected.
    promise.catch(() => {});
    if (signal.aborted) return Promise.reject(this.#abortError());
    let onAbort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(this.#abortError());
      signal.addEventListener("abort", onAbort, { once: true });
    });
    return Promise.race([promise, aborted]).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  }

  /** Stops every timer and lets go of the caller's signal. */
  [Symbol.dispose](): void {
    this.#overall.clear();
    this.resting();
    this.#unlink();
  }

  #abortError(): unknown {
    return this.#reason ?? this.signal.reason;
  }

  #fire(why: string): void {
    if (this.signal.aborted) return;
    this.#reason = new BundleError(`Cannot add to the bundle: ${why}`);
    this.#controller.abort(this.#reason);
  }
}

/** Reads `body` to the end as text, refusing more than `maxBytes` (metadata responses). */
export async function readBoundedText(
  body: ReadableStream<Uint8Array>,
  watchdog: Watchdog,
  what: string,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of watchBody(body, watchdog, what)) {
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * The chunks of `body`, each read under the watchdog: the idle clock restarts with every chunk,
 * and more than `maxBytes` in all is a BundleError. The body is cancelled on every early exit.
 */
export async function* watchBody(
  body: ReadableStream<Uint8Array>,
  watchdog: Watchdog,
  what: string,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  // An abort errors the body too; that rejection is the watchdog's to report, not an unhandled one.
  reader.closed.catch(() => {});
  let total = 0;
  try {
    for (;;) {
      watchdog.waiting(what);
      const { value, done } = await watchdog.race(reader.read());
      watchdog.resting();
      if (done) return;
      total += value.length;
      if (total > watchdog.limits.maxBytes) {
        throw new BundleError(
          `Cannot add to the bundle: ${what} sent more than ${watchdog.limits.maxBytes} bytes (option maxBytes)`,
        );
      }
      yield value;
    }
  } finally {
    watchdog.resting();
    await reader.cancel().catch(() => {});
  }
}

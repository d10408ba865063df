/**
 * Timers for user-given limits. `setTimeout` takes a signed 32-bit delay on every runtime: a
 * longer one (2 ** 31 ms is about 24.8 days) overflows and fires after about 1 ms. These timers
 * wait in steps of at most {@linkcode MAX_TIMER_DELAY} and check the clock at each step, so a
 * long limit is honoured and no limit ever fires early.
 *
 * @module
 */

/** The longest delay one `setTimeout` honours, in ms (2 ** 31 - 1). */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** The clock and timer primitives a long timer uses; tests inject their own. */
export interface TimerClock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Schedules `fn` after `ms` (never more than {@linkcode MAX_TIMER_DELAY}). */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels what `setTimeout` returned. */
  clearTimeout(handle: unknown): void;
}

const systemClock: TimerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A pending long timer; `clear()` cancels it (safe to call more than once, or after it fired). */
export interface LongTimer {
  /** Cancels the timer. */
  clear(): void;
}

/**
 * Calls `fn` once, no sooner than `ms` milliseconds from now, however large `ms` is. An
 * infinite `ms` never fires. Delays up to {@linkcode MAX_TIMER_DELAY} take one `setTimeout`;
 * longer ones chain several, each re-measured against the clock.
 *
 * @example A limit of 30 days
 * ```ts
 * import { setLongTimeout } from "./long_timer.ts";
 * const timer = setLongTimeout(() => console.log("late"), 30 * 24 * 3600 * 1000);
 * timer.clear();
 * ```
 */
export function setLongTimeout(
  fn: () => void,
  ms: number,
  clock: TimerClock = systemClock,
): LongTimer {
  let handle: unknown;
  let cleared = false;
  const clear = () => {
    cleared = true;
    if (handle !== undefined) clock.clearTimeout(handle);
    handle = undefined;
  };
  if (ms === Infinity) return { clear };
  const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
  const deadline = clock.now() + delay;
  const step = () => {
    handle = undefined;
    if (cleared) return;
    const left = deadline - clock.now();
    if (left > 0) {
      // Runtimes may fire a timer a hair early (rounding); re-arm for what is left.
      handle = clock.setTimeout(step, Math.min(Math.ceil(left), MAX_TIMER_DELAY));
      return;
    }
    cleared = true;
    fn();
  };
  handle = clock.setTimeout(step, Math.min(delay, MAX_TIMER_DELAY));
  return { clear };
}

/**
 * Waits for `promise` at most `ms` milliseconds; never rejects. Resolves `true` when the promise
 * settled in time. The one short bounded wait of the process stages (a drain, a grace period).
 *
 * @example Give a pipe 200 ms to end
 * ```ts
 * import { within } from "./long_timer.ts";
 * const ended = await within(Promise.resolve(), 200);
 * ```
 */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  await Promise.race([
    promise.then(() => settled = true, () => settled = true),
    new Promise((resolve) => timer = setTimeout(resolve, ms)),
  ]);
  clearTimeout(timer);
  return settled;
}

/**
 * Settles after one whole turn of the event loop, its I/O phase included: what the runtime
 * has already read from a pipe is delivered before it settles. A wait that ends on a timer
 * can use it to tell "nothing came" from "the loop was too busy to look".
 */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

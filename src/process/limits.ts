/**
 * The limits stage: every way a run can be stopped from outside (the caller's signal, the
 * whole-run timeout, the idle timeout, the connect timeout, a reader that cancels, an output
 * that overflows) is one race. The first reason wins and is kept; later ones do nothing. Every
 * timer is a long timer, so a limit of any size is honoured and never fires early.
 *
 * @module
 */
import { setLongTimeout } from "./long_timer.ts";
import type { LongTimer, TimerClock } from "./long_timer.ts";

/** Why a run was stopped before it ended by itself. */
export type StopReason =
  | { kind: "abort"; reason: unknown }
  | { kind: "timeout"; timeoutMs: number }
  | { kind: "idle"; timeoutMs: number }
  | { kind: "connect"; timeoutMs: number }
  | { kind: "cancel" }
  | { kind: "overflow"; stream: "stdout" | "stderr"; limitBytes: number };

/** The limits of one run; each is off when unset. */
export interface LimitOptions {
  /** Stops the run with `abort` when it fires. */
  signal?: AbortSignal;
  /** Limit for the whole run, in ms. */
  timeoutMs?: number;
  /** Limit without any sign of life ({@linkcode RunLimits.activity}), in ms. */
  idleTimeoutMs?: number;
  /** Limit until {@linkcode RunLimits.connected}, in ms. */
  connectTimeoutMs?: number;
  /** The clock the timers use (tests inject their own). */
  clock?: TimerClock;
}

/**
 * One run's race. Nothing is armed until {@linkcode RunLimits.arm}; `onStop` runs once, for the
 * reason that won, synchronously from whatever fired it.
 *
 * @example Stop a run after 5 s without output
 * ```ts
 * import { RunLimits } from "./limits.ts";
 * const limits = new RunLimits({ idleTimeoutMs: 5000 }, (reason) => console.log(reason.kind));
 * limits.arm();
 * limits.activity(); // output arrived: the idle clock starts again
 * limits.finish(); // the run ended by itself: no reason wins any more
 * ```
 */
export class RunLimits {
  #options: LimitOptions;
  #onStop: (reason: StopReason) => void;
  #reason: StopReason | undefined;
  #over = false;
  #total: LongTimer | undefined;
  #idle: LongTimer | undefined;
  #connect: LongTimer | undefined;
  #onAbort: (() => void) | undefined;

  /** Keeps the limits; `onStop` is called once, with the reason that won. */
  constructor(options: LimitOptions, onStop: (reason: StopReason) => void) {
    this.#options = options;
    this.#onStop = onStop;
  }

  /** The reason that stopped the run, if one did. */
  get reason(): StopReason | undefined {
    return this.#reason;
  }

  /** True once the race is decided: a reason stopped the run, or it ended by itself. */
  get over(): boolean {
    return this.#over;
  }

  /** Starts the clocks and listens to the signal; a signal already fired stops the run now. */
  arm(): void {
    if (this.#over) return;
    const { signal, timeoutMs, connectTimeoutMs, clock } = this.#options;
    if (timeoutMs !== undefined) {
      this.#total = setLongTimeout(
        () => this.stop({ kind: "timeout", timeoutMs }),
        timeoutMs,
        clock,
      );
    }
    if (connectTimeoutMs !== undefined) {
      this.#connect = setLongTimeout(
        () => this.stop({ kind: "connect", timeoutMs: connectTimeoutMs }),
        connectTimeoutMs,
        clock,
      );
    }
    this.activity();
    if (signal) {
      this.#onAbort = () => this.stop({ kind: "abort", reason: signal.reason });
      if (signal.aborted) return this.#onAbort();
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
  }

  /** A sign of life: the idle clock starts again. */
  activity(): void {
    const ms = this.#options.idleTimeoutMs;
    if (ms === undefined || this.#over) return;
    this.#idle?.clear();
    this.#idle = setLongTimeout(
      () => this.stop({ kind: "idle", timeoutMs: ms }),
      ms,
      this.#options.clock,
    );
  }

  /** The run is connected (first event, handshake): the connect clock stops. */
  connected(): void {
    this.#connect?.clear();
  }

  /**
   * Stops the run for `reason` unless the race is already decided; returns whether this reason
   * won (and `onStop` ran).
   */
  stop(reason: StopReason): boolean {
    if (this.#over) return false;
    this.#reason = reason;
    this.#decide();
    this.#onStop(reason);
    return true;
  }

  /**
   * The run ended by itself (or failed on its own): no limit may stop it any more. Returns
   * false when a reason had already won.
   */
  finish(): boolean {
    if (this.#over) return false;
    this.#decide();
    return true;
  }

  /** Disarms everything without deciding the race (the run never started). */
  clear(): void {
    this.#total?.clear();
    this.#idle?.clear();
    this.#connect?.clear();
    if (this.#onAbort) this.#options.signal?.removeEventListener("abort", this.#onAbort);
  }

  #decide(): void {
    this.#over = true;
    this.clear();
  }
}

/**
 * The retry policy's options (`retry` on the client or a thread); `../retry.ts` runs it.
 *
 * @module
 */

/** The retry policy (`retry` on the client or a thread; the thread's wins). */
export interface RetryOptions {
  /** Most attempts in all, the first included (default 3; 1 = no retry). */
  attempts?: number;
  /** First backoff, in ms (default 500); doubles per attempt, with jitter. */
  baseDelayMs?: number;
  /** Longest wait, in ms (default 30000). A longer retry-after from the CLI is not waited for. */
  maxDelayMs?: number;
  /** Retry even after files changed or commands ran in the failed attempt (default false). */
  retryAfterFileChanges?: boolean;
  /**
   * Decides whether a failed attempt is tried again, in place of the built-in rule (a transient
   * cause, and nothing changed unless `retryAfterFileChanges`); `attempts` and an aborted
   * signal still end the turn. A throw ends it with that error.
   */
  shouldRetry?: (failure: {
    /** The attempt that failed (1 = the first). */
    attempt: number;
    /** Why it failed: the `turn.failed` message or the error's. */
    message: string;
    /** The transient cause (`http_429`, `http_5xx`, `disconnected`, `server_exited`), if any. */
    reason?: string;
    /** The wait the CLI asked for, in ms, when it said. */
    retryAfterMs?: number;
    /** Whether files changed or commands ran in the attempt. */
    changedThings: boolean;
    /** The error the attempt ended with, when it did not end with `turn.failed`. */
    error?: unknown;
  }) => boolean;
  /**
   * Called before each wait, with what the `retry.scheduled` event says (`reason` is
   * `"policy"` when only `shouldRetry` asked for the retry). A throw is ignored.
   */
  onRetry?: (retry: {
    attempt: number;
    maxAttempts: number;
    delayMs: number;
    reason: string;
    message: string;
  }) => void;
  /**
   * The wait before `attempt` (2 = the first retry), in ms, in place of the jittered doubling
   * (a wait the CLI asked for is passed as `retryAfterMs`). Not capped by `maxDelayMs`.
   */
  backoff?: (
    attempt: number,
    failure: Parameters<NonNullable<RetryOptions["shouldRetry"]>>[0],
  ) => number;
}

/** A failed attempt, as `shouldRetry` and `backoff` see it. */
export type RetryFailure = Parameters<NonNullable<RetryOptions["shouldRetry"]>>[0];

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
}

/**
 * When a file's stat fields can vouch for its content. A rewrite in place that restores the
 * mtime (`touch -r`, package managers) still moves the ctime, but only as finely as the clock
 * that stamps it: Deno reports ctime in whole seconds (2.x, every file system), and some file
 * systems keep whole seconds or coarser. A rewrite within the same tick as the last change
 * leaves every stat field as it was. So a stat taken before the tick of its ctime had surely
 * passed cannot vouch for the content: whoever relies on it must hash. Git calls this racy.
 *
 * @module
 */

/** How long after a whole-second ctime it settles: two-second stamps (FAT) plus clock slack. */
export const COARSE_SETTLE_MS = 2_100;
/** How long after a finer ctime it settles: file systems stamp with a clock of a few ms. */
export const FINE_SETTLE_MS = 100;

/**
 * Whether a stat whose ctime is `ctimeMs`, taken no earlier than `seenAtMs` (read the clock
 * before the stat), shows every later change of the file. A missing ctime never settles. Pure.
 *
 * @example A stat taken a minute after the last change
 * ```ts
 * import { statSettled } from "./stat_settled.ts";
 * statSettled(1_700_000_000_000, 1_700_000_060_000); // true
 * statSettled(1_700_000_000_000, 1_700_000_000_500); // false: same second
 * ```
 */
export function statSettled(ctimeMs: number | null | undefined, seenAtMs: number): boolean {
  if (typeof ctimeMs !== "number" || !Number.isFinite(ctimeMs) || ctimeMs <= 0) return false;
  const settle = ctimeMs % 1000 === 0 ? COARSE_SETTLE_MS : FINE_SETTLE_MS;
  return seenAtMs - ctimeMs >= settle;
}

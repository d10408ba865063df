/**
 * Ending a child for good: SIGTERM to its process group, then SIGKILL after a grace period.
 *
 * @module
 */
import type { ChildProcess, ExitStatus } from "./types.ts";

/** How long a child gets between SIGTERM and SIGKILL, unless the caller says otherwise. */
export const DEFAULT_KILL_GRACE_MS = 2000;

/**
 * Sends SIGTERM to the child's process group, then SIGKILL if it has not exited after
 * `graceMs`; resolves with its exit status. Safe to call more than once and after exit.
 *
 * @example Stop a child
 * ```ts ignore
 * const status = await terminate(child, 500);
 * ```
 */
export async function terminate(
  child: ChildProcess,
  graceMs: number = DEFAULT_KILL_GRACE_MS,
): Promise<ExitStatus> {
  child.kill("SIGTERM");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const escalated = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, graceMs);
  });
  try {
    await Promise.race([child.exited, escalated]);
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

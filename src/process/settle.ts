/**
 * Waiting for steps started side by side.
 *
 * @module
 */

/**
 * Like `Promise.all`, but when a step fails it still waits for the others to settle before
 * rejecting (with the first failure in order): a step still at work after the call failed
 * (creating CODEX_HOME, say) would otherwise write into a directory the caller is already
 * cleaning up after the failure.
 *
 * @example Resolve a binary and a home together
 * ```ts ignore
 * const [binary, home] = await allSettled([resolveBinary(), ensureCodexHome(path)]);
 * ```
 */
export async function allSettled<T extends readonly unknown[]>(
  steps: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(steps);
  for (const result of results) if (result.status === "rejected") throw result.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

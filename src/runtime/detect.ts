/**
 * Which runtime this is, and whether a forced adapter can work here: a few feature checks,
 * kept apart from the adapters so that a client can check its `runtime` option at
 * construction without loading any of them.
 *
 * @module
 */
import type { RuntimeName } from "./types.ts";

/**
 * Names the runtime by feature checks that never throw: `Bun.spawn` means Bun, `Deno.Command`
 * means Deno, anything else is treated as Node.
 */
export function detectRuntime(): RuntimeName {
  const g = globalThis as { Bun?: { spawn?: unknown }; Deno?: { Command?: unknown } };
  try {
    if (typeof g.Bun?.spawn === "function") return "bun";
    if (typeof g.Deno?.Command === "function") return "deno";
  } catch {
    // A hostile global getter is no reason to fail; fall through to Node.
  }
  return "node";
}

/**
 * Throws a TypeError naming the option when `runtime` cannot spawn here: `"node"` works on
 * every runtime that has `node:child_process`; `"deno"` and `"bun"` only on themselves.
 */
export function checkRuntime(runtime: RuntimeName | undefined): void {
  if (runtime === undefined || runtime === "node") return;
  const detected = detectRuntime();
  if (runtime !== detected) {
    throw new TypeError(`Cannot use runtime "${runtime}": this process runs on ${detected}`);
  }
}

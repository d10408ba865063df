/**
 * The runtime seam: picks the process adapter for the runtime this code runs on.
 *
 * @module
 */
import { bunSpawner } from "./bun.ts";
import { denoSpawner } from "./deno.ts";
import { nodeSpawner } from "./node.ts";
import type { RuntimeName, Spawner } from "./types.ts";

export type {
  ChildProcess,
  ExitStatus,
  RuntimeName,
  Spawner,
  SpawnOptions,
  StdinMode,
} from "./types.ts";
export {
  DEFAULT_KILL_GRACE_MS,
  killRunProcessesWith,
  reapRun,
  runMembers,
  terminate,
} from "./terminate.ts";
export { liveChildCount, RUN_TAG_ENV } from "./lifeline.ts";
export { writeStdin } from "./stdin.ts";

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
 * The adapter for `runtime` (default: the detected one). Forcing `"node"` works on every
 * runtime that has `node:child_process`; forcing `"deno"` or `"bun"` elsewhere throws a
 * TypeError naming the option.
 */
export function getSpawner(runtime: RuntimeName = detectRuntime()): Spawner {
  const detected = detectRuntime();
  if (runtime === "node") return nodeSpawner;
  if (runtime !== detected) {
    throw new TypeError(`Cannot use runtime "${runtime}": this process runs on ${detected}`);
  }
  return runtime === "deno" ? denoSpawner : bunSpawner;
}

/**
 * The runtime seam: picks the process adapter for the runtime this code runs on.
 *
 * @module
 */
import { bunSpawner } from "./bun.ts";
import { denoSpawner } from "./deno.ts";
import { nodeSpawner } from "./node.ts";
import type { RuntimeName, Spawner } from "./types.ts";
import { checkRuntime, detectRuntime } from "./detect.ts";

export { checkRuntime, detectRuntime } from "./detect.ts";

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
  taskkillArgs,
  terminate,
} from "./terminate.ts";
export type { StopOptions } from "./terminate.ts";
export { liveChildCount, RUN_TAG_ENV } from "./lifeline.ts";
export { writeStdin } from "./stdin.ts";

/**
 * The adapter for `runtime` (default: the detected one). Forcing `"node"` works on every
 * runtime that has `node:child_process`; forcing `"deno"` or `"bun"` elsewhere throws a
 * TypeError naming the option.
 */
export function getSpawner(runtime: RuntimeName = detectRuntime()): Spawner {
  checkRuntime(runtime);
  if (runtime === "node") return nodeSpawner;
  return runtime === "deno" ? denoSpawner : bunSpawner;
}

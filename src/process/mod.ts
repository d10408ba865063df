/**
 * The stages of running a child, one file each (execa's `lib/` is the model): every entry point
 * (exec turns, the app-server's stdio child, commands, capability probes, home CLI calls,
 * `git apply`, registry look-ups) shares them, and every way a run can end is one race whose
 * first reason wins.
 *
 * - `spawner.ts`: where every spawn gets its spawner (the one place that defaults it)
 * - `long_timer.ts`: timers for limits of any size, and the one short bounded wait
 * - `limits.ts`: abort, timeout, idle, connect, cancel, overflow: one race
 * - `stop_error.ts`: stop reason or exit -> the SDK's typed error, one wording everywhere
 * - `stderr.ts`: a long-lived child's stderr: drained, lines out, bounded tail kept
 * - `drain.ts`: after the exit, read the output ahead until quiet, then let it go
 * - `collect.ts`: a short command's output, bounded
 * - `run_to_end.ts`: a short command from spawn to a clean end
 *
 * Why beside `src/runtime/` and not inside it: `src/runtime/` is the seam that knows Deno, Bun
 * and Node (adapters, process groups, the lifeline); these stages know none of them, speak only
 * the seam's `Spawner` / `ChildProcess`, and are unit-tested with a fake spawner. Keeping the
 * folders apart keeps that line visible.
 *
 * @module
 */
export { spawnerFor } from "./spawner.ts";
export type { SpawnerSource } from "./spawner.ts";
export { MAX_TIMER_DELAY, setLongTimeout, within } from "./long_timer.ts";
export type { LongTimer, TimerClock } from "./long_timer.ts";
export { RunLimits } from "./limits.ts";
export type { LimitOptions, StopReason } from "./limits.ts";
export { exitError, stopError } from "./stop_error.ts";
export type { RunErrorContext } from "./stop_error.ts";
export { StderrCollector } from "./stderr.ts";
export { DEFAULT_DRAIN_MS, DRAIN_CAP_MS, ExitDrain } from "./drain.ts";
export type { ReadResult } from "./drain.ts";
export { OutputCollector } from "./collect.ts";
export type { CollectOptions } from "./collect.ts";
export { DEFAULT_MAX_OUTPUT_BYTES, runToEnd } from "./run_to_end.ts";
export type { RunToEndOptions, RunToEndResult } from "./run_to_end.ts";

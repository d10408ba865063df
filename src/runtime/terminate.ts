/**
 * Ending a child for good: SIGTERM to its process group and to every process of its run,
 * SIGKILL after a grace period, then whatever of the run is left.
 *
 * "Every process of its run" matters because codex starts its sandbox helper
 * (`codex-linux-sandbox` -> `bwrap`) and the agent's commands in sessions of their own: a kill
 * of codex's group misses them, and after codex dies they belong to init. On Linux the run is
 * found through `/proc` (descendants by parent id, and the run's environment tag); elsewhere
 * only the group is reached. Windows has neither signals nor process groups: there the tree is
 * ended with `taskkill /PID <pid> /T /F`, run through the caller's spawner.
 *
 * @module
 */
import process from "node:process";
import { hostGroup, sweepSync, tagNeedle } from "./lifeline.ts";
import { HAS_PROC, processTable, taggedPids, withDescendants } from "./proc_tree.ts";
import type { ChildProcess, ExitStatus, Spawner } from "./types.ts";

/** Where a stop runs: for tests, and for the spawner that runs `taskkill` on Windows. */
export interface StopOptions {
  /** The platform (default `process.platform`). */
  platform?: string;
  /** Runs `taskkill` on Windows (default: the runtime's adapter). */
  spawner?: Spawner;
}

/** The argv (after `taskkill`) that force-ends process `pid` and every process it started. */
export function taskkillArgs(pid: number): string[] {
  return ["/PID", String(pid), "/T", "/F"];
}

/** How long a child gets between SIGTERM and SIGKILL, unless the caller says otherwise. */
export const DEFAULT_KILL_GRACE_MS = 2000;

// The longest delay a plain timer keeps on every runtime.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Sends SIGTERM to the child's process group and to every process of its run (each one's own
 * group too), then SIGKILL if the child has not exited after `graceMs`; then kills whatever
 * of the run is still alive (see {@linkcode reapRun}). Resolves with the child's exit status.
 * Safe to call more than once and after exit.
 *
 * @example Stop a child
 * ```ts ignore
 * const status = await terminate(child, 500);
 * ```
 */
export async function terminate(
  child: ChildProcess,
  graceMs: number = DEFAULT_KILL_GRACE_MS,
  options: StopOptions = {},
): Promise<ExitStatus> {
  if ((options.platform ?? process.platform) === "win32") {
    return await terminateTree(child, graceMs, options.spawner);
  }
  // Seen before any signal: once codex dies its helpers are re-parented and only the tag
  // still names them.
  const members = runMembers(child);
  child.kill("SIGTERM");
  signalGroups(members, "SIGTERM");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const escalated = new Promise<void>((resolve) => {
    // A plain timer fires at once past 2^31 - 1 ms: a longer grace waits that long (24.8 days)
    // instead of becoming an immediate SIGKILL.
    timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, Math.min(graceMs, MAX_TIMER_MS));
  });
  try {
    await Promise.race([child.exited, escalated]);
    const status = await child.exited;
    reapRun(child, members);
    return status;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Kills, at once, whatever of the child's run outlived it: its process group (a background
 * job holding codex's stdout) and, on Linux, every process carrying the run's tag and their
 * descendants, frozen first so none forks away. For after the child has exited.
 */
export function reapRun(
  child: ChildProcess,
  known: Iterable<number> = [],
  options: { search?: boolean } = {},
): void {
  // The group outlives its leader while a member lives, so -pid cannot name a stranger yet.
  if (child.pid > 1 && child.pid !== hostGroup()) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // No such group: nothing was left in it.
    }
  }
  if (!HAS_PROC || options.search === false) return;
  // The child itself has been reaped: its pid is free for a stranger, so it is no root.
  const roots = [...known].filter((pid) => pid !== child.pid);
  sweepSync(child.tag ? `${tagNeedle(child.tag)}\0` : "\0\0never\0\0", roots);
}

/**
 * Kills, at once, the processes of the child's run whose environment also holds `entry`
 * (`NAME=value`), with their descendants; never the child itself. For a long-lived child that
 * serves many turns (the app-server): codex gives each command of a thread
 * `CODEX_THREAD_ID=<id>` (0.169.0), so a stopped turn's commands can be ended without the
 * server. Linux only (`/proc`); returns how many processes were signalled.
 */
export function killRunProcessesWith(child: ChildProcess, entry: string): number {
  if (!HAS_PROC || !child.tag) return 0;
  const table = processTable();
  const ours = taggedPids(table, `${tagNeedle(child.tag)}\0`);
  const roots = [...taggedPids(table, `${entry}\0`)].filter((p) => ours.has(p) && p !== child.pid);
  if (roots.length === 0) return 0;
  // A needle no environment holds: only the roots and their descendants are swept.
  return sweepSync("\0\0none\0\0", roots);
}

/** The live processes of the child's run: its descendants and everything with its tag. */
export function runMembers(child: ChildProcess): Set<number> {
  if (!HAS_PROC) return new Set();
  const table = processTable();
  const roots = child.tag ? [...taggedPids(table, `${tagNeedle(child.tag)}\0`)] : [];
  const found = withDescendants(table, [child.pid, ...roots]);
  found.delete(process.pid);
  return found;
}

function signalGroups(pids: Iterable<number>, name: "SIGTERM" | "SIGKILL"): void {
  const table = processTable();
  const groups = new Set<number>();
  for (const { pid, pgid } of table) {
    for (const member of pids) if (member === pid) groups.add(pgid);
  }
  const own = hostGroup();
  for (const pgid of groups) {
    if (pgid <= 1 || pgid === own) continue;
    try {
      process.kill(-pgid, name);
    } catch {
      // Gone.
    }
  }
}

/**
 * Windows: `taskkill /T /F` ends the child and its tree at once (there is no SIGTERM to give a
 * grace for); the child's own kill follows if it is still there after `graceMs`. The tree must
 * be ended while the child lives: taskkill finds descendants through their parent.
 */
async function terminateTree(
  child: ChildProcess,
  graceMs: number,
  spawner: Spawner | undefined,
): Promise<ExitStatus> {
  try {
    // Loaded here only: mod.ts imports this file.
    const runner = spawner ?? (await import("./mod.ts")).getSpawner();
    const killer = await runner.spawn("taskkill", taskkillArgs(child.pid), { stdin: "null" });
    void killer.stdout.cancel().catch(() => {});
    void killer.stderr.cancel().catch(() => {});
    await settledWithin(killer.exited, graceMs);
  } catch {
    // No taskkill: the child alone is stopped below.
  }
  if (!(await settledWithin(child.exited, graceMs))) child.kill("SIGKILL");
  return await child.exited;
}

async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<false>((resolve) =>
    timer = setTimeout(() => resolve(false), Math.min(ms, MAX_TIMER_MS))
  );
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}

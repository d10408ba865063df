/**
 * Finding everything a run started, on Linux, by reading `/proc`: the descendants of a pid
 * (by parent id) and every process whose environment carries the run's tag. Codex puts its
 * sandbox helper (`codex-linux-sandbox` -> `bwrap`) and the agent's commands in sessions of
 * their own, so a kill of codex's process group misses them; and once codex has died they are
 * re-parented to init, so only the tag still ties them to the run.
 *
 * Synchronous on purpose: the host's `exit` hook can only run synchronous code. On platforms
 * without `/proc` every function here finds nothing and callers fall back to the group kill.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import process from "node:process";

/** One row of the process table. */
export interface ProcEntry {
  /** Process id. */
  pid: number;
  /** Parent process id. */
  ppid: number;
  /** Process group id. */
  pgid: number;
  /** One-letter state (`R`, `S`, `T`, `Z`, ...). */
  state: string;
}

/** Whether `/proc` can be read here (Linux). */
export const HAS_PROC: boolean = (() => {
  try {
    readFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
})();

/** Parses `/proc/<pid>/stat`; the command name may hold spaces and parentheses. */
export function parseStat(text: string): ProcEntry | undefined {
  const close = text.lastIndexOf(")");
  if (close === -1) return undefined;
  const pid = Number(text.slice(0, text.indexOf(" ")));
  const fields = text.slice(close + 2).split(" ");
  const entry = { pid, state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]) };
  return Number.isInteger(pid) && Number.isInteger(entry.ppid) ? entry : undefined;
}

/** The live process table (zombies included: they still hold their pid). Empty without /proc. */
export function processTable(): ProcEntry[] {
  if (!HAS_PROC) return [];
  const table: ProcEntry[] = [];
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return table;
  }
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    try {
      const entry = parseStat(readFileSync(`/proc/${name}/stat`, "latin1"));
      if (entry) table.push(entry);
    } catch {
      // Gone while we looked.
    }
  }
  return table;
}

/** Pids of the processes (other than this one) whose environment holds `NAME=value...`. */
export function taggedPids(table: readonly ProcEntry[], needle: string): Set<number> {
  const found = new Set<number>();
  for (const { pid, state } of table) {
    if (pid === process.pid || state === "Z") continue;
    try {
      // Only the tag's own entry counts: it starts after a NUL (or at the very start).
      const environ = readFileSync(`/proc/${pid}/environ`, "latin1");
      const at = environ.indexOf(needle);
      if (at === 0 || (at > 0 && environ.charCodeAt(at - 1) === 0)) found.add(pid);
    } catch {
      // Another user's process, or gone.
    }
  }
  return found;
}

/** `roots` plus every live descendant of them in `table`. */
export function withDescendants(
  table: readonly ProcEntry[],
  roots: Iterable<number>,
): Set<number> {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of table) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const found = new Set<number>();
  const queue = [...roots];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    if (found.has(pid)) continue;
    found.add(pid);
    for (const child of children.get(pid) ?? []) queue.push(child);
  }
  return found;
}

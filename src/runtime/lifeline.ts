/**
 * Children die with their host.
 *
 * Every child the adapters start is tagged (an environment entry `CODEXKIT_RUN=<host>.<n>`,
 * which codex hands on to its sandbox helper and the agent's commands) and registered here.
 * Three things then end them when the host goes:
 *
 * - the host's `exit` event (normal end, `process.exit`): a synchronous sweep;
 * - SIGINT, SIGTERM, SIGHUP: the same sweep, then, when the host has no listener of its own
 *   for that signal, the signal is raised again the default way (the host dies by it, exit
 *   status 128+signo); with listeners of its own the host decides what happens next;
 * - SIGKILL (or any death that runs no code): a lifeline. One small `sh` per host (not per
 *   child) reads a pipe whose write end only the host holds; the kernel closes it however the
 *   host dies, and at EOF the watchdog stops and kills every process carrying the host's tag
 *   (Linux, through `/proc`) and every process group the host registered (everywhere `sh` and
 *   process groups exist).
 *
 * The sweep freezes what it finds with SIGSTOP before the SIGKILL, so nothing forks away in
 * between, and walks descendants by parent id, so a command that dropped the tag from its
 * environment is still found while its parent is.
 *
 * @module
 */
import { spawn as nodeSpawn } from "node:child_process";
import type { ChildProcess as NodeChild } from "node:child_process";
import process from "node:process";
import { detectRuntime } from "./detect.ts";
import { HAS_PROC, processTable, taggedPids, withDescendants } from "./proc_tree.ts";

/** Name of the environment entry that ties a process to the run that started it. */
export const RUN_TAG_ENV = "CODEXKIT_RUN";

const IS_WINDOWS = process.platform === "win32";
const HOST_TAG = `${process.pid}x${Math.random().toString(36).slice(2, 10)}`;
const HOST_NEEDLE = `${RUN_TAG_ENV}=${HOST_TAG}.`;
let serial = 0;

/** A fresh tag for one child of this host (`<host>.<n>`). */
export function newRunTag(): string {
  return `${HOST_TAG}.${++serial}`;
}

/** The environment entry (`NAME=value`) a tagged process carries, for `/proc` searches. */
export function tagNeedle(tag: string): string {
  return `${RUN_TAG_ENV}=${tag}`;
}

const live = new Set<number>();
let hooked = false;
let signalsHooked = false;
let watchdog: NodeChild | undefined;
let ownGroup: number | undefined;

/** The host's own process group: never signalled. */
export function hostGroup(): number {
  if (ownGroup !== undefined) return ownGroup;
  ownGroup = -1;
  if (HAS_PROC) {
    const row = processTable().find((p) => p.pid === process.pid);
    if (row) ownGroup = row.pgid;
  }
  return ownGroup;
}

/**
 * Registers a started child (the leader of its own process group) until `exited` settles.
 * The first registration installs the exit and signal hooks and starts the watchdog.
 */
export function trackChild(pid: number, exited: Promise<unknown>): void {
  if (IS_WINDOWS) return;
  install();
  live.add(pid);
  hookSignals();
  tellWatchdog(`+${pid}`);
  void exited.then(() => {
    live.delete(pid);
    tellWatchdog(`-${pid}`);
    // With no child left the host's signals behave exactly as if the SDK were not there.
    if (live.size === 0) unhookSignals();
  });
}

/** How many registered children are alive (for tests and diagnostics). */
export function liveChildCount(): number {
  return live.size;
}

/**
 * Stops and kills, synchronously, every process this host started that is still alive: the
 * registered groups, everything tagged with the host's tag, and their descendants.
 */
export function killAllSync(): void {
  const groups = [...live];
  const roots = new Set<number>(groups);
  for (const pid of groups) signal(-pid, "SIGSTOP");
  sweepSync(HOST_NEEDLE, roots, groups);
}

/**
 * Freezes, then kills, everything tagged with `needle` or descending from `roots` (Linux), and
 * the process groups `groups`. Repeats while the table still shows some (bounded).
 */
export function sweepSync(
  needle: string,
  roots: Iterable<number>,
  groups: readonly number[] = [],
): number {
  let killed = 0;
  let known = new Set<number>(roots);
  for (let round = 0; round < 5; round++) {
    let found: Set<number> = new Set();
    if (HAS_PROC) {
      // Freeze first: a stopped process cannot fork, so a second walk sees the whole tree.
      let table = processTable();
      found = withDescendants(table, [...taggedPids(table, needle), ...alive(table, known)]);
      found.delete(process.pid);
      if (watchdog?.pid) found.delete(watchdog.pid);
      for (const pid of found) signal(pid, "SIGSTOP");
      table = processTable();
      found = withDescendants(table, found);
      found.delete(process.pid);
      if (watchdog?.pid) found.delete(watchdog.pid);
      const zombies = new Set(table.filter((p) => p.state === "Z").map((p) => p.pid));
      for (const pid of found) if (zombies.has(pid)) found.delete(pid);
    }
    for (const pid of groups) if (pid !== hostGroup() && pid > 1) signal(-pid, "SIGKILL");
    groups = [];
    if (found.size === 0) return killed;
    for (const pid of found) {
      signal(pid, "SIGKILL");
      killed++;
    }
    known = found;
  }
  return killed;
}

function alive(table: readonly { pid: number }[], pids: Set<number>): number[] {
  return table.filter((p) => pids.has(p.pid)).map((p) => p.pid);
}

function signal(pid: number, name: "SIGSTOP" | "SIGKILL" | "SIGTERM"): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already, or not ours.
  }
}

function install(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", () => {
    if (serial > 0) killAllSync();
  });
  startWatchdog();
}

// --- signals -------------------------------------------------------------------------------

type HostSignal = "SIGINT" | "SIGTERM" | "SIGHUP";
const SIGNALS: readonly HostSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const SIGNAL_NUMBER: Record<HostSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
const handlers = new Map<HostSignal, () => void>();

function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const name of SIGNALS) {
    const handler = () => onHostSignal(name);
    handlers.set(name, handler);
    try {
      process.on(name, handler);
    } catch {
      // A runtime that cannot listen for this signal leaves it to the lifeline.
    }
  }
}

function unhookSignals(): void {
  if (!signalsHooked) return;
  signalsHooked = false;
  for (const [name, handler] of handlers) process.off(name, handler);
  handlers.clear();
}

function onHostSignal(name: HostSignal): void {
  killAllSync();
  // Listeners of the host's own: they decide whether and how the host ends.
  if (process.listenerCount(name) > 1) return;
  unhookSignals();
  try {
    process.kill(process.pid, name);
  } catch {
    // Fall through to the exit below.
  }
  // Where the runtime keeps its own handler installed (Deno 2.x), the raised signal is
  // swallowed: end at once the way a shell reports a death by that signal, before the runs
  // just stopped can reject into the host's code and end it with another status.
  if (detectRuntime() === "deno") process.exit(128 + SIGNAL_NUMBER[name]);
  setTimeout(() => process.exit(128 + SIGNAL_NUMBER[name]), 100);
}

// --- the watchdog ----------------------------------------------------------------------------

/**
 * The watchdog: reads registrations (`+pid` / `-pid`) until EOF, which comes when the host
 * is gone however it died; then kills the registered groups and, through /proc, everything
 * with the host's tag and its descendants. POSIX sh only (dash, bash, busybox).
 */
const WATCHDOG_SCRIPT = [
  // Signals meant for the host (Ctrl-C to its group, a SIGTERM to all) must not end the one
  // process that cleans up after it, whatever a runtime makes of `detached`.
  "trap '' INT TERM HUP QUIT",
  "needle=$1",
  'groups=" "',
  "while IFS= read -r line; do",
  "  case $line in",
  '    +*) groups="$groups${line#+} " ;;',
  '    -*) groups=$(printf \'%s\' "$groups" | sed "s/ ${line#-} / /") ;;',
  "  esac",
  "done",
  "for g in $groups; do kill -STOP -$g 2>/dev/null; done",
  "round=0",
  "while [ $round -lt 5 ]; do",
  "  round=$((round + 1))",
  '  pids=" "',
  "  if [ -d /proc/self ]; then",
  '    for f in $(grep -l -a -F -s -e "$needle" /proc/[0-9]*/environ 2>/dev/null); do',
  "      p=${f#/proc/}; p=${p%/environ}",
  '      [ "$p" = "$$" ] || pids="$pids$p "',
  "    done",
  '    for g in $groups; do pids="$pids$g "; done',
  "    kill -STOP $pids 2>/dev/null",
  "    changed=1",
  "    while [ $changed = 1 ]; do",
  "      changed=0",
  "      for s in /proc/[0-9]*/stat; do",
  "        line=",
  '        read -r line < "$s" 2>/dev/null || continue',
  "        p=${s#/proc/}; p=${p%/stat}",
  "        rest=${line##*) }",
  "        set -- $rest",
  '        case "$pids" in *" $2 "*) ;; *) continue ;; esac',
  '        case "$pids" in *" $p "*) ;; *) [ "$p" = "$$" ] || { pids="$pids$p "; changed=1; kill -STOP $p 2>/dev/null; } ;; esac',
  "      done",
  "    done",
  "  fi",
  "  for g in $groups; do kill -KILL -$g 2>/dev/null; done",
  "  groups=",
  '  [ -z "$(echo $pids)" ] && exit 0',
  "  kill -KILL $pids 2>/dev/null",
  "  sleep 0.05",
  "done",
].join("\n");

function startWatchdog(): void {
  if (watchdog || IS_WINDOWS) return;
  try {
    watchdog = nodeSpawn("sh", ["-c", WATCHDOG_SCRIPT, "codexkit-lifeline", HOST_NEEDLE], {
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" },
    });
  } catch {
    watchdog = undefined;
    return;
  }
  watchdog.on("error", () => {});
  watchdog.stdin?.on("error", () => {});
  // The watchdog must never keep the host alive: neither the child nor the pipe is ref'd.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  for (const pid of live) tellWatchdog(`+${pid}`);
}

function tellWatchdog(line: string): void {
  const stdin = watchdog?.stdin;
  if (!stdin || stdin.destroyed) return;
  try {
    stdin.write(`${line}\n`);
  } catch {
    // A dead watchdog: the exit and signal hooks still work.
  }
}

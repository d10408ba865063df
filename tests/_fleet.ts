/**
 * Helpers of the fleet tests, the example and the bench: worker processes on Node, Bun or Deno
 * (each its own process group, CODEX_HOME and work dir), a scan for codex processes a run left,
 * and the nats-server presence check that prints how to install it.
 *
 * @module
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { trackChild } from "../src/runtime/lifeline.ts";
import { findNatsServer, NATS_SERVER_INSTALL_HINT } from "../src/testing/nats_server.ts";
import type { WorkerProcessConfig } from "./_fleet_worker.ts";
import { NATIVE_CODEX, NATIVE_CODEX_PATH_DIR } from "./_codex.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "node_modules", ".bin");
const WORKER_SCRIPT = join(ROOT, "tests", "_fleet_worker.ts");

/** The key every test worker gives codex: scanned for in everything the fleet stores. */
export const WORKER_KEY = "sk-fleet-worker-key-3f9a1c77d2";

/** The three runtimes. */
export type RuntimeName = "node" | "bun" | "deno";

/** True when nats-server is found; otherwise prints one line saying how to install it. */
export function natsAvailable(what: string): boolean {
  if (findNatsServer()) return true;
  console.log(`skipping ${what}: ${NATS_SERVER_INSTALL_HINT}`);
  return false;
}

/** A line a worker process printed. */
export interface WorkerLine {
  kind: string;
  name?: string;
  value?: number;
  worker?: string;
  turnId?: string;
  [field: string]: unknown;
}

/** A worker process. */
export interface WorkerProcess {
  readonly id: string;
  readonly runtime: RuntimeName;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly codexHome: string;
  readonly lines: WorkerLine[];
  readonly exited: Promise<number | null>;
  /** Resolves with the first line (already printed or to come) that `match` accepts. */
  waitFor(match: (line: WorkerLine) => boolean): Promise<WorkerLine>;
  /** Signals the whole process group. */
  signalGroup(signal: NodeJS.Signals): void;
  /** SIGTERM and wait (SIGKILL of the group after 20 s). */
  stop(): Promise<void>;
}

/** Options of {@linkcode startWorkerProcess}. */
export interface WorkerProcessOptions {
  id: string;
  runtime: RuntimeName;
  servers: string;
  fakeUrl: string;
  root: string;
  slots?: number;
  drainMs?: number;
}

function command(runtime: RuntimeName): string[] {
  if (runtime === "node") return [join(BIN, "node"), WORKER_SCRIPT];
  if (runtime === "bun") return [join(BIN, "bun"), WORKER_SCRIPT];
  return [join(BIN, "deno"), "run", "-A", "--no-check", WORKER_SCRIPT];
}

/** Starts a worker process in its own process group; resolves once it says it is ready. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const base = join(options.root, options.id);
  const config: WorkerProcessConfig = {
    servers: options.servers,
    workerId: options.id,
    slots: options.slots ?? 2,
    codexHome: join(base, "home"),
    workRoot: join(base, "work"),
    codexPath: NATIVE_CODEX,
    codexPathDir: NATIVE_CODEX_PATH_DIR,
    fakeUrl: options.fakeUrl,
    tmp: join(base, "tmp"),
    key: WORKER_KEY,
    drainMs: options.drainMs,
  };
  await mkdir(config.tmp, { recursive: true });
  const [bin, ...args] = command(options.runtime);
  const child = spawn(bin, [...args, JSON.stringify(config)], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: config.tmp, NO_COLOR: "1" },
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code))
  );
  if (child.pid !== undefined) trackChild(child.pid, exited);
  const lines: WorkerLine[] = [];
  const watchers = new Set<() => void>();
  let buffer = "";
  child.stdout!.on("data", (chunk: Uint8Array) => {
    buffer += new TextDecoder().decode(chunk);
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        lines.push(JSON.parse(text) as WorkerLine);
      } catch {
        lines.push({ kind: "text", text });
      }
    }
    for (const w of [...watchers]) w();
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Uint8Array) => {
    stderr = (stderr + new TextDecoder().decode(chunk)).slice(-4000);
  });
  const waitFor = (match: (line: WorkerLine) => boolean): Promise<WorkerLine> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = lines.find(match);
        if (found) {
          watchers.delete(watch);
          resolve(found);
          return true;
        }
        return false;
      };
      const watch = (): void => void check();
      if (check()) return;
      watchers.add(watch);
      void exited.then((code) => {
        if (check()) return;
        watchers.delete(watch);
        reject(new Error(`worker ${options.id} exited (${code}) first: ${stderr}`));
      });
    });
  const pid = child.pid!;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup("SIGCONT");
    child.kill("SIGTERM");
    const timer = setTimeout(() => signalGroup("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  };
  await waitFor((l) => l.kind === "ready");
  return {
    id: options.id,
    runtime: options.runtime,
    child,
    pid,
    codexHome: config.codexHome,
    lines,
    exited,
    waitFor,
    signalGroup,
    stop,
  };
}

/** Pids of live processes whose environment has `CODEX_HOME` under `root` (Linux `/proc`). */
export function codexProcessesUnder(root: string): number[] {
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, "latin1");
      if (!env.includes(`CODEX_HOME=${root}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      if (/\) Z /.test(stat)) continue;
      found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

/** Waits (polling, up to `limitMs`) until no codex process is left under `root`; returns what is left. */
export async function settleCodexProcesses(root: string, limitMs = 15_000): Promise<number[]> {
  const until = Date.now() + limitMs;
  for (;;) {
    const left = codexProcessesUnder(root);
    if (left.length === 0 || Date.now() > until) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}

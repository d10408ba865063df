/**
 * A fleet on this machine, offline: a nats-server, three worker processes (each its own
 * CODEX_HOME), a producer with six threads of three turns, and the real codex answering a fake
 * Responses server. One worker is killed (SIGKILL) while it runs a turn; the turn finishes on
 * another worker from the thread's last committed rollout.
 *
 *   deno run -A examples/fleet/main.ts      (or: node / bun examples/fleet/main.ts)
 *
 * Needs nats-server (apt-get install nats-server, or NATS_SERVER_BIN).
 *
 * @module
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { connectFleet, ensureFleet } from "../../src/fleet/mod.ts";
import { trackChild } from "../../src/runtime/lifeline.ts";
import type { FleetEvent } from "../../src/fleet/mod.ts";
import {
  countingScript,
  startFakeResponsesServer,
  startNatsServer,
} from "../../src/testing/mod.ts";

const THREADS = 6;
const TURNS = 3;
const WORKERS = ["w1", "w2", "w3"];
const VICTIM = "w2";
const tty = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string, text: string): string => tty ? `\x1b[${code}m${text}\x1b[0m` : text;
const COLORS: Record<string, string> = { w1: "36", w2: "35", w3: "33" };
const who = (worker: string): string => paint(COLORS[worker] ?? "37", worker);

const here = dirname(fileURLToPath(import.meta.url));
const root = await mkdtemp(join(tmpdir(), "codexkit-fleet-example-"));
await using nats = await startNatsServer();
await using fake = await startFakeResponsesServer(countingScript({ command: "sleep 1" }));
await ensureFleet({ servers: nats.url, ackWaitMs: 6000 });

function startWorker(id: string): ChildProcess {
  const runtimeArgs = "Deno" in globalThis
    ? ["run", "-A", join(here, "worker.ts")]
    : [join(here, "worker.ts")];
  const child = spawn(process.execPath, runtimeArgs, {
    stdio: "ignore",
    detached: true,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      FLEET_SERVERS: nats.url,
      FLEET_WORKER_ID: id,
      FLEET_SLOTS: "1",
      FLEET_DIR: join(root, id),
      FAKE_URL: fake.url,
    },
  });
  // Workers die with this process however it ends (the SDK's lifeline).
  trackChild(child.pid!, new Promise((resolve) => child.once("exit", resolve)));
  return child;
}
const workers = new Map<string, ChildProcess>();
for (const id of WORKERS) {
  await mkdir(join(root, id), { recursive: true });
  workers.set(id, startWorker(id));
}

// The view: one row per thread, one cell per turn (worker, attempt, state).
type Cell = { worker?: string; attempt?: number; state: "queued" | "running" | "done" | "lost" };
const grid: Cell[][] = Array.from(
  { length: THREADS },
  () => Array.from({ length: TURNS }, () => ({ state: "queued" })),
);
const log: string[] = [];
let drawn = 0;
const cellText = (c: Cell): string => {
  const w = c.worker ? who(c.worker) : "  ";
  const a = c.attempt && c.attempt > 1 ? paint("31", `#${c.attempt}`) : "  ";
  const s = c.state === "done"
    ? paint("32", "✔")
    : c.state === "running"
    ? paint("34", "…")
    : c.state === "lost"
    ? paint("31", "✖")
    : paint("2", "·");
  return `${s} ${w}${a}`;
};
function draw(): void {
  if (!tty) return;
  const lines = [
    paint("1", "codexkit fleet: 3 workers, 6 threads x 3 turns (offline)"),
    ...grid.map((row, t) => `  thread ${t + 1}  ${row.map(cellText).join("   ")}`),
    "",
    ...log.slice(-6).map((l) => `  ${l}`),
  ];
  if (drawn) process.stdout.write(`\x1b[${drawn}A`);
  process.stdout.write(lines.map((l) => `\x1b[2K${l}\n`).join(""));
  drawn = lines.length;
}
function note(line: string): void {
  log.push(line);
  if (tty) draw();
  else console.log(line);
}

const fleet = await connectFleet({ servers: nats.url });
const started = Date.now();
const seconds = (): string => ((Date.now() - started) / 1000).toFixed(1);
let committed = 0;
let killed: { thread: number; turn: number; at: number } | undefined;

const drivers = Array.from({ length: THREADS }, async (_, t) => {
  const thread = fleet.thread(`thread-${t + 1}`);
  for (let k = 1; k <= TURNS; k++) {
    const turn = await thread.submit(`TURN-MARK thread ${t + 1}, turn ${k}: run a short command`);
    const cell = grid[t][k - 1];
    for await (const event of turn.events as AsyncIterable<FleetEvent>) {
      if (event.type === "fleet.attempt") {
        Object.assign(cell, { worker: event.worker, attempt: event.attempt, state: "running" });
        if (!tty) note(`thread ${t + 1} turn ${k}: attempt ${event.attempt} on ${event.worker}`);
        draw();
      }
      const item = (event as { item?: { type?: string } }).item;
      if (
        !killed && committed >= 4 && event.type === "item.started" &&
        item?.type === "command_execution" && cell.worker === VICTIM
      ) {
        killed = { thread: t + 1, turn: k, at: Date.now() };
        process.kill(-workers.get(VICTIM)!.pid!, "SIGKILL");
        cell.state = "lost";
        note(
          paint(
            "31",
            `${seconds()}s  killed ${VICTIM} (SIGKILL) while it ran thread ${t + 1} turn ${k}`,
          ),
        );
      }
    }
    const result = await turn.result;
    committed += 1;
    Object.assign(cell, {
      worker: result.worker ?? cell.worker,
      attempt: result.attempts,
      state: "done",
    });
    if (killed && killed.thread === t + 1 && killed.turn === k) {
      note(
        paint(
          "32",
          `${seconds()}s  thread ${
            t + 1
          } turn ${k} finished on ${result.worker} (attempt ${result.attempts}), ` +
            `${
              ((Date.now() - killed.at) / 1000).toFixed(1)
            }s after the kill: "${result.finalResponse}"`,
        ),
      );
    } else if (!tty) {
      note(
        `thread ${
          t + 1
        } turn ${k}: ${result.status} on ${result.worker}: "${result.finalResponse}"`,
      );
    }
    draw();
  }
});
try {
  draw();
  await Promise.all(drivers);
  note(
    `${seconds()}s  all ${
      THREADS * TURNS
    } turns committed; each answer counts the turns its thread saw (seen=k)`,
  );
} finally {
  await fleet.close();
  for (const child of workers.values()) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  }
  await Promise.all(
    [...workers.values()].map((c) =>
      c.exitCode !== null || c.signalCode !== null
        ? undefined
        : new Promise((r) => c.once("exit", r))
    ),
  );
  await rm(root, { recursive: true, force: true });
}

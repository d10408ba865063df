/**
 * Children die with their host: a host process (tests/_host_death_host.ts, run under the same
 * runtime as this file) starts codex runs and CLI helper runs, and is then killed with
 * SIGTERM, SIGINT to its process group, or SIGKILL. No codex, sandbox helper or agent command
 * may survive it (polled in /proc for a bounded time).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { detectRuntime, getSpawner } from "../src/runtime/mod.ts";
import { processTable } from "../src/runtime/proc_tree.ts";
import type { ChildProcess } from "../src/runtime/mod.ts";
import { eventually, processesMatching } from "./_offline_codex.ts";

const HOST = join(dirname(fileURLToPath(import.meta.url)), "_host_death_host.ts");
const ROOT = resolve(dirname(HOST), "..");

/** This runtime's command line for running a script. */
function runtimeArgv(script: string, args: string[]): [string, string[]] {
  const rt = detectRuntime();
  if (rt === "deno") return [process.execPath, ["run", "-A", "--no-check", script, ...args]];
  return [process.execPath, [script, ...args]];
}

async function comm(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/comm`, "utf8")).trim();
  } catch {
    return "";
  }
}

/** `pid comm state ppid pgid`, for a failure message; `pid gone` once it has exited. */
async function describe(pid: number): Promise<string> {
  const row = processTable().find((p) => p.pid === pid);
  return row
    ? `${pid} ${await comm(pid)} state=${row.state} ppid=${row.ppid} pgid=${row.pgid}`
    : `${pid} gone`;
}

/** The lifeline watchdogs (`sh -c ... codexkit-lifeline`) whose parent is `host`. */
async function watchdogsOf(host: number): Promise<number[]> {
  const found: number[] = [];
  for (const { pid } of processTable().filter((p) => p.ppid === host)) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmdline.includes("codexkit-lifeline")) found.push(pid);
  }
  return found;
}

interface Host extends AsyncDisposable {
  child: ChildProcess;
  home: string;
  output(): string;
}

async function startHost(mode: string, extra: string[] = []): Promise<Host> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-host-"));
  for (const sub of ["home", "work", "tmp"]) await mkdir(join(dir, sub));
  const [cmd, args] = runtimeArgv(HOST, [mode, dir, ...extra]);
  // The host leads its own process group (the seam starts children detached), so a SIGINT to
  // that group is what Ctrl-C in a terminal would send it.
  const child = await getSpawner().spawn(cmd, args, { cwd: ROOT, stdin: "null" });
  let out = "";
  void child.stdout.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (t) => void (out += t) }),
  ).catch(() => {});
  void child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (t) => void (out += t) }),
  ).catch(() => {});
  return {
    child,
    home: join(dir, "home"),
    output: () => out,
    async [Symbol.asyncDispose]() {
      child.kill("SIGKILL");
      await child.exited;
      // Whatever survived a failing test is not left running either.
      for (const pid of await processesMatching(join(dir, "home"))) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Gone.
        }
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the host says "ready" and a `sleep` of its runs is alive. */
async function waitForSleep(host: Host): Promise<number[]> {
  const ok = await eventually(async () => {
    if (!host.output().includes("ready")) return false;
    for (const pid of await processesMatching(host.home)) {
      if (await comm(pid) === "sleep") return true;
    }
    return false;
  }, 30_000);
  assert.ok(ok, `the host never started its sleep; output:\n${host.output()}`);
  return await processesMatching(host.home);
}

const KILLS = [
  { name: "SIGTERM", send: (pid: number) => process.kill(pid, "SIGTERM"), exit: ["SIGTERM", 143] },
  {
    name: "SIGINT to its group",
    send: (pid: number) => process.kill(-pid, "SIGINT"),
    exit: ["SIGINT", 130],
  },
  { name: "SIGKILL", send: (pid: number) => process.kill(pid, "SIGKILL"), exit: ["SIGKILL", 137] },
] as const;

for (const mode of ["exec", "app-server", "login", "probe"]) {
  for (const kill of KILLS) {
    test(`${mode}: ${kill.name} of the host leaves no child of it alive`, async () => {
      await using host = await startHost(mode);
      const before = await waitForSleep(host);
      assert.ok(before.length >= 1);
      const watchdogs = await watchdogsOf(host.child.pid);
      const children = await Promise.all(before.map(describe));
      kill.send(host.child.pid);
      const status = await host.child.exited;
      // The host dies the way it would without the SDK: by the signal (or its shell code).
      assert.ok(
        status.signal === kill.exit[0] || status.code === kill.exit[1],
        `host ended with ${JSON.stringify(status)}`,
      );
      // A bound, not a speed: the watchdog scans /proc in a shell loop, which a machine busy
      // with other work can slow down to seconds.
      const left = await eventually(
        async () => (await processesMatching(host.home)).length === 0,
        20_000,
      );
      if (!left) {
        // Everything that tells which of the three mechanisms missed, and why.
        const survivors = await Promise.all((await processesMatching(host.home)).map(describe));
        assert.fail(
          `survivors: ${survivors.join("; ")}\n` +
            `before the kill: ${children.join("; ")}\n` +
            `the host's watchdog: ${
              (await Promise.all(watchdogs.map(describe))).join("; ") || "none"
            }\n` +
            `host output: ${host.output()}`,
        );
      }
    });
  }
}

test("A host with a SIGINT listener of its own keeps running; its children are stopped", async () => {
  await using host = await startHost("exec", ["own-sigint"]);
  await waitForSleep(host);
  process.kill(-host.child.pid, "SIGINT");
  assert.ok(
    await eventually(async () => (await processesMatching(host.home)).length === 0, 20_000),
  );
  assert.ok(await eventually(() => Promise.resolve(host.output().includes("host handled SIGINT"))));
  // Still alive: the SDK cleaned up and left the decision to the host's listener.
  assert.doesNotThrow(() => process.kill(host.child.pid, 0));
});

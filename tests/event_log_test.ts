/**
 * Turn options of the run lifecycle: `eventLog` tees a turn's raw JSONL line by line as it
 * arrives; `connectTimeoutMs` limits the time to the first event (exec) or to the app-server
 * handshake. Real codex against the fake Responses server, and fake codex scripts for what the
 * real one will not do on demand (hang before any output).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../src/codex.ts";
import { AppServer } from "../src/app_server/app_server.ts";
import { existsSync, readFileSync } from "node:fs";
import {
  AbortError,
  ConnectTimeoutError,
  FileSystemError,
  TimeoutError,
  TurnFailedError,
} from "../src/errors.ts";
import type { ThreadEvent } from "../src/events.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { eventually, offlineClient, processesMatching } from "./_offline_codex.ts";

// A turn that hangs fails the test instead of the run.
const HANG_LIMIT = { timeout: 60_000 };

async function scratch(): Promise<{ path: string } & AsyncDisposable> {
  const path = await mkdtemp(join(tmpdir(), "codexkit-log-"));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

async function fakeCodex(dir: string, body: string): Promise<string> {
  const path = join(dir, "codex");
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

function markedClient(path: string, extra: Record<string, unknown> = {}) {
  const mark = `EVENTLOG_MARK=${Math.random().toString(36).slice(2)}`;
  const [key, value] = mark.split("=");
  return {
    mark,
    codex: new Codex({
      codexPathOverride: path,
      capabilities: false, // a fake binary: probing it would run the script
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", [key]: value },
      ...extra,
    }),
  };
}

test("exec: eventLog to a path holds every raw line of the turn, in order", async () => {
  await using dir = await scratch();
  await using server = await startFakeResponsesServer([
    reply.execCommand("echo hi"),
    reply.message("done"),
  ]);
  await using client = await offlineClient(server);
  const log = join(dir.path, "turn.jsonl");
  const { events } = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  }).runStreamed("go", { eventLog: log });
  const seen: ThreadEvent[] = [];
  for await (const event of events) seen.push(event);
  const lines = (await readFile(log, "utf8")).split("\n");
  assert.equal(lines.pop(), "", "the log ends with a newline");
  // The context window's `usage.updated` is read from the rollout, not a line codex printed.
  const printed = seen.filter((e) => e.type !== "usage.updated");
  assert.deepEqual(lines.map((l) => JSON.parse(l).type), printed.map((e) => e.type));
  assert.equal(seen.at(-1)?.type, "turn.completed");
});

test("exec: eventLog to a WritableStream gets the raw lines and is released, not closed", async () => {
  await using server = await startFakeResponsesServer([reply.message("hello")]);
  await using client = await offlineClient(server);
  const chunks: Uint8Array[] = [];
  const sink = new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c) });
  const turn = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  }).run("go", { eventLog: sink });
  assert.equal(turn.finalResponse, "hello");
  // Every write is whole lines.
  for (const c of chunks) assert.equal(c.at(-1), 10);
  const text = chunks.map((c) => new TextDecoder().decode(c)).join("");
  const types = text.trimEnd().split("\n").map((l) => JSON.parse(l).type);
  assert.deepEqual(types.at(0), "thread.started");
  assert.deepEqual(types.at(-1), "turn.completed");
  // Still the caller's: lockable and writable again.
  const writer = sink.getWriter();
  await writer.write(new Uint8Array([1]));
  await writer.close();
});

test("exec: complete lines reach the log file while the turn still runs; a partial one does not", async () => {
  await using dir = await scratch();
  const path = await fakeCodex(
    dir.path,
    [
      "cat >/dev/null",
      `printf '%s\\n' '{"type":"thread.started","thread_id":"t-log"}'`,
      `printf '%s\\n' '{"type":"turn.started"}'`,
      `printf '%s' '{"type":"item.comp'`,
      "sleep 30",
    ].join("\n"),
  );
  const { codex, mark } = markedClient(path);
  const log = join(dir.path, "live.jsonl");
  const controller = new AbortController();
  const run = codex.startThread().run("x", { eventLog: log, signal: controller.signal });
  run.catch(() => {});
  // What a crash at this moment would leave on disk: both complete lines, nothing partial.
  const written = await eventually(async () =>
    (await readFile(log, "utf8").catch(() => "")).split("\n").length === 3
  );
  assert.ok(written);
  assert.equal(
    await readFile(log, "utf8"),
    '{"type":"thread.started","thread_id":"t-log"}\n{"type":"turn.started"}\n',
  );
  controller.abort();
  await assert.rejects(run, AbortError);
  assert.ok(await eventually(async () => (await processesMatching(mark)).length === 0));
});

test("app-server: eventLog holds the turn's notifications, one JSON line each", async () => {
  await using dir = await scratch();
  await using server = await startFakeResponsesServer([reply.message("hi there")]);
  await using client = await offlineClient(server);
  const log = join(dir.path, "app.jsonl");
  const turn = await client.codex.startThread({
    transport: "app-server",
    workingDirectory: client.work,
  }).run("go", { eventLog: log });
  assert.equal(turn.finalResponse, "hi there");
  const methods = (await readFile(log, "utf8")).trimEnd().split("\n").map((l) =>
    JSON.parse(l).method
  );
  assert.ok(methods.includes("turn/started"), methods.join(","));
  assert.equal(methods.at(-1), "turn/completed");
});

test("exec: connectTimeoutMs stops a run with no first event with ConnectTimeoutError", async () => {
  await using dir = await scratch();
  const path = await fakeCodex(dir.path, "cat >/dev/null\nsleep 30");
  const { codex, mark } = markedClient(path);
  await assert.rejects(
    codex.startThread().run("x", { connectTimeoutMs: 300 }),
    (e: unknown) =>
      e instanceof ConnectTimeoutError && e instanceof TimeoutError && e.timeoutMs === 300,
  );
  assert.ok(await eventually(async () => (await processesMatching(mark)).length === 0));
});

test("exec: connectTimeoutMs no longer applies once the first event arrived", async () => {
  await using dir = await scratch();
  const path = await fakeCodex(
    dir.path,
    [
      "cat >/dev/null",
      `printf '%s\\n' '{"type":"thread.started","thread_id":"t"}'`,
      "sleep 2",
      `printf '%s\\n' '{"type":"turn.started"}'`,
      `printf '%s\\n' '{"type":"item.completed","item":{"id":"i","type":"agent_message","text":"late"}}'`,
      `printf '%s\\n' '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1}}'`,
    ].join("\n"),
  );
  const { codex } = markedClient(path);
  const turn = await codex.startThread().run("x", { connectTimeoutMs: 1000 });
  assert.equal(turn.finalResponse, "late");
});

test("app-server: connectTimeoutMs stops a server that never completes its handshake", async () => {
  await using dir = await scratch();
  const path = await fakeCodex(dir.path, "cat >/dev/null");
  const { codex, mark } = markedClient(path);
  await assert.rejects(
    codex.startThread({ transport: "app-server" }).run("x", { connectTimeoutMs: 500 }),
    (e: unknown) => e instanceof ConnectTimeoutError && e.timeoutMs === 500,
  );
  assert.ok(await eventually(async () => (await processesMatching(mark)).length === 0));
  await codex.close();
});

test("app-server: close() ends a server that never answered initialize", HANG_LIMIT, async () => {
  await using dir = await scratch();
  const pidFile = join(dir.path, "pid");
  // Reads stdin and never answers; stays alive after stdin ends, so only a kill ends it.
  const path = await fakeCodex(dir.path, `echo $$ > "${pidFile}"\ncat >/dev/null\nexec sleep 600`);
  const { codex } = markedClient(path);
  const controller = new AbortController();
  const run = codex.startThread({ transport: "app-server" }).run("x", {
    signal: controller.signal,
  });
  run.catch(() => {});
  assert.ok(
    await eventually(() => Promise.resolve(existsSync(pidFile)), 30_000),
    "the server started",
  );
  const pid = Number((await readFile(pidFile, "utf8")).trim());
  controller.abort();
  await assert.rejects(run, AbortError);
  await codex.close();
  assert.ok(
    await eventually(() => Promise.resolve(!alive(pid))),
    `the server (pid ${pid}) is gone`,
  );
});

test(
  "AppServer.spawn: a server that never answers initialize is a TimeoutError, and is stopped",
  HANG_LIMIT,
  async () => {
    await using dir = await scratch();
    const path = await fakeCodex(dir.path, "cat >/dev/null\nexec sleep 600");
    const mark = `SILENT_SERVER=${Math.random().toString(36).slice(2)}`;
    const [key, value] = mark.split("=");
    await assert.rejects(
      AppServer.spawn({
        binary: path,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", [key]: value },
        initializeTimeoutMs: 300,
      }),
      (e: unknown) => e instanceof TimeoutError && /initialize/.test(e.message),
    );
    // Whether or not it had started its sleep, nothing of it is left.
    assert.ok(await eventually(async () => (await processesMatching(mark)).length === 0));
  },
);

/** Whether `pid` runs (a zombie has exited and only waits to be reaped). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

test("A connectTimeoutMs that is not a positive number is a TypeError naming it", async () => {
  const codex = new Codex({ codexPathOverride: "/nonexistent/codex" });
  await assert.rejects(
    codex.startThread().run("x", { connectTimeoutMs: -1 }),
    (e: unknown) => e instanceof TypeError && e.message.includes("connectTimeoutMs"),
  );
  await assert.rejects(
    codex.startThread().run("x", { eventLog: 42 as unknown as string }),
    (e: unknown) => e instanceof TypeError && e.message.includes("eventLog"),
  );
});

// /dev/full answers every write with ENOSPC (Linux): a disk that fills mid-turn, on demand.
const noDevFull = !existsSync("/dev/full") && "needs /dev/full";

for (const transport of ["exec", "app-server"] as const) {
  test(`${transport}: an eventLog on a full disk ends the turn with a FileSystemError naming it`, {
    skip: noDevFull,
    ...HANG_LIMIT,
  }, async () => {
    await using server = await startFakeResponsesServer([reply.message("never logged")]);
    await using client = await offlineClient(server);
    const thread = client.codex.startThread({
      transport,
      skipGitRepoCheck: transport === "exec" ? true : undefined,
      workingDirectory: client.work,
    });
    await assert.rejects(
      thread.run("go", { eventLog: "/dev/full" }),
      (e: unknown) =>
        e instanceof FileSystemError && e.path === "/dev/full" && e.code === "ENOSPC" &&
        e.operation === "write" && e.message.includes("/dev/full"),
    );
    // exec: the run's processes are stopped (the app-server stays, for the client's next turn).
    if (transport === "exec") {
      assert.ok(await eventually(async () => (await processesMatching(client.home)).length === 0));
    }
  });

  test(`${transport}: eventLogErrors "warn" reports a failing log once and the turn completes`, {
    skip: noDevFull,
    ...HANG_LIMIT,
  }, async () => {
    await using server = await startFakeResponsesServer([reply.message("done anyway")]);
    const warnings: string[] = [];
    await using client = await offlineClient(server, {
      onWarning: (message) => void warnings.push(message),
    });
    const turn = await client.codex.startThread({
      transport,
      skipGitRepoCheck: transport === "exec" ? true : undefined,
      workingDirectory: client.work,
    }).run("go", { eventLog: "/dev/full", eventLogErrors: "warn" });
    assert.equal(turn.finalResponse, "done anyway");
    const logWarnings = warnings.filter((w) => w.includes("/dev/full"));
    assert.equal(logWarnings.length, 1, warnings.join("\n"));
    assert.match(logWarnings[0], /^Cannot write the event log \/dev\/full: .*ENOSPC/);
  });

  test(`${transport}: a key the provider echoes is scrubbed from the eventLog as from the error`, {
    ...HANG_LIMIT,
  }, async () => {
    await using dir = await scratch();
    const apiKey = "sk-eventlog-echo-0123456789";
    await using server = await startFakeResponsesServer([
      reply.failed("invalid_api_key", `Incorrect API key provided: ${apiKey}`),
    ]);
    await using client = await offlineClient(server, { apiKey });
    const log = join(dir.path, "turn.jsonl");
    const error = await client.codex.startThread({
      transport,
      skipGitRepoCheck: transport === "exec" ? true : undefined,
      workingDirectory: client.work,
    }).run("go", { eventLog: log }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof TurnFailedError, String(error));
    assert.ok(error.message.includes("[redacted]"), error.message);
    assert.ok(!error.message.includes(apiKey));
    const text = await readFile(log, "utf8");
    assert.ok(text.includes("Incorrect API key provided: [redacted]"), text);
    assert.ok(!text.includes(apiKey), text);
  });
}

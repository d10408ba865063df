import { test } from "node:test";
import assert from "node:assert/strict";
import { fakeSpawner } from "../process/_fakes.ts";
import { taskkillArgs, terminate } from "./terminate.ts";

test("On win32 terminate ends the tree with taskkill /PID <pid> /T /F through the given spawner", async () => {
  // The run's child, and the spawner that runs taskkill: taskkill "ends" the child as the real
  // one would, so no signal is ever sent to it.
  const run = fakeSpawner();
  await run.spawn("codex.exe", ["exec", "--json"], { stdin: "piped" });
  const child = run.children[0];
  const runner = fakeSpawner((killer) => {
    child.exit({ code: 1, signal: null });
    killer.exit({ code: 0, signal: null });
  });
  const status = await terminate(child, 1000, { platform: "win32", spawner: runner });
  assert.deepEqual(status, { code: 1, signal: null });
  assert.equal(runner.children.length, 1);
  assert.equal(runner.children[0].command, "taskkill");
  assert.deepEqual(runner.children[0].args, ["/PID", String(child.pid), "/T", "/F"]);
  assert.deepEqual(run.children[0].signals, []);
});

test("On win32 a child taskkill could not end is killed after the grace", async () => {
  const run = fakeSpawner();
  const child = await run.spawn("codex.exe", [], {});
  const runner = fakeSpawner((killer) => killer.exit({ code: 128, signal: null }));
  const status = await terminate(child, 10, { platform: "win32", spawner: runner });
  assert.equal(status.signal, "SIGKILL");
  assert.deepEqual(run.children[0].signals, ["SIGKILL"]);
});

test("On win32 a missing taskkill still stops the child itself", async () => {
  const run = fakeSpawner();
  const child = await run.spawn("codex.exe", [], {});
  const runner = fakeSpawner(() => {}, { fail: new Error("ENOENT taskkill") });
  const status = await terminate(child, 10, { platform: "win32", spawner: runner });
  assert.equal(status.signal, "SIGKILL");
});

test("taskkillArgs names the pid and asks for the whole tree, forced", () => {
  assert.deepEqual(taskkillArgs(4242), ["/PID", "4242", "/T", "/F"]);
});

test("On linux terminate signals the child and never runs taskkill", async () => {
  const run = fakeSpawner();
  const child = await run.spawn("codex", [], {});
  const runner = fakeSpawner();
  const status = await terminate(child, 1000, { platform: "linux", spawner: runner });
  assert.equal(status.signal, "SIGTERM");
  assert.equal(runner.children.length, 0);
});

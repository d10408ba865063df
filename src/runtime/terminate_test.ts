import { test } from "node:test";
import assert from "node:assert/strict";
import { fakeSpawner } from "../process/_fakes.ts";
import process from "node:process";
import { taskkillArgs, terminate } from "./terminate.ts";
import { getSpawner } from "./mod.ts";

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

test(
  "A grace past 2^31 - 1 ms is not cut to nothing: a child that exits on SIGTERM is not killed",
  {
    skip: process.platform === "win32" ? "POSIX signals" : false,
  },
  async () => {
    // The shell leaves by itself 300 ms after SIGTERM; a plain timer of 2^31 ms or more fires at
    // once, which turned such a grace into an immediate SIGKILL.
    const child = await getSpawner().spawn(
      "sh",
      ["-c", "trap 'sleep 0.3; exit 7' TERM; echo up; while :; do sleep 0.05; done"],
      { stdin: "null" },
    );
    const reader = child.stdout.getReader();
    await reader.read(); // "up": the trap is set
    // Read, not cancelled: the shell reports its killed sleep on stderr, and a closed pipe
    // would end it with SIGPIPE.
    void new Response(child.stderr).text();
    const status = await terminate(child, 2 ** 31 + 1000);
    assert.deepEqual(status, { code: 7, signal: null });
  },
);

import { test } from "node:test";
import assert from "node:assert/strict";
import { runToEnd } from "./run_to_end.ts";
import { fakeSpawner } from "./_fakes.ts";

test("runToEnd feeds stdin, collects both outputs and the exit", async () => {
  const spawner = fakeSpawner((child) => {
    void child.stdinText.then((text) => {
      child.write("stdout", `got ${text}`);
      child.write("stderr", "note");
      child.exit({ code: 3, signal: null });
    });
  });
  const result = await runToEnd("tool", ["a"], { spawner, stdin: "input", env: { A: "1" } });
  assert.equal(result.stdout, "got input");
  assert.equal(result.stderr, "note");
  assert.equal(result.exitCode, 3);
  assert.equal(result.stopped, undefined);
  assert.deepEqual(spawner.children[0].options, {
    cwd: undefined,
    env: { A: "1" },
    stdin: "piped",
  });
});

test("runToEnd: a timeout stops the command (SIGTERM) and says so", async () => {
  const spawner = fakeSpawner((child) => child.write("stdout", "started"));
  const result = await runToEnd("tool", [], { spawner, timeoutMs: 1 });
  assert.deepEqual(result.stopped, { kind: "timeout", timeoutMs: 1 });
  assert.equal(result.stdout, "started");
  assert.equal(result.signal, "SIGTERM");
  assert.deepEqual(spawner.children[0].signals, ["SIGTERM"]);
});

test("runToEnd: an output past maxOutputBytes stops the command", async () => {
  const spawner = fakeSpawner((child) => child.write("stderr", "x".repeat(11)));
  const result = await runToEnd("tool", [], { spawner, maxOutputBytes: 10 });
  assert.deepEqual(result.stopped, { kind: "overflow", stream: "stderr", limitBytes: 10 });
  assert.equal(result.stderr, "");
});

test("runToEnd: an abort stops it; a signal already fired spawns nothing", async () => {
  const controller = new AbortController();
  const spawner = fakeSpawner(() => queueMicrotask(() => controller.abort("stop")));
  const result = await runToEnd("tool", [], { spawner, signal: controller.signal });
  assert.deepEqual(result.stopped, { kind: "abort", reason: "stop" });
  const again = await runToEnd("tool", [], { spawner, signal: controller.signal });
  assert.deepEqual(again.stopped, { kind: "abort", reason: "stop" });
  assert.equal(spawner.children.length, 1);
});

test("runToEnd: a throwing onOutput stops the command and rejects with that error", async () => {
  const spawner = fakeSpawner((child) => child.write("stdout", "prompt"));
  await assert.rejects(
    runToEnd("tool", [], {
      spawner,
      onOutput: () => {
        throw new Error("observer says no");
      },
    }),
    /observer says no/,
  );
  assert.deepEqual(spawner.children[0].signals, ["SIGTERM"]);
});

test("runToEnd: a leftover holding the pipes after the exit does not hold the result", async () => {
  const spawner = fakeSpawner((child) => {
    child.write("stdout", "done");
    child.exit({ code: 0, signal: null }, { holdPipes: true });
  });
  const result = await runToEnd("tool", [], { spawner, drainMs: 1 });
  assert.equal(result.stdout, "done");
  assert.equal(result.exitCode, 0);
});

test("runToEnd rejects when the program cannot be spawned", async () => {
  const spawner = fakeSpawner(() => {}, { fail: new Error("no such program") });
  await assert.rejects(runToEnd("missing", [], { spawner }), /no such program/);
});

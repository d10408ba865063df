import { test } from "node:test";
import assert from "node:assert/strict";
import { checkFleetOptions, checkPrompt, checkThreadKey, checkToken } from "./options.ts";
import { ensureFleet, runFleetWorker } from "./mod.ts";

const servers = "nats://127.0.0.1:1";
const worker = { servers, workerId: "w1", codexHome: "/tmp/h", workRoot: "/tmp/w" };

test("Fleet doors name a bad option in the one form, with the nearest known key", () => {
  assert.throws(() => checkFleetOptions("worker", { ...worker, slot: 2 }), {
    name: "TypeError",
    message: "Cannot use options.slot: unknown option; did you mean slots?",
  });
  assert.throws(
    () => checkFleetOptions("worker", { ...worker, slots: 0 }),
    /^TypeError: Cannot use options\.slots: expected a positive integer, got 0$/,
  );
  assert.throws(
    () => checkFleetOptions("worker", { ...worker, workerId: "a.b" }),
    /Cannot use options\.workerId: expected 1-64 letters, digits, "_" or "-", got "a\.b"/,
  );
  assert.throws(
    () => checkFleetOptions("worker", { ...worker, codexHome: "" }),
    /Cannot use options\.codexHome: expected a directory path/,
  );
  assert.throws(
    () => checkFleetOptions("worker", { ...worker, codex: { codexHome: "/elsewhere" } }),
    /Cannot use options\.codex\.codexHome: the worker's home is options\.codexHome/,
  );
  // The codex options are the client's own rows: the same words as on one machine.
  assert.throws(
    () => checkFleetOptions("worker", { ...worker, codex: { killGraceMs: -1 } }),
    /Cannot use options\.codex\.killGraceMs: expected a number of milliseconds >= 0, got -1/,
  );
  assert.throws(
    () => checkFleetOptions("worker", { ...worker, codex: { transport: "exec" } }),
    /Cannot use options\.codex\.transport: unknown option/,
  );
  assert.throws(
    () => checkFleetOptions("ensure", { servers: [], maxQueued: 5 }),
    /Cannot use options\.servers: expected a URL or a list of URLs, got \[\]/,
  );
  assert.throws(
    () => checkFleetOptions("producer", { servers, submitTimeoutMs: 1.5 }),
    /Cannot use options\.submitTimeoutMs: expected a positive integer, got 1\.5/,
  );
  assert.throws(
    () => checkFleetOptions("submit", { maxAttempts: 101 }),
    /Cannot use options\.maxAttempts: expected an integer from 1 to 100, got 101/,
  );
});

test("A credential is never shown in a message", () => {
  const secret = 123456789;
  assert.throws(
    () => checkFleetOptions("producer", { servers, credentials: { pass: secret } }),
    (error: Error) =>
      /Cannot use options\.credentials\.pass: expected a string/.test(error.message) &&
      !error.message.includes(String(secret)),
  );
});

test("A thread's setup carries only what a worker can honour, checked by the client's rows", () => {
  assert.throws(
    () => checkFleetOptions("setup", { threadOptions: { workingDirectory: "/x" } }, "setup"),
    /Cannot use setup\.threadOptions\.workingDirectory: unknown option/,
  );
  assert.throws(
    () => checkFleetOptions("setup", { threadOptions: { sandboxMode: "open" } }, "setup"),
    /Cannot use setup\.threadOptions\.sandboxMode: expected one of /,
  );
  assert.throws(
    () => checkFleetOptions("setup", { workspace: { remote: "r", branch: "a b" } }, "setup"),
    /Cannot use setup\.workspace\.branch: expected a branch name, got "a b"/,
  );
  checkFleetOptions("setup", {
    threadOptions: { model: "m", config: { a: 1 } },
    workspace: { remote: "r", branch: "main" },
  }, "setup");
});

test("Keys, prompts and ids given on their own use the same words", () => {
  assert.equal(checkToken("turn-1_x", "turnId"), "turn-1_x");
  assert.throws(() => checkToken("a.b", "turnId"), /^TypeError: Cannot use turnId: expected 1-64/);
  assert.throws(() => checkThreadKey(""), /Cannot use key: expected a non-empty string/);
  assert.throws(() => checkPrompt(""), /Cannot use input: expected a non-empty string, got ""/);
});

test("The doors check before connecting: nothing listens on port 1", async () => {
  await assert.rejects(ensureFleet({ servers, replica: 3 } as never), /did you mean replicas\?/);
  await assert.rejects(
    runFleetWorker({ ...worker, drainMs: -5 }),
    /Cannot use options\.drainMs: expected a number of milliseconds >= 0, got -5/,
  );
});

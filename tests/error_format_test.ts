/**
 * How errors read: upstream's opening words for exec exits, the reason line rather than a
 * warning, and no `undefined` fields when an error is printed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  BundleError,
  CodexError,
  execExitMessage,
  ExitError,
  exitReason,
  FileFormatError,
  FileSystemError,
  ThreadNotFoundError,
  UnsupportedError,
} from "../src/errors.ts";

test("Printed errors show only the fields that are set", () => {
  const errors = [
    new CodexError("plain"),
    new FileFormatError("bad file", { path: "/p" }),
    new UnsupportedError("no flag", { feature: "exec.oss" }),
    new BundleError("no bundle"),
    new FileSystemError("Cannot write the event log stream: x", { operation: "write" }),
    new ThreadNotFoundError("t-1"),
    new ExitError("Codex Exec exited with code 1", { exitCode: 1, signal: null }),
  ];
  for (const error of errors) {
    const shown = inspect(error);
    assert.ok(!/undefined/.test(shown), shown);
  }
  const file = new FileFormatError("bad file", { path: "/p" });
  assert.equal(file.line, undefined);
  assert.equal(file.column, undefined);
  assert.equal(new FileFormatError("x", { path: "/p", line: 3 }).line, 3);
  assert.equal("cause" in new CodexError("plain"), false);
});

test("Exec exit messages start as upstream's and name the reason, never a warning", () => {
  const tail = [
    "WARNING: proceeding, even though we could not create PATH aliases",
    "Error: no rollout found for thread id x",
    "WARNING: something else",
  ].join("\n");
  assert.equal(exitReason(tail), "Error: no rollout found for thread id x");
  assert.equal(
    execExitMessage(1, null, tail),
    "Codex Exec exited with code 1: Error: no rollout found for thread id x",
  );
  assert.equal(execExitMessage(null, "SIGKILL", ""), "Codex Exec exited with signal SIGKILL");
  assert.equal(
    execExitMessage(2, null, "WARNING: proceeding, even though we could not create PATH aliases\n"),
    "Codex Exec exited with code 2",
  );
  assert.equal(
    execExitMessage(3, null, "plain last words\n"),
    "Codex Exec exited with code 3: plain last words",
  );
});

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AbortError,
  CodexError,
  ConnectTimeoutError,
  ExitError,
  IdleTimeoutError,
  TimeoutError,
} from "../errors.ts";
import { exitError, stopError } from "./stop_error.ts";

test("stopError: one wording per reason, with the typed class and its flags", () => {
  const cases: [Parameters<typeof stopError>[0], string, new (...a: never[]) => Error][] = [
    [{ kind: "abort", reason: "why" }, "The run was aborted", AbortError],
    [{ kind: "cancel" }, "The run was cancelled by its reader", AbortError],
    [{ kind: "timeout", timeoutMs: 7 }, "The run timed out after 7 ms", TimeoutError],
    [{ kind: "idle", timeoutMs: 8 }, "No event for 8 ms; the run was stopped", IdleTimeoutError],
    [
      { kind: "connect", timeoutMs: 9 },
      "No event within 9 ms of the start; the run was stopped",
      ConnectTimeoutError,
    ],
    [
      { kind: "overflow", stream: "stdout", limitBytes: 10 },
      "The run printed more than 10 bytes on stdout; it was stopped (raise maxOutputBytes)",
      CodexError,
    ],
  ];
  for (const [reason, message, type] of cases) {
    const error = stopError(reason);
    assert.equal(error.message, message);
    assert.ok(error instanceof type, `${reason.kind} -> ${type.name}`);
  }
  assert.equal((stopError({ kind: "timeout", timeoutMs: 1 }) as TimeoutError).timedOut, true);
  const aborted = stopError({ kind: "abort", reason: "why" }) as AbortError;
  assert.equal(aborted.isCanceled, true);
  assert.equal(aborted.cause, "why");
});

test("stopError names a command as the subject, lowering only a leading The", () => {
  assert.equal(
    stopError({ kind: "timeout", timeoutMs: 5 }, { subject: "codex mcp list" }).message,
    "codex mcp list timed out after 5 ms",
  );
  assert.equal(
    stopError({ kind: "idle", timeoutMs: 5 }, { subject: "The turn" }).message,
    "No event for 5 ms; the turn was stopped",
  );
});

test("stopError and exitError carry the redacted command and stderr tail, secrets scrubbed", () => {
  const context = {
    command: ["codex", "--config", "api_key=sk-live", "exec", "sk-hidden"],
    stderrTail: "warning: x\nError: bad key sk-hidden\n",
    secrets: ["sk-hidden"],
  };
  for (
    const error of [
      stopError({ kind: "timeout", timeoutMs: 1 }, context),
      exitError({ code: 3, signal: null }, { ...context, subject: "Codex Exec" }),
    ]
  ) {
    const text = `${error.message} ${error.command?.join(" ")} ${error.stderrTail}`;
    assert.ok(!text.includes("sk-hidden") && !text.includes("sk-live"), text);
    assert.match(error.stderrTail ?? "", /Error: bad key \[redacted\]/);
  }
});

test("exitError: the message starts as upstream's and names the reason; code and signal kept", () => {
  const error = exitError({ code: 2, signal: null }, {
    subject: "Codex Exec",
    stderrTail: "Error: no model\n",
  });
  assert.ok(error instanceof ExitError);
  assert.equal(error.message.split("\n")[0], "Codex Exec exited with code 2: Error: no model");
  assert.equal(error.exitCode, 2);
  const killed = exitError({ code: null, signal: "SIGKILL" }, { subject: "codex login" });
  assert.equal(killed.message, "codex login exited with signal SIGKILL");
  assert.equal(killed.signal, "SIGKILL");
});

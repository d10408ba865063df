import { test } from "node:test";
import assert from "node:assert/strict";
import { configSecrets, redactArgs, Redactor, redactText } from "./redact.ts";
import {
  ConnectionClosedError,
  ExitError,
  MalformedOutputError,
  RpcError,
  SchemaMismatchError,
  STDERR_TAIL_LIMIT,
} from "./errors.ts";
import { malformedLine } from "./streams/json_lines_stream.ts";

const KEY = "sk-test-0123456789abcdef";

test("redactText replaces every occurrence, the trimmed form, and leaves short secrets alone", () => {
  assert.equal(redactText(`a ${KEY} b ${KEY}`, [KEY]), "a [redacted] b [redacted]");
  assert.equal(redactText(`key=${KEY}`, [`  ${KEY}\n`]), "key=[redacted]");
  assert.equal(redactText("abc and abc", ["abc"]), "abc and abc");
  assert.equal(redactText("abc", ["abc"]), "[redacted]");
  // A secret that contains another goes first, whatever the order given.
  assert.equal(redactText("xx-secret-token-yy", ["secret", "xx-secret-token"]), "[redacted]-yy");
});

test("redactText removes a piece of a secret left at a cut edge", () => {
  assert.equal(
    redactText(`${KEY.slice(-10)} failed`, [KEY], { cutStart: true }),
    "[redacted] failed",
  );
  assert.equal(
    redactText(`starts ${KEY.slice(0, 9)}`, [KEY], { cutEnd: true }),
    "starts [redacted]",
  );
  assert.equal(redactText(`${KEY.slice(-10)} failed`, [KEY]), `${KEY.slice(-10)} failed`);
});

test("redactArgs masks secret-looking config pairs; configSecrets lists their values", () => {
  const args = [
    "--config",
    'model="x"',
    "--config",
    'p.http_headers={Authorization="Bearer s3cr3t-value"}',
    "-c",
    'a.token="tok-12345"',
  ];
  assert.deepEqual(redactArgs(args), [
    "--config",
    'model="x"',
    "--config",
    "p.http_headers=***",
    "-c",
    "a.token=***",
  ]);
  const secrets = configSecrets(args);
  for (const s of ["Bearer s3cr3t-value", "s3cr3t-value", "tok-12345", '"tok-12345"']) {
    assert.ok(secrets.includes(s), `${s} in ${JSON.stringify(secrets)}`);
  }
  assert.ok(!secrets.some((s) => s.includes("x") && s.length < 4));
});

test("Redactor.from gathers the API key, config values and stored secrets", () => {
  const redactor = Redactor.from({
    apiKey: KEY,
    args: ["-c", 'x.password="hunter2hunter2"'],
    secrets: ["stored-refresh-token"],
  });
  assert.equal(
    redactor.text(`${KEY} hunter2hunter2 stored-refresh-token`),
    "[redacted] [redacted] [redacted]",
  );
  assert.deepEqual(redactor.command(["codex", "-c", 'x.password="hunter2hunter2"', KEY]), [
    "codex",
    "-c",
    "x.password=***",
    "[redacted]",
  ]);
});

test("CodexError with secrets scrubs the message, the command and the stderr tail", () => {
  const error = new ExitError(`codex failed with ${KEY}`, {
    exitCode: 1,
    signal: null,
    command: ["codex", "-c", 'h.http_headers={X="1"}', `--x=${KEY}`],
    // The tail starts with the cut end of the key, as a bounded tail can.
    stderrTail: `${KEY.slice(-12)}\n${"x".repeat(STDERR_TAIL_LIMIT)}\nkey ${KEY}`,
    secrets: [KEY],
  });
  const all = [error.message, error.stderrTail ?? "", ...(error.command ?? [])].join("\n");
  assert.ok(!all.includes(KEY.slice(-8)), all.slice(0, 300));
  assert.deepEqual(error.command, ["codex", "-c", "h.http_headers=***", "--x=[redacted]"]);
  assert.match(error.message, /codex failed with \[redacted\]/);
});

test("Error subclasses scrub their text fields: excerpt, rawText, issues, RPC data", () => {
  const malformed = new MalformedOutputError(`bad line ${KEY}`, {
    lineNumber: 1,
    excerpt: `oops ${KEY}`,
    secrets: [KEY],
  });
  assert.equal(malformed.excerpt, "oops [redacted]");
  const mismatch = new SchemaMismatchError("no", {
    rawText: `{"k":"${KEY}"}`,
    issues: [`k: ${KEY}`],
    secrets: [KEY],
  });
  assert.ok(!JSON.stringify([mismatch.rawText, mismatch.issues]).includes(KEY));
  const rpc = new RpcError(`turn/start failed: ${KEY}`, {
    code: 1,
    method: "turn/start",
    data: { detail: [`key ${KEY}`], __proto__x: 1 },
    secrets: [KEY],
  });
  assert.ok(!JSON.stringify(rpc.data).includes(KEY));
  assert.ok(!rpc.message.includes(KEY));
  const closed = new ConnectionClosedError("closed", {
    command: ["codex", "--config", 'model_providers.x.http_headers={A="b"}', "app-server"],
  });
  assert.deepEqual(closed.command, [
    "codex",
    "--config",
    "model_providers.x.http_headers=***",
    "app-server",
  ]);
});

test("malformedLine scrubs a secret before cutting the excerpt, leaving no piece of it", () => {
  const line = `${"p".repeat(190)}${KEY}${"q".repeat(1000)}`;
  const error = malformedLine("codex output", 3, line, "Unexpected token", [KEY]);
  assert.ok(!error.excerpt.includes(KEY.slice(0, 6)), error.excerpt);
  assert.ok(!error.message.includes(KEY.slice(0, 6)));
  assert.ok(error.excerpt.length <= 201);
  // Many secrets shrink the head below the cut: a secret's start at the cut goes too.
  const many = `ab ${`${KEY} `.repeat(20)}`;
  const error2 = malformedLine("codex output", 1, many + "z".repeat(500), "bad", [KEY]);
  assert.ok(!error2.excerpt.includes(KEY.slice(0, 6)), error2.excerpt);
});

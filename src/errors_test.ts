import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AbortError,
  BinaryNotFoundError,
  boundTail,
  BundleError,
  CodexError,
  ConnectionClosedError,
  ConnectTimeoutError,
  execExitMessage,
  ExitError,
  exitReason,
  FileFormatError,
  FileSystemError,
  fileSystemError,
  IdleTimeoutError,
  MalformedOutputError,
  OutputLimitError,
  RpcError,
  SchemaMismatchError,
  SpawnError,
  STDERR_TAIL_LIMIT,
  systemReason,
  ThreadNotFoundError,
  TimeoutError,
  TurnFailedError,
  UnsupportedError,
} from "./errors.ts";

const SECRET = "sk-test-0123456789abcdef";

test("every error class has its own fixed name and is a CodexError and an Error", () => {
  const errors: [CodexError, string][] = [
    [new CodexError("m"), "CodexError"],
    [new ThreadNotFoundError("t"), "ThreadNotFoundError"],
    [new BinaryNotFoundError([]), "BinaryNotFoundError"],
    [new SpawnError("m"), "SpawnError"],
    [new ExitError("m", { exitCode: 1, signal: null }), "ExitError"],
    [new TimeoutError("m", { timeoutMs: 5 }), "TimeoutError"],
    [new IdleTimeoutError("m", { timeoutMs: 5 }), "IdleTimeoutError"],
    [new ConnectTimeoutError("m", { timeoutMs: 5 }), "ConnectTimeoutError"],
    [new AbortError("m"), "AbortError"],
    [new TurnFailedError("m"), "TurnFailedError"],
    [new MalformedOutputError("m", { lineNumber: 1, excerpt: "x" }), "MalformedOutputError"],
    [new OutputLimitError("m", { limitBytes: 1, lineNumber: 1 }), "OutputLimitError"],
    [new SchemaMismatchError("m", { rawText: "", issues: [] }), "SchemaMismatchError"],
    [new RpcError("m", { code: -1, method: "x" }), "RpcError"],
    [new ConnectionClosedError("m"), "ConnectionClosedError"],
    [new FileFormatError("m", { path: "/f" }), "FileFormatError"],
    [new FileSystemError("m", { operation: "read" }), "FileSystemError"],
    [new UnsupportedError("m", { feature: "--x" }), "UnsupportedError"],
    [new BundleError("m"), "BundleError"],
  ];
  for (const [error, name] of errors) {
    assert.equal(error.name, name);
    assert.ok(error instanceof CodexError, name);
    assert.ok(error instanceof Error, name);
  }
  assert.equal(new Set(errors.map(([, name]) => name)).size, errors.length);
});

test("the timeout errors are TimeoutErrors with timedOut set; AbortError has isCanceled", () => {
  const idle = new IdleTimeoutError("idle", { timeoutMs: 10 });
  const connect = new ConnectTimeoutError("connect", { timeoutMs: 20 });
  assert.ok(idle instanceof TimeoutError);
  assert.ok(connect instanceof TimeoutError);
  assert.equal(idle.timedOut, true);
  assert.equal(idle.timeoutMs, 10);
  assert.equal(connect.timeoutMs, 20);
  assert.equal(new AbortError("stop").isCanceled, true);
});

test("CodexError keeps its cause and leaves absent fields out of the object", () => {
  const cause = new Error("root");
  const error = new CodexError("outer", { cause });
  assert.equal(error.cause, cause);
  assert.equal(error.command, undefined);
  assert.equal(error.stderrTail, undefined);
  assert.equal(Object.hasOwn(error, "command"), false);
  assert.equal(Object.hasOwn(error, "stderrTail"), false);
  assert.equal(Object.hasOwn(new CodexError("no cause"), "cause"), false);
});

test("CodexError appends the trimmed stderr tail to the message, and nothing for blank stderr", () => {
  const error = new CodexError("Codex Exec exited with code 1", {
    stderrTail: "\nError: boom\n\n",
  });
  assert.equal(error.message, "Codex Exec exited with code 1\nstderr (tail):\nError: boom");
  assert.equal(error.stderrTail, "\nError: boom\n\n");
  assert.equal(new CodexError("m", { stderrTail: " \n " }).message, "m");
});

test("CodexError bounds its stderr tail to STDERR_TAIL_LIMIT, keeping the end and marking the cut", () => {
  const stderr = "a".repeat(10_000) + "Error: the reason";
  const error = new CodexError("m", { stderrTail: stderr });
  const tail = error.stderrTail ?? "";
  assert.ok(tail.endsWith("Error: the reason"));
  assert.ok(tail.startsWith(`[... ${stderr.length - STDERR_TAIL_LIMIT} earlier characters cut]\n`));
  assert.equal(tail.split("\n")[1].length, STDERR_TAIL_LIMIT);
  assert.ok(error.message.length < STDERR_TAIL_LIMIT + 200);
});

test("CodexError masks secret-looking --config values in the command and scrubs known secrets everywhere", () => {
  const error = new CodexError(`failed with ${SECRET}`, {
    command: ["codex", "-c", 'model_providers.x.api_key="abc"', "exec", `--note=${SECRET}`],
    stderrTail: `Error: bad key ${SECRET}`,
    secrets: [SECRET],
  });
  assert.equal(error.message.includes(SECRET), false);
  assert.equal(error.stderrTail?.includes(SECRET), false);
  assert.deepEqual(error.command, [
    "codex",
    "-c",
    "model_providers.x.api_key=***",
    "exec",
    "--note=[redacted]",
  ]);
  assert.match(
    error.message,
    /^failed with \[redacted\]\nstderr \(tail\):\nError: bad key \[redacted\]$/,
  );
});

test("a secret cut in half at the start of a bounded stderr tail is still removed", () => {
  // The tail starts in the middle of the secret: its end must not survive.
  const stderr = SECRET.slice(0, 6) + SECRET.slice(6) + " trailing";
  const error = new CodexError("m", { stderrTail: stderr.slice(6), secrets: [SECRET] });
  assert.equal(error.stderrTail?.includes(SECRET.slice(6)), false);
  assert.ok(error.stderrTail?.endsWith(" trailing"));
});

test("ThreadNotFoundError says whether codex had no session or started a different thread", () => {
  const missing = new ThreadNotFoundError("abc");
  assert.equal(missing.threadId, "abc");
  assert.equal(missing.reportedId, undefined);
  assert.equal(Object.hasOwn(missing, "reportedId"), false);
  assert.equal(missing.message, 'Cannot find thread "abc": codex has no session with that id');
  const other = new ThreadNotFoundError("abc", { reportedId: "xyz" });
  assert.equal(other.reportedId, "xyz");
  assert.equal(
    other.message,
    'Cannot find thread "abc": codex started a different thread (xyz) instead; the run was stopped',
  );
});

test("BinaryNotFoundError lists every place searched, in order, one per line", () => {
  const searched = [
    { source: "override", path: "/opt/codex", reason: "missing" },
    { source: "path", path: "/usr/bin", reason: "not executable" },
  ];
  const error = new BinaryNotFoundError(searched);
  assert.deepEqual(error.searched, searched);
  assert.equal(
    error.message,
    "Cannot find the codex binary; searched:\n  override: /opt/codex (missing)\n  path: /usr/bin (not executable)",
  );
});

test("ExitError and ConnectionClosedError carry the exit code and signal, null when unknown", () => {
  const exit = new ExitError("m", { exitCode: null, signal: "SIGKILL" });
  assert.equal(exit.exitCode, null);
  assert.equal(exit.signal, "SIGKILL");
  const closed = new ConnectionClosedError("gone");
  assert.equal(closed.exitCode, null);
  assert.equal(closed.signal, null);
  const exited = new ConnectionClosedError("gone", { exitCode: 3 });
  assert.equal(exited.exitCode, 3);
  assert.equal(exited.signal, null);
});

test("MalformedOutputError and OutputLimitError name the line; the excerpt is scrubbed", () => {
  const malformed = new MalformedOutputError("not JSON", {
    lineNumber: 7,
    excerpt: `{"key":"${SECRET}"`,
    secrets: [SECRET],
  });
  assert.equal(malformed.lineNumber, 7);
  assert.equal(malformed.excerpt, '{"key":"[redacted]"');
  const limit = new OutputLimitError("too long", { limitBytes: 64, lineNumber: 2 });
  assert.equal(limit.limitBytes, 64);
  assert.equal(limit.lineNumber, 2);
});

test("SchemaMismatchError keeps the raw text and issues, scrubbed of secrets", () => {
  const plain = new SchemaMismatchError("mismatch", { rawText: "{}", issues: ["a: required"] });
  assert.equal(plain.rawText, "{}");
  assert.deepEqual(plain.issues, ["a: required"]);
  const scrubbed = new SchemaMismatchError("mismatch", {
    rawText: `{"token":"${SECRET}"}`,
    issues: [`token: got ${SECRET}`],
    secrets: [SECRET],
  });
  assert.equal(scrubbed.rawText, '{"token":"[redacted]"}');
  assert.deepEqual(scrubbed.issues, ["token: got [redacted]"]);
});

test("RpcError keeps code and method and scrubs the strings nested in its data", () => {
  const error = new RpcError("denied", {
    code: -32600,
    method: "turn/start",
    data: { detail: `bad ${SECRET}`, list: [SECRET, 3, true], n: null, __proto__x: "ok" },
    secrets: [SECRET],
  });
  assert.equal(error.code, -32600);
  assert.equal(error.method, "turn/start");
  assert.deepEqual(error.data, {
    detail: "bad [redacted]",
    list: ["[redacted]", 3, true],
    n: null,
    __proto__x: "ok",
  });
  const data = { a: 1 };
  assert.equal(new RpcError("m", { code: 1, method: "x", data }).data, data);
  assert.equal(new RpcError("m", { code: 1, method: "x" }).data, undefined);
});

test("FileFormatError keeps path, line and column; an unknown position reads undefined and is not enumerable", () => {
  const known = new FileFormatError("bad toml", { path: "/h/config.toml", line: 3, column: 9 });
  assert.equal(known.path, "/h/config.toml");
  assert.equal(known.line, 3);
  assert.equal(known.column, 9);
  const unknown = new FileFormatError("bad json", { path: "/h/auth.json" });
  assert.equal(unknown.line, undefined);
  assert.equal(unknown.column, undefined);
  assert.equal(Object.keys(unknown).includes("line"), false);
  assert.equal(Object.keys(unknown).includes("column"), false);
});

test("FileSystemError, UnsupportedError and BundleError keep only the fields given", () => {
  const fs = new FileSystemError("m", { operation: "write", path: "/log", code: "ENOSPC" });
  assert.deepEqual([fs.operation, fs.path, fs.code], ["write", "/log", "ENOSPC"]);
  const stream = new FileSystemError("m", { operation: "write" });
  assert.equal(Object.hasOwn(stream, "path"), false);
  assert.equal(Object.hasOwn(stream, "code"), false);
  const unsupported = new UnsupportedError("m", { feature: "--oss", version: "0.171.0" });
  assert.deepEqual([unsupported.feature, unsupported.version], ["--oss", "0.171.0"]);
  assert.equal(Object.hasOwn(new UnsupportedError("m", { feature: "x" }), "version"), false);
  assert.equal(new BundleError("m", { path: "/b" }).path, "/b");
  assert.equal(Object.hasOwn(new BundleError("m"), "path"), false);
});

test("systemReason starts with the system code on every runtime, without repeating it", () => {
  const deno = Object.assign(new Error("No space left on device (os error 28)"), {
    code: "ENOSPC",
  });
  assert.equal(systemReason(deno), "ENOSPC: No space left on device (os error 28)");
  const node = Object.assign(new Error("ENOSPC: no space left on device, write"), {
    code: "ENOSPC",
  });
  assert.equal(systemReason(node), "ENOSPC: no space left on device, write");
  assert.equal(systemReason("plain"), "plain");
  assert.equal(systemReason(null), "null");
});

test("fileSystemError names the operation, the file's role and path, and keeps the cause", () => {
  const cause = Object.assign(new Error("is a directory"), { code: "EISDIR" });
  const error = fileSystemError("the event log", "open", "/tmp/x", cause);
  assert.ok(error instanceof FileSystemError);
  assert.equal(error.message, "Cannot open the event log /tmp/x: EISDIR: is a directory");
  assert.deepEqual([error.operation, error.path, error.code], ["open", "/tmp/x", "EISDIR"]);
  assert.equal(error.cause, cause);
  const noPath = fileSystemError("the stream", "write", undefined, new Error("closed"));
  assert.equal(noPath.message, "Cannot write the stream: closed");
  assert.equal(noPath.code, undefined);
  const secret = fileSystemError("the file", "read", `/tmp/${SECRET}`, new Error("x"), [SECRET]);
  assert.equal(secret.message.includes(SECRET), false);
});

test("exitReason picks the last Error: line, else the last line that is not a warning", () => {
  assert.equal(
    exitReason("Error: first\nsomething\nerror: second\nWARNING: later\n"),
    "error: second",
  );
  assert.equal(exitReason("fatal: no repo\n"), "fatal: no repo");
  assert.equal(
    exitReason("the real reason\nWARNING: proceeding, even though we could not update PATH\n"),
    "the real reason",
  );
  assert.equal(exitReason("why\nReading prompt from stdin...\n"), "why");
  assert.equal(exitReason("warn: only warnings\n"), undefined);
  assert.equal(exitReason(undefined), undefined);
  assert.equal(exitReason("\r\n\r\n"), undefined);
});

test("execExitMessage reads like the official SDK's and cuts a long reason at 300 characters", () => {
  assert.equal(
    execExitMessage(2, null, "Error: bad flag"),
    "Codex Exec exited with code 2: Error: bad flag",
  );
  assert.equal(
    execExitMessage(null, "SIGTERM", undefined),
    "Codex Exec exited with signal SIGTERM",
  );
  assert.equal(execExitMessage(null, null, ""), "Codex Exec exited with code 1");
  assert.equal(
    execExitMessage(2, null, "Error: x", "codex mcp list"),
    "codex mcp list exited with code 2: Error: x",
  );
  const long = execExitMessage(1, null, `Error: ${"y".repeat(400)}`);
  assert.ok(long.endsWith("..."));
  assert.equal(long.length, "Codex Exec exited with code 1: ".length + 303);
});

test("boundTail keeps short text whole and marks how much it cut from longer text", () => {
  assert.equal(boundTail("abc", 3), "abc");
  assert.equal(boundTail("abcdef", 2), "[... 4 earlier characters cut]\nef");
});

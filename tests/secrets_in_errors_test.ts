/**
 * Known secrets (the API key, secret-looking config values) never show in an error of either
 * lane, whatever the CLI prints: fake `codex` scripts echo them on stdout, on stderr and in a
 * failure message.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Codex } from "../src/codex.ts";
import {
  CodexError,
  ConnectionClosedError,
  ExitError,
  MalformedOutputError,
  TurnFailedError,
} from "../src/errors.ts";

const KEY = "sk-proj-fake-0123456789-abcdefghij";
const BEARER = "bearer-value-9876543210";

async function fakeCodex(body: string): Promise<{ path: string } & AsyncDisposable> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-secrets-"));
  const path = join(dir, "codex");
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return { path, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

/** Every string an error carries, its causes' included. */
function texts(error: unknown): string {
  const out: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) {
    out.push(e.message, String(e.stack));
    if (e instanceof CodexError) out.push(e.stderrTail ?? "", ...(e.command ?? []));
    if (e instanceof MalformedOutputError) out.push(e.excerpt);
  }
  return out.join("\n");
}

function assertClean(error: unknown): void {
  const all = texts(error);
  // Not even a piece of either secret.
  for (const secret of [KEY, BEARER]) {
    assert.ok(!all.includes(secret.slice(4, 16)), `secret in:\n${all.slice(0, 2000)}`);
  }
}

const STARTED = `printf '%s\\n' '{"type":"thread.started","thread_id":"t"}'`;

test("exec: a key printed on stdout is scrubbed from MalformedOutputError", async () => {
  await using fake = await fakeCodex(
    `cat >/dev/null\n${STARTED}\necho "debug: using key $CODEX_API_KEY"\nsleep 5`,
  );
  const codex = new Codex({ capabilities: false, codexPathOverride: fake.path, apiKey: KEY });
  const error = await codex.startThread().run("x").catch((e) => e);
  assert.ok(error instanceof MalformedOutputError, String(error));
  assert.equal(error.excerpt, "debug: using key [redacted]");
  assertClean(error);
});

test("exec: a key and a config secret printed on stderr are scrubbed from ExitError", async () => {
  await using fake = await fakeCodex(
    `cat >/dev/null\necho "auth failed for $CODEX_API_KEY (header Bearer ${BEARER})" >&2\nexit 2`,
  );
  const codex = new Codex({
    capabilities: false,
    codexPathOverride: fake.path,
    apiKey: KEY,
    config: { model_providers: { p: { http_headers: { Authorization: `Bearer ${BEARER}` } } } },
  });
  const error = await codex.startThread().run("x").catch((e) => e);
  assert.ok(error instanceof ExitError, String(error));
  assert.match(error.stderrTail ?? "", /auth failed for \[redacted\]/);
  assert.ok(error.command?.some((arg) => arg.endsWith("http_headers.Authorization=***")));
  assertClean(error);
});

test("exec: a key in a turn.failed message is scrubbed from TurnFailedError", async () => {
  await using fake = await fakeCodex(
    `cat >/dev/null\n${STARTED}\nprintf '{"type":"turn.failed","error":{"message":"401: key %s rejected"}}\\n' "$CODEX_API_KEY"`,
  );
  const codex = new Codex({ capabilities: false, codexPathOverride: fake.path, apiKey: KEY });
  const error = await codex.startThread().run("x").catch((e) => e);
  assert.ok(error instanceof TurnFailedError, String(error));
  assert.equal(error.message, "401: key [redacted] rejected");
  assertClean(error);
});

test("app-server: ConnectionClosedError masks --config secrets and scrubs the stderr tail", async () => {
  await using fake = await fakeCodex(
    `echo "fatal: header Bearer ${BEARER} refused for $CODEX_API_KEY" >&2\nexit 3`,
  );
  const codex = new Codex({
    capabilities: false,
    codexPathOverride: fake.path,
    apiKey: KEY,
    config: { model_providers: { p: { http_headers: { Authorization: `Bearer ${BEARER}` } } } },
  });
  try {
    const error = await codex.startThread({ transport: "app-server" }).run("x").catch((e) => e);
    assert.ok(error instanceof ConnectionClosedError, String(error));
    assert.ok(error.command?.includes("app-server"), String(error.command));
    assert.ok(
      error.command?.some((arg) => arg.endsWith("http_headers.Authorization=***")),
      String(error.command),
    );
    assert.match(error.stderrTail ?? "", /header (Bearer )?\[redacted\] refused for \[redacted\]/);
    assertClean(error);
  } finally {
    await codex.close();
  }
});

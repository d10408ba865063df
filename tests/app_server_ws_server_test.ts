/**
 * `startWebSocketAppServer` with the real codex: WebSocket authentication by a capability token
 * (in a 0600 file, or only its digest in argv) or by signed bearer tokens, no secret in argv,
 * secret files gone after stop.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { ConnectionClosedError } from "../src/errors.ts";
import { offlineCodexConfig, startFakeResponsesServer } from "../src/testing/mod.ts";
import {
  signWebSocketBearer,
  startWebSocketAppServer,
} from "../src/app_server/websocket_server.ts";
import type { WebSocketServerOptions } from "../src/app_server/websocket_server.ts";
import { codexEnv, freshHome, NATIVE_CODEX, tempDir, testCodexSnapshot } from "./_codex.ts";

const flags = new Set(
  ((await testCodexSnapshot()).commands["codex app-server"]?.flags ?? []).map((f) => f.long),
);
const has = (...names: string[]) => names.every((n) => flags.has(n));
const skipToken = has("--listen", "--ws-auth", "--ws-token-file") ? false : "no --ws-token-file";

async function rig() {
  const fake = await startFakeResponsesServer([]);
  const home = await freshHome();
  const tmp = await tempDir("codexkit-tmp-");
  const base: WebSocketServerOptions = {
    binary: NATIVE_CODEX,
    args: offlineCodexConfig(fake).args,
    env: codexEnv(fake, home.path, tmp.path),
    cwd: home.path,
  };
  return {
    base,
    async [Symbol.asyncDispose]() {
      await fake.close();
      await home[Symbol.asyncDispose]();
      await tmp[Symbol.asyncDispose]();
    },
  };
}

test(
  "A capability token travels in a 0600 file, never in argv; a client presents it, a wrong one is refused",
  {
    skip: skipToken,
  },
  async () => {
    await using r = await rig();
    const server = await startWebSocketAppServer({ ...r.base, auth: { mode: "capability-token" } });
    const file = server.command[server.command.indexOf("--ws-token-file") + 1];
    try {
      assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(server.token && server.token.length >= 32);
      assert.ok(!server.command.some((arg) => arg.includes(server.token!)), "token not in argv");
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      await using client = await server.connect();
      assert.ok(Array.isArray((await client.call("thread/list", {})).data));
      const refused = await server.connect({ token: "not-the-token-at-all" }).catch((e) => e);
      assert.ok(refused instanceof ConnectionClosedError, String(refused));
    } finally {
      await server.stop();
    }
    await assert.rejects(
      stat(dirname(file)),
      { code: "ENOENT" },
      "the token dir goes with the server",
    );
  },
);

test("A capability token can reach the server as its SHA-256 digest alone", {
  skip: has("--ws-token-sha256") ? false : "no --ws-token-sha256",
}, async () => {
  await using r = await rig();
  const token = "a-token-chosen-by-the-app-0123456789";
  await using server = await startWebSocketAppServer({
    ...r.base,
    auth: { mode: "capability-token", token, pass: "sha256" },
  });
  assert.ok(!server.command.some((arg) => arg.includes(token)));
  assert.ok(server.command.includes("--ws-token-sha256"));
  await using client = await server.connect();
  assert.equal(client.info?.platformOs, "linux");
});

test(
  "Signed bearer tokens: a JWT signed with the shared secret is accepted, one signed otherwise is not",
  {
    skip: has("--ws-shared-secret-file", "--ws-issuer", "--ws-audience")
      ? false
      : "no signed bearer",
  },
  async () => {
    await using r = await rig();
    const sharedSecret = "shared-secret-of-at-least-32-characters!";
    await using server = await startWebSocketAppServer({
      ...r.base,
      auth: { mode: "signed-bearer-token", sharedSecret, issuer: "my-app", audience: "codex" },
    });
    assert.equal(server.token, undefined);
    assert.ok(!server.command.some((arg) => arg.includes(sharedSecret)));
    const good = await signWebSocketBearer({ sharedSecret, issuer: "my-app", audience: "codex" });
    await using client = await server.connect({ token: good });
    assert.equal(client.info?.platformOs, "linux");
    const forged = await signWebSocketBearer({
      sharedSecret: "another-secret-of-at-least-32-characters",
      issuer: "my-app",
      audience: "codex",
    });
    assert.ok(
      (await server.connect({ token: forged }).catch((e) => e)) instanceof ConnectionClosedError,
    );
  },
);

test("Bad WebSocket server options are a TypeError before anything is spawned", async () => {
  const base = { binary: "/nonexistent/codex" };
  await assert.rejects(
    startWebSocketAppServer({ ...base, port: 70000 }),
    /Cannot use options.port: expected a port number/,
  );
  await assert.rejects(
    startWebSocketAppServer({ ...base, auth: { mode: "capability-token", token: "short" } }),
    /auth\.token/,
  );
  await assert.rejects(
    startWebSocketAppServer({ ...base, auth: { mode: "signed-bearer-token", sharedSecret: "x" } }),
    /auth\.sharedSecret/,
  );
  await assert.rejects(
    startWebSocketAppServer({ ...base, auth: { mode: "other" } as never }),
    /Cannot use options.auth.mode: expected "capability-token" or "signed-bearer-token"/,
  );
});

/**
 * Logins with the real codex app-server, inside a network namespace of its own (`unshare -rn`:
 * nothing, not even loopback, leaves it), so a login that tried to call out could not: external
 * tokens (kept in memory, never in auth.json), an API key, logout, and the start and cancel of
 * a browser login (whose redirect listener on 127.0.0.1:1455 is private to the namespace).
 * Flows that need OpenAI's servers (device code, a completed browser login, token refresh) are
 * covered with a scripted server in src/app_server/account_login_test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import process from "node:process";
import { AppServer } from "../src/app_server/app_server.ts";
import type { AppServerOptions } from "../src/app_server/app_server.ts";
import { accountLogin } from "../src/app_server/account_login.ts";
import { offlineCodexConfig } from "../src/testing/mod.ts";
import { UnsupportedError } from "../src/errors.ts";
import { runToEnd } from "../src/process/run_to_end.ts";
import { getSpawner } from "../src/runtime/mod.ts";
import { freshHome, NATIVE_CODEX, tempDir, testCodexSnapshot } from "./_codex.ts";

const isolated = await runToEnd("unshare", ["-rn", "true"], {
  spawner: getSpawner(),
  timeoutMs: 10_000,
})
  .then((r) => r.exitCode === 0, () => false);
const skip = isolated ? false : "unshare -rn is not available: no network-free namespace";
const has = async (command: string) => (await testCodexSnapshot()).commands[command] !== undefined;

async function isolatedServer(options: AppServerOptions = {}) {
  const home = await freshHome();
  const tmp = await tempDir("codexkit-tmp-");
  const server = await AppServer.spawn({
    binary: "unshare",
    // A provider of its own: with the built-in openai provider a token login first asks OpenAI
    // for workspace routing (0.171.0), which fails here by design.
    args: ["-rn", NATIVE_CODEX, ...offlineCodexConfig({ url: "http://127.0.0.1:9" }).args],
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: tmp.path,
      TMPDIR: tmp.path,
      CODEX_HOME: home.path,
    },
    cwd: tmp.path,
    ...options,
  });
  const authModes: (string | null)[] = [];
  const waiters: (() => void)[] = [];
  server.on("account/updated", (p) => {
    authModes.push((p as { authMode: string | null }).authMode);
    for (const wake of waiters.splice(0)) wake();
  });
  /** The modes of the first `n` account/updated notifications (they may follow a call's answer). */
  const modes = async (n: number): Promise<(string | null)[]> => {
    while (authModes.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    return authModes.slice(0, n);
  };
  return {
    server,
    home: home.path,
    authModes,
    modes,
    async [Symbol.asyncDispose]() {
      await server.close();
      await home[Symbol.asyncDispose]();
      await tmp[Symbol.asyncDispose]();
    },
  };
}

const b64 = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
// The name of the claim codex reads the plan and account from: a namespace inside the token,
// never an address anything connects to.
const AUTH_CLAIM = ["https://api", "openai", "com/auth"].join(".");
const fakeJwt = `${b64({ alg: "none", typ: "JWT" })}.${
  b64({
    email: "dev@example.com",
    [AUTH_CLAIM]: { chatgpt_plan_type: "pro", chatgpt_account_id: "acct-1" },
    exp: Math.floor(Date.now() / 1000) + 3600,
  })
}.sig`;

test("External ChatGPT tokens log codex in without writing auth.json, and logout clears them", {
  skip,
}, async () => {
  await using r = await isolatedServer({ capabilities: { experimentalApi: true } });
  const login = accountLogin(r.server);
  const outcome = await login.loginWithTokens({ accessToken: fakeJwt, chatgptAccountId: "acct-1" });
  assert.deepEqual(outcome, { success: true, error: null });
  assert.ok(!(await readdir(r.home)).includes("auth.json"), "tokens stay in memory");
  await login.logout();
  assert.deepEqual(await r.modes(2), ["chatgptAuthTokens", null]);
});

test("Without the experimental API codex refuses external tokens, as an UnsupportedError", {
  skip,
}, async () => {
  await using r = await isolatedServer();
  await assert.rejects(
    accountLogin(r.server).loginWithTokens({ accessToken: fakeJwt, chatgptAccountId: "acct-1" }),
    UnsupportedError,
  );
});

test("An API key login is stored in auth.json; logout removes it", { skip }, async () => {
  await using r = await isolatedServer();
  const login = accountLogin(r.server);
  assert.deepEqual(await login.loginWithApiKey("sk-test-0123456789abcdef"), {
    success: true,
    error: null,
  });
  assert.ok((await readdir(r.home)).includes("auth.json"));
  await login.logout();
  assert.ok(!(await readdir(r.home)).includes("auth.json"));
  assert.deepEqual(await r.modes(2), ["apikey", null]);
});

test(
  "A browser login hands over OpenAI's authorisation URL with a loopback redirect, and cancels",
  {
    skip: skip || (!(await has("codex login")) && "no login command"),
  },
  async () => {
    await using r = await isolatedServer();
    const pending = await accountLogin(r.server).loginWithChatGpt();
    const url = new URL(pending.authUrl!);
    assert.equal(url.origin, "https://auth.openai.com");
    assert.match(
      url.searchParams.get("redirect_uri") ?? "",
      /^http:\/\/(127\.0\.0\.1|localhost):\d+\//,
    );
    await pending.cancel();
    assert.equal((await pending.completed).success, false);
  },
);

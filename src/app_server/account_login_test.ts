import { test } from "node:test";
import assert from "node:assert/strict";
import { AppServer } from "./app_server.ts";
import { ScriptedError, scriptedTransport } from "./_test_helpers.ts";
import type { Script, ScriptedTransport } from "./_test_helpers.ts";
import { accountLogin } from "./account_login.ts";
import { TimeoutError, UnsupportedError } from "../errors.ts";

const COMPLETED = "account/login/completed";

async function open(script: (far: () => ScriptedTransport) => Script) {
  // The script's entries reach the far end once it exists, to send notifications from it.
  const holder: { far?: ScriptedTransport } = {};
  const far = scriptedTransport(script(() => holder.far!), { userAgentVersion: "0.171.0" });
  holder.far = far;
  const server = await AppServer.open(far.transport, { onWarning: () => {} });
  return { far, server, login: accountLogin(server) };
}

const sentMethods = (far: ScriptedTransport) =>
  far.sent.filter((m) => m.id !== undefined && typeof m.method === "string").map((m) => m.method);

test("loginWithChatGpt hands the app the authorisation URL and settles on its own login's completion", async () => {
  const { far, server, login } = await open(() => ({
    "account/login/start": {
      type: "chatgpt",
      loginId: "L1",
      authUrl: "https://auth.example/authorize?x=1",
    },
  }));
  try {
    const pending = await login.loginWithChatGpt();
    assert.equal(pending.loginId, "L1");
    assert.equal(pending.authUrl, "https://auth.example/authorize?x=1");
    assert.deepEqual(far.sent.find((m) => m.method === "account/login/start")?.params, {
      type: "chatgpt",
    });
    let settled = false;
    pending.completed.then(() => settled = true);
    await far.send({ method: COMPLETED, params: { loginId: "other", success: true, error: null } });
    await far.send({ method: COMPLETED, params: { loginId: "L1", success: true, error: null } });
    assert.deepEqual(await pending.completed, { success: true, error: null });
    assert.equal(settled, true);
  } finally {
    await server.close();
  }
});

test("loginWithDeviceCode shows the code and URL; cancel asks codex and completed reports the failure", async () => {
  const { far, server, login } = await open((far) => ({
    "account/login/start": {
      type: "chatgptDeviceCode",
      loginId: "D1",
      verificationUrl: "https://auth.example/device",
      userCode: "ABCD-1234",
    },
    "account/login/cancel": () => {
      queueMicrotask(() =>
        far().send({
          method: COMPLETED,
          params: { loginId: "D1", success: false, error: "cancelled" },
        })
      );
      return { status: "canceled" };
    },
  }));
  try {
    const pending = await login.loginWithDeviceCode();
    assert.deepEqual([pending.verificationUrl, pending.userCode], [
      "https://auth.example/device",
      "ABCD-1234",
    ]);
    await pending.cancel();
    assert.deepEqual(far.sent.find((m) => m.method === "account/login/cancel")?.params, {
      loginId: "D1",
    });
    assert.deepEqual(await pending.completed, { success: false, error: "cancelled" });
  } finally {
    await server.close();
  }
});

test("loginWithTokens sends the tokens, waits for the outcome, and answers codex's refresh requests with fresh ones", async () => {
  const { far, server, login } = await open((far) => ({
    "account/login/start": () => {
      queueMicrotask(() =>
        far().send({ method: COMPLETED, params: { loginId: null, success: true, error: null } })
      );
      return { type: "chatgptAuthTokens" };
    },
  }));
  try {
    const asked: unknown[] = [];
    const outcome = await login.loginWithTokens(
      { accessToken: "jwt-1", chatgptAccountId: "acct-1" },
      {
        refresh: (request) => {
          asked.push(request);
          return { accessToken: "jwt-2", chatgptAccountId: "acct-1", chatgptPlanType: "pro" };
        },
      },
    );
    assert.deepEqual(outcome, { success: true, error: null });
    assert.deepEqual(far.sent.find((m) => m.method === "account/login/start")?.params, {
      type: "chatgptAuthTokens",
      accessToken: "jwt-1",
      chatgptAccountId: "acct-1",
    });
    const params = { reason: "unauthorized", previousAccountId: "acct-1" };
    await far.send({ id: 41, method: "account/chatgptAuthTokens/refresh", params });
    assert.deepEqual((await far.answerTo(41)).result, {
      accessToken: "jwt-2",
      chatgptAccountId: "acct-1",
      chatgptPlanType: "pro",
    });
    assert.deepEqual(asked, [params]);
  } finally {
    await server.close();
  }
});

test("A token login refused for want of the experimental API is an UnsupportedError saying how to open the connection", async () => {
  const { server, login } = await open(() => ({
    "account/login/start": new ScriptedError(
      -32600,
      "account/login/start.chatgptAuthTokens requires experimentalApi capability",
    ),
  }));
  try {
    await assert.rejects(
      login.loginWithTokens({ accessToken: "jwt", chatgptAccountId: "a" }),
      (error: unknown) =>
        error instanceof UnsupportedError && /experimentalApi: true/.test(error.message),
    );
  } finally {
    await server.close();
  }
});

test("A login whose outcome never comes is a TimeoutError; one whose connection ends rejects", async () => {
  const { far, server, login } = await open(() => ({
    "account/login/start": (params: unknown) =>
      (params as { type: string }).type === "apiKey"
        ? { type: "apiKey" }
        : { type: "chatgpt", loginId: "L9", authUrl: "https://auth.example/" },
  }));
  await assert.rejects(login.loginWithApiKey("sk-test", { timeoutMs: 20 }), TimeoutError);
  const pending = await login.loginWithChatGpt();
  await server.close();
  await assert.rejects(pending.completed);
  void far;
});

test("Bad login input is a TypeError before anything is sent", async () => {
  const { far, server, login } = await open(() => ({}));
  try {
    await assert.rejects(login.loginWithApiKey(""), /apiKey/);
    await assert.rejects(
      login.loginWithTokens({ accessToken: "", chatgptAccountId: "a" }),
      /accessToken/,
    );
    await assert.rejects(
      login.loginWithTokens({ accessToken: "t", chatgptAccountId: "a" }, { refresh: 1 as never }),
      /refresh must be a function/,
    );
    assert.deepEqual(sentMethods(far), ["initialize"]);
  } finally {
    await server.close();
  }
});

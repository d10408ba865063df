import { test } from "node:test";
import assert from "node:assert/strict";
import { AppServer } from "./app_server.ts";
import { decideServerRequest } from "./server_requests.ts";
import type { AppServerOptions } from "./app_server.ts";
import { scriptedTransport } from "./_test_helpers.ts";
import { UnsupportedError } from "../errors.ts";

type Message = Record<string, unknown>;

const scripted = () =>
  scriptedTransport({ "thread/loaded/list": { data: ["t1"], nextCursor: null } });

async function open(options: AppServerOptions = {}) {
  const far = scripted();
  const errors: unknown[] = [];
  const server = await AppServer.open(far.transport, {
    ...options,
    onError: (error) => errors.push(error),
  });
  return { far, server, errors };
}

test("Server requests without a hook get their documented defaults, never a bare -32601", async () => {
  const { far, server, errors } = await open();
  await far.send({
    id: 0,
    method: "mcpServer/elicitation/request",
    params: { threadId: "t", serverName: "s", mode: "form", message: "Name?", requestedSchema: {} },
  });
  await far.send({
    id: 1,
    method: "item/tool/requestUserInput",
    params: { threadId: "t", turnId: "u", itemId: "i", isBlocking: true, questions: [] },
  });
  await far.send({
    id: 2,
    method: "item/tool/call",
    params: { threadId: "t", turnId: "u", callId: "c", tool: "lookup", arguments: {} },
  });
  await far.send({
    id: 3,
    method: "account/chatgptAuthTokens/refresh",
    params: { reason: "unauthorized" },
  });
  await far.send({ id: 4, method: "attestation/generate", params: {} });
  await far.send({ id: 5, method: "future/request", params: {} });
  await far.send({
    id: 6,
    method: "execCommandApproval",
    params: { conversationId: "t", callId: "c", command: ["ls"], cwd: "/", parsedCmd: [] },
  });
  assert.deepEqual((await far.answerTo(0)).result, { action: "decline" });
  assert.deepEqual((await far.answerTo(1)).result, { answers: {} });
  const tool = (await far.answerTo(2)).result as Message;
  assert.equal(tool.success, false);
  assert.match(JSON.stringify(tool.contentItems), /No handler ran for the tool lookup/);
  assert.equal(((await far.answerTo(3)).error as Message).code, -32000);
  assert.equal(((await far.answerTo(4)).error as Message).code, -32000);
  assert.equal(((await far.answerTo(5)).error as Message).code, -32601);
  assert.deepEqual((await far.answerTo(6)).result, {
    decision: { denied: { rejection: "Declined by the client" } },
  });
  // The unknown request is reported, not silent.
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /future\/request/);
  // Exactly one answer per request.
  for (const id of [0, 1, 2, 3, 4, 5, 6]) {
    assert.equal(far.sent.filter((m) => m.id === id && m.method === undefined).length, 1);
  }
  await server.close();
});

test("Connection hooks answer elicitation, token refresh and attestation once each", async () => {
  const seen: string[] = [];
  const { far, server } = await open({
    serverRequests: {
      onElicitation: (request) => {
        seen.push(`elicit:${request.serverName}`);
        return { action: "accept", content: { name: "Ada" } };
      },
      onTokenRefresh: (request) => {
        seen.push(`refresh:${request.reason}`);
        return { accessToken: "fresh-token", chatgptAccountId: "acct" };
      },
      onAttestation: () => ({ token: "attest" }),
      onUserInput: () => {
        throw new Error("no keyboard here");
      },
      onToolCall: () => ({ nonsense: true }) as never,
    },
  });
  await far.send({
    id: "e",
    method: "mcpServer/elicitation/request",
    params: {
      threadId: "t",
      serverName: "docs",
      mode: "url",
      message: "m",
      url: "u",
      elicitationId: "x",
    },
  });
  await far.send({
    id: "r",
    method: "account/chatgptAuthTokens/refresh",
    params: { reason: "unauthorized" },
  });
  await far.send({ id: "a", method: "attestation/generate", params: {} });
  await far.send({
    id: "q",
    method: "item/tool/requestUserInput",
    params: { threadId: "t", turnId: "u", itemId: "i", isBlocking: true, questions: [] },
  });
  await far.send({
    id: "c",
    method: "item/tool/call",
    params: { threadId: "t", turnId: "u", callId: "c", tool: "x", arguments: {} },
  });
  assert.deepEqual((await far.answerTo("e")).result, {
    action: "accept",
    content: { name: "Ada" },
  });
  assert.deepEqual((await far.answerTo("r")).result, {
    accessToken: "fresh-token",
    chatgptAccountId: "acct",
  });
  assert.deepEqual((await far.answerTo("a")).result, { token: "attest" });
  // A hook that throws, or answers something malformed, gets the default.
  assert.deepEqual((await far.answerTo("q")).result, { answers: {} });
  assert.equal(((await far.answerTo("c")).result as Message).success, false);
  assert.deepEqual(seen, ["elicit:docs", "refresh:unauthorized"]);
  await server.close();
});

test("AppServer.call learns a method the server lacks and fails it as UnsupportedError", async () => {
  const { far, server } = await open();
  assert.deepEqual(await server.call("thread/loaded/list", {}), { data: ["t1"], nextCursor: null });
  assert.equal(server.version, "0.169.0");
  await assert.rejects(
    server.call("thread/goal/get", { threadId: "t1" }),
    (e: unknown) =>
      e instanceof UnsupportedError && e.feature === "app-server.thread/goal/get" &&
      e.version === "0.169.0" && /thread\/goal\/get/.test(e.message),
  );
  assert.equal(server.supports("thread/goal/get"), false);
  const before = far.sent.length;
  await assert.rejects(server.call("thread/goal/get", { threadId: "t1" }), UnsupportedError);
  assert.equal(far.sent.length, before, "a known-unsupported method is not sent again");
  // Params are checked against the generated schema before sending.
  await assert.rejects(
    server.call("thread/read", { threadId: 5 } as never),
    (e: unknown) => e instanceof TypeError && /thread\/read: threadId/.test(e.message),
  );
  await server.close();
});

test("AppServer.on delivers typed notifications, unknown ones too", async () => {
  const { far, server } = await open();
  const got: string[] = [];
  server.on("thread/name/updated", (params) => got.push(`name:${params.threadName}`));
  server.onNotification((method) => got.push(method));
  await far.send({ method: "thread/name/updated", params: { threadId: "t", threadName: "x" } });
  await far.send({ method: "future/notification", params: { a: 1 } });
  await server.call("thread/loaded/list", {});
  assert.deepEqual(got, ["name:x", "thread/name/updated", "future/notification"]);
  await server.close();
});

test("A hook limit past 2^31 - 1 ms waits for the hook instead of firing at once", async () => {
  const outcome = await decideServerRequest(
    "item/tool/requestUserInput",
    { questions: [] },
    {
      serverRequestTimeoutMs: 2 ** 31 + 1000,
      onUserInput: () => new Promise((resolve) => setTimeout(() => resolve({ answers: {} }), 50)),
    },
  );
  assert.equal(outcome.source, "callback");
});

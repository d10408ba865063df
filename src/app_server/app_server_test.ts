import { test } from "node:test";
import assert from "node:assert/strict";
import { AppServer, spawnedServerSecrets } from "./app_server.ts";
import type { AppServerOptions } from "./app_server.ts";
import { scriptedTransport } from "./_test_helpers.ts";
import type { Message, Script } from "./_test_helpers.ts";
import type { AppServerTransport } from "./stdio_transport.ts";
import { ConnectionClosedError, RpcError, UnsupportedError } from "../errors.ts";
import type { OptionGate } from "../options/gates.ts";

const LOADED = { data: ["t1"], nextCursor: null };

async function open(script: Script = {}, options: AppServerOptions = {}) {
  const far = scriptedTransport({ "thread/loaded/list": LOADED, ...script });
  const errors: unknown[] = [];
  const server = await AppServer.open(far.transport, {
    onError: (error) => errors.push(error),
    ...options,
  });
  return { far, server, errors };
}

/** A round trip through the connection: everything the far end sent before it has arrived. */
async function settle(server: AppServer): Promise<void> {
  await server.request("thread/loaded/list", {});
}

test("AppServer.open sends initialize with the default client info, then the initialized notification", async () => {
  const { far, server } = await open();
  try {
    assert.deepEqual(far.sent.slice(0, 2).map((m) => [m.method, m.params]), [
      ["initialize", { clientInfo: { name: "codexkit", version: "0.1.0" } }],
      ["initialized", undefined],
    ]);
    assert.equal(far.sent[0].id !== undefined, true);
    assert.equal(far.sent[1].id, undefined);
    assert.equal(server.info?.codexHome, "/h");
    assert.equal(server.version, "0.169.0");
  } finally {
    await server.close();
  }
});

test("AppServer.open sends the given client info and capabilities; initialize runs once", async () => {
  const { far, server } = await open({}, {
    clientInfo: { name: "app", title: "App", version: "2.0.0" },
    capabilities: { experimentalApi: true },
  });
  try {
    assert.deepEqual(far.sent[0].params, {
      clientInfo: { name: "app", title: "App", version: "2.0.0" },
      capabilities: { experimentalApi: true },
    });
    const info = server.info;
    assert.equal(await server.initialize(), info);
    assert.equal(far.sent.filter((m) => m.method === "initialize").length, 1);
  } finally {
    await server.close();
  }
});

test("AppServer.open with skipInitialize sends nothing and knows no version yet", async () => {
  const far = scriptedTransport({}, { userAgentVersion: "0.171.0" });
  const server = await AppServer.open(far.transport, { skipInitialize: true });
  try {
    assert.equal(server.info, undefined);
    assert.equal(server.version, undefined);
    assert.deepEqual(far.sent, []);
    await server.initialize();
    assert.equal(server.version, "0.171.0");
  } finally {
    await server.close();
  }
});

test("AppServer.open rejects and disposes the transport when the handshake fails", async () => {
  let disposed = 0;
  const transport: AppServerTransport = {
    // The server ends before it answers anything.
    readable: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    writable: new WritableStream<Uint8Array>(),
    description: "a server that ends at once",
    describeClose: () => Promise.resolve({ exitCode: 1, signal: null }),
    dispose: () => {
      disposed++;
      return Promise.resolve();
    },
  };
  await assert.rejects(AppServer.open(transport), ConnectionClosedError);
  assert.equal(disposed, 1);
});

test("AppServer.request sends any method with its params and resolves the server's result", async () => {
  const seen: unknown[] = [];
  const { far, server } = await open({
    "custom/echo": (params: unknown) => {
      seen.push(params);
      return { echoed: params };
    },
  });
  try {
    assert.deepEqual(await server.request("custom/echo", { a: 1 }), { echoed: { a: 1 } });
    assert.deepEqual(seen, [{ a: 1 }]);
    const sent = far.sent.find((m) => m.method === "custom/echo");
    assert.deepEqual(sent?.params, { a: 1 });
  } finally {
    await server.close();
  }
});

test("AppServer.call checks params before sending and passes a valid result through", async () => {
  const { far, server } = await open();
  try {
    assert.deepEqual(await server.call("thread/loaded/list", {}), LOADED);
    const before = far.sent.length;
    await assert.rejects(
      server.call("thread/loaded/list", { limit: "ten" } as never),
      (e: unknown) => e instanceof TypeError && /thread\/loaded\/list/.test(e.message),
    );
    assert.equal(far.sent.length, before, "a call with bad params is not sent");
  } finally {
    await server.close();
  }
});

test("a method the server does not know rejects with UnsupportedError caused by its RpcError", async () => {
  const far = scriptedTransport({});
  const server = await AppServer.open(far.transport);
  try {
    // The scripted server answers a method it lacks as 0.x servers do: an unknown variant.
    await assert.rejects(server.request("nope/method"), (e: unknown) => {
      assert.ok(e instanceof UnsupportedError);
      assert.equal(e.feature, "app-server.nope/method");
      assert.ok(e.cause instanceof RpcError);
      return true;
    });
    assert.equal(server.supports("nope/method"), false);
    assert.equal(server.supports("thread/start"), undefined);
  } finally {
    await server.close();
  }
});

test("a gate that says a method is unsupported fails the call before anything is sent", async () => {
  const gate: OptionGate = {
    version: "0.140.0",
    support: (option) =>
      option === "app-server.thread/loaded/list"
        ? "unsupported"
        : option === "app-server.thread/start"
        ? "supported"
        : "unknown",
  };
  const { far, server } = await open({}, { gate });
  try {
    const before = far.sent.length;
    await assert.rejects(server.call("thread/loaded/list", {}), (e: unknown) => {
      assert.ok(e instanceof UnsupportedError);
      assert.match(e.message, /does not support thread\/loaded\/list/);
      return true;
    });
    await assert.rejects(server.request("thread/loaded/list"), UnsupportedError);
    assert.equal(far.sent.length, before);
    assert.equal(server.supports("thread/loaded/list"), false);
    assert.equal(server.supports("thread/start"), true);
    assert.equal(server.supports("thread/read"), undefined);
  } finally {
    await server.close();
  }
});

test("notification listeners get each notification in order until removed", async () => {
  const { far, server } = await open();
  try {
    const all: string[] = [];
    const named: string[] = [];
    const removeAll = server.onNotification((method) => all.push(method));
    const removeNamed = server.on("thread/name/updated", (p) => named.push(p.threadName ?? ""));
    await far.send({ method: "thread/name/updated", params: { threadId: "t", threadName: "a" } });
    await far.send({ method: "future/thing", params: {} });
    await settle(server);
    removeNamed();
    await far.send({ method: "thread/name/updated", params: { threadId: "t", threadName: "b" } });
    await settle(server);
    removeAll();
    await far.send({ method: "future/after", params: {} });
    await settle(server);
    assert.deepEqual(all, ["thread/name/updated", "future/thing", "thread/name/updated"]);
    assert.deepEqual(named, ["a"]);
  } finally {
    await server.close();
  }
});

test("AppServer.notify sends a notification without an id", async () => {
  const { far, server } = await open();
  try {
    await server.notify("custom/ping", { n: 1 });
    await settle(server);
    const sent = far.sent.find((m) => m.method === "custom/ping");
    assert.deepEqual(sent, { method: "custom/ping", params: { n: 1 } });
  } finally {
    await server.close();
  }
});

const APPROVAL: Message = {
  id: 41,
  method: "item/commandExecution/requestApproval",
  params: { threadId: "t", turnId: "u", itemId: "i", command: "rm -rf /", cwd: "/" },
};

test("a server request a route claims is answered with the route's result; unclaimed approvals are declined", async () => {
  const { far, server } = await open();
  try {
    const handled: [string, unknown][] = [];
    const remove = server.addRequestRoute({
      claims: (method) => method === "custom/ask",
      handle: (method, _params, id) => {
        handled.push([method, id]);
        return { answer: 42 };
      },
    });
    await far.send({ id: 40, method: "custom/ask", params: {} });
    assert.deepEqual((await far.answerTo(40)).result, { answer: 42 });
    assert.deepEqual(handled, [["custom/ask", 40]]);
    await far.send(APPROVAL);
    assert.deepEqual((await far.answerTo(41)).result, { decision: "decline" });
    remove();
    await far.send({ id: 42, method: "custom/ask", params: {} });
    assert.equal(((await far.answerTo(42)).error as Message).code, -32601);
    assert.deepEqual(handled.length, 1);
  } finally {
    await server.close();
  }
});

test("a route that throws an RpcError answers the server with that error", async () => {
  const { far, server } = await open();
  try {
    server.addRequestRoute({
      claims: () => true,
      handle: (method) => {
        throw new RpcError("not today", { code: -32000, method });
      },
    });
    await far.send({ id: 7, method: "custom/ask", params: {} });
    const error = (await far.answerTo(7)).error as Message;
    assert.equal(error.code, -32000);
    assert.equal(error.message, "not today");
  } finally {
    await server.close();
  }
});

test("an unknown server request is answered -32601 and reported to onError", async () => {
  const { far, server, errors } = await open();
  try {
    await far.send({ id: 9, method: "future/request", params: {} });
    assert.equal(((await far.answerTo(9)).error as Message).code, -32601);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof RpcError);
    assert.match(
      (errors[0] as RpcError).message,
      /unknown server request future\/request \(id 9\)/,
    );
  } finally {
    await server.close();
  }
});

test("close ends the connection once: closed resolves, later requests reject", async () => {
  const { server } = await open();
  assert.equal(server.isClosed, false);
  const first = server.close();
  assert.equal(server.close(), first);
  await first;
  assert.equal(server.isClosed, true);
  assert.ok((await server.closed) instanceof ConnectionClosedError);
  await assert.rejects(server.request("thread/loaded/list", {}), ConnectionClosedError);
});

test("await using closes the connection", async () => {
  let server: AppServer;
  {
    await using opened = (await open()).server;
    server = opened;
    assert.equal(server.isClosed, false);
  }
  assert.equal(server.isClosed, true);
});

test("spawnedServerSecrets gathers the API key, secret --config values and the caller's secrets", () => {
  const secrets = spawnedServerSecrets({
    env: { CODEX_API_KEY: "sk-env-key-0123456789" },
    args: ["-c", 'model_providers.x.api_key="sk-config-0123456789"', "-c", "model=gpt"],
    secrets: ["caller-secret-value"],
  });
  assert.ok(secrets.includes("sk-env-key-0123456789"));
  assert.ok(secrets.includes("sk-config-0123456789"));
  assert.ok(secrets.includes("caller-secret-value"));
  assert.equal(secrets.includes("gpt"), false);
  assert.deepEqual(spawnedServerSecrets({}), []);
});

test("the connection's secrets are scrubbed from the errors of its calls", async () => {
  const secret = "sk-test-secret-value-0123456789";
  const { server } = await open({}, { secrets: [secret] });
  try {
    await assert.rejects(
      server.call("thread/read", { threadId: "t", includeTurns: secret } as never),
      (e: unknown) => {
        assert.ok(e instanceof TypeError);
        assert.equal(e.message.includes(secret), false);
        assert.match(e.message, /includeTurns: expected boolean, received "\[redacted\]"/);
        return true;
      },
    );
  } finally {
    await server.close();
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { AppServer } from "./app_server.ts";
import type { AppServerMethod } from "./typed_calls.ts";
import { AppServerProtocolError } from "./typed_calls.ts";
import { scriptedTransport } from "./_test_helpers.ts";
import type { Script } from "./_test_helpers.ts";
import { Conversations } from "./conversations.ts";
import newer from "./testdata/results_0.171.0.json" with { type: "json" };
import * as v from "valibot";
import { PROTOCOL_CLI_VERSION } from "./protocol/methods.ts";
import { CLIENT_REQUEST_SCHEMAS } from "./wire_schemas.ts";

type Replay = Record<string, { params: unknown; result: unknown }>;
const { $comment: _, ...REPLAY } = newer as unknown as Replay & { $comment: string };

async function open(script: Script, version = "0.171.0") {
  const far = scriptedTransport(script, { userAgentVersion: version });
  const warnings: string[] = [];
  const server = await AppServer.open(far.transport, {
    onWarning: (message) => warnings.push(message),
    secrets: ["sk-test-secret-value-0123456789"],
  });
  return { far, server, warnings };
}

const call = (server: AppServer, method: string, params: unknown): Promise<unknown> =>
  (server.call as (m: AppServerMethod, p?: unknown) => Promise<unknown>)(
    method as AppServerMethod,
    params ?? undefined,
  );

test("AppServer.call accepts codex 0.171.0's answers to every method whose result changed, unchanged, and reports each drift once", async () => {
  const script = Object.fromEntries(Object.entries(REPLAY).map(([m, { result }]) => [m, result]));
  const { server, warnings } = await open(script);
  try {
    for (const [method, { params, result }] of Object.entries(REPLAY)) {
      assert.deepEqual(await call(server, method, params), result, method);
    }
    const reported = warnings.length;
    for (const [method, { params }] of Object.entries(REPLAY)) await call(server, method, params);
    assert.equal(warnings.length, reported, "a drift already reported is not reported again");
    for (const warning of warnings) assert.match(warning, /passed through unchanged/);
  } finally {
    await server.close();
  }
});

test("The replayed answers are what codex 0.171.0's own schema allows", {
  skip: PROTOCOL_CLI_VERSION === "0.171.0" ? false : `the protocol is ${PROTOCOL_CLI_VERSION}'s`,
}, () => {
  for (const [method, { params, result }] of Object.entries(REPLAY)) {
    const schemas = CLIENT_REQUEST_SCHEMAS[method];
    assert.deepEqual(v.safeParse(schemas.params, params ?? undefined).issues, undefined, method);
    assert.deepEqual(v.safeParse(schemas.result, result).issues, undefined, method);
  }
});

test("An older codex's moderated message (0.169.0's display {action}) passes a newer protocol", async () => {
  const old = structuredClone(REPLAY["thread/read"].result) as {
    thread: { turns: { items: { moderation?: { display: unknown } }[] }[] };
  };
  old.thread.turns[0].items[0].moderation!.display = { action: "show", blockType: null };
  const { server, warnings } = await open({ "thread/read": old }, "0.169.0");
  try {
    assert.deepEqual(await server.call("thread/read", { threadId: "thr_1" }), old);
    assert.ok(warnings.length <= 1, warnings.join("\n"));
  } finally {
    await server.close();
  }
});

const FUTURE_THREAD = {
  id: "thr_9",
  sessionId: "s",
  preview: "",
  ephemeral: false,
  modelProvider: "mock",
  createdAt: 1,
  updatedAt: 2,
  status: { type: "idle" },
  cwd: "/repo",
  cliVersion: "9.0.0",
  source: "appServer",
  projectId: null,
  turns: [{
    id: "turn_1",
    status: "completed",
    items: [{
      type: "agentMessage",
      id: "item_1",
      text: "",
      moderation: { moderated: true, display: { mode: "redact", version: 2 } },
    }],
  }],
};

test("A result shape no pinned protocol knows passes through, reported once as drift naming the place", async () => {
  const { server, warnings } = await open({ "thread/read": { thread: FUTURE_THREAD } }, "9.0.0");
  try {
    const first = await server.call("thread/read", { threadId: "thr_9", includeTurns: true });
    await server.call("thread/read", { threadId: "thr_9", includeTurns: true });
    assert.deepEqual(first, { thread: FUTURE_THREAD });
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0], /^codex 9\.0\.0 answered thread\/read /);
    assert.match(warnings[0], /thread\.turns\.0\.items\.0/);
    assert.doesNotMatch(warnings[0], /Expected Object but received Object/);
  } finally {
    await server.close();
  }
});

test("Conversations.readThread keeps a newer CLI's item shapes in raw", async () => {
  const { server } = await open({ "thread/read": { thread: FUTURE_THREAD } }, "9.0.0");
  try {
    const conversations = new Conversations({
      connection: () => Promise.resolve(server),
      codexHome: () => Promise.resolve("/nonexistent-home"),
    });
    const details = await conversations.readThread("thr_9", { turns: true });
    assert.equal(details.id, "thr_9");
    assert.deepEqual(details.turns[0].raw, FUTURE_THREAD.turns[0]);
    assert.deepEqual(details.turns[0].items, [{ id: "item_1", type: "agent_message", text: "" }]);
  } finally {
    await server.close();
  }
});

test("A result without a field the SDK reads rejects, naming the path, the kind and the value", async () => {
  const { server } = await open({ "thread/start": { thread: { id: 7, createdAt: 1 } } });
  try {
    await assert.rejects(server.call("thread/start", {}), (error: unknown) => {
      assert.ok(error instanceof AppServerProtocolError);
      assert.equal(error.method, "thread/start");
      assert.deepEqual(error.issues, [
        "thread.id: expected a string, received 7",
        "thread.updatedAt: expected a number, received nothing",
      ]);
      return true;
    });
  } finally {
    await server.close();
  }
});

test("Params we send are checked strictly: the TypeError names the path, the expected shape and what came", async () => {
  const { server, far } = await open({});
  try {
    const before = far.sent.length;
    await assert.rejects(
      server.call("turn/start", { threadId: "t", input: [{ type: "text", text: 5 }] } as never),
      (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, /^Cannot call turn\/start: input\.0/);
        assert.match(error.message, /received /);
        assert.doesNotMatch(error.message, /Expected Object but received Object/);
        return true;
      },
    );
    await assert.rejects(
      server.call("turn/start", {
        threadId: "t",
        input: [{ type: "secret", value: "sk-test-secret-value-0123456789" }],
      } as never),
      (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, /input\.0: matches none of the shapes/);
        assert.match(error.message, /an object \{type: "secret", value\}/);
        assert.doesNotMatch(error.message, /sk-test/);
        return true;
      },
    );
    assert.equal(far.sent.length, before, "nothing was sent");
  } finally {
    await server.close();
  }
});

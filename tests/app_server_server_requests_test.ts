import { test } from "node:test";
import assert from "node:assert/strict";
import type { ThreadEvent } from "../src/events.ts";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { RecordedRequest, Script } from "../src/testing/mod.ts";
import { createAppServerLane } from "../src/app_server/lane.ts";
import type { AppServerLane, AppServerThreadOptions } from "../src/app_server/lane.ts";
import type { DynamicToolSpec } from "../src/app_server/protocol/types.ts";
import { codexEnv, freshHome, NATIVE_CODEX, tempDir } from "./_codex.ts";

type Loose = Record<string, unknown>;

async function withLane(
  script: Script,
  extraArgs: string[],
  body: (
    lane: AppServerLane,
    requests: () => readonly RecordedRequest[],
    work: string,
  ) => Promise<void>,
  laneOptions: { experimentalApi?: boolean } = {},
): Promise<void> {
  const server = await startFakeResponsesServer(script);
  await using home = await freshHome();
  await using tmp = await tempDir("codexkit-tmp-");
  await using work = await tempDir("codexkit-work-");
  const lane = createAppServerLane({
    start: {
      binary: NATIVE_CODEX,
      args: [...offlineCodexConfig(server).args, ...extraArgs],
      env: codexEnv(server, home.path, tmp.path),
      cwd: work.path,
    },
    ...(laneOptions.experimentalApi ? { capabilities: { experimentalApi: true } } : {}),
  });
  try {
    await body(lane, () => server.requests, work.path);
  } finally {
    await lane.close();
    await server.close();
  }
}

async function runTurn(
  lane: AppServerLane,
  prompt: string,
  threadOptions: AppServerThreadOptions,
): Promise<ThreadEvent[]> {
  const out: ThreadEvent[] = [];
  const stream = lane.runTurn({
    input: { prompt, images: [] },
    threadId: null,
    threadOptions,
    turnOptions: {},
  });
  for await (const batch of stream) out.push(...batch);
  return out;
}

/** The output the CLI sent back to the model for `call_id`. */
function toolOutput(requests: readonly RecordedRequest[], callId: string): string {
  for (const request of requests) {
    const input = (request.body as { input?: Loose[] }).input ?? [];
    for (const entry of input) {
      if (entry.call_id === callId && String(entry.type).endsWith("_output")) {
        return JSON.stringify(entry.output);
      }
    }
  }
  return "";
}

const lookupTool: DynamicToolSpec = {
  type: "function",
  name: "lookup_order",
  description: "Looks an order up by id",
  inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
};

const toolScript = (): Script => [
  reply.items([{
    type: "function_call",
    name: "lookup_order",
    arguments: JSON.stringify({ id: "A-17" }),
    call_id: "call_dyn",
  }]),
  reply.message("Order found."),
];

test("App-server onToolCall answers a dynamic tool call exactly once, and the model sees it", async () => {
  await withLane(toolScript(), [], async (lane, requests) => {
    const calls: Loose[] = [];
    const events = await runTurn(lane, "find order A-17", {
      onToolCall: (request) => {
        calls.push(request as unknown as Loose);
        return `order ${(request.arguments as Loose).id} is shipped`;
      },
      dynamicTools: [lookupTool],
    });
    assert.equal(calls.length, 1);
    assert.equal(calls[0].tool, "lookup_order");
    assert.deepEqual(calls[0].arguments, { id: "A-17" });
    const answered = events.filter((e) =>
      e.type === "server_request.answered"
    ) as unknown as Loose[];
    assert.equal(answered.length, 1);
    assert.equal(answered[0].kind, "tool_call");
    assert.equal(answered[0].source, "callback");
    assert.match(toolOutput(requests(), "call_dyn"), /order A-17 is shipped/);
    assert.equal(events.at(-1)?.type, "turn.completed");
  }, { experimentalApi: true });
});

test("App-server without onToolCall answers a dynamic tool call with the documented failure", async () => {
  await withLane(toolScript(), [], async (lane, requests) => {
    const events = await runTurn(lane, "find order A-17", { dynamicTools: [lookupTool] });
    const answered = events.filter((e) =>
      e.type === "server_request.answered"
    ) as unknown as Loose[];
    assert.equal(answered.length, 1);
    assert.equal(answered[0].source, "default");
    assert.equal(answered[0].reason, "no_callback");
    assert.match(toolOutput(requests(), "call_dyn"), /No handler ran for the tool lookup_order/);
    assert.equal(events.at(-1)?.type, "turn.completed");
  }, { experimentalApi: true });
});

const askScript = (): Script => [
  reply.items([{
    type: "function_call",
    name: "request_user_input",
    arguments: JSON.stringify({
      questions: [{
        id: "colour",
        header: "Colour",
        question: "Which colour?",
        options: [{ label: "Red", description: "warm" }, {
          label: "Blue",
          description: "cool",
        }],
      }],
    }),
    call_id: "call_ask",
  }]),
  reply.message("Noted."),
];

test("App-server onUserInput answers request_user_input once, and the model sees the answer", async () => {
  await withLane(
    askScript(),
    ["--enable", "default_mode_request_user_input"],
    async (lane, requests) => {
      const asked: Loose[] = [];
      const events = await runTurn(lane, "ask me", {
        onUserInput: (request) => {
          asked.push(request as unknown as Loose);
          return { answers: { colour: { answers: ["Blue"] } } };
        },
      });
      const types = events.map((e) => e.type);
      // The request, its answer and the server's own "resolved" show in the turn, in order.
      const order = [
        "server_request.requested",
        "server_request.answered",
        "server_request.resolved",
      ]
        .map((t) => types.indexOf(t as ThreadEvent["type"]));
      assert.ok(order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1])), types.join());
      assert.equal(asked.length, 1);
      assert.equal((asked[0].questions as Loose[])[0].id, "colour");
      assert.match(toolOutput(requests(), "call_ask"), /Blue/);
    },
  );
});

test("App-server without onUserInput answers request_user_input with no answers", async () => {
  await withLane(
    askScript(),
    ["--enable", "default_mode_request_user_input"],
    async (lane, requests) => {
      const events = await runTurn(lane, "ask me", {});
      const answered = events.find((e) => e.type === "server_request.answered") as unknown as Loose;
      assert.equal(answered.kind, "user_input");
      assert.equal(answered.source, "default");
      assert.equal(answered.reason, "no_callback");
      assert.equal(
        toolOutput(requests(), "call_ask"),
        JSON.stringify(JSON.stringify({ answers: {} })),
      );
      assert.equal(events.at(-1)?.type, "turn.completed");
    },
  );
});

test("App-server turns show thread status and rate-limit notifications as typed events", async () => {
  await withLane([reply.message("done")], [], async (lane) => {
    const events = await runTurn(lane, "hello", {});
    const statuses = events.filter((e) => e.type === "thread.status") as unknown as Loose[];
    assert.ok(statuses.some((s) => s.status === "active"), JSON.stringify(statuses));
    const limits = events.find((e) => e.type === "rate_limits.updated") as unknown as Loose;
    assert.equal((limits.rate_limits as Loose).limitId, "codex");
    // The thread's own thread/started is the lane's thread.started, not a second event.
    const passed = events.filter((e) => e.type === "app_server.notification") as unknown as Loose[];
    assert.ok(passed.every((e) => e.method !== "thread/started"), JSON.stringify(passed));
    assert.equal(events[0].type, "thread.started");
    assert.equal(events.at(-1)?.type, "turn.completed");
  });
});

test("Server-request hooks on an exec thread are a TypeError naming the option", async () => {
  const { Codex } = await import("../src/codex.ts");
  const codex = new Codex();
  assert.throws(
    () => codex.startThread({ onToolCall: () => "x" }),
    (e: unknown) => e instanceof TypeError && /onToolCall.*transport: "app-server"/.test(e.message),
  );
  assert.doesNotThrow(() => codex.startThread({ transport: "app-server", onToolCall: () => "x" }));
});

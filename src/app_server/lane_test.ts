import { test } from "node:test";
import assert from "node:assert/strict";
import { createAppServerLane, sandboxPolicy, threadSettings, turnInput } from "./lane.ts";
import { AppServer } from "./app_server.ts";
import { scriptedTransport } from "./_test_helpers.ts";
import type { Message, Script } from "./_test_helpers.ts";
import { CodexError, ConnectionClosedError, UnsupportedError } from "../errors.ts";
import type { ThreadEvent } from "../events.ts";
import type { TurnRequest } from "../lanes/lane.ts";
import replay from "./testdata/results_0.171.0.json" with { type: "json" };

const THREAD = "thr_1";
const TURN = "turn_1";

/** A `thread/start` answer of codex 0.171.0, with no earlier turns. */
function opened(): unknown {
  const result = structuredClone(replay["thread/start"].result) as {
    thread: { id: string; turns: unknown[] };
  };
  result.thread.id = THREAD;
  result.thread.turns = [];
  return result;
}

const wireTurn = (status: string, error: unknown = null) => ({
  id: TURN,
  status,
  items: [],
  error,
});

function barrier<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

/** A shared connection to a scripted server; `turnStarts` resolves with each turn/start's params. */
async function scripted(extra: Script = {}) {
  const turnStarts: unknown[] = [];
  let nextStart = barrier<unknown>();
  const interrupted = barrier<unknown>();
  const far = scriptedTransport({
    "thread/start": () => opened(),
    "thread/resume": () => opened(),
    "turn/start": (params: unknown) => {
      turnStarts.push(params);
      nextStart.open(params);
      return { turn: wireTurn("inProgress") };
    },
    "turn/interrupt": (params: unknown) => {
      interrupted.open(params);
      return {};
    },
    "turn/steer": () => ({ turnId: TURN }),
    ...extra,
  }, { userAgentVersion: "0.171.0" });
  const server = await AppServer.open(far.transport);
  const lane = createAppServerLane({ connection: server });
  return {
    far,
    server,
    lane,
    turnStarts,
    interrupted: interrupted.promise,
    /** Resolves with the params of the next turn/start. */
    turnStarted: () => {
      const started = nextStart.promise;
      return started.then((params) => {
        nextStart = barrier<unknown>();
        return params;
      });
    },
    notify: (method: string, params: Message) =>
      far.send({ method, params: { threadId: THREAD, ...params } }),
    async [Symbol.asyncDispose]() {
      await lane.close();
      await server.close();
    },
  };
}

function request(overrides: Partial<TurnRequest> = {}): TurnRequest {
  return {
    input: { prompt: "hi", images: [] },
    threadId: null,
    threadOptions: {},
    turnOptions: {},
    ...overrides,
  };
}

/** Reads the stream to its end: every event in order, or the error it ended with. */
async function drain(
  stream: ReadableStream<ThreadEvent[]>,
): Promise<{ events: ThreadEvent[]; error?: unknown }> {
  const events: ThreadEvent[] = [];
  try {
    for await (const batch of stream) events.push(...batch);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

test("threadSettings maps thread options onto thread/start settings and config", () => {
  assert.deepEqual(threadSettings({}), {});
  assert.deepEqual(
    threadSettings({
      model: "m",
      workingDirectory: "/w",
      sandboxMode: "workspace-write",
      approvalPolicy: "on-request",
      ephemeral: true,
      reasoningSummary: "concise",
      networkAccessEnabled: true,
      webSearchMode: "live",
      additionalDirectories: ["/a"],
      modelReasoningEffort: "high",
      developerInstructions: "dev",
      baseInstructions: "base",
      approvalsReviewer: "auto_review",
    }),
    {
      model: "m",
      cwd: "/w",
      sandbox: "workspace-write",
      approvalPolicy: "on-request",
      ephemeral: true,
      approvalsReviewer: "auto_review",
      config: {
        model_reasoning_summary: "concise",
        "sandbox_workspace_write.network_access": true,
        web_search: "live",
        "sandbox_workspace_write.writable_roots": ["/a"],
        model_reasoning_effort: "high",
      },
      developerInstructions: "dev",
      baseInstructions: "base",
    },
  );
  assert.deepEqual(threadSettings({ webSearchEnabled: false }), {
    config: { web_search: "disabled" },
  });
});

test("threadSettings sends MCP servers as config tables, leaving out what is not set", () => {
  assert.deepEqual(
    threadSettings({
      mcpServers: {
        docs: {
          url: "https://x/mcp",
          bearerTokenEnvVar: "TOK",
          enabledTools: ["a"],
          approveTools: true,
        },
        local: { command: "node", args: ["s.js"], env: { K: "v" }, required: true },
      },
    }),
    {
      config: {
        "mcp_servers.docs": {
          url: "https://x/mcp",
          bearer_token_env_var: "TOK",
          enabled_tools: ["a"],
          default_tools_approval_mode: "approve",
        },
        "mcp_servers.local": { command: "node", args: ["s.js"], env: { K: "v" }, required: true },
      },
    },
  );
});

test("turnInput puts the prompt first, then images, then the turn's extra images", () => {
  assert.deepEqual(turnInput({ prompt: "look", images: ["a.png"] }, ["b.png"]), [
    { type: "text", text: "look" },
    { type: "localImage", path: "a.png" },
    { type: "localImage", path: "b.png" },
  ]);
  assert.deepEqual(turnInput({ prompt: "", images: [] }), []);
});

test("turnInput keeps the order of parts when the input has some the prompt cannot hold", () => {
  assert.deepEqual(
    turnInput({
      prompt: "a",
      images: [],
      parts: [
        { type: "skill", name: "s", path: "/s" },
        { type: "text", text: "a" },
        { type: "image_url", url: "data:image/png;base64,AA==" },
        { type: "local_image", path: "p.png" },
        { type: "mention", name: "m", path: "/m" },
      ],
    }),
    [
      { type: "skill", name: "s", path: "/s" },
      { type: "text", text: "a" },
      { type: "image", url: "data:image/png;base64,AA==" },
      { type: "localImage", path: "p.png" },
      { type: "mention", name: "m", path: "/m" },
    ],
  );
});

test("sandboxPolicy maps each sandbox mode, with the thread's roots and network for workspace-write", () => {
  assert.deepEqual(sandboxPolicy("read-only", {}), { type: "readOnly" });
  assert.deepEqual(sandboxPolicy("danger-full-access", {}), { type: "dangerFullAccess" });
  assert.deepEqual(sandboxPolicy("workspace-write", {}), {
    type: "workspaceWrite",
    writableRoots: [],
    networkAccess: false,
  });
  assert.deepEqual(
    sandboxPolicy("workspace-write", { additionalDirectories: ["/x"], networkAccessEnabled: true }),
    { type: "workspaceWrite", writableRoots: ["/x"], networkAccess: true },
  );
});

test("createAppServerLane needs a connection or a way to start one", () => {
  assert.throws(
    () => createAppServerLane({}),
    /Cannot create the app-server lane: give options.connection or options.start/,
  );
});

test("a turn yields thread.started, then the server's notifications as exec-shaped events, in order", async () => {
  await using s = await scripted();
  const done = drain(s.lane.runTurn(request({ threadOptions: { model: "gpt-5.5" } })));
  const params = await s.turnStarted() as Record<string, unknown>;
  assert.equal(params.threadId, THREAD);
  assert.deepEqual(params.input, [{ type: "text", text: "hi" }]);
  await s.notify("turn/started", { turn: wireTurn("inProgress") });
  await s.notify("item/started", {
    turnId: TURN,
    item: { type: "agentMessage", id: "m1", text: "" },
  });
  await s.notify("item/agentMessage/delta", { turnId: TURN, itemId: "m1", delta: "hel" });
  await s.notify("item/completed", {
    turnId: TURN,
    item: { type: "agentMessage", id: "m1", text: "hello" },
  });
  await s.notify("turn/completed", { turn: wireTurn("completed") });
  const { events, error } = await done;
  assert.equal(error, undefined);
  assert.deepEqual(events.map((e) => e.type), [
    "thread.started",
    "turn.started",
    "item.started",
    "item.updated",
    "item.completed",
    "turn.completed",
  ]);
  assert.deepEqual(events[0], { type: "thread.started", thread_id: THREAD });
  assert.deepEqual(events[4], {
    type: "item.completed",
    item: { id: "m1", type: "agent_message", text: "hello" },
  });
  const start = s.far.sent.find((m) => m.method === "thread/start");
  assert.equal((start?.params as Record<string, unknown>).model, "gpt-5.5");
});

test("a second turn on a loaded thread neither starts nor resumes it again", async () => {
  await using s = await scripted();
  for (const threadId of [null, THREAD]) {
    const done = drain(s.lane.runTurn(request({ threadId })));
    await s.turnStarted();
    await s.notify("turn/completed", { turn: wireTurn("completed") });
    assert.equal((await done).error, undefined);
  }
  const opens = s.far.sent.filter((m) => /^thread\/(start|resume)$/.test(String(m.method)));
  assert.deepEqual(opens.map((m) => m.method), ["thread/start"]);
  assert.equal(s.turnStarts.length, 2);
});

test("a turn on a thread id this connection has not loaded resumes it first", async () => {
  await using s = await scripted();
  const done = drain(s.lane.runTurn(request({ threadId: THREAD })));
  await s.turnStarted();
  await s.notify("turn/completed", { turn: wireTurn("completed") });
  await done;
  const resume = s.far.sent.find((m) => m.method === "thread/resume");
  assert.equal((resume?.params as Record<string, unknown>).threadId, THREAD);
});

test("a failed turn ends with turn.failed carrying the server's message", async () => {
  await using s = await scripted();
  const done = drain(s.lane.runTurn(request()));
  await s.turnStarted();
  await s.notify("turn/completed", { turn: wireTurn("failed", { message: "quota exceeded" }) });
  const { events, error } = await done;
  assert.equal(error, undefined);
  const last = events.at(-1);
  assert.equal(last?.type, "turn.failed");
  assert.equal(last?.type === "turn.failed" && last.error.message, "quota exceeded");
});

test("interrupt sends turn/interrupt for the running turn; the turn ends as interrupted", async () => {
  await using s = await scripted();
  const done = drain(s.lane.runTurn(request()));
  await s.turnStarted();
  await s.lane.interrupt(THREAD);
  assert.deepEqual(await s.interrupted, { threadId: THREAD, turnId: TURN });
  await s.notify("turn/completed", { turn: wireTurn("interrupted") });
  const last = (await done).events.at(-1) as unknown as Record<string, unknown>;
  assert.equal(last.type, "turn.failed");
  assert.equal(last.interrupted, true);
});

test("interrupt does nothing and steer rejects when no turn runs on the thread", async () => {
  await using s = await scripted();
  await s.lane.interrupt("idle-thread");
  await assert.rejects(
    s.lane.steer("idle-thread", { prompt: "more", images: [] }),
    (e: unknown) =>
      e instanceof CodexError && e.message === "No turn is running on thread idle-thread to steer",
  );
  assert.equal(s.far.sent.some((m) => m.method === "turn/interrupt"), false);
});

test("steer sends the running turn's id and the input as turn/start parts", async () => {
  await using s = await scripted();
  const done = drain(s.lane.runTurn(request()));
  await s.turnStarted();
  await s.lane.steer(THREAD, { prompt: "more", images: ["x.png"] });
  const steer = s.far.sent.find((m) => m.method === "turn/steer");
  assert.deepEqual(steer?.params, {
    threadId: THREAD,
    expectedTurnId: TURN,
    input: [{ type: "text", text: "more" }, { type: "localImage", path: "x.png" }],
  });
  await s.notify("turn/completed", { turn: wireTurn("completed") });
  await done;
});

test("cancelling a turn's stream interrupts it on the server", async () => {
  await using s = await scripted();
  const reader = s.lane.runTurn(request()).getReader();
  assert.deepEqual((await reader.read()).value, [{ type: "thread.started", thread_id: THREAD }]);
  await s.turnStarted();
  await reader.cancel();
  assert.deepEqual(await s.interrupted, { threadId: THREAD, turnId: TURN });
});

test("notifications of another thread or another turn do not reach a turn", async () => {
  await using s = await scripted();
  const done = drain(s.lane.runTurn(request()));
  await s.turnStarted();
  // The turn's id is known from here on, whenever turn/start's answer is read.
  await s.notify("turn/started", { turn: wireTurn("inProgress") });
  await s.far.send({
    method: "item/completed",
    params: {
      threadId: "thr_other",
      turnId: TURN,
      item: { type: "agentMessage", id: "x", text: "" },
    },
  });
  await s.notify("item/completed", {
    turnId: "turn_other",
    item: { type: "agentMessage", id: "y", text: "" },
  });
  await s.notify("turn/completed", { turn: wireTurn("completed") });
  assert.deepEqual((await done).events.map((e) => e.type), [
    "thread.started",
    "turn.started",
    "turn.completed",
  ]);
});

test("a thread the server cannot open errors the turn's stream with the typed error", async () => {
  const far = scriptedTransport({}, { userAgentVersion: "0.171.0" });
  const server = await AppServer.open(far.transport);
  const lane = createAppServerLane({ connection: server });
  try {
    const { events, error } = await drain(lane.runTurn(request()));
    assert.deepEqual(events, []);
    assert.ok(error instanceof UnsupportedError, String(error));
    assert.equal(error.feature, "app-server.thread/start");
  } finally {
    await lane.close();
    await server.close();
  }
});

test("resumeLast is refused on the app-server lane", async () => {
  await using s = await scripted();
  const { error } = await drain(s.lane.runTurn(request({ resumeLast: true })));
  assert.ok(error instanceof TypeError);
  assert.match(error.message, /Cannot use resumeLast on the app-server lane/);
});

test("a connection that closes mid-turn errors the turn with ConnectionClosedError", async () => {
  await using s = await scripted();
  const done = drain(s.lane.runTurn(request()));
  await s.turnStarted();
  await s.server.close();
  const { events, error } = await done;
  assert.deepEqual(events.map((e) => e.type), ["thread.started"]);
  assert.ok(error instanceof ConnectionClosedError, String(error));
});

test("closing the lane ends its running turns and leaves a shared connection open", async () => {
  await using s = await scripted();
  const done = drain(s.lane.runTurn(request()));
  await s.turnStarted();
  await s.lane.close();
  const { error } = await done;
  assert.ok(error instanceof CodexError);
  assert.equal((error as Error).message, "The app-server lane closed");
  assert.equal(s.server.isClosed, false);
  const after = await drain(s.lane.runTurn(request()));
  assert.match(String(after.error), /The app-server lane is closed/);
});

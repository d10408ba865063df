import { test } from "node:test";
import assert from "node:assert/strict";
import { toThreadItem, TurnNormalizer } from "./notifications.ts";

test("toThreadItem maps app-server items to the exec lane's shapes", () => {
  const table: [unknown, unknown][] = [
    [{ type: "userMessage", id: "u", content: [] }, null],
    [{ type: "agentMessage", id: "m", text: "hi" }, { id: "m", type: "agent_message", text: "hi" }],
    [{ type: "reasoning", id: "r", summary: ["a", "b"], content: [] }, {
      id: "r",
      type: "reasoning",
      text: "a\n\nb",
    }],
    [
      {
        type: "commandExecution",
        id: "c",
        command: "ls",
        cwd: "/w",
        status: "inProgress",
        aggregatedOutput: null,
        exitCode: null,
      },
      {
        id: "c",
        type: "command_execution",
        command: "ls",
        aggregated_output: "",
        exit_code: null,
        status: "in_progress",
        cwd: "/w",
      },
    ],
    [
      {
        type: "fileChange",
        id: "f",
        status: "declined",
        changes: [{ path: "/w/a", kind: { type: "add" }, diff: "x" }],
      },
      {
        id: "f",
        type: "file_change",
        status: "declined",
        changes: [{ path: "/w/a", kind: "add", diff: "x" }],
      },
    ],
    [{ type: "futureThing", id: "z", extra: 1 }, { type: "futureThing", id: "z", extra: 1 }],
  ];
  for (const [wire, expected] of table) assert.deepEqual(toThreadItem(wire), expected);
});

test("TurnNormalizer ignores other turns and ends on turn/completed", () => {
  const turn = new TurnNormalizer();
  turn.turnId = "t1";
  assert.deepEqual(
    turn.push("item/started", { turnId: "t2", item: { type: "agentMessage", id: "x", text: "" } }),
    [],
  );
  assert.deepEqual(turn.push("turn/started", { turn: { id: "t1" } }), [
    { type: "turn.started", turn_id: "t1" },
  ]);
  turn.push("thread/tokenUsage/updated", {
    turnId: "t1",
    tokenUsage: {
      last: { inputTokens: 10, outputTokens: 2 },
      total: { inputTokens: 30, outputTokens: 6 },
    },
  });
  const [usage] = turn.push("thread/tokenUsage/updated", {
    turnId: "t1",
    tokenUsage: {
      last: { inputTokens: 5, outputTokens: 1 },
      total: { inputTokens: 35, outputTokens: 7 },
    },
  });
  assert.equal((usage as { usage: { input_tokens: number } }).usage.input_tokens, 15);
  assert.equal((usage as { total: { input_tokens: number } }).total.input_tokens, 35);
  const end = turn.push("turn/completed", { turn: { id: "t1", status: "completed", items: [] } });
  assert.equal(end.at(-1)?.type, "turn.completed");
  assert.equal((end.at(-1) as { usage: { output_tokens: number } }).usage.output_tokens, 3);
  assert.equal(turn.done, true);
  assert.deepEqual(turn.push("turn/started", { turn: { id: "t1" } }), []);
});

test("TurnNormalizer turns failed and interrupted turns into turn.failed", () => {
  const failed = new TurnNormalizer();
  assert.deepEqual(
    failed.push("turn/completed", {
      turn: { id: "t", status: "failed", error: { message: "boom" } },
    }),
    [
      { type: "turn.failed", error: { message: "boom" } },
    ],
  );
  const interrupted = new TurnNormalizer();
  assert.deepEqual(
    interrupted.push("turn/completed", { turn: { id: "t", status: "interrupted" } }),
    [
      { type: "turn.failed", error: { message: "Turn interrupted" }, interrupted: true },
    ],
  );
});

test("TurnNormalizer makes a todo_list from plan updates and a diff event from diffs", () => {
  const turn = new TurnNormalizer();
  turn.turnId = "t";
  const [started] = turn.push("turn/plan/updated", {
    turnId: "t",
    plan: [{ step: "a", status: "completed" }],
  });
  assert.deepEqual(started, {
    type: "item.started",
    item: { id: "plan_t", type: "todo_list", items: [{ text: "a", completed: true }] },
  });
  assert.deepEqual(turn.push("turn/diff/updated", { turnId: "t", diff: "+x" }), [{
    type: "diff.updated",
    diff: "+x",
  }]);
  const end = turn.push("turn/completed", { turn: { id: "t", status: "completed" } });
  assert.deepEqual(end.map((e) => e.type), ["item.completed", "turn.completed"]);
});

test("Notifications outside the item flow become typed events; unknown ones pass through", () => {
  const turn = new TurnNormalizer();
  turn.turnId = "u";
  const push = (method: string, params: Record<string, unknown>) =>
    turn.push(method, { threadId: "t", ...params });
  const plan = push("turn/plan/updated", {
    turnId: "u",
    explanation: "why",
    plan: [{ step: "a", status: "completed" }, { step: "b", status: "inProgress" }],
  });
  assert.deepEqual(plan.map((e) => e.type), ["item.started", "plan.updated"]);
  assert.deepEqual(plan[1], {
    type: "plan.updated",
    explanation: "why",
    plan: [{ step: "a", status: "completed" }, { step: "b", status: "inProgress" }],
  });
  const table: [string, Record<string, unknown>, unknown][] = [
    ["thread/compacted", { turnId: "u" }, { type: "context.compacted" }],
    ["configWarning", { summary: "bad key", details: "x", path: "/c.toml" }, {
      type: "warning",
      kind: "config",
      message: "bad key",
      details: "x",
      path: "/c.toml",
    }],
    ["deprecationNotice", { summary: "old", details: null }, {
      type: "warning",
      kind: "deprecation",
      message: "old",
      details: null,
    }],
    ["warning", { message: "careful" }, { type: "warning", kind: "general", message: "careful" }],
    ["mcpServer/startupStatus/updated", { name: "docs", status: "failed", error: "boom" }, {
      type: "mcp_server.status",
      name: "docs",
      status: "failed",
      error: "boom",
    }],
    ["account/rateLimits/updated", { rateLimits: { limitId: "codex" } }, {
      type: "rate_limits.updated",
      rate_limits: { limitId: "codex" },
    }],
    ["account/updated", { authMode: "apikey", planType: null }, {
      type: "account.updated",
      auth_mode: "apikey",
      plan_type: null,
    }],
    ["thread/status/changed", { status: { type: "active", activeFlags: ["waitingOnApproval"] } }, {
      type: "thread.status",
      status: "active",
      active_flags: ["waitingOnApproval"],
    }],
    ["thread/name/updated", { threadName: "Fix CI" }, { type: "thread.name", name: "Fix CI" }],
    ["thread/archived", {}, { type: "thread.archived", archived: true }],
    ["thread/unarchived", {}, { type: "thread.archived", archived: false }],
    ["serverRequest/resolved", { requestId: 3 }, {
      type: "server_request.resolved",
      request_id: 3,
    }],
    ["hook/started", { turnId: "u", run: { id: "h" } }, {
      type: "app_server.notification",
      method: "hook/started",
      params: { threadId: "t", turnId: "u", run: { id: "h" } },
    }],
  ];
  for (const [method, params, expected] of table) {
    assert.deepEqual(push(method, params), [expected], method);
  }
  // Command output deltas extend the command item.
  push("item/started", {
    turnId: "u",
    item: { type: "commandExecution", id: "c", command: "ls", status: "inProgress" },
  });
  const [delta] = push("item/commandExecution/outputDelta", {
    turnId: "u",
    itemId: "c",
    delta: "a\n",
  });
  assert.equal(delta.type, "item.updated");
  assert.equal((delta as { delta?: string }).delta, "a\n");
});

test("toThreadItem reports dynamic tool calls as mcp_tool_call items, as exec shows the SDK's tools", () => {
  const done = toThreadItem({
    type: "dynamicToolCall",
    id: "d",
    tool: "add",
    arguments: { a: 1 },
    status: "completed",
    success: true,
    contentItems: [{ type: "inputText", text: "2" }],
  });
  assert.deepEqual(done, {
    id: "d",
    type: "mcp_tool_call",
    server: "codexkit",
    tool: "add",
    arguments: { a: 1 },
    result: { content: [{ type: "text", text: "2" }] },
    error: null,
    status: "completed",
  });
  const failed = toThreadItem({
    type: "dynamicToolCall",
    id: "d",
    namespace: "ns",
    tool: "add",
    arguments: {},
    status: "completed",
    success: false,
    contentItems: [{ type: "inputText", text: "bad" }],
  });
  const mcp = failed as { server?: string; status?: string; error?: unknown } | undefined;
  assert.deepEqual([mcp?.server, mcp?.status, mcp?.error], ["ns", "failed", {
    message: "bad",
  }]);
});

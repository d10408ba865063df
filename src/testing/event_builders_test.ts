import { test } from "node:test";
import assert from "node:assert/strict";
import { events, numberItems } from "./event_builders.ts";
import { isKnownEventType, isKnownItemType, safeParseEvent } from "../events.ts";
import type { ThreadEvent } from "../events.ts";
import { threadEventSchema } from "../schemas/event_schemas.ts";
import { decodeThreadEvents } from "../streams/thread_event_stream.ts";

/** One event of every builder, as a scripted turn would use them. */
function everyBuilder(): ThreadEvent[] {
  return [
    events.threadStarted("t-1"),
    events.turnStarted(),
    events.agentMessageDelta("he", { delta: "he" }),
    events.agentMessage("hello"),
    events.reasoning("thinking"),
    events.command("ls", { output: "a\n" }),
    events.command("false", { exitCode: 1 }),
    events.command("never", { exitCode: null, status: "declined" }),
    events.fileChange(["a.ts", { path: "b.ts", kind: "add" }]),
    events.todoList(["open", { text: "done", completed: true }]),
    events.mcpToolCall("srv", "tool", { arguments: { x: 1 }, content: [{ type: "text" }] }),
    events.mcpToolCall("srv", "tool", { error: "boom" }),
    events.webSearch("weather"),
    events.approvalRequested({ command: "rm -rf x", cwd: "/w", reason: "why" }),
    events.approvalResolved("accept", { source: "default", reason: "timeout" }),
    events.usageUpdated({ input_tokens: 3 }),
    events.diffUpdated("--- a\n+++ b\n"),
    events.error("retrying"),
    events.turnFailed("bad"),
    events.turnCompleted({ output_tokens: 2 }),
  ];
}

async function decode(list: readonly ThreadEvent[]): Promise<ThreadEvent[]> {
  const text = list.map((event) => JSON.stringify(event)).join("\n") + "\n";
  const bytes = new TextEncoder().encode(text);
  const out: ThreadEvent[] = [];
  for await (const event of decodeThreadEvents(ReadableStream.from([bytes]))) out.push(event);
  return out;
}

test("every builder makes an event of a known type that the SDK's event check accepts unchanged", () => {
  for (const event of numberItems(everyBuilder())) {
    assert.ok(isKnownEventType(event.type), event.type);
    if ("item" in event) assert.ok(isKnownItemType(event.item.type), event.item.type);
    const before = structuredClone(event);
    const result = safeParseEvent(event as unknown as Record<string, unknown>);
    assert.ok(result.success, `${event.type}: ${result.success ? "" : result.issues}`);
    assert.deepEqual(event, before, `${event.type} was changed by the check`);
  }
});

test("every builder's event passes the exported valibot event schema", async () => {
  for (const event of numberItems(everyBuilder())) {
    const result = await threadEventSchema["~standard"].validate(event);
    assert.equal(result.issues, undefined, `${event.type}: ${JSON.stringify(result.issues)}`);
    assert.deepEqual(result.issues ? undefined : result.value, event);
  }
});

test("a built turn written as JSONL decodes through the exec decoder to the same events", async () => {
  const turn = events.turn([events.agentMessage("hi"), events.command("ls")], {
    threadId: "t-9",
    usage: { input_tokens: 4 },
  });
  assert.deepEqual(await decode(turn), turn);
  assert.deepEqual(await decode(numberItems(everyBuilder())), numberItems(everyBuilder()));
});

test("events.turn wraps the body in thread.started, turn.started and turn.completed, numbering items", () => {
  const turn = events.turn([events.reasoning("r"), events.agentMessage("a", { id: "mine" })]);
  assert.deepEqual(turn, [
    { type: "thread.started", thread_id: "mock-thread" },
    { type: "turn.started" },
    { type: "item.completed", item: { id: "item_0", type: "reasoning", text: "r" } },
    { type: "item.completed", item: { id: "mine", type: "agent_message", text: "a" } },
    {
      type: "turn.completed",
      usage: {
        input_tokens: 0,
        cached_input_tokens: 0,
        cache_write_input_tokens: 0,
        output_tokens: 0,
        reasoning_output_tokens: 0,
      },
    },
  ]);
});

test("events.turn with threadId null leaves thread.started out; failed ends with turn.failed", () => {
  const turn = events.turn([], { threadId: null, failed: "quota" });
  assert.deepEqual(turn, [
    { type: "turn.started" },
    { type: "turn.failed", error: { message: "quota" } },
  ]);
});

test("numberItems gives an item's started, updated and completed events one id, then the next", () => {
  const body: ThreadEvent[] = [
    { type: "item.started", item: { id: "", type: "agent_message", text: "" } },
    events.agentMessageDelta("a"),
    events.agentMessage("ab"),
    events.diffUpdated("d"),
    events.reasoning("r"),
    events.webSearch("q", { id: "kept" }),
    events.agentMessage("c"),
  ];
  const ids = numberItems(body).map((e) => "item" in e ? e.item.id : e.type);
  assert.deepEqual(ids, ["item_0", "item_0", "item_0", "diff.updated", "item_1", "kept", "item_2"]);
  // Pure: the input events keep their empty ids.
  assert.equal((body[0] as { item: { id: string } }).item.id, "");
});

test("command defaults follow the exit code: 0 completed, non-zero failed, output empty", () => {
  const ok = events.command("ls").item;
  const failed = events.command("false", { exitCode: 2 }).item;
  assert.deepEqual(ok, {
    id: "",
    type: "command_execution",
    command: "ls",
    aggregated_output: "",
    exit_code: 0,
    status: "completed",
  });
  assert.equal(failed.type === "command_execution" && failed.status, "failed");
  const never = events.command("x", { exitCode: null }).item;
  assert.equal(never.type === "command_execution" && never.exit_code, null);
});

test("fileChange reads a bare path as an update; todoList a bare string as an open step", () => {
  const change = events.fileChange(["a.ts", { path: "b.ts", kind: "delete" }]).item;
  assert.deepEqual(change.type === "file_change" && change.changes, [
    { path: "a.ts", kind: "update" },
    { path: "b.ts", kind: "delete" },
  ]);
  const todo = events.todoList(["x", { text: "y", completed: true }]).item;
  assert.deepEqual(todo.type === "todo_list" && todo.items, [
    { text: "x", completed: false },
    { text: "y", completed: true },
  ]);
});

test("mcpToolCall succeeds with content, or fails with an error message and no result", () => {
  const ok = events.mcpToolCall("s", "t", { content: [1] }).item;
  assert.deepEqual(ok.type === "mcp_tool_call" && [ok.result, ok.error, ok.status], [
    { content: [1] },
    null,
    "completed",
  ]);
  const failed = events.mcpToolCall("s", "t", { error: "nope" }).item;
  assert.deepEqual(
    failed.type === "mcp_tool_call" && [failed.result, failed.error, failed.status],
    [
      null,
      { message: "nope" },
      "failed",
    ],
  );
});

test("agentMessageDelta carries delta only when given; approval builders default to request 0 of item_0", () => {
  assert.equal("delta" in events.agentMessageDelta("x"), false);
  assert.equal((events.agentMessageDelta("xy", { delta: "y" }) as { delta?: string }).delta, "y");
  assert.deepEqual(events.approvalRequested(), {
    type: "approval.requested",
    request_id: 0,
    kind: "command",
    item_id: "item_0",
    available_decisions: ["accept", "acceptForSession", "decline", "cancel"],
  });
  assert.deepEqual(events.approvalResolved({ decline: {} }, { requestId: "r1" }), {
    type: "approval.resolved",
    request_id: "r1",
    kind: "command",
    item_id: "item_0",
    decision: { decline: {} },
    source: "callback",
  });
});

test("usageUpdated uses the turn's usage as the total when no total is given", () => {
  const event = events.usageUpdated({ input_tokens: 5 });
  assert.equal(event.usage.input_tokens, 5);
  assert.deepEqual(event.total, event.usage);
  assert.equal(events.usageUpdated({ input_tokens: 1 }, { input_tokens: 9 }).total.input_tokens, 9);
});

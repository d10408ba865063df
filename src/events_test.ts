import { test } from "node:test";
import assert from "node:assert/strict";
import {
  EVENT_FIELDS,
  isKnownEventType,
  isKnownItemType,
  ITEM_FIELDS,
  safeParseEvent,
} from "./events.ts";
import type { ParseEventResult } from "./events.ts";

function issues(result: ParseEventResult): string[] {
  assert.equal(result.success, false, "expected the event to be refused");
  return result.success ? [] : result.issues;
}

function parsed(result: ParseEventResult): Record<string, unknown> {
  assert.equal(result.success, true, result.success ? "" : result.issues.join("; "));
  return result.success ? result.event as Record<string, unknown> : {};
}

test("isKnownEventType and isKnownItemType answer from the field tables", () => {
  for (const type of Object.keys(EVENT_FIELDS)) assert.equal(isKnownEventType(type), true, type);
  for (const type of Object.keys(ITEM_FIELDS)) assert.equal(isKnownItemType(type), true, type);
  assert.equal(isKnownEventType("turn.completed"), true);
  assert.equal(isKnownEventType("agent_message"), false);
  assert.equal(isKnownItemType("agent_message"), true);
  assert.equal(isKnownItemType("turn.completed"), false);
  assert.equal(isKnownEventType("turn.brand_new"), false);
  assert.equal(isKnownItemType(""), false);
});

test("the field tables are frozen and cover the exec events and the core item types", () => {
  assert.ok(Object.isFrozen(EVENT_FIELDS));
  assert.ok(Object.isFrozen(ITEM_FIELDS));
  for (
    const type of [
      "thread.started",
      "turn.started",
      "turn.completed",
      "turn.failed",
      "item.started",
      "item.updated",
      "item.completed",
      "error",
    ]
  ) {
    assert.ok(isKnownEventType(type), type);
  }
  for (
    const type of [
      "agent_message",
      "reasoning",
      "command_execution",
      "file_change",
      "mcp_tool_call",
      "web_search",
      "todo_list",
      "error",
    ]
  ) {
    assert.ok(isKnownItemType(type), type);
  }
});

test("safeParseEvent refuses a value whose type is not a string", () => {
  assert.deepEqual(issues(safeParseEvent({})), ["type: expected a string"]);
  assert.deepEqual(issues(safeParseEvent({ type: 3 })), ["type: expected a string"]);
});

test("safeParseEvent passes an unknown event type through as the same object", () => {
  const value = { type: "turn.brand_new", anything: [1, 2] };
  const result = safeParseEvent(value);
  assert.equal(result.success && result.event, value);
});

test("safeParseEvent accepts a known event and returns the object it was given", () => {
  const value = { type: "thread.started", thread_id: "t-1" };
  const result = safeParseEvent(value);
  assert.equal(result.success && result.event, value);
  assert.deepEqual(issues(safeParseEvent({ type: "thread.started" })), [
    "thread_id: expected string",
  ]);
});

test("safeParseEvent fills usage counts an older CLI omits with 0, and refuses a count that is not a number", () => {
  const event = parsed(safeParseEvent({ type: "turn.completed", usage: { input_tokens: 5 } }));
  assert.deepEqual(event.usage, {
    input_tokens: 5,
    cached_input_tokens: 0,
    cache_write_input_tokens: 0,
    output_tokens: 0,
    reasoning_output_tokens: 0,
  });
  assert.deepEqual(
    issues(safeParseEvent({ type: "turn.completed", usage: { input_tokens: "5" } })),
    ["usage.input_tokens: expected number"],
  );
  assert.deepEqual(issues(safeParseEvent({ type: "turn.completed" })), [
    "usage: expected object",
  ]);
  assert.deepEqual(issues(safeParseEvent({ type: "turn.completed", usage: [] })), [
    "usage: expected object",
  ]);
});

test("safeParseEvent names the nested path of a problem in turn.failed", () => {
  parsed(safeParseEvent({ type: "turn.failed", error: { message: "boom" } }));
  assert.deepEqual(issues(safeParseEvent({ type: "turn.failed", error: {} })), [
    "error.message: expected string",
  ]);
});

test("safeParseEvent checks the item of an item event: id, type and the item type's fields", () => {
  const item = { id: "i1", type: "agent_message", text: "hi" };
  parsed(safeParseEvent({ type: "item.completed", item }));
  assert.deepEqual(issues(safeParseEvent({ type: "item.completed", item: "x" })), [
    "item: expected object",
  ]);
  assert.deepEqual(
    issues(safeParseEvent({ type: "item.started", item: { type: "agent_message", text: "" } })),
    ["item.id: expected string"],
  );
  assert.deepEqual(issues(safeParseEvent({ type: "item.updated", item: { id: "i" } })), [
    "item.type: expected string",
  ]);
  assert.deepEqual(
    issues(safeParseEvent({ type: "item.completed", item: { id: "i", type: "agent_message" } })),
    ["item.text: expected string"],
  );
});

test("safeParseEvent passes an item of an unknown type with only id and type", () => {
  const event = parsed(
    safeParseEvent({ type: "item.completed", item: { id: "i", type: "hologram", x: 1 } }),
  );
  assert.deepEqual(event.item, { id: "i", type: "hologram", x: 1 });
});

test("safeParseEvent reads a command's exit code as a number, null or absent, nothing else", () => {
  const command = {
    id: "c",
    type: "command_execution",
    command: "ls",
    aggregated_output: "",
    status: "in_progress",
  };
  parsed(safeParseEvent({ type: "item.started", item: command }));
  parsed(safeParseEvent({ type: "item.started", item: { ...command, exit_code: null } }));
  parsed(safeParseEvent({ type: "item.completed", item: { ...command, exit_code: 0 } }));
  assert.deepEqual(
    issues(safeParseEvent({ type: "item.completed", item: { ...command, exit_code: "0" } })),
    ["item.exit_code: expected number or null"],
  );
});

test("safeParseEvent names the index of a bad entry in an array field", () => {
  const change = (changes: unknown) => ({
    type: "item.completed",
    item: { id: "f", type: "file_change", status: "completed", changes },
  });
  parsed(safeParseEvent(change([{ path: "a.ts", kind: "add" }])));
  assert.deepEqual(issues(safeParseEvent(change("a.ts"))), ["item.changes: expected array"]);
  assert.deepEqual(issues(safeParseEvent(change([{ path: "a", kind: "add" }, 3]))), [
    "item.changes.1: expected object",
  ]);
  assert.deepEqual(issues(safeParseEvent(change([{ path: "a" }]))), [
    "item.changes.0.kind: expected string",
  ]);
});

test("safeParseEvent checks a list of strings entry by entry", () => {
  const collab = (ids: unknown) => ({
    type: "item.completed",
    item: {
      id: "c",
      type: "collab_tool_call",
      tool: "spawn",
      sender_thread_id: "t",
      receiver_thread_ids: ids,
      status: "completed",
    },
  });
  parsed(safeParseEvent(collab(["a", "b"])));
  assert.deepEqual(issues(safeParseEvent(collab(["a", 2]))), [
    "item.receiver_thread_ids.1: expected string",
  ]);
  assert.deepEqual(issues(safeParseEvent(collab("a"))), [
    "item.receiver_thread_ids: expected array",
  ]);
});

test("safeParseEvent takes a request id as a string or a number, and checks booleans and numbers", () => {
  const requested = { type: "server_request.resolved" };
  parsed(safeParseEvent({ ...requested, request_id: 7 }));
  parsed(safeParseEvent({ ...requested, request_id: "r7" }));
  assert.deepEqual(issues(safeParseEvent({ ...requested, request_id: null })), [
    "request_id: expected string or number",
  ]);
  assert.deepEqual(issues(safeParseEvent({ type: "thread.archived", archived: "yes" })), [
    "archived: expected boolean",
  ]);
  assert.deepEqual(
    issues(
      safeParseEvent({
        type: "retry.scheduled",
        attempt: "1",
        max_attempts: 3,
        delay_ms: 10,
        reason: "http_429",
        message: "m",
      }),
    ),
    ["attempt: expected number"],
  );
});

test("safeParseEvent reports only the first problem of an event", () => {
  const result = safeParseEvent({ type: "warning" });
  assert.deepEqual(issues(result), ["kind: expected string"]);
});

test("safeParseEvent accepts a field of spec unknown with any value, even absent", () => {
  parsed(safeParseEvent({ type: "rate_limits.updated" }));
  parsed(safeParseEvent({ type: "rate_limits.updated", rate_limits: { primary: null } }));
});

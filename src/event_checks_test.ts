import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { EVENT_CHECKS_FILE, eventChecksSource } from "../scripts/gen_event_checks.ts";
import { safeParseEvent } from "./events.ts";

test("event_checks.ts is what the generator makes of the tables in events.ts", async () => {
  const committed = await readFile(EVENT_CHECKS_FILE, "utf8");
  // Compared whole: a table changed without a regeneration (see the file's first line).
  assert.ok(committed === eventChecksSource(), "src/event_checks.ts is stale: regenerate it");
});

test("The generated checks name the path of the first problem, as the tables' reader did", () => {
  const problem = (value: Record<string, unknown>) => {
    const result = safeParseEvent(value);
    return result.success ? undefined : result.issues.join("; ");
  };
  assert.equal(problem({ type: "thread.started" }), "thread_id: expected string");
  assert.equal(
    problem({ type: "item.completed", item: { id: "i", type: "agent_message", text: 1 } }),
    "item.text: expected string",
  );
  assert.equal(
    problem({ type: "item.completed", item: { type: "x" } }),
    "item.id: expected string",
  );
  assert.equal(
    problem({
      type: "item.completed",
      item: {
        id: "i",
        type: "file_change",
        status: "ok",
        changes: [{ path: "a", kind: "add" }, {}],
      },
    }),
    "item.changes.1.path: expected string",
  );
  assert.equal(
    problem({
      type: "item.updated",
      item: {
        id: "i",
        type: "collab_tool_call",
        tool: "t",
        sender_thread_id: "s",
        status: "x",
        receiver_thread_ids: ["a", 2],
      },
    }),
    "item.receiver_thread_ids.1: expected string",
  );
  assert.equal(problem({ type: "turn.failed", error: {} }), "error.message: expected string");
  assert.equal(
    problem({ type: "approval.requested", request_id: true, kind: "k", item_id: "i" }),
    "request_id: expected string or number",
  );
  // Unknown types pass; unknown item types pass with an id and a type.
  assert.equal(problem({ type: "some.new_event" }), undefined);
  assert.equal(problem({ type: "item.started", item: { id: "i", type: "new_kind" } }), undefined);
  // Missing counts become 0, in place; present ones are kept.
  const usage: Record<string, unknown> = { input_tokens: 5 };
  assert.equal(problem({ type: "turn.completed", usage }), undefined);
  assert.deepEqual(usage, {
    input_tokens: 5,
    cached_input_tokens: 0,
    cache_write_input_tokens: 0,
    output_tokens: 0,
    reasoning_output_tokens: 0,
  });
  assert.equal(
    problem({ type: "turn.completed", usage: { input_tokens: "5" } }),
    "usage.input_tokens: expected number",
  );
});

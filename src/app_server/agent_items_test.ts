import { test } from "node:test";
import assert from "node:assert/strict";
import { threadEventSchema } from "../schemas/event_schemas.ts";
import { safeParseEvent } from "../events.ts";
import type { CollabToolCallItem, ImageGenerationItem, ThreadEvent } from "../events.ts";
import { decodeThreadEvents } from "../streams/thread_event_stream.ts";
import { availableDecisions, toApprovalRequest } from "./approvals.ts";
import { TurnNormalizer } from "./notifications.ts";

// A scripted turn in the wire shapes of the codex 0.171.0 app-server schema
// (`codex app-server generate-json-schema`): a subagent spawned and waited on, an image
// generated and saved, a review, a compaction, a rollback and an automatic approval review.
const WIRE: [string, Record<string, unknown>][] = [
  ["turn/started", { turn: { id: "u" } }],
  ["item/started", {
    item: {
      type: "collabAgentToolCall",
      id: "c1",
      tool: "spawnAgent",
      senderThreadId: "t",
      receiverThreadIds: [],
      prompt: "look at the tests",
      agentsStates: {},
      model: "gpt-5.5",
      reasoningEffort: null,
      status: "inProgress",
    },
  }],
  ["item/completed", {
    item: {
      type: "collabAgentToolCall",
      id: "c1",
      tool: "spawnAgent",
      senderThreadId: "t",
      receiverThreadIds: ["child-1"],
      prompt: "look at the tests",
      agentsStates: { "child-1": { status: "pendingInit", message: null } },
      status: "completed",
    },
  }],
  ["item/completed", {
    item: {
      type: "subAgentActivity",
      id: "s1",
      kind: "completed",
      agentThreadId: "child-1",
      agentPath: "/root/child-1",
    },
  }],
  ["item/completed", {
    item: {
      type: "collabAgentToolCall",
      id: "c2",
      tool: "wait",
      senderThreadId: "t",
      receiverThreadIds: ["child-1"],
      prompt: null,
      agentsStates: { "child-1": { status: "completed", message: "3 tests fail" } },
      status: "completed",
    },
  }],
  ["item/completed", {
    item: {
      type: "imageGeneration",
      id: "g1",
      status: "completed",
      savedPath: "/home/u/.codex/generated_images/g1.png",
      revisedPrompt: "a red square",
      inputImages: [],
    },
  }],
  ["item/completed", { item: { type: "imageView", id: "v1", path: "/w/shot.png" } }],
  ["item/completed", { item: { type: "enteredReviewMode", id: "r1", review: "current changes" } }],
  ["item/completed", { item: { type: "exitedReviewMode", id: "r2", review: "Looks good." } }],
  ["item/completed", { item: { type: "contextCompaction", id: "k1" } }],
  ["item/autoApprovalReview/started", {
    reviewId: "rv",
    targetItemId: "cmd-1",
    startedAtMs: 1,
    review: { status: "inProgress" },
    action: { type: "command", command: "rm -rf build", cwd: "/w", source: "shell" },
  }],
  ["item/autoApprovalReview/completed", {
    reviewId: "rv",
    targetItemId: "cmd-1",
    startedAtMs: 1,
    completedAtMs: 2,
    decisionSource: "agent",
    review: { status: "denied", riskLevel: "high", rationale: "deletes files" },
    action: { type: "command", command: "rm -rf build", cwd: "/w", source: "shell" },
  }],
  ["guardianWarning", { message: "review skipped" }],
  ["thread/reverted", {}],
  ["item/completed", { item: { type: "holodeck", id: "h1", depth: 3 } }],
  ["turn/completed", { turn: { id: "u", status: "completed" } }],
];

function normalize(): ThreadEvent[] {
  const turn = new TurnNormalizer();
  return WIRE.flatMap(([method, params]) =>
    turn.push(method, { threadId: "t", turnId: "u", ...params }) as ThreadEvent[]
  );
}

test("Subagent calls become collab_tool_call items naming the child threads and their states", () => {
  const items = normalize().flatMap((e) =>
    e.type === "item.completed" && e.item.type === "collab_tool_call" ? [e.item] : []
  ) as CollabToolCallItem[];
  assert.deepEqual(items, [
    {
      id: "c1",
      type: "collab_tool_call",
      tool: "spawn_agent",
      sender_thread_id: "t",
      receiver_thread_ids: ["child-1"],
      prompt: "look at the tests",
      agents_states: { "child-1": { status: "pending_init", message: null } },
      status: "completed",
    },
    {
      id: "c2",
      type: "collab_tool_call",
      tool: "wait",
      sender_thread_id: "t",
      receiver_thread_ids: ["child-1"],
      prompt: null,
      agents_states: { "child-1": { status: "completed", message: "3 tests fail" } },
      status: "completed",
    },
  ]);
  const started = normalize().find((e) => e.type === "item.started");
  assert.deepEqual(
    (started as { item: CollabToolCallItem }).item,
    {
      id: "c1",
      type: "collab_tool_call",
      tool: "spawn_agent",
      sender_thread_id: "t",
      receiver_thread_ids: [],
      prompt: "look at the tests",
      agents_states: {},
      model: "gpt-5.5",
      reasoning_effort: null,
      status: "in_progress",
    },
  );
});

test("Image, review, compaction and subagent activity items get their exec-style types", () => {
  const byId = new Map(
    normalize().flatMap((e) => e.type === "item.completed" ? [[e.item.id, e.item]] : []),
  );
  assert.deepEqual(
    byId.get("g1"),
    {
      id: "g1",
      type: "image_generation",
      status: "completed",
      saved_path: "/home/u/.codex/generated_images/g1.png",
      revised_prompt: "a red square",
    } satisfies ImageGenerationItem,
  );
  assert.deepEqual(byId.get("v1"), { id: "v1", type: "image_view", path: "/w/shot.png" });
  assert.deepEqual(byId.get("r1"), {
    id: "r1",
    type: "entered_review_mode",
    review: "current changes",
  });
  assert.deepEqual(byId.get("r2"), { id: "r2", type: "exited_review_mode", review: "Looks good." });
  assert.deepEqual(byId.get("k1"), { id: "k1", type: "context_compaction" });
  assert.deepEqual(byId.get("s1"), {
    id: "s1",
    type: "sub_agent_activity",
    kind: "completed",
    agent_thread_id: "child-1",
    agent_path: "/root/child-1",
  });
  // Unknown stays data: a future item passes as it came.
  assert.deepEqual(byId.get("h1"), { id: "h1", type: "holodeck", depth: 3 });
});

test("Automatic approval reviews, guardian warnings and rollbacks are typed events", () => {
  const events = normalize().filter((e) =>
    e.type === "approval.review" || e.type === "warning" || e.type === "thread.rolled_back"
  );
  const action = { type: "command", command: "rm -rf build", cwd: "/w", source: "shell" };
  assert.deepEqual(events, [
    {
      type: "approval.review",
      phase: "started",
      review_id: "rv",
      target_item_id: "cmd-1",
      status: "inProgress",
      action,
    },
    {
      type: "approval.review",
      phase: "completed",
      review_id: "rv",
      target_item_id: "cmd-1",
      status: "denied",
      risk_level: "high",
      rationale: "deletes files",
      action,
    },
    { type: "warning", kind: "guardian", message: "review skipped" },
    { type: "thread.rolled_back" },
  ]);
});

test("Every normalised event passes both the hot-path check and the valibot schema", () => {
  const events = normalize();
  assert.equal(events.at(-1)?.type, "turn.completed");
  for (const event of events) {
    const fast = safeParseEvent(structuredClone(event) as unknown as Record<string, unknown>);
    assert.equal(fast.success, true, JSON.stringify(event));
    const slow = threadEventSchema["~standard"].validate(structuredClone(event)) as {
      issues?: unknown;
    };
    assert.equal(slow.issues, undefined, JSON.stringify(event));
  }
  // A known item missing what the SDK reads is malformed, in both checks.
  const broken = {
    type: "item.completed",
    item: { id: "c", type: "collab_tool_call", tool: "wait", sender_thread_id: "t", status: "x" },
  };
  assert.deepEqual(safeParseEvent(structuredClone(broken)), {
    success: false,
    issues: ["item.receiver_thread_ids: expected array"],
  });
  const slow = threadEventSchema["~standard"].validate(broken) as { issues?: unknown[] };
  assert.ok(slow.issues && slow.issues.length > 0);
});

test("An exec JSONL stream with a collab_tool_call item decodes it typed, unknown items as data", async () => {
  // The exec lane's spelling of the same call (codex exec --json, snake_case wire names).
  const lines = [
    { type: "thread.started", thread_id: "t" },
    { type: "turn.started" },
    {
      type: "item.completed",
      item: {
        id: "item_0",
        type: "collab_tool_call",
        tool: "spawn_agent",
        sender_thread_id: "t",
        receiver_thread_ids: ["child-1"],
        prompt: "look",
        agents_states: { "child-1": { status: "running", message: null } },
        status: "completed",
      },
    },
    { type: "item.completed", item: { id: "item_1", type: "future_item", x: [1] } },
    { type: "turn.completed", usage: { input_tokens: 1, output_tokens: 1 } },
  ];
  const bytes = new TextEncoder().encode(lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const out: unknown[] = [];
  for await (const event of decodeThreadEvents(ReadableStream.from([bytes]))) out.push(event);
  assert.deepEqual((out[2] as { item: unknown }).item, lines[2].item);
  assert.deepEqual(out[3], lines[3]);
  // A collab item whose child ids are not strings is malformed, and the error names the line.
  const bad = JSON.stringify({
    type: "item.completed",
    item: { ...lines[2].item as object, receiver_thread_ids: [7] },
  });
  const stream = decodeThreadEvents(ReadableStream.from([new TextEncoder().encode(bad + "\n")]));
  await assert.rejects(async () => {
    for await (const _ of stream) { /* drain */ }
  }, /receiver_thread_ids\.0: expected string/);
});

test("approval.requested carries parsed actions, the network context and the decisions on offer", () => {
  const params = {
    threadId: "t",
    turnId: "u",
    itemId: "c",
    command: "curl example.com",
    cwd: "/w",
    commandActions: [{ type: "unknown", command: "curl example.com" }, "junk"],
    networkApprovalContext: { host: "example.com", protocol: "https" },
    proposedExecpolicyAmendment: ["curl"],
  };
  const request = toApprovalRequest("item/commandExecution/requestApproval", params, 4)!;
  assert.deepEqual(request.commandActions, [{ type: "unknown", command: "curl example.com" }]);
  assert.deepEqual(request.networkApprovalContext, { host: "example.com", protocol: "https" });
  assert.deepEqual(availableDecisions(request), [
    "accept",
    "acceptForSession",
    { acceptWithExecpolicyAmendment: { execpolicy_amendment: ["curl"] } },
    "decline",
    "cancel",
  ]);
  // What the server offers wins over the SDK's own list.
  const offered = toApprovalRequest("item/commandExecution/requestApproval", {
    ...params,
    availableDecisions: ["accept", "decline"],
  }, 5)!;
  assert.deepEqual(availableDecisions(offered), ["accept", "decline"]);
  const patch = toApprovalRequest("item/fileChange/requestApproval", { itemId: "f" }, 6)!;
  assert.deepEqual(availableDecisions(patch), ["accept", "acceptForSession", "decline", "cancel"]);
});

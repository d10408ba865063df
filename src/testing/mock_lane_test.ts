import { test } from "node:test";
import assert from "node:assert/strict";
import { Codex } from "../codex.ts";
import { AbortError, ExitError, TurnFailedError } from "../errors.ts";
import type { ThreadEvent } from "../events.ts";
import { events } from "./event_builders.ts";
import { createMockCodex, mockLane } from "./mock_lane.ts";

test("new Codex({ lane: mockLane(...) }) runs Thread.run on scripted events", async () => {
  const lane = mockLane([
    events.turn([
      events.reasoning("thinking"),
      events.command("ls", { exitCode: 0, output: "a.txt\n" }),
      events.agentMessage("hi"),
    ], { usage: { input_tokens: 10, output_tokens: 2 } }),
  ]);
  const thread = new Codex({ lane }).startThread();
  const turn = await thread.run("say hi");
  assert.equal(turn.finalResponse, "hi");
  assert.deepEqual(turn.items.map((i) => [i.id, i.type]), [
    ["item_0", "reasoning"],
    ["item_1", "command_execution"],
    ["item_2", "agent_message"],
  ]);
  assert.equal(turn.usage?.input_tokens, 10);
  assert.equal(thread.id, "mock-thread");
});

test("The mock records input, thread and turn options, and the exec argv it would build", async () => {
  const { codex, calls } = createMockCodex(
    [events.turn([events.agentMessage("{}")]), events.turn([events.agentMessage("two")])],
    { config: { analytics: { enabled: false } }, profile: "ci" },
  );
  const thread = codex.startThread({ model: "gpt-5.5", sandboxMode: "read-only" });
  await thread.run([{ type: "text", text: "look" }, { type: "local_image", path: "a.png" }], {
    outputSchema: { type: "object", properties: {} },
  });
  await thread.run("again", { timeoutMs: 5000 });
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[0].input, { prompt: "look", images: ["a.png"] });
  assert.equal(calls[0].threadId, null);
  assert.equal(calls[0].threadOptions.model, "gpt-5.5");
  assert.deepEqual(calls[0].turnOptions.outputSchema, { type: "object", properties: {} });
  assert.deepEqual(calls[0].argv, [
    "exec",
    "--json",
    "--config",
    "analytics.enabled=false",
    "--profile",
    "ci",
    "--model",
    "gpt-5.5",
    "--sandbox",
    "read-only",
    "--output-schema",
    "<output-schema.json>",
    "-",
    "--image",
    "a.png",
  ]);
  // The second turn continues the thread the first one started.
  assert.equal(calls[1].threadId, "mock-thread");
  assert.deepEqual(calls[1].argv?.slice(-3), ["resume", "mock-thread", "-"]);
  assert.equal(calls[1].turnOptions.timeoutMs, 5000);
});

test("runStreamed yields each scripted event in order", async () => {
  const script = events.turn([
    events.agentMessageDelta("He"),
    events.agentMessageDelta("Hello", { delta: "llo" }),
    events.agentMessage("Hello!"),
  ]);
  const { codex } = createMockCodex([script]);
  const { events: stream } = await codex.startThread().runStreamed("hi");
  const seen: ThreadEvent[] = [];
  for await (const event of stream) seen.push(event);
  assert.deepEqual(seen.map((e) => e.type), [
    "thread.started",
    "turn.started",
    "item.updated",
    "item.updated",
    "item.completed",
    "turn.completed",
  ]);
  // The deltas and the completed message are one item.
  const ids = seen.filter((e) => e.type.startsWith("item.")).map((e) =>
    (e as { item: { id: string } }).item.id
  );
  assert.deepEqual(ids, ["item_0", "item_0", "item_0"]);
  assert.equal((seen[3] as { delta?: string }).delta, "llo");
});

test("A scripted turn.failed rejects Thread.run with TurnFailedError", async () => {
  const { codex } = createMockCodex([events.turn([events.error("Reconnecting... 1/5")], {
    failed: "stream disconnected",
  })]);
  await assert.rejects(
    codex.startThread().run("x"),
    (e: unknown) => e instanceof TurnFailedError && /stream disconnected/.test(e.message),
  );
});

test("A scripted error after the events reaches the caller as that error", async () => {
  const exit = new ExitError("codex exited with code 1", { exitCode: 1, signal: null });
  const { codex } = createMockCodex([{ events: [events.threadStarted("t1")], error: exit }]);
  await assert.rejects(codex.startThread().run("x"), (e: unknown) => e === exit);
});

test("An aborted signal stops a scripted turn with AbortError", async () => {
  const { codex } = createMockCodex([{
    events: events.turn([events.agentMessage("slow")]),
    delayMs: 50,
  }]);
  const controller = new AbortController();
  const { events: stream } = await codex.startThread().runStreamed("x", {
    signal: controller.signal,
  });
  await assert.rejects(
    (async () => {
      for await (const event of stream) {
        if (event.type === "turn.started") controller.abort();
      }
    })(),
    AbortError,
  );
});

test("A turn past the end of the script errors; a function script sees each call", async () => {
  const { codex } = createMockCodex([]);
  await assert.rejects(codex.startThread().run("x"), /no turn 0/);
  const { codex: echo, calls } = createMockCodex((call) =>
    events.turn([events.agentMessage(`echo: ${call.input.prompt}`)], {
      threadId: `t-${call.index}`,
    })
  );
  assert.equal((await echo.startThread().run("ping")).finalResponse, "echo: ping");
  assert.equal(calls[0].index, 0);
});

test("An exec-invalid option fails the turn as the exec lane would; app-server threads skip argv", async () => {
  const { codex, calls } = createMockCodex(() => events.turn([events.agentMessage("ok")]));
  await assert.rejects(
    codex.startThread({ approvalPolicy: "untrusted" }).run("x"),
    /transport "app-server"/,
  );
  const turn = await codex.startThread({ approvalPolicy: "untrusted", transport: "app-server" })
    .run("x");
  assert.equal(turn.finalResponse, "ok");
  assert.equal(calls.at(-1)?.argv, null);
});

test("Approval events in the app-server shape pass through to the caller", async () => {
  const { codex } = createMockCodex([events.turn([
    events.approvalRequested({ command: "rm -rf build", cwd: "/w", itemId: "item_0" }),
    events.approvalResolved("decline", { source: "policy" }),
    events.command("rm -rf build", { id: "item_0", status: "declined", exitCode: null }),
    events.agentMessage("I did not delete it.", { id: "item_1" }),
  ])]);
  const { events: stream } = await codex.startThread({ transport: "app-server" }).runStreamed("x");
  const seen: ThreadEvent[] = [];
  for await (const event of stream) seen.push(event);
  const requested = seen.find((e) => e.type === "approval.requested");
  assert.deepEqual(requested, {
    type: "approval.requested",
    request_id: 0,
    kind: "command",
    item_id: "item_0",
    available_decisions: ["accept", "acceptForSession", "decline", "cancel"],
    command: "rm -rf build",
    cwd: "/w",
  });
  assert.equal(seen.find((e) => e.type === "approval.resolved")?.type, "approval.resolved");
});

test("interrupt and steer are recorded; interrupt ends the running turn as the app-server does", async () => {
  const { codex, lane } = createMockCodex([{
    events: events.turn([events.agentMessage("a"), events.agentMessage("b")]),
    delayMs: 5,
  }]);
  const thread = codex.startThread({ transport: "app-server" });
  const { events: stream } = await thread.runStreamed("x");
  const types: string[] = [];
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === "thread.started") {
      await thread.steer("more");
      await thread.interrupt();
    }
  }
  assert.deepEqual(types, ["thread.started", "turn.failed"]);
  assert.deepEqual(lane.interrupts, ["mock-thread"]);
  assert.deepEqual(lane.steers, [{
    threadId: "mock-thread",
    input: { prompt: "more", images: [] },
  }]);
});

test("Builders produce the wire shapes", () => {
  assert.deepEqual(events.command("false", { exitCode: 1, id: "c" }).item, {
    id: "c",
    type: "command_execution",
    command: "false",
    aggregated_output: "",
    exit_code: 1,
    status: "failed",
  });
  assert.deepEqual(events.fileChange(["a.ts", { path: "b.ts", kind: "add" }], { id: "f" }).item, {
    id: "f",
    type: "file_change",
    changes: [{ path: "a.ts", kind: "update" }, { path: "b.ts", kind: "add" }],
    status: "completed",
  });
  assert.deepEqual(events.todoList(["one", { text: "two", completed: true }], { id: "t" }).item, {
    id: "t",
    type: "todo_list",
    items: [{ text: "one", completed: false }, { text: "two", completed: true }],
  });
  assert.deepEqual(events.mcpToolCall("s", "t", { error: "boom", id: "m" }).item, {
    id: "m",
    type: "mcp_tool_call",
    server: "s",
    tool: "t",
    arguments: {},
    result: null,
    error: { message: "boom" },
    status: "failed",
  });
  assert.deepEqual(events.turnFailed("bad"), { type: "turn.failed", error: { message: "bad" } });
  assert.deepEqual(events.turn([], { threadId: null }).map((e) => e.type), [
    "turn.started",
    "turn.completed",
  ]);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { TurnFailedError } from "../errors.ts";
import type { ThreadEvent } from "../events.ts";
import { createMockCodex } from "./mock_lane.ts";
import { namedFixtures } from "./named_fixtures.ts";
import type { NamedFixture } from "./named_fixtures.ts";

async function replay(fixture: NamedFixture): Promise<ThreadEvent[]> {
  const { codex } = createMockCodex([fixture.events]);
  const { events } = await codex.startThread({ transport: fixture.transport }).runStreamed("x");
  const seen: ThreadEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

test("Every named fixture replays through the mock lane event for event", async () => {
  const names = Object.keys(namedFixtures);
  assert.deepEqual(names, [
    "simpleText",
    "toolCall",
    "approval",
    "error",
    "streamingDeltas",
    "reasoning",
  ]);
  for (const fixture of Object.values(namedFixtures)) {
    assert.ok(fixture.cliVersion.length > 0 && fixture.events.length > 2, fixture.name);
    assert.deepEqual(await replay(fixture), fixture.events, fixture.name);
  }
});

test("simpleText and reasoning replay into the turns the CLI produced", async () => {
  const { codex } = createMockCodex([
    namedFixtures.simpleText.events,
    namedFixtures.reasoning.events,
  ]);
  const thread = codex.startThread();
  assert.equal((await thread.run("x")).finalResponse, "Hello from the fake server.");
  const turn = await codex.startThread().run("y");
  assert.deepEqual(turn.items.map((i) => i.type), ["reasoning", "agent_message"]);
  assert.equal(turn.finalResponse, "Hi.");
});

test("toolCall replays a command the sandbox ran", async () => {
  const { codex } = createMockCodex([namedFixtures.toolCall.events]);
  const turn = await codex.startThread().run("x");
  const command = turn.items.find((i) => i.type === "command_execution");
  assert.ok(command?.type === "command_execution");
  assert.match(command.command, /echo hi/);
  assert.equal(command.aggregated_output.trim(), "hi");
  assert.equal(command.exit_code, 0);
});

test("approval replays the app-server approval request and its answer", async () => {
  const seen = await replay(namedFixtures.approval);
  const requested = seen.find((e) => e.type === "approval.requested");
  const resolved = seen.find((e) => e.type === "approval.resolved");
  assert.ok(requested?.type === "approval.requested" && requested.kind === "command");
  assert.ok(resolved?.type === "approval.resolved" && resolved.decision === "accept");
  assert.ok(seen.indexOf(requested) < seen.indexOf(resolved));
});

test("error replays into a TurnFailedError", async () => {
  const { codex } = createMockCodex([namedFixtures.error.events]);
  await assert.rejects(
    codex.startThread().run("x"),
    (e: unknown) => e instanceof TurnFailedError && /failed on purpose/.test(e.message),
  );
});

test("streamingDeltas replays growing text before the completed message", async () => {
  const seen = await replay(namedFixtures.streamingDeltas);
  const updates = seen.filter((e) => e.type === "item.updated");
  const done = seen.findIndex((e) =>
    e.type === "item.completed" && e.item.type === "agent_message"
  );
  assert.ok(updates.length > 1);
  assert.ok(seen.indexOf(updates.at(-1)!) < done);
});

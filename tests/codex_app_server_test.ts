/**
 * `Codex` threads with `transport: "app-server"`: the same Thread API as exec, plus approvals,
 * deltas, interrupt and steer, against the real codex app-server and the fake Responses server.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TurnFailedError } from "../src/errors.ts";
import type { ThreadEvent } from "../src/events.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { eventually, offlineClient, processesMatching } from "./_offline_codex.ts";

test("An app-server thread returns the same turn shape as exec and keeps its id across turns", async () => {
  await using server = await startFakeResponsesServer([reply.message("one"), reply.message("two")]);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    transport: "app-server",
    workingDirectory: client.work,
  });
  const first = await thread.run("hello");
  assert.equal(first.finalResponse, "one");
  assert.deepEqual(first.items.map((i) => i.type), ["agent_message"]);
  assert.ok(first.usage && first.usage.input_tokens > 0);
  const id = thread.id;
  assert.match(id ?? "", /^[0-9a-f-]{36}$/);
  assert.equal((await thread.run("again")).finalResponse, "two");
  assert.equal(thread.id, id);
});

test("runStreamed on the app-server yields text deltas as item.updated before the completed item", async () => {
  await using server = await startFakeResponsesServer([{
    ...reply.message("streamed words here"),
    textDeltas: true,
  }]);
  await using client = await offlineClient(server);
  const { events } = await client.codex.startThread({
    transport: "app-server",
    workingDirectory: client.work,
  })
    .runStreamed("stream please");
  const seen: ThreadEvent[] = [];
  for await (const event of events) seen.push(event);
  const updates = seen.filter((e) => e.type === "item.updated" && e.item.type === "agent_message");
  const done = seen.findIndex((e) =>
    e.type === "item.completed" && e.item.type === "agent_message"
  );
  assert.ok(updates.length > 1, `saw ${updates.length} updates`);
  assert.ok(seen.indexOf(updates[0]) < done);
  assert.equal(seen.at(-1)?.type, "turn.completed");
});

test("onApproval decides a command: declined commands do not run, accepted ones do", async () => {
  await using server = await startFakeResponsesServer([
    reply.execCommand("touch declined.txt"),
    reply.message("skipped"),
    reply.execCommand("touch accepted.txt"),
    reply.message("ran"),
  ]);
  await using client = await offlineClient(server);
  const asked: string[] = [];
  const thread = client.codex.startThread({
    transport: "app-server",
    workingDirectory: client.work,
    approvalPolicy: "untrusted",
    sandboxMode: "workspace-write",
    onApproval: (request) => {
      asked.push(String(request.command ?? ""));
      return String(request.command).includes("declined") ? "decline" : "accept";
    },
  });
  const declined = await thread.run("try the first");
  const command = declined.items.find((i) => i.type === "command_execution");
  assert.equal(command?.type === "command_execution" ? command.status : "", "declined");
  assert.equal(existsSync(join(client.work, "declined.txt")), false);
  await thread.run("try the second");
  assert.equal(existsSync(join(client.work, "accepted.txt")), true);
  assert.equal(asked.length, 2);
});

test("thread.interrupt() ends a running app-server turn and run() rejects with TurnFailedError", async () => {
  await using server = await startFakeResponsesServer([{
    ...reply.message("never"),
    stallAfterCreated: true,
  }]);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    transport: "app-server",
    workingDirectory: client.work,
  });
  const run = thread.run("hang");
  await server.waitForHold();
  await thread.interrupt();
  await assert.rejects(
    run,
    (e: unknown) => e instanceof TurnFailedError && /interrupt/i.test(e.message),
  );
});

test("Codex.close() stops the app-server it started", async () => {
  await using server = await startFakeResponsesServer([reply.message("bye")]);
  await using client = await offlineClient(server);
  await client.codex.startThread({ transport: "app-server", workingDirectory: client.work }).run(
    "x",
  );
  assert.ok(
    (await processesMatching(client.home)).length > 0,
    "the server is running between turns",
  );
  await client.codex.close();
  assert.ok(await eventually(async () => (await processesMatching(client.home)).length === 0));
});

test("thread.interrupt() on an exec thread is a TypeError pointing at the app-server", async () => {
  await using server = await startFakeResponsesServer([]);
  await using client = await offlineClient(server);
  await assert.rejects(
    client.codex.startThread().interrupt(),
    (e: unknown) => e instanceof TypeError && e.message.includes("app-server"),
  );
});

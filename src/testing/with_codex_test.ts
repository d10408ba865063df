// Drives the real native codex against the fake server: each builder must turn into the
// exec --json item it stands for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeResponsesServer } from "./fake_responses_server.ts";
import { item, reply } from "./steps.ts";
import { completedItems, freshHome, runCodexExec, tempDir } from "../../tests/_codex.ts";

test("fake server answers the real codex and records the request body", async () => {
  await using server = await startFakeResponsesServer([reply.message("Hello.")]);
  await using home = await freshHome();
  const run = await runCodexExec(server, ["Say hello"], { home: home.path });
  assert.equal(run.code, 0, run.stderr);
  const [request] = await server.waitForRequests(1);
  const body = request.body as Record<string, unknown>;
  for (const key of ["model", "input", "tools", "stream", "prompt_cache_key", "reasoning"]) {
    assert.ok(key in body, `request body has ${key}`);
  }
  assert.equal(body.model, "gpt-5.5");
  assert.equal(body.stream, true);
  const thread = run.events.find((e) => e.type === "thread.started");
  assert.equal(body.prompt_cache_key, thread?.thread_id);
  assert.equal(request.headers.authorization, "Bearer ***");
  assert.ok(JSON.stringify(body.input).includes("Say hello"));
});

test("reply.message becomes an agent_message and the turn completes with usage", async () => {
  await using server = await startFakeResponsesServer([reply.message("Hi there.")]);
  await using home = await freshHome();
  const run = await runCodexExec(server, ["hi"], { home: home.path });
  assert.deepEqual(completedItems(run.events).map((i) => [i.type, i.text]), [[
    "agent_message",
    "Hi there.",
  ]]);
  const done = run.events.at(-1) as { type: string; usage: Record<string, number> };
  assert.equal(done.type, "turn.completed");
  assert.equal(done.usage.input_tokens, 1200);
  assert.equal(done.usage.output_tokens, 24);
});

test("reply.execCommand becomes a command_execution with its output", async () => {
  await using server = await startFakeResponsesServer([
    reply.execCommand("echo hi"),
    reply.message("ok"),
  ]);
  await using home = await freshHome();
  const run = await runCodexExec(server, ["-s", "workspace-write", "run it"], { home: home.path });
  assert.equal(run.code, 0, run.stderr);
  const command = completedItems(run.events).find((i) => i.type === "command_execution");
  assert.equal(command?.aggregated_output, "hi\n");
  assert.equal(command?.exit_code, 0);
  assert.equal(command?.status, "completed");
  const second = (await server.waitForRequests(2))[1].body as { input: { type: string }[] };
  assert.ok(second.input.some((i) => i.type === "function_call_output"));
});

test("reply.addFile becomes a file_change and the file exists on disk", async () => {
  await using server = await startFakeResponsesServer([
    reply.addFile("hello.txt", "hello\n"),
    reply.message("ok"),
  ]);
  await using home = await freshHome();
  await using work = await tempDir("codexkit-work-");
  const run = await runCodexExec(server, ["-s", "workspace-write", "add it"], {
    home: home.path,
    cwd: work.path,
  });
  assert.equal(run.code, 0, run.stderr);
  const change = completedItems(run.events).find((i) => i.type === "file_change");
  assert.deepEqual(change?.changes, [{ path: join(work.path, "hello.txt"), kind: "add" }]);
  assert.equal(change?.status, "completed");
  assert.equal(await readFile(join(work.path, "hello.txt"), "utf8"), "hello\n");
});

test("reply.items with reasoning and textDeltas gives reasoning then agent_message", async () => {
  const step = {
    ...reply.items([item.reasoning("Pondering"), item.message("Answer.")]),
    textDeltas: true,
  };
  await using server = await startFakeResponsesServer([step]);
  await using home = await freshHome();
  const run = await runCodexExec(server, ["think"], { home: home.path });
  assert.deepEqual(completedItems(run.events).map((i) => [i.type, i.text]), [
    ["reasoning", "Pondering"],
    ["agent_message", "Answer."],
  ]);
});

test("reply.updatePlan becomes a todo_list", async () => {
  await using server = await startFakeResponsesServer([
    reply.updatePlan([{ step: "Read", status: "completed" }, "Write"]),
    reply.message("ok"),
  ]);
  await using home = await freshHome();
  const run = await runCodexExec(server, ["-c", "tools.update_plan.enabled=true", "plan"], {
    home: home.path,
  });
  const todo = completedItems(run.events).find((i) => i.type === "todo_list");
  assert.deepEqual(todo?.items, [{ text: "Read", completed: true }, {
    text: "Write",
    completed: false,
  }]);
});

test("reply.failed makes the turn fail with the message and exit 1", async () => {
  await using server = await startFakeResponsesServer([
    reply.failed("server_error", "scripted failure"),
  ]);
  await using home = await freshHome();
  const run = await runCodexExec(server, ["fail"], { home: home.path });
  assert.equal(run.code, 1);
  const failed = run.events.find((e) => e.type === "turn.failed") as { error: { message: string } };
  assert.match(failed.error.message, /scripted failure/);
});

test("reply.httpError(500) gives error then turn.failed", async () => {
  await using server = await startFakeResponsesServer([reply.httpError(500)]);
  await using home = await freshHome();
  const run = await runCodexExec(server, ["fail"], { home: home.path });
  assert.equal(run.code, 1);
  assert.deepEqual(run.events.slice(-2).map((e) => e.type), ["error", "turn.failed"]);
  assert.equal(server.requests.length, 1);
});

test("running out of steps fails the turn with a 500 naming the request", async () => {
  await using server = await startFakeResponsesServer([reply.execCommand("echo hi")]);
  await using home = await freshHome();
  const run = await runCodexExec(server, ["-s", "workspace-write", "run"], { home: home.path });
  assert.equal(run.code, 1);
  assert.equal(run.events.at(-1)?.type, "turn.failed");
  assert.deepEqual(server.requests.map((r) => r.status), [200, 500]);
});

test("a held stream keeps codex waiting until released", async () => {
  await using server = await startFakeResponsesServer([{
    ...reply.message("Finally."),
    hold: true,
  }]);
  await using home = await freshHome();
  let settled = false;
  const running = runCodexExec(server, ["wait"], { home: home.path }).finally(() => settled = true);
  await server.waitForHold(1, 30_000);
  assert.equal(settled, false);
  assert.equal(server.release(), 1);
  const run = await running;
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(completedItems(run.events).map((i) => i.text), ["Finally."]);
});

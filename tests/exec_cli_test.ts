/**
 * The exec lane against the REAL pinned codex, driven offline by the fake Responses server.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as v from "valibot";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import {
  AbortError,
  ExitError,
  IdleTimeoutError,
  SchemaMismatchError,
  TimeoutError,
  TurnFailedError,
} from "../src/errors.ts";
import type { ThreadEvent, ThreadItem } from "../src/events.ts";
import { eventually, offlineClient, processesMatching } from "./_offline_codex.ts";

const byType = <T extends ThreadItem["type"]>(items: ThreadItem[], type: T) =>
  items.filter((i): i is Extract<ThreadItem, { type: T }> => i.type === type);

test("Thread.run returns the agent message, usage and items of a plain turn", async () => {
  await using server = await startFakeResponsesServer([
    reply.message("Hello from the fake model."),
  ]);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  assert.equal(thread.id, null);
  const turn = await thread.run("Say hello");
  assert.equal(turn.finalResponse, "Hello from the fake model.");
  assert.equal(byType(turn.items, "agent_message").length, 1);
  assert.ok(turn.usage && turn.usage.input_tokens > 0 && turn.usage.output_tokens > 0);
  assert.match(thread.id ?? "", /^[0-9a-f-]{36}$/);
  const body = server.requests[0].body as {
    input: unknown[];
    prompt_cache_key: string;
    model: string;
  };
  assert.equal(body.prompt_cache_key, thread.id);
  assert.equal(body.model, "gpt-5.5");
  assert.ok(
    JSON.stringify(body.input).includes("Say hello"),
    "the prompt reached the model via stdin",
  );
});

test("Thread keeps its id across turns and a new Codex resumes it from the same home", async () => {
  await using server = await startFakeResponsesServer([
    reply.message("first"),
    reply.message("second"),
    reply.message("third"),
  ]);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  await thread.run("one");
  const id = thread.id!;
  const second = await thread.run("two");
  assert.equal(second.finalResponse, "second");
  assert.equal(thread.id, id);
  await using other = await offlineClient(server, { home: client.home });
  const resumed = other.codex.resumeThread(id, {
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  assert.equal(resumed.id, id);
  const third = await resumed.run("three");
  assert.equal(third.finalResponse, "third");
  const last = JSON.stringify(server.requests[2].body);
  assert.ok(
    last.includes("one") && last.includes("two") && last.includes("three"),
    "history was resumed",
  );
});

test("runStreamed yields a command execution with its output and exit code", async () => {
  await using server = await startFakeResponsesServer([
    reply.execCommand("echo hi"),
    reply.message("done"),
  ]);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
    sandboxMode: "workspace-write",
  });
  const { events } = await thread.runStreamed("run echo hi");
  const seen: ThreadEvent[] = [];
  for await (const event of events) seen.push(event);
  const types = seen.map((e) => e.type);
  assert.deepEqual([types[0], types[1], types.at(-1)], [
    "thread.started",
    "turn.started",
    "turn.completed",
  ]);
  const command = seen.flatMap((e) =>
    e.type === "item.completed" && e.item.type === "command_execution" ? [e.item] : []
  );
  assert.equal(command.length, 1);
  assert.equal(command[0].aggregated_output, "hi\n");
  assert.equal(command[0].exit_code, 0);
  assert.equal(command[0].status, "completed");
});

test("Thread.run reports a file change and the file exists on disk", async () => {
  await using server = await startFakeResponsesServer([
    reply.addFile("hello.txt", "hello\n"),
    reply.message("wrote it"),
  ]);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
    sandboxMode: "workspace-write",
  });
  const turn = await thread.run("write hello.txt");
  const change = byType(turn.items, "file_change");
  assert.equal(change.length, 1);
  assert.equal(change[0].status, "completed");
  assert.equal(change[0].changes[0].kind, "add");
  assert.equal(await readFile(join(client.work, "hello.txt"), "utf8"), "hello\n");
});

test("Thread.run returns reasoning and todo list items", async () => {
  await using server = await startFakeResponsesServer([
    reply.items([
      { type: "reasoning", summary: [{ type: "summary_text", text: "Thinking it over" }] },
    ]),
    reply.updatePlan(["read", { step: "write", status: "completed" }]),
    reply.message("planned"),
  ]);
  await using client = await offlineClient(server, {
    config: { tools: { update_plan: { enabled: true } } },
  });
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  const first = await thread.run("think");
  assert.equal(byType(first.items, "reasoning")[0]?.text.includes("Thinking it over"), true);
  const second = await thread.run("plan");
  const todo = byType(second.items, "todo_list");
  assert.equal(todo.length, 1);
  assert.deepEqual(todo[0].items.map((i) => [i.text, i.completed]), [["read", false], [
    "write",
    true,
  ]]);
});

test("outputSchema as JSON Schema sends the schema and parses the answer into output", async () => {
  const schema = {
    type: "object",
    properties: { answer: { type: "string" }, score: { type: "integer" } },
    required: ["answer", "score"],
    additionalProperties: false,
  };
  await using server = await startFakeResponsesServer([
    reply.message('{"answer":"yes","score":3}'),
  ]);
  await using client = await offlineClient(server);
  const turn = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  })
    .run<{ answer: string; score: number }>("rate it", { outputSchema: schema });
  assert.deepEqual(turn.output, { answer: "yes", score: 3 });
  const format =
    (server.requests[0].body as { text: { format: Record<string, unknown> } }).text.format;
  assert.equal(format.type, "json_schema");
  assert.equal(format.strict, true);
  assert.deepEqual(format.schema, schema);
});

test("outputSchema as a valibot schema is converted and a mismatch rejects with the raw text", async () => {
  const Answer = v.object({ answer: v.string(), score: v.pipe(v.number(), v.integer()) });
  await using server = await startFakeResponsesServer([
    reply.message('{"answer":"ok","score":2}'),
    reply.message('{"answer":"ok","score":"high"}'),
  ]);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  const good = await thread.run<v.InferOutput<typeof Answer>>("rate", { outputSchema: Answer });
  assert.deepEqual(good.output, { answer: "ok", score: 2 });
  const sent =
    (server.requests[0].body as { text: { format: { schema: Record<string, unknown> } } }).text
      .format.schema;
  assert.equal(sent.type, "object");
  assert.deepEqual(sent.required, ["answer", "score"]);
  assert.equal(sent.additionalProperties, false);
  await assert.rejects(
    thread.run("rate again", { outputSchema: Answer }),
    (e: unknown) =>
      e instanceof SchemaMismatchError && e.rawText === '{"answer":"ok","score":"high"}' &&
      e.issues.length > 0,
  );
});

test("local_image input reaches the model as an input_image", async () => {
  await using server = await startFakeResponsesServer([reply.message("a pixel")]);
  await using client = await offlineClient(server);
  const png = join(client.work, "pixel.png");
  // A 1x1 PNG.
  await writeFile(
    png,
    Uint8Array.from(
      atob(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      ),
      (c) => c.charCodeAt(0),
    ),
  );
  const turn = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  })
    .run([{ type: "text", text: "describe" }, { type: "local_image", path: png }]);
  assert.equal(turn.finalResponse, "a pixel");
  const input = JSON.stringify((server.requests[0].body as { input: unknown }).input);
  assert.ok(input.includes('"input_image"') && input.includes("data:image/png;base64,"));
});

test("Thread.run rejects with TurnFailedError on turn.failed", async () => {
  await using server = await startFakeResponsesServer([
    reply.failed("server_error", "the model fell over"),
  ]);
  await using client = await offlineClient(server);
  await assert.rejects(
    client.codex.startThread({ skipGitRepoCheck: true, workingDirectory: client.work }).run("x"),
    (e: unknown) =>
      // The turn ends at turn.failed: codex's exit (code 1) comes after and is not waited for.
      e instanceof TurnFailedError && e.message.includes("the model fell over") &&
      e.cause === undefined,
  );
});

test("Thread.run rejects with TurnFailedError on HTTP 500 and runStreamed shows error then turn.failed", async () => {
  await using server = await startFakeResponsesServer([reply.httpError(500), reply.httpError(500)]);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  await assert.rejects(thread.run("x"), TurnFailedError);
  const { events } = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  })
    .runStreamed("y");
  const types: string[] = [];
  // The events end at turn.failed, which is the failure; codex's exit 1 follows unawaited.
  for await (const event of events) types.push(event.type);
  assert.ok(types.includes("error") && types.at(-1) === "turn.failed", types.join(","));
});

test("An AbortSignal cancels mid-stream, rejects with AbortError and leaves no process", async () => {
  await using server = await startFakeResponsesServer([{
    ...reply.message("never"),
    stallAfterCreated: true,
  }]);
  await using client = await offlineClient(server);
  const controller = new AbortController();
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  const { events } = await thread.runStreamed("hang", { signal: controller.signal });
  const seen: string[] = [];
  let aborted = 0;
  const run = (async () => {
    for await (const event of events) {
      seen.push(event.type);
      if (event.type === "turn.started") {
        await server.waitForHold();
        aborted = performance.now();
        controller.abort(new Error("user stop"));
      }
    }
  })();
  await assert.rejects(
    run,
    (e: unknown) => e instanceof AbortError && (e.cause as Error).message === "user stop",
  );
  const elapsed = performance.now() - aborted;
  assert.ok(seen.includes("turn.started"));
  // Not a speed assertion: a generous bound that only a broken cancel path would miss.
  assert.ok(elapsed < 1000, `rejected ${elapsed.toFixed(0)} ms after abort`);
  assert.ok(await eventually(async () => (await processesMatching(client.home)).length === 0));
});

test("Breaking out of the event loop stops the run and its process", async () => {
  await using server = await startFakeResponsesServer([{
    ...reply.message("never"),
    stallAfterCreated: true,
  }]);
  await using client = await offlineClient(server);
  const { events } = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  })
    .runStreamed("hang");
  for await (const event of events) if (event.type === "turn.started") break;
  assert.ok(await eventually(async () => (await processesMatching(client.home)).length === 0));
});

test("timeoutMs and idleTimeoutMs stop a stalled turn with typed errors", async () => {
  await using server = await startFakeResponsesServer(() => ({
    ...reply.message("never"),
    stallAfterCreated: true,
  }));
  await using client = await offlineClient(server);
  const thread = () =>
    client.codex.startThread({ skipGitRepoCheck: true, workingDirectory: client.work });
  await assert.rejects(
    thread().run("hang", { timeoutMs: 1500 }),
    (e: unknown) =>
      e instanceof TimeoutError && !(e instanceof IdleTimeoutError) && e.timeoutMs === 1500,
  );
  await assert.rejects(
    thread().run("hang", { idleTimeoutMs: 1200 }),
    (e: unknown) => e instanceof IdleTimeoutError && e.timeoutMs === 1200 && e.timedOut,
  );
  assert.ok(await eventually(async () => (await processesMatching(client.home)).length === 0));
});

test("A codex killed by SIGKILL mid-turn rejects with ExitError naming the signal", async () => {
  await using server = await startFakeResponsesServer([{
    ...reply.message("never"),
    stallAfterCreated: true,
  }]);
  await using client = await offlineClient(server);
  const run = client.codex.startThread({ skipGitRepoCheck: true, workingDirectory: client.work })
    .run("hang");
  await server.waitForHold();
  const pids = await processesMatching(client.home);
  assert.ok(pids.length > 0);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // A helper of codex (its shell snapshot) may end with it before its turn comes.
    }
  }
  await assert.rejects(
    run,
    (e: unknown) => e instanceof ExitError && e.signal === "SIGKILL" && e.exitCode === null,
  );
});

test("8 threads run at once without crossing events", async () => {
  await using server = await startFakeResponsesServer((request) => {
    const text = JSON.stringify((request.body as { input: unknown }).input);
    const n = /thread-number-(\d+)/.exec(text)?.[1] ?? "?";
    return { ...reply.message(`answer for ${n}`), delayMs: 5 };
  });
  await using client = await offlineClient(server);
  const threads = Array.from(
    { length: 8 },
    () => client.codex.startThread({ skipGitRepoCheck: true, workingDirectory: client.work }),
  );
  const turns = await Promise.all(threads.map((t, i) => t.run(`thread-number-${i}`)));
  turns.forEach((turn, i) => assert.equal(turn.finalResponse, `answer for ${i}`));
  assert.equal(new Set(threads.map((t) => t.id)).size, 8);
});

test("ephemeral threads write no session and outputLastMessage writes the final message", async () => {
  await using server = await startFakeResponsesServer([reply.message("kept in a file")]);
  await using client = await offlineClient(server);
  const out = join(client.work, "last.txt");
  const turn = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
    ephemeral: true,
  })
    .run("x", { outputLastMessage: out });
  assert.equal(turn.finalResponse, "kept in a file");
  assert.equal(await readFile(out, "utf8"), "kept in a file");
  await assert.rejects(stat(join(client.home, "sessions")), { code: "ENOENT" });
});

test("forkThread continues a copy under a new id and resumeLastThread picks the latest session", async () => {
  await using server = await startFakeResponsesServer([
    reply.message("original"),
    reply.message("forked"),
    reply.message("latest"),
  ]);
  await using client = await offlineClient(server);
  const options = { skipGitRepoCheck: true, workingDirectory: client.work };
  const original = client.codex.startThread(options);
  await original.run("remember the word kiwi");
  const fork = client.codex.forkThread(original.id!, options);
  assert.equal((await fork.run("what was the word?")).finalResponse, "forked");
  assert.ok(fork.id && fork.id !== original.id);
  assert.ok(
    JSON.stringify(server.requests[1].body).includes("kiwi"),
    "the fork carries the history",
  );
  const last = client.codex.resumeLastThread(options);
  assert.equal((await last.run("and now?")).finalResponse, "latest");
  assert.equal(last.id, fork.id);
});

test("codexHome is created when missing and the child writes its session there", async () => {
  await using server = await startFakeResponsesServer([reply.message("ok")]);
  await using client = await offlineClient(server);
  await assert.rejects(stat(client.home), { code: "ENOENT" });
  await client.codex.startThread({ skipGitRepoCheck: true, workingDirectory: client.work }).run(
    "x",
  );
  assert.ok((await stat(join(client.home, "sessions"))).isDirectory());
});

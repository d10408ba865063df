/**
 * Turns that used to go silently wrong, and the behaviours a program written for the official
 * SDK relies on, against the REAL pinned codex driven offline by the fake Responses server.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { inspect, promisify } from "node:util";
import * as v from "valibot";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { ExitError, SchemaMismatchError, ThreadNotFoundError } from "../src/errors.ts";
import { buildConfigArgs } from "../src/exec/args.ts";
import { offlineClient } from "./_offline_codex.ts";
import { NATIVE_CODEX } from "./_codex.ts";

const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);

test("resumeThread(id).run([text, local_image]) continues the same thread and sends its history", async () => {
  await using server = await startFakeResponsesServer([
    reply.message("first answer"),
    reply.message("saw the image"),
  ]);
  await using client = await offlineClient(server);
  const options = { skipGitRepoCheck: true, workingDirectory: client.work };
  const first = client.codex.startThread(options);
  await first.run("remember the word pelican");
  const id = first.id!;
  const png = join(client.work, "pixel.png");
  await writeFile(png, PNG);

  const resumed = client.codex.resumeThread(id, options);
  const turn = await resumed.run([
    { type: "text", text: "what is in this image?" },
    { type: "local_image", path: png },
  ]);
  assert.equal(turn.finalResponse, "saw the image");
  assert.equal(resumed.id, id, "the resumed thread keeps its id");
  const body = server.requests[1].body as { input: unknown[]; prompt_cache_key: string };
  assert.equal(body.prompt_cache_key, id);
  const input = JSON.stringify(body.input);
  assert.ok(input.includes("remember the word pelican"), "the earlier turn is in the request");
  assert.ok(input.includes("first answer"), "the earlier answer is in the request");
  assert.ok(input.includes("what is in this image?"));
  assert.ok(input.includes("data:image/png;base64,"), "the image reached the model");
});

test("Resuming an id codex does not know rejects with ThreadNotFoundError, named or UUID", async () => {
  await using server = await startFakeResponsesServer([
    reply.message("a new conversation"),
    reply.message("a new conversation"),
  ]);
  await using client = await offlineClient(server);
  const options = { skipGitRepoCheck: true, workingDirectory: client.work };

  // 0.169.0 takes a non-UUID id for a thread name and starts a new thread under a new id.
  const named = client.codex.resumeThread("some-name", options);
  await assert.rejects(named.run("hello"), (e: unknown) => {
    assert.ok(e instanceof ThreadNotFoundError, String(e));
    assert.equal(e.threadId, "some-name");
    assert.match(e.reportedId ?? "", /^[0-9a-f-]{36}$/);
    return true;
  });

  const uuid = "0199a213-81c0-7800-8aa1-bbab2a035a53";
  await assert.rejects(
    client.codex.resumeThread(uuid, options).run("hello"),
    (e: unknown) =>
      e instanceof ThreadNotFoundError && e.threadId === uuid && e.cause instanceof ExitError &&
      /no rollout found/.test(e.stderrTail ?? ""),
  );
});

test("A dotted config key reaches codex as an unquoted path: codex features list shows the effect", async () => {
  const home = await mkdtemp(join(tmpdir(), "codexkit-features-"));
  try {
    const args = [
      "features",
      "list",
      ...buildConfigArgs({ config: { "features.shell_snapshot": false } }),
      "--disable",
      "plugins",
      "-c",
      "analytics.enabled=false",
    ];
    assert.deepEqual(args.slice(2, 4), ["--config", "features.shell_snapshot=false"]);
    const run = (argv: string[]) =>
      promisify(execFile)(NATIVE_CODEX, argv, {
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", CODEX_HOME: home, HOME: home },
      });
    const row = (stdout: string) => stdout.split("\n").find((l) => /^shell_snapshot\s/.test(l));
    const before = row((await run(["features", "list"])).stdout);
    const after = row((await run(args)).stdout);
    assert.match(before ?? "", /\strue$/, "the feature is on by default");
    assert.match(after ?? "", /\sfalse$/, "the dotted key turned it off");
    // Nested objects give the same pair.
    assert.deepEqual(buildConfigArgs({ config: { features: { shell_snapshot: false } } }), [
      "--config",
      "features.shell_snapshot=false",
    ]);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test("Requests are attributed to the TypeScript SDK, unless the caller's env names another client", async () => {
  await using server = await startFakeResponsesServer([reply.message("a"), reply.message("b")]);
  await using client = await offlineClient(server);
  const options = { skipGitRepoCheck: true, workingDirectory: client.work };
  await client.codex.startThread(options).run("hi");
  assert.equal(server.requests[0].headers.originator, "codex_sdk_ts");
  await using other = await offlineClient(server, {
    env: { CODEX_INTERNAL_ORIGINATOR_OVERRIDE: "my_tool" },
  });
  await other.codex.startThread(options).run("hi");
  assert.equal(server.requests[1].headers.originator, "my_tool");
});

test("cyberAccessProgram is passed as --cyber-access-program and the real codex accepts it", async () => {
  await using server = await startFakeResponsesServer([reply.message("ok")]);
  await using client = await offlineClient(server);
  const turn = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  }).run("hi", { cyberAccessProgram: "standard" });
  assert.equal(turn.finalResponse, "ok");
  assert.equal(server.requests.length, 1);
});

test("A plain JSON Schema answer that does not match keeps the text and reports outputError", async () => {
  const schema = {
    type: "object",
    properties: { answer: { type: "string" } },
    required: ["answer"],
    additionalProperties: false,
  };
  await using server = await startFakeResponsesServer([
    reply.message("not json at all"),
    reply.message('{"answer":"yes"}'),
    reply.message('{"answer":7}'),
    reply.message('{"answer":7}'),
  ]);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  const loose = await thread.run("answer", { outputSchema: schema });
  assert.equal(loose.finalResponse, "not json at all");
  assert.equal(loose.output, undefined);
  assert.ok(loose.outputError instanceof SchemaMismatchError);
  assert.equal(loose.outputError.rawText, "not json at all");

  const file = join(client.work, "schema.json");
  await writeFile(file, JSON.stringify(schema));
  const fromFile = await thread.run("answer", { outputSchema: file });
  assert.deepEqual(fromFile.output, { answer: "yes" });
  assert.equal(fromFile.outputError, undefined);
  const sent = (server.requests[1].body as { text: { format: { schema: unknown } } }).text;
  assert.deepEqual(sent.format.schema, schema, "the file's schema reached the model");

  const mismatch = await thread.run("answer", { outputSchema: schema });
  assert.equal(mismatch.finalResponse, '{"answer":7}');
  assert.match(mismatch.outputError?.message ?? "", /answer/);

  await assert.rejects(
    thread.run("answer", { outputSchema: schema, strictOutput: true }),
    (e: unknown) => e instanceof SchemaMismatchError && e.rawText === '{"answer":7}',
  );
});

test("A valibot outputSchema types output without a type argument and rejects a mismatch", async () => {
  await using server = await startFakeResponsesServer([
    reply.message('{"n":3}'),
    reply.message('{"n":"three"}'),
  ]);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  const turn = await thread.run("count", { outputSchema: v.object({ n: v.number() }) });
  const n: number | undefined = turn.output?.n;
  assert.equal(n, 3);
  await assert.rejects(
    thread.run("count", { outputSchema: v.object({ n: v.number() }) }),
    SchemaMismatchError,
  );
});

test("An exit error starts like upstream's, names its reason, never starts with a warning, and shows no undefined", async () => {
  await using server = await startFakeResponsesServer([reply.message("never")]);
  // TMPDIR=/tmp makes 0.169.0 warn that it cannot create PATH aliases under a temp dir.
  await using client = await offlineClient(server, {
    configOverrides: ['approval_policy="untrusted"'],
    env: { TMPDIR: tmpdir() },
  });
  const error = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  }).run("hi").then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ExitError, String(error));
  assert.match(error.message, /^Codex Exec exited with code 1: /);
  assert.match(error.message.split("\n")[0], /untrusted/);
  assert.equal(error.exitCode, 1);
  const shown = inspect(error);
  assert.ok(!/: undefined/.test(shown), shown);
  assert.match(error.stderrTail ?? "", /WARNING: proceeding/, "the warning stays in the tail");
  assert.ok(!error.message.startsWith("WARNING"));
});

test("Settings layer client -> thread -> turn: a turn's override applies to that turn only", async () => {
  await using server = await startFakeResponsesServer([
    reply.message("1"),
    reply.message("2"),
    reply.message("3"),
  ]);
  await using client = await offlineClient(server, {
    config: { model_reasoning_effort: "low" },
  });
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
    config: { model_reasoning_effort: "medium" },
  });
  await thread.run("a", { config: { model_reasoning_effort: "high" } });
  await thread.run("b");
  await thread.run("c", { modelReasoningEffort: "minimal" });
  const efforts = server.requests.map((r) =>
    (r.body as { reasoning?: { effort?: string } }).reasoning?.effort
  );
  assert.deepEqual(efforts, ["high", "medium", "minimal"]);
});

test("An unknown id on the app-server transport, or forked on exec, is a ThreadNotFoundError too", async () => {
  await using server = await startFakeResponsesServer([reply.message("never")]);
  await using client = await offlineClient(server);
  const uuid = "0199a213-81c0-7800-8aa1-bbab2a035a54";
  await assert.rejects(
    client.codex.resumeThread(uuid, {
      transport: "app-server",
      skipGitRepoCheck: true,
      workingDirectory: client.work,
    }).run("hello"),
    (e: unknown) => e instanceof ThreadNotFoundError && e.threadId === uuid,
  );
  await assert.rejects(
    client.codex.forkThread(uuid, { skipGitRepoCheck: true, workingDirectory: client.work })
      .run("hello"),
    (e: unknown) => e instanceof ThreadNotFoundError && e.threadId === uuid,
  );
  assert.equal(server.requests.length, 0, "no model request was made");
});

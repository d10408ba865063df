import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { applyTurnDiff } from "../src/app_server/conversations.ts";
import { Codex } from "../src/codex.ts";
import { offlineClient } from "./_offline_codex.ts";
import { getSpawner } from "../src/runtime/mod.ts";

async function git(cwd: string, ...args: string[]): Promise<void> {
  const child = await getSpawner().spawn("git", args, {
    cwd,
    stdin: "null",
    env: { PATH: "/usr/bin:/bin", HOME: cwd, GIT_CONFIG_NOSYSTEM: "1" },
  });
  const [, err, status] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  assert.equal(status.code, 0, err);
}

test("Codex manages conversations over the app-server: list, read, name, archive, revert", async () => {
  await using fake = await startFakeResponsesServer([
    reply.message("one"),
    reply.message("two"),
    reply.message("three"),
  ]);
  await using client = await offlineClient(fake);
  const { codex, work } = client;
  const thread = codex.startThread({ transport: "app-server", workingDirectory: work });
  await thread.run("first");
  await thread.run("second");
  await thread.run("third");
  const id = thread.id!;

  const page = await codex.threads.list({ cwd: work, limit: 10 });
  assert.equal(page.source, "app-server");
  assert.deepEqual(page.threads.map((t) => t.id), [id]);
  assert.equal(page.threads[0].preview, "first");
  assert.ok(page.threads[0].createdAt instanceof Date);

  assert.equal(page.threads[0].raw?.id, id);

  const read = await codex.threads.read(id, { turns: true });
  assert.equal(read.turns.length, 3);
  // Saved turns come in the SDK's shapes: items as in turn events, the wire record under `raw`.
  const [first] = read.turns;
  assert.equal(first.status, "completed");
  assert.equal(first.error, null);
  assert.deepEqual(
    first.items.filter((item) => item.type === "agent_message").map((item) =>
      (item as { text?: unknown }).text
    ),
    ["one"],
  );
  assert.ok(first.items.every((item) => item.type !== "userMessage"));
  assert.equal(first.raw.id, first.id);
  assert.equal((await codex.threads.read(id)).turns.length, 0);

  await codex.threads.setName(id, "Greetings");
  assert.equal((await codex.threads.read(id)).name, "Greetings");
  assert.ok((await codex.threads.loaded()).includes(id));

  await codex.threads.archive(id);
  assert.deepEqual((await codex.threads.list({ cwd: work })).threads, []);
  assert.deepEqual(
    (await codex.threads.list({ cwd: work, archived: true })).threads.map((t) => t.id),
    [id],
  );
  assert.equal((await codex.threads.unarchive(id)).id, id);
  assert.deepEqual((await codex.threads.list({ cwd: work })).threads.map((t) => t.id), [id]);

  const reverted = await codex.threads.revert(id, { turns: 2 });
  assert.equal(reverted.turns.length, 1);
  assert.equal((await codex.threads.read(id, { turns: true })).turns.length, 1);
  await assert.rejects(codex.threads.revert(id, { turns: 5 }), RangeError);
  await assert.rejects(codex.threads.revert(id, { turns: 0 }), TypeError);
});

test("Codex reads models, account, config and MCP status over the app-server", async () => {
  await using fake = await startFakeResponsesServer([]);
  await using client = await offlineClient(fake);
  const { codex, home } = client;
  const models = await codex.models.list();
  assert.ok(models.length > 0);
  for (const model of models) {
    assert.equal(typeof model.id, "string");
    assert.equal(typeof model.defaultReasoningEffort, "string");
    assert.ok(Array.isArray(model.supportedReasoningEfforts));
  }
  assert.ok(models.some((m) => m.isDefault));

  const account = await codex.account.read();
  assert.equal(typeof account.requiresOpenaiAuth, "boolean");
  assert.equal(account.rateLimits, null);

  const written = await codex.config.write("model_verbosity", "low");
  assert.equal(written.filePath, join(home, "config.toml"));
  assert.match(await readFile(join(home, "config.toml"), "utf8"), /model_verbosity = "low"/);
  const batch = await codex.config.batchWrite([
    { keyPath: "model_verbosity", value: "high" },
    { keyPath: "hide_agent_reasoning", value: true },
  ]);
  assert.equal(batch.status, "ok");
  const config = await codex.config.read();
  assert.equal((config.config as Record<string, unknown>).model_verbosity, "high");

  assert.deepEqual(await codex.mcp.status(), []);
  await codex.mcp.reload();
});

test("Codex lists and reads saved sessions from CODEX_HOME when no app-server can start", async () => {
  await using fake = await startFakeResponsesServer([reply.message("saved")]);
  await using first = await offlineClient(fake);
  const thread = first.codex.startThread({ workingDirectory: first.work, skipGitRepoCheck: true });
  await thread.run("remember me");
  // A binary that cannot serve the app-server (it exits at once).
  const broken = join(first.work, "no-app-server.sh");
  await writeFile(broken, "#!/bin/sh\nexit 3\n");
  await chmod(broken, 0o755);
  await using codex = new Codex({
    codexPathOverride: broken,
    codexHome: first.home,
    env: first.env,
  });
  const page = await codex.threads.list({ cwd: first.work });
  assert.equal(page.source, "sessions");
  assert.deepEqual(page.threads.map((t) => t.id), [thread.id]);
  assert.equal(page.threads[0].preview, "remember me");
  const read = await codex.threads.read(thread.id!);
  assert.equal(read.id, thread.id);
  assert.deepEqual(read.turns, []);
  // What only the server can do says so instead of guessing.
  await assert.rejects(codex.threads.list({ archived: true }), /needs the app-server/);
  await assert.rejects(codex.threads.read(thread.id!, { turns: true }), /needs the app-server/);
});

test("listThreads lists exec and app-server threads alike, over the app-server and from the session files", async () => {
  await using fake = await startFakeResponsesServer([reply.message("one"), reply.message("two")]);
  await using client = await offlineClient(fake);
  const { codex, work } = client;
  const exec = codex.startThread({ workingDirectory: work, skipGitRepoCheck: true });
  await exec.run("by exec");
  const served = codex.startThread({ transport: "app-server", workingDirectory: work });
  await served.run("by the app-server");
  const both = [exec.id!, served.id!].sort();
  const ids = (page: { threads: { id: string }[] }) => page.threads.map((t) => t.id).sort();

  const page = await codex.threads.list({ cwd: work });
  assert.equal(page.source, "app-server");
  assert.deepEqual(ids(page), both);
  assert.deepEqual(ids(await codex.threads.list({ cwd: work, sourceKinds: ["exec"] })), [exec.id]);
  assert.deepEqual(ids(await codex.threads.list({ cwd: work, sourceKinds: ["vscode"] })), [
    served.id,
  ]);
  await assert.rejects(codex.threads.list({ sourceKinds: [] }), TypeError);
  await assert.rejects(codex.threads.list({ sourceKinds: ["nope" as "exec"] }), /sourceKinds/);

  // The same home read without an app-server gives the same set.
  const broken = join(work, "no-app-server.sh");
  await writeFile(broken, "#!/bin/sh\nexit 3\n");
  await chmod(broken, 0o755);
  await using offline = new Codex({ codexPathOverride: broken, codexHome: client.home });
  const fallback = await offline.threads.list({ cwd: work });
  assert.equal(fallback.source, "sessions");
  assert.deepEqual(ids(fallback), both);
  assert.deepEqual(ids(await offline.threads.list({ cwd: work, sourceKinds: ["exec"] })), [
    exec.id,
  ]);
  assert.deepEqual(ids(await offline.threads.list({ cwd: work, sourceKinds: ["vscode"] })), [
    served.id,
  ]);

  // An exec thread archives and comes back like any other.
  await codex.threads.archive(exec.id!);
  assert.deepEqual(ids(await codex.threads.list({ cwd: work })), [served.id]);
  assert.deepEqual(ids(await codex.threads.list({ cwd: work, archived: true })), [exec.id]);
  assert.equal((await codex.threads.unarchive(exec.id!)).id, exec.id);
  assert.deepEqual(ids(await codex.threads.list({ cwd: work })), both);
});

test("applyTurnDiff undoes and reapplies the diff of an app-server turn", async () => {
  await using fake = await startFakeResponsesServer([
    reply.addFile("hello.txt", "hello\n"),
    reply.message("done"),
  ]);
  await using client = await offlineClient(fake);
  const { codex, work } = client;
  await git(work, "init", "-q");
  const thread = codex.startThread({
    transport: "app-server",
    workingDirectory: work,
    approvalPolicy: "never",
    sandboxMode: "workspace-write",
  });
  const { events } = await thread.runStreamed("add hello");
  let diff = "";
  for await (const event of events) if (event.type === "diff.updated") diff = event.diff;
  assert.equal(await readFile(join(work, "hello.txt"), "utf8"), "hello\n");
  assert.match(diff, /hello\.txt/);
  await applyTurnDiff(diff, { cwd: work, reverse: true });
  assert.equal(existsSync(join(work, "hello.txt")), false);
  await applyTurnDiff(diff, { cwd: work });
  assert.equal(await readFile(join(work, "hello.txt"), "utf8"), "hello\n");
  // A diff that no longer fits changes nothing and says why.
  await assert.rejects(applyTurnDiff(diff, { cwd: work }), /git apply failed/);
});

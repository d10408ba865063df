/**
 * The API key stays with codex: the agent's commands do not see it and no file under
 * CODEX_HOME holds it, after a completed and after an aborted turn, on both lanes. Real codex
 * against the fake Responses server.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AbortError } from "../src/errors.ts";
import type { CommandExecutionItem } from "../src/events.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { eventually, offlineClient, processesMatching } from "./_offline_codex.ts";

const KEY = "sk-codexkit-test-KEEPME-7f3a91";
// Prints the command's whole environment, both ways the issue names.
const SHOW_ENV = "tr '\\0' '\\n' < /proc/self/environ; echo ---; env";

async function filesHolding(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    try {
      if ((await readFile(path)).includes(needle)) found.push(path);
    } catch {
      // Removed while we looked.
    }
  }
  return found;
}

function commandOutputs(items: readonly { type: string }[]): string {
  return items.filter((i): i is CommandExecutionItem => i.type === "command_execution")
    .map((i) => i.aggregated_output).join("\n");
}

for (const transport of ["exec", "app-server"] as const) {
  test(`${transport}: the agent's commands do not see the API key, and no file keeps it`, async () => {
    await using server = await startFakeResponsesServer([
      reply.execCommand(SHOW_ENV),
      reply.message("done"),
    ]);
    await using client = await offlineClient(server, {
      apiKey: KEY,
      env: { PLAIN_VISIBLE: "plain-value" },
    });
    const turn = await client.codex.startThread({
      transport,
      skipGitRepoCheck: true,
      workingDirectory: client.work,
    }).run("show env");
    const output = commandOutputs(turn.items);
    // The command did print its environment: an ordinary variable is there.
    assert.match(output, /PLAIN_VISIBLE=plain-value/);
    assert.doesNotMatch(output, /CODEX_API_KEY|KEEPME/);
    // The turn ends at turn.completed; close() waits for codex to exit, so the home is walked
    // as codex left it, not while it removes its own temp files.
    await client.codex.close();
    assert.deepEqual(await filesHolding(client.home, KEY), []);
  });

  test(`${transport}: an aborted turn leaves no file holding the API key`, async () => {
    await using server = await startFakeResponsesServer([
      reply.execCommand("sleep 30"),
      reply.message("never"),
    ]);
    await using client = await offlineClient(server, { apiKey: KEY });
    const controller = new AbortController();
    const { events } = await client.codex.startThread({
      transport,
      skipGitRepoCheck: true,
      workingDirectory: client.work,
    }).runStreamed("sleep", { signal: controller.signal });
    await assert.rejects(async () => {
      for await (const event of events) {
        if (event.type === "item.started" && event.item.type === "command_execution") {
          // The shell (and its snapshot) exists once the command runs.
          await eventually(async () =>
            (await processesMatching(client.home)).length >= 2 &&
            (await readdir(join(client.home, "shell_snapshots")).catch(() => [])).length > 0
          );
          controller.abort();
        }
      }
    }, AbortError);
    // exec: nothing is left; app-server: the server alone (the turn's command is ended).
    const rest = transport === "exec" ? 0 : 1;
    assert.ok(
      await eventually(async () => (await processesMatching(client.home)).length === rest),
    );
    assert.deepEqual(await filesHolding(client.home, KEY), []);
  });
}

test("A caller's own shell_environment_policy stays theirs", async () => {
  await using server = await startFakeResponsesServer([
    reply.execCommand(SHOW_ENV),
    reply.message("done"),
  ]);
  await using client = await offlineClient(server, {
    apiKey: KEY,
    config: { shell_environment_policy: { inherit: "all" } },
  });
  const turn = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  }).run("show env");
  assert.match(commandOutputs(turn.items), new RegExp(`CODEX_API_KEY=${KEY}`));
});

for (const transport of ["exec", "app-server"] as const) {
  test(`${transport}: a name config.toml hides stays hidden beside the API key`, async () => {
    await using server = await startFakeResponsesServer([
      reply.execCommand(SHOW_ENV),
      reply.message("done"),
    ]);
    await using client = await offlineClient(server, {
      apiKey: KEY,
      env: { MY_SECRET_VAR: "hidden-by-the-user", PLAIN_VISIBLE: "plain-value" },
    });
    await mkdir(client.home, { recursive: true });
    await writeFile(
      join(client.home, "config.toml"),
      '[shell_environment_policy]\nexclude = ["MY_SECRET_VAR"]\n',
    );
    const turn = await client.codex.startThread({
      transport,
      skipGitRepoCheck: true,
      workingDirectory: client.work,
    }).run("show env");
    const output = commandOutputs(turn.items);
    assert.match(output, /PLAIN_VISIBLE=plain-value/);
    assert.doesNotMatch(output, /MY_SECRET_VAR|hidden-by-the-user/);
    assert.doesNotMatch(output, /CODEX_API_KEY|KEEPME/);
  });
}

test("exec: the active profile's list and the caller's own exclude each keep their names hidden", async () => {
  await using server = await startFakeResponsesServer([
    reply.execCommand(SHOW_ENV),
    reply.message("done"),
    reply.execCommand(SHOW_ENV),
    reply.message("done"),
  ]);
  const env = { FROM_TOP: "top-value", FROM_PROFILE: "profile-value", FROM_CALLER: "caller-value" };
  await using client = await offlineClient(server, { apiKey: KEY, env, profile: "p" });
  await mkdir(client.home, { recursive: true });
  await writeFile(
    join(client.home, "config.toml"),
    'shell_environment_policy.exclude = ["FROM_TOP"]\n',
  );
  await writeFile(
    join(client.home, "p.config.toml"),
    'shell_environment_policy.exclude = ["FROM_PROFILE"]\n',
  );
  const thread = { skipGitRepoCheck: true, workingDirectory: client.work };
  // codex layers the profile's file over config.toml: its list is the one in force.
  let output = commandOutputs((await client.codex.startThread(thread).run("show env")).items);
  assert.match(output, /FROM_TOP=top-value/);
  assert.match(output, /FROM_CALLER=caller-value/);
  assert.doesNotMatch(output, /FROM_PROFILE|CODEX_API_KEY|KEEPME/);
  // The caller's own list is the one in force for its turns, and the API key stays hidden.
  output = commandOutputs(
    (await client.codex.startThread({
      ...thread,
      config: { shell_environment_policy: { exclude: ["FROM_CALLER"] } },
    }).run("show env")).items,
  );
  assert.match(output, /FROM_PROFILE=profile-value/);
  assert.doesNotMatch(output, /FROM_CALLER|CODEX_API_KEY|KEEPME/);
});

/**
 * Stopping a turn reaches every process of it, including the sandbox helper
 * (`codex-linux-sandbox` -> `bwrap`) and the agent's command, which codex starts in sessions of
 * their own. Real codex with its default sandbox, against the fake Responses server.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { AbortError, TimeoutError } from "../src/errors.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { eventually, offlineClient, processesMatching } from "./_offline_codex.ts";

async function comms(pids: readonly number[]): Promise<string[]> {
  return await Promise.all(
    pids.map((pid) => readFile(`/proc/${pid}/comm`, "utf8").then((c) => c.trim(), () => "")),
  );
}

test("An aborted turn running `sleep 30` in the default sandbox leaves no process", async () => {
  await using server = await startFakeResponsesServer([
    reply.execCommand("sleep 30"),
    reply.message("never"),
  ]);
  await using client = await offlineClient(server);
  const controller = new AbortController();
  const { events } = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  }).runStreamed("sleep", { signal: controller.signal });
  let sawSleep = false;
  await assert.rejects(async () => {
    for await (const event of events) {
      if (event.type === "item.started" && event.item.type === "command_execution") {
        sawSleep = await eventually(async () =>
          (await comms(await processesMatching(client.home))).includes("sleep")
        );
        controller.abort();
      }
    }
  }, AbortError);
  assert.ok(sawSleep, "the agent's sleep never ran");
  const gone = await eventually(async () => (await processesMatching(client.home)).length === 0);
  assert.ok(gone, `left: ${(await comms(await processesMatching(client.home))).join(", ")}`);
});

test("A timed-out turn running `sleep 30` in the default sandbox leaves no process", async () => {
  await using server = await startFakeResponsesServer([
    reply.execCommand("sleep 30"),
    reply.message("never"),
  ]);
  await using client = await offlineClient(server);
  await assert.rejects(
    client.codex.startThread({ skipGitRepoCheck: true, workingDirectory: client.work })
      .run("sleep", { timeoutMs: 4000 }),
    TimeoutError,
  );
  const gone = await eventually(async () => (await processesMatching(client.home)).length === 0);
  assert.ok(gone, `left: ${(await comms(await processesMatching(client.home))).join(", ")}`);
});

test("app-server: an aborted turn's sandboxed `sleep 30` is ended; the server stays", async () => {
  await using server = await startFakeResponsesServer([
    reply.execCommand("sleep 30"),
    reply.message("never"),
  ]);
  await using client = await offlineClient(server);
  const controller = new AbortController();
  const { events } = await client.codex.startThread({
    transport: "app-server",
    workingDirectory: client.work,
  }).runStreamed("sleep", { signal: controller.signal });
  const running = async () => await comms(await processesMatching(client.home));
  await assert.rejects(async () => {
    for await (const event of events) {
      if (event.type === "item.started" && event.item.type === "command_execution") {
        assert.ok(await eventually(async () => (await running()).includes("sleep")));
        controller.abort();
      }
    }
  }, AbortError);
  // Only the server itself is left.
  const ended = await eventually(async () => {
    const left = await running();
    return left.length === 1 && left[0] === "codex";
  });
  assert.ok(ended, `left: ${(await running()).join(", ")}`);
});

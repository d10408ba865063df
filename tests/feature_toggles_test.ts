/**
 * `enable` / `disable` per thread and per turn, against the REAL codex with the fake Responses
 * server: a feature turned off takes its tool out of the model request.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Codex } from "../src/codex.ts";
import { UnsupportedError } from "../src/errors.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { RecordedRequest } from "../src/testing/mod.ts";
import { offlineClient } from "./_offline_codex.ts";
import { testCodexSnapshot } from "./_codex.ts";

const toolNames = (request: RecordedRequest): string[] =>
  ((request.body as { tools?: { name?: string; type?: string }[] }).tools ?? []).map((t) =>
    t.name ?? t.type ?? ""
  );

/** A stable feature of the CLI under test that puts the shell tool in the request. */
async function shellFeature(): Promise<string | undefined> {
  const snapshot = await testCodexSnapshot();
  return snapshot.features?.find((f) => f.name === "shell_tool" && f.stage === "stable")?.name;
}

test("enable and disable refuse a feature named in both lists, or a name that is no feature", () => {
  const codex = new Codex({ capabilities: false });
  assert.throws(
    () => codex.startThread({ enable: ["a"], disable: ["a"] }),
    /Cannot use thread options.enable and .disable: both name a/,
  );
  assert.throws(
    () => codex.startThread({ enable: ["features.a"] }),
    /Cannot use enable\[0\]: expected a feature name/,
  );
});

for (const transport of ["exec", "app-server"] as const) {
  test(`${transport}: a thread's disable takes the feature's tool out of the request`, async (t) => {
    const feature = await shellFeature();
    if (feature === undefined) return t.skip("the CLI under test has no stable shell_tool feature");
    await using server = await startFakeResponsesServer([reply.message("a"), reply.message("b")]);
    await using client = await offlineClient(server);
    const where = { transport, workingDirectory: client.work, skipGitRepoCheck: true };
    await client.codex.startThread(where).run("with");
    await client.codex.startThread({ ...where, disable: [feature] }).run("without");
    const [withTool, without] = await server.waitForRequests(2);
    assert.ok(toolNames(withTool).includes("exec_command"), toolNames(withTool).join(","));
    assert.ok(!toolNames(without).includes("exec_command"), toolNames(without).join(","));
  });
}

test("exec: a turn's enable brings back what its thread disabled, for that turn", async (t) => {
  const feature = await shellFeature();
  if (feature === undefined) return t.skip("the CLI under test has no stable shell_tool feature");
  await using server = await startFakeResponsesServer([reply.message("a"), reply.message("b")]);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    workingDirectory: client.work,
    skipGitRepoCheck: true,
    disable: [feature],
  });
  await thread.run("on", { enable: [feature] });
  await thread.run("off");
  const [on, off] = await server.waitForRequests(2);
  assert.ok(toolNames(on).includes("exec_command"));
  assert.ok(!toolNames(off).includes("exec_command"));
});

test("exec: a feature the installed CLI does not list is refused before codex runs", async () => {
  await using server = await startFakeResponsesServer([reply.message("never")]);
  await using client = await offlineClient(server, { onUnsupported: "drop" });
  const thread = client.codex.startThread({
    workingDirectory: client.work,
    skipGitRepoCheck: true,
    enable: ["no_such_feature_here"],
  });
  await assert.rejects(
    thread.run("hi"),
    (error) =>
      error instanceof UnsupportedError && /feature no_such_feature_here/.test(error.message),
  );
  assert.equal(server.requests.length, 0);
});

/**
 * The safety shorthands (`fullAuto`, `dangerouslyBypassApprovalsAndSandbox`) at the door and
 * against the REAL codex with the fake Responses server: what the agent may write.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { Codex } from "../src/codex.ts";
import { UnsupportedError } from "../src/errors.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { offlineClient } from "./_offline_codex.ts";
import { testCodexSupports } from "./_codex.ts";

test("dangerouslyBypassApprovalsAndSandbox takes only its spelled-out value, and no sandbox beside it", () => {
  const codex = new Codex({ capabilities: false });
  assert.throws(
    // @ts-expect-error: a plain true is what the option refuses
    () => codex.startThread({ dangerouslyBypassApprovalsAndSandbox: true }),
    (error) =>
      error instanceof TypeError &&
      /Cannot use dangerouslyBypassApprovalsAndSandbox: expected the literal "yes-i-understand"/
        .test(error.message),
  );
  assert.throws(
    () =>
      codex.startThread({
        dangerouslyBypassApprovalsAndSandbox: "yes-i-understand",
        sandboxMode: "read-only",
      }),
    /Cannot use thread options.dangerouslyBypassApprovalsAndSandbox with sandboxMode/,
  );
  assert.throws(
    () => codex.startThread({ fullAuto: true, approvalPolicy: "never" }),
    /Cannot use thread options.fullAuto with approvalPolicy/,
  );
});

for (const transport of ["exec", "app-server"] as const) {
  test(`${transport}: fullAuto lets the agent write in its workspace, as a read-only thread cannot`, async () => {
    await using server = await startFakeResponsesServer([
      reply.execCommand("touch auto.txt"),
      reply.message("one"),
      reply.execCommand("touch plain.txt"),
      reply.message("two"),
    ]);
    await using client = await offlineClient(server);
    const where = { transport, workingDirectory: client.work, skipGitRepoCheck: true };
    await client.codex.startThread({ ...where, fullAuto: true }).run("write");
    assert.ok(
      existsSync(join(client.work, "auto.txt")),
      "the workspace-write sandbox let it write",
    );
    await client.codex.startThread({ ...where, approvalPolicy: "never" }).run("write");
    assert.ok(!existsSync(join(client.work, "plain.txt")), "the default sandbox did not");
  });

  test(`${transport}: dangerouslyBypassApprovalsAndSandbox lets a command write outside the workspace`, async () => {
    await using server = await startFakeResponsesServer([
      reply.execCommand("touch ../outside.txt"),
      reply.message("done"),
    ]);
    await using client = await offlineClient(server);
    const thread = client.codex.startThread({
      transport,
      workingDirectory: client.work,
      skipGitRepoCheck: true,
      dangerouslyBypassApprovalsAndSandbox: "yes-i-understand",
    });
    const supported = transport === "app-server" ||
      await testCodexSupports("exec.dangerously-bypass-approvals-and-sandbox") !== "unsupported";
    if (!supported) {
      await assert.rejects(thread.run("write"), UnsupportedError);
      return;
    }
    await thread.run("write");
    assert.ok(existsSync(join(dirname(client.work), "outside.txt")), "no sandbox held it");
  });
}

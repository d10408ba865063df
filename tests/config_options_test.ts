/**
 * Typed config-backed thread and turn options against the REAL codex with the fake Responses
 * server: what the model is shown of a tool's output.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { RecordedRequest } from "../src/testing/mod.ts";
import { offlineClient } from "./_offline_codex.ts";

/** The output of the command the model asked for, as the follow-up request carries it. */
const commandOutput = (request: RecordedRequest): string => {
  const input = (request.body as { input: { type: string; output?: unknown }[] }).input;
  const item = input.find((i) => i.type === "function_call_output");
  return JSON.stringify(item?.output ?? "");
};

for (const transport of ["exec", "app-server"] as const) {
  test(`${transport}: toolOutputTokenLimit cuts what the model sees of a long command output`, async () => {
    const long = "seq 1 3000";
    await using server = await startFakeResponsesServer([
      reply.execCommand(long),
      reply.message("full"),
      reply.execCommand(long),
      reply.message("cut"),
    ]);
    await using client = await offlineClient(server);
    const where = {
      transport,
      workingDirectory: client.work,
      skipGitRepoCheck: true,
      sandboxMode: "workspace-write" as const,
      approvalPolicy: "never" as const,
    };
    await client.codex.startThread(where).run("count");
    await client.codex.startThread({ ...where, toolOutputTokenLimit: 20 }).run("count");
    const requests = await server.waitForRequests(4);
    const full = commandOutput(requests[1]);
    const cut = commandOutput(requests[3]);
    assert.ok(full.includes("2999"), "the default limit shows it all");
    assert.ok(!cut.includes("2999") && cut.length < full.length / 4, cut.slice(0, 200));
  });
}

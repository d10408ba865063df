/**
 * The context window in view: every turn's `context` (last request's input tokens, the model's
 * window, the thread's running total, the fraction used) on both transports, from the real
 * codex against the fake Responses server with a known `model_context_window`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Transport } from "../src/options.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { offlineClient } from "./_offline_codex.ts";

// codex reports 95% of the configured window as the effective one (0.169-0.171).
const WINDOW = 123456;
const EFFECTIVE = 117283;

for (const transport of ["exec", "app-server"] as Transport[]) {
  test(`Each ${transport} turn reports the last request's input, the window and the thread total`, async () => {
    await using server = await startFakeResponsesServer([
      reply.message("one"),
      reply.message("two"),
    ]);
    await using client = await offlineClient(server, {
      config: { model_context_window: WINDOW },
    });
    const thread = client.codex.startThread({
      skipGitRepoCheck: true,
      workingDirectory: client.work,
      transport,
    });
    const first = await thread.run("first");
    const second = await thread.run("second");
    for (const turn of [first, second]) {
      assert.ok(turn.context, `${transport}: a context for every turn`);
      assert.equal(turn.context.modelContextWindow, EFFECTIVE);
      assert.ok(turn.context.lastInputTokens > 0);
      assert.equal(turn.context.contextUsed, turn.context.lastInputTokens / EFFECTIVE);
    }
    // The running total covers both turns: more input than either turn's last request.
    const total = second.context!.threadTotal;
    assert.equal(
      total.input_tokens,
      first.context!.threadTotal.input_tokens + second.context!.lastInputTokens,
    );
    assert.ok(total.output_tokens > first.context!.threadTotal.output_tokens);
  });
}

test("An ephemeral exec thread has no rollout, so its turn's context is null", async () => {
  await using server = await startFakeResponsesServer([reply.message("one")]);
  await using client = await offlineClient(server, { config: { model_context_window: WINDOW } });
  const turn = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
    ephemeral: true,
  }).run("first");
  assert.equal(turn.finalResponse, "one");
  assert.equal(turn.context, null);
});

/**
 * Follow-ups without a busy error: `run(input, { queue: true })` waits for the thread's running
 * turn and runs after it, in order, on both transports, against the real codex and the fake
 * Responses server. The first turn is held at a barrier the test releases.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { AbortError, CodexError } from "../src/errors.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { RecordedRequest } from "../src/testing/mod.ts";
import { offlineClient } from "./_offline_codex.ts";

function lastUserText(request: RecordedRequest): string {
  const input = (request.body as { input: { role?: string; content?: { text?: string }[] }[] })
    .input;
  const users = input.filter((m) => m.role === "user");
  return JSON.stringify(users.at(-1)?.content ?? []);
}

for (const transport of ["exec", "app-server"] as const) {
  test(`${transport}: a queued run starts after the running turn, in order, and a busy run still rejects`, async () => {
    await using server = await startFakeResponsesServer([
      { ...reply.message("first"), hold: true },
      reply.message("second"),
      reply.message("third"),
    ]);
    await using client = await offlineClient(server);
    const thread = client.codex.startThread({
      transport,
      workingDirectory: client.work,
      skipGitRepoCheck: true,
    });
    const first = thread.run("one");
    await server.waitForHold(1);
    // Without queue the thread is busy, as before.
    await assert.rejects(
      thread.run("not now"),
      (error: unknown) =>
        error instanceof CodexError && /already running one .*queue: true/.test(error.message),
    );
    const order: string[] = [];
    const second = thread.run("two", { queue: true }).then((t) => {
      order.push(t.finalResponse);
      return t;
    });
    const third = thread.run("three", { queue: true }).then((t) => {
      order.push(t.finalResponse);
      return t;
    });
    // Nothing queued reaches codex while the first turn runs.
    assert.equal(server.requests.filter((r) => r.path.endsWith("/responses")).length, 1);
    server.release();
    assert.equal((await first).finalResponse, "first");
    await Promise.all([second, third]);
    assert.deepEqual(order, ["second", "third"]);
    const requests = await server.waitForRequests(3);
    assert.match(lastUserText(requests[1]), /two/);
    assert.match(lastUserText(requests[2]), /three/);
    // All three turns ran on the same thread: the last request carries the whole history.
    assert.match(JSON.stringify(requests[2].body), /one[\s\S]*two[\s\S]*three/);
  });

  test(`${transport}: a queued turn whose signal aborts is cancelled before it starts`, async () => {
    await using server = await startFakeResponsesServer([
      { ...reply.message("first"), hold: true },
      reply.message("after"),
    ]);
    await using client = await offlineClient(server);
    const thread = client.codex.startThread({
      transport,
      workingDirectory: client.work,
      skipGitRepoCheck: true,
    });
    const first = thread.run("one");
    await server.waitForHold(1);
    const controller = new AbortController();
    const cancelled = thread.run("zz-cancelled-one", { queue: true, signal: controller.signal });
    const next = thread.run("next", { queue: true });
    controller.abort();
    await assert.rejects(
      cancelled,
      (error: unknown) =>
        error instanceof AbortError && /cancelled while queued/.test(error.message),
    );
    // An already aborted signal is refused the same way, without waiting.
    await assert.rejects(
      thread.run("zz-cancelled-two", { queue: true, signal: AbortSignal.abort() }),
      /cancelled while queued/,
    );
    server.release();
    assert.equal((await first).finalResponse, "first");
    assert.equal((await next).finalResponse, "after");
    const requests = await server.waitForRequests(2);
    assert.equal(requests.length, 2);
    assert.doesNotMatch(requests.map(lastUserText).join(" "), /zz-cancelled/);
    assert.match(lastUserText(requests[1]), /next/);
  });
}

/**
 * The retry policy's hooks (`shouldRetry`, `onRetry`, `backoff`) on both transports, against
 * the REAL codex with the fake Responses server.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Codex } from "../src/codex.ts";
import type { ThreadEvent } from "../src/events.ts";
import type { RetryOptions } from "../src/options.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { Script } from "../src/testing/mod.ts";
import { offlineClient } from "./_offline_codex.ts";

async function streamed(script: Script, transport: "exec" | "app-server", retry: RetryOptions) {
  await using server = await startFakeResponsesServer(script);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    transport,
    workingDirectory: client.work,
    skipGitRepoCheck: true,
    retry,
  });
  const events: ThreadEvent[] = [];
  let error: unknown;
  try {
    for await (const event of (await thread.runStreamed("hello")).events) events.push(event);
  } catch (e) {
    error = e;
  }
  return { events, error, requests: server.requests.length };
}

const scheduled = (events: ThreadEvent[]) =>
  events.filter((e) => e.type === "retry.scheduled") as unknown as Record<string, unknown>[];

test("retry hooks must be functions", () => {
  assert.throws(
    // @ts-expect-error: not a function
    () => new Codex({ retry: { shouldRetry: true } }),
    /Cannot use retry.shouldRetry: expected a function, got true/,
  );
});

for (const transport of ["exec", "app-server"] as const) {
  test(`${transport}: shouldRetry retries what the built-in rule would not, with the user's backoff`, async () => {
    const seen: unknown[] = [];
    const waits: number[] = [];
    const r = await streamed([reply.httpError(400), reply.message("second")], transport, {
      attempts: 2,
      shouldRetry: (failure) => {
        seen.push(failure);
        return failure.reason === undefined && failure.attempt === 1;
      },
      backoff: (attempt) => attempt * 3,
      onRetry: (retry) => waits.push(retry.delayMs),
    });
    assert.equal(r.error, undefined);
    assert.equal(r.events.at(-1)?.type, "turn.completed");
    assert.ok(!r.events.some((e) => e.type === "turn.failed"), "the failed attempt is not shown");
    assert.deepEqual(scheduled(r.events).map((e) => [e.reason, e.delay_ms]), [["policy", 6]]);
    assert.deepEqual(waits, [6]);
    assert.equal(seen.length, 1);
    assert.equal((seen[0] as { changedThings: boolean }).changedThings, false);
  });

  test(`${transport}: shouldRetry returning false ends a turn the built-in rule would retry`, async () => {
    const r = await streamed([reply.httpError(500), reply.message("never")], transport, {
      attempts: 3,
      shouldRetry: () => false,
    });
    assert.equal(scheduled(r.events).length, 0);
    assert.equal(r.requests, 1);
    assert.ok(r.error !== undefined || r.events.at(-1)?.type === "turn.failed");
  });
}

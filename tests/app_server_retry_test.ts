import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ConnectionClosedError } from "../src/errors.ts";
import type { ThreadEvent } from "../src/events.ts";
import type { TurnLane, TurnRequest } from "../src/lanes/lane.ts";
import { backoffMs, retryAfterMs, transientTurnFailure, withRetry } from "../src/lanes/retry.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { Script } from "../src/testing/mod.ts";
import { offlineClient } from "./_offline_codex.ts";

const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 20 };

async function streamed(
  script: Script,
  transport: "exec" | "app-server",
  retry: Record<string, unknown> | undefined,
  extra: Record<string, unknown> = {},
) {
  const fake = await startFakeResponsesServer(script);
  const client = await offlineClient(fake);
  const thread = client.codex.startThread({
    transport,
    workingDirectory: client.work,
    skipGitRepoCheck: true,
    ...(retry ? { retry } : {}),
    ...extra,
  });
  const events: ThreadEvent[] = [];
  let error: unknown;
  try {
    const { events: stream } = await thread.runStreamed("hello");
    for await (const event of stream) events.push(event);
  } catch (e) {
    error = e;
  }
  const requests = fake.requests.length;
  const work = client.work;
  await client[Symbol.asyncDispose]();
  await fake.close();
  return { events, error, requests, work, threadId: thread.id };
}

/** Whether the turn failed: exec runs also exit 1; app-server turns end with turn.failed. */
const failed = (r: { events: ThreadEvent[]; error: unknown }): boolean =>
  r.error !== undefined || r.events.at(-1)?.type === "turn.failed";

const retries = (events: ThreadEvent[]) =>
  events.filter((e) => e.type === "retry.scheduled") as unknown as Record<string, unknown>[];

for (const transport of ["exec", "app-server"] as const) {
  test(`Retry (${transport}): an HTTP 500 is retried on the same thread and the turn completes`, async () => {
    const r = await streamed([reply.httpError(500), reply.message("second try")], transport, fast);
    assert.equal(r.error, undefined);
    const scheduled = retries(r.events);
    assert.equal(scheduled.length, 1);
    assert.equal(scheduled[0].attempt, 2);
    assert.equal(scheduled[0].max_attempts, 3);
    assert.equal(scheduled[0].reason, "http_5xx");
    assert.ok((scheduled[0].delay_ms as number) <= 20);
    assert.equal(r.events.filter((e) => e.type === "thread.started").length, 1);
    assert.equal(r.events.filter((e) => e.type === "turn.failed").length, 0);
    assert.equal(r.events.at(-1)?.type, "turn.completed");
    const last = r.events.filter((e) => e.type === "item.completed").at(-1) as {
      item: { text?: string };
    };
    assert.equal(last.item.text, "second try");
    assert.equal(r.requests, 2);
  });

  test(`Retry (${transport}): 429 and stream disconnects are retried; attempts are bounded`, async () => {
    const r = await streamed(
      [reply.httpError(429), reply.failed("server_error", "boom"), reply.httpError(503)],
      transport,
      fast,
    );
    assert.ok(failed(r));
    // Both transports end the stream at turn.failed; run() would reject with TurnFailedError.
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.events.at(-1)?.type, "turn.failed");
    assert.deepEqual(retries(r.events).map((e) => e.reason), ["http_429", "disconnected"]);
    // The last failure is shown as it came.
    assert.equal(r.events.filter((e) => e.type === "turn.failed").length, 1);
    assert.equal(r.requests, 3);
  });

  test(`Retry (${transport}): no retry after the agent changed a file, unless asked`, async () => {
    const script = (): Script => [
      reply.addFile("made.txt", "made\n"),
      reply.httpError(500),
      reply.message("done"),
    ];
    const options = { approvalPolicy: "never", sandboxMode: "workspace-write" };
    const refused = await streamed(script(), transport, fast, options);
    assert.ok(failed(refused));
    assert.equal(retries(refused.events).length, 0);
    assert.equal(refused.requests, 2);
    const allowed = await streamed(
      script(),
      transport,
      { ...fast, retryAfterFileChanges: true },
      options,
    );
    assert.equal(allowed.error, undefined, String(allowed.error));
    assert.equal(retries(allowed.events).length, 1);
    assert.equal(allowed.events.at(-1)?.type, "turn.completed");
  });

  test(`Retry (${transport}): without the option a transient failure is not retried`, async () => {
    const r = await streamed([reply.httpError(500), reply.message("never")], transport, undefined);
    assert.ok(failed(r));
    assert.equal(retries(r.events).length, 0);
    assert.equal(r.requests, 1);
  });
}

test("Retry: the client's option applies to its threads; a bad option is a TypeError", async () => {
  const fake = await startFakeResponsesServer([reply.httpError(502), reply.message("ok")]);
  await using client = await offlineClient(fake, { retry: fast });
  const turn = await client.codex.startThread({ skipGitRepoCheck: true }).run("hi");
  assert.equal(turn.finalResponse, "ok");
  await fake.close();
  assert.throws(
    () => client.codex.startThread({ retry: { attempts: 0 } }),
    (e: unknown) => e instanceof TypeError && /retry\.attempts.*0/.test(e.message),
  );
  assert.throws(
    () => client.codex.startThread({ retry: { tries: 2 } as never }),
    (e: unknown) => e instanceof TypeError && /retry\.tries/.test(e.message),
  );
  assert.equal(existsSync(join(client.work, "x")), false);
});

/** A lane that fails each attempt with the next scripted outcome. */
function scriptedLane(outcomes: (ThreadEvent[] | Error)[]): TurnLane & { requests: TurnRequest[] } {
  const requests: TurnRequest[] = [];
  return {
    requests,
    runTurn(request) {
      requests.push(request);
      const outcome = outcomes.shift()!;
      const steps: (ThreadEvent[] | Error)[] = [
        [{ type: "thread.started", thread_id: "th" }, { type: "turn.started" }],
        outcome,
      ];
      return new ReadableStream<ThreadEvent[]>({
        pull(controller) {
          const step = steps.shift();
          if (step === undefined) controller.close();
          else if (step instanceof Error) controller.error(step);
          else controller.enqueue(step);
        },
      }, { highWaterMark: 0 });
    },
  };
}

async function drain(stream: ReadableStream<ThreadEvent[]>) {
  const events: ThreadEvent[] = [];
  let error: unknown;
  try {
    for await (const batch of stream) events.push(...batch);
  } catch (e) {
    error = e;
  }
  return { events, error };
}

const request: TurnRequest = {
  input: { prompt: "x", images: [] },
  threadId: null,
  threadOptions: {},
  turnOptions: {},
};

test("Retry: a server that exited is retried on the thread it started", async () => {
  const lane = scriptedLane([
    new ConnectionClosedError("The app-server connection closed: exit code 1"),
    [{
      type: "turn.completed",
      usage: {
        input_tokens: 1,
        cached_input_tokens: 0,
        cache_write_input_tokens: 0,
        output_tokens: 1,
        reasoning_output_tokens: 0,
      },
    }],
  ]);
  const { events, error } = await drain(withRetry(lane, fast).runTurn(request));
  assert.equal(error, undefined);
  assert.equal(retries(events)[0].reason, "server_exited");
  assert.equal(lane.requests[1].threadId, "th");
  assert.equal(events.at(-1)?.type, "turn.completed");
});

test("Retry: the wait the CLI reports is honoured, and a longer one than maxDelayMs is not waited", async () => {
  const failed = (message: string): ThreadEvent[] => [{ type: "turn.failed", error: { message } }];
  const lane = scriptedLane([
    failed("Rate limit reached. Please try again in 15ms."),
    failed("ok?"),
  ]);
  const { events } = await drain(withRetry(lane, { attempts: 2, maxDelayMs: 50 }).runTurn(request));
  assert.equal(retries(events)[0].delay_ms, 15);
  assert.equal(retries(events)[0].reason, "http_429");
  const long = scriptedLane([failed("429 Too Many Requests. Try again in 90s")]);
  const out = await drain(withRetry(long, { attempts: 3, maxDelayMs: 50 }).runTurn(request));
  assert.equal(retries(out.events).length, 0);
  assert.equal(out.events.at(-1)?.type, "turn.failed");
});

test("Retry: classification, retry-after parsing and jittered backoff", () => {
  assert.equal(retryAfterMs("Please try again in 1.5s."), 1500);
  assert.equal(retryAfterMs("try again in 200ms"), 200);
  assert.equal(retryAfterMs("Retry-After: 3"), 3000);
  assert.equal(retryAfterMs("no hint"), undefined);
  assert.equal(
    transientTurnFailure({
      message: "x",
      codex_error_info: { responseTooManyFailedAttempts: { httpStatusCode: 503 } },
    })?.reason,
    "http_5xx",
  );
  assert.equal(
    transientTurnFailure({ message: "x", codex_error_info: "serverOverloaded" })?.reason,
    "http_5xx",
  );
  assert.equal(
    transientTurnFailure({ message: "x", codex_error_info: { responseStreamDisconnected: {} } })
      ?.reason,
    "disconnected",
  );
  assert.equal(
    transientTurnFailure({ message: "Bad request", codex_error_info: "badRequest" }),
    undefined,
  );
  assert.equal(
    transientTurnFailure({
      message: "You've hit your usage limit",
      codex_error_info: "usageLimitExceeded",
    }),
    undefined,
  );
  assert.equal(transientTurnFailure({ message: "context window exceeded" }), undefined);
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(backoffMs(2, policy, () => 0), 50);
  assert.equal(backoffMs(2, policy, () => 1), 100);
  assert.equal(backoffMs(3, policy, () => 1), 200);
  assert.equal(backoffMs(10, policy, () => 1), 1000);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { collectTurn } from "./turn.ts";
import { decodeThreadEvents } from "./streams/thread_event_stream.ts";
import { fixtureStream } from "./testing/fixtures.ts";
import { TurnFailedError } from "./errors.ts";
import type { ThreadEvent } from "./events.ts";

async function replay(name: string, chunkSize = 7): Promise<ReadableStream<ThreadEvent>> {
  const text = await readFile(new URL(`../tests/fixtures/${name}.jsonl`, import.meta.url), "utf8");
  return decodeThreadEvents(fixtureStream(text, { chunkSize }));
}

function events(...list: object[]): AsyncIterable<ThreadEvent> {
  return (async function* () {
    for (const e of list) yield e as ThreadEvent;
  })();
}

test("collectTurn replays a recorded command turn into items, final response and usage", async () => {
  const turn = await collectTurn(await replay("command"));
  const command = turn.items.find((i) => i.type === "command_execution");
  assert.equal(command?.type === "command_execution" ? command.aggregated_output : "", "hi\n");
  assert.notEqual(turn.finalResponse, "");
  assert.ok(turn.usage && turn.usage.input_tokens > 0);
});

test("collectTurn rejects a recorded failed turn with codex's message", async () => {
  await assert.rejects(collectTurn(await replay("failed", 3)), TurnFailedError);
});

test("collectTurn treats a fatal error event with no completed turn as a failure, not an empty success", async () => {
  await assert.rejects(
    collectTurn(
      events({ type: "thread.started", thread_id: "t" }, {
        type: "error",
        message: "quota exceeded",
      }),
    ),
    (e: unknown) => e instanceof TurnFailedError && e.message === "quota exceeded",
  );
});

test("collectTurn keeps non-fatal error events when the turn completes", async () => {
  const turn = await collectTurn(events(
    { type: "error", message: "Reconnecting... 1/5" },
    { type: "item.completed", item: { id: "i", type: "agent_message", text: "fine" } },
    {
      type: "turn.completed",
      usage: {
        input_tokens: 1,
        cached_input_tokens: 0,
        cache_write_input_tokens: 0,
        output_tokens: 1,
        reasoning_output_tokens: 0,
      },
    },
  ));
  assert.deepEqual(turn.errors, ["Reconnecting... 1/5"]);
  assert.equal(turn.finalResponse, "fine");
});

test("collectTurn prefers turn.failed over the exit error that follows it", async () => {
  const exit = new Error("exited with code 1");
  const failing = (async function* () {
    yield { type: "turn.failed", error: { message: "boom" } } as ThreadEvent;
    throw exit;
  })();
  await assert.rejects(
    collectTurn(failing),
    (e: unknown) => e instanceof TurnFailedError && e.message === "boom" && e.cause === exit,
  );
});

test("collectTurn keeps unknown item types among the items", async () => {
  const turn = await collectTurn(events(
    { type: "item.completed", item: { id: "x", type: "hologram", depth: 1 } },
    {
      type: "turn.completed",
      usage: {
        input_tokens: 0,
        cached_input_tokens: 0,
        cache_write_input_tokens: 0,
        output_tokens: 0,
        reasoning_output_tokens: 0,
      },
    },
  ));
  assert.deepEqual(turn.items, [{ id: "x", type: "hologram", depth: 1 }]);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeThreadEvents, JsonLinesStream, TextLineStream } from "./mod.ts";
import { MalformedOutputError } from "../errors.ts";

function bytesIn(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of stream) out.push(value);
  return out;
}

/** Splits `bytes` into pieces of `size` bytes, cutting through multi-byte characters. */
function split(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

test("TextLineStream splits on \\n, drops \\r and keeps a final line without newline", async () => {
  const lines = await collect(
    ReadableStream.from(["a\r\nb", "c\n\n", "d\r", "\ne", "f"]).pipeThrough(new TextLineStream()),
  );
  assert.deepEqual(lines, ["a", "bc", "", "d", "ef"]);
});

test("TextLineStream joins a line of many megabytes delivered in small chunks", async () => {
  const big = "x".repeat(8 * 1024 * 1024);
  const chunks: string[] = [];
  for (let i = 0; i < big.length; i += 65536) chunks.push(big.slice(i, i + 65536));
  chunks.push("\nnext\n");
  const lines = await collect(ReadableStream.from(chunks).pipeThrough(new TextLineStream()));
  assert.equal(lines.length, 2);
  assert.equal(lines[0].length, big.length);
  assert.equal(lines[1], "next");
});

test("decodeThreadEvents survives chunks split inside multi-byte UTF-8 characters", async () => {
  const text = [
    '{"type":"thread.started","thread_id":"t-1"}',
    '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"héllo 世界 🎉"}}',
  ].join("\r\n");
  for (const size of [1, 2, 3, 5, 7]) {
    const events = await collect(
      decodeThreadEvents(bytesIn(split(new TextEncoder().encode(text), size))),
    );
    assert.equal(events.length, 2, `chunk size ${size}`);
    const item = events[1].type === "item.completed" ? events[1].item : undefined;
    assert.equal(item?.type === "agent_message" ? item.text : "", "héllo 世界 🎉");
  }
});

test("decodeThreadEvents passes unknown events, unknown items and extra fields through", async () => {
  const text = [
    '{"type":"turn.future","payload":{"a":1}}',
    '{"type":"item.started","item":{"id":"item_9","type":"hologram","depth":3}}',
    '{"type":"turn.completed","usage":{"input_tokens":5,"cached_input_tokens":1,"output_tokens":2,"extra":7}}',
  ].join("\n") + "\n";
  const events = await collect(decodeThreadEvents(bytesIn([new TextEncoder().encode(text)])));
  assert.deepEqual(events[0], { type: "turn.future", payload: { a: 1 } });
  assert.deepEqual(events[1], {
    type: "item.started",
    item: { id: "item_9", type: "hologram", depth: 3 },
  });
  assert.deepEqual(events[2], {
    type: "turn.completed",
    usage: {
      input_tokens: 5,
      cached_input_tokens: 1,
      cache_write_input_tokens: 0,
      output_tokens: 2,
      reasoning_output_tokens: 0,
      extra: 7,
    },
  });
});

test("decodeThreadEvents names the line number of a line that is not JSON", async () => {
  const text = '{"type":"turn.started"}\n\nnot json at all\n{"type":"turn.started"}\n';
  await assert.rejects(
    collect(decodeThreadEvents(bytesIn([new TextEncoder().encode(text)]))),
    (e: unknown) =>
      e instanceof MalformedOutputError && e.lineNumber === 3 && e.excerpt === "not json at all" &&
      e.message.includes("line 3"),
  );
});

test("decodeThreadEvents rejects a known event missing a field it reads, with a bounded excerpt", async () => {
  const padding = "p".repeat(5000);
  const text = `{"type":"thread.started","pad":"${padding}"}\n`;
  await assert.rejects(
    collect(decodeThreadEvents(bytesIn([new TextEncoder().encode(text)]))),
    (e: unknown) =>
      e instanceof MalformedOutputError && e.lineNumber === 1 && e.message.includes("thread_id") &&
      e.excerpt.length <= 201,
  );
});

test("JsonLinesStream reports malformed lines to onMalformed and goes on", async () => {
  const bad: number[] = [];
  const values = await collect(
    ReadableStream.from(['{"id":1}', "[1,2]", "{oops", '{"id":2}']).pipeThrough(
      new JsonLinesStream({ onMalformed: (e) => bad.push(e.lineNumber) }),
    ),
  );
  assert.deepEqual(values, [{ id: 1 }, { id: 2 }]);
  assert.deepEqual(bad, [2, 3]);
});

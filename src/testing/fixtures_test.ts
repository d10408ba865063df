import { test } from "node:test";
import assert from "node:assert/strict";
import { chunkBytes, fixtureStream, readFixture } from "./fixtures.ts";

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

test("chunkBytes cycles through the sizes", () => {
  const sizes = chunkBytes(new Uint8Array(10), [1, 3]).map((c) => c.byteLength);
  assert.deepEqual(sizes, [1, 3, 1, 3, 1, 1]);
  assert.throws(() => chunkBytes(new Uint8Array(1), [0]), /options\.chunkSize/);
  assert.throws(() => chunkBytes(new Uint8Array(1), []), /options\.chunkSize/);
});

test("fixtureStream splits inside multi-byte chars and keeps every byte", async () => {
  const text = await readFixture(new URL("../../tests/fixtures/http_500.jsonl", import.meta.url));
  assert.ok(text.includes("’"));
  const chunks = await collect(fixtureStream(text, { chunkSize: [1, 2, 5] }));
  const broken = chunks.some((c) =>
    c.some((b) => b >= 0x80) && new TextDecoder().decode(c).includes("\ufffd")
  );
  assert.ok(broken, "some chunk ends inside a multi-byte char");
  const joined = new TextDecoder().decode(Uint8Array.from(chunks.flatMap((c) => [...c])));
  assert.equal(joined, text);
});

test("fixtureStream without chunkSize gives one chunk; byte chunks are joined first", async () => {
  assert.equal((await collect(fixtureStream("abc"))).length, 1);
  const parts = [new Uint8Array([97]), new Uint8Array([98, 99])];
  const chunks = await collect(fixtureStream(parts, { chunkSize: 2 }));
  assert.deepEqual(chunks.map((c) => [...c]), [[97, 98], [99]]);
  assert.deepEqual(await collect(fixtureStream("")), []);
});

test("recorded fixtures parse as JSONL ending with a turn result", async () => {
  const table: [string, string][] = [
    ["message", "turn.completed"],
    ["command", "turn.completed"],
    ["file_change", "turn.completed"],
    ["reasoning", "turn.completed"],
    ["todo_list", "turn.completed"],
    ["failed", "turn.failed"],
    ["http_500", "turn.failed"],
  ];
  for (const [name, last] of table) {
    const text = await readFixture(new URL(`../../tests/fixtures/${name}.jsonl`, import.meta.url));
    const events = text.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(events[0].type, "thread.started", name);
    assert.equal(events.at(-1).type, last, name);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { OutputCollector } from "./collect.ts";

function source(): { stream: ReadableStream<Uint8Array>; write(t: string): void; end(): void } {
  let c!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (ctl) => void (c = ctl) });
  return { stream, write: (t) => c.enqueue(new TextEncoder().encode(t)), end: () => c.close() };
}

test("OutputCollector keeps the head; one byte past maxBytes overflows once and reading goes on", async () => {
  const s = source();
  let overflows = 0;
  const out = new OutputCollector(s.stream, { maxBytes: 5, onOverflow: () => overflows++ });
  s.write("abc");
  s.write("de");
  s.write("f");
  s.write("more");
  s.end();
  await out.done;
  assert.equal(out.text(), "abcde");
  assert.equal(overflows, 1);
  assert.equal(out.overflowed, true);
  assert.equal(out.ended, true, "the stream was read to its end, so the writer never blocks");
});

test("OutputCollector with tailChars keeps only the end and never overflows", async () => {
  const s = source();
  const out = new OutputCollector(s.stream, { tailChars: 4 });
  s.write("0123");
  s.write("456789");
  s.end();
  await out.done;
  assert.equal(out.text(), "6789");
  assert.equal(out.overflowed, false);
});

test("OutputCollector.settle lets go of a stream something still holds, keeping what was read", async () => {
  const s = source();
  const out = new OutputCollector(s.stream);
  s.write("partial");
  assert.equal(await out.settle(1), false);
  assert.equal(out.text(), "partial");
  assert.equal(out.ended, false);
});

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

test("settle lets go only of quiet output: a stream still delivering is read to its end", async () => {
  // Each chunk arrives one loop turn after the last, so 2000 of them outlast a 1 ms window
  // many times over; a wait counted from the first moment would cut them off.
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setImmediate(resolve));
      if (sent++ === 2000) controller.close();
      else controller.enqueue(new TextEncoder().encode("x"));
    },
  });
  const collector = new OutputCollector(stream);
  assert.equal(await collector.settle(1), true);
  assert.equal(collector.text().length, 2000);
});

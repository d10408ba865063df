import { test } from "node:test";
import assert from "node:assert/strict";
import { ExitDrain } from "./drain.ts";

test("ExitDrain hands over what is in the pipe, then ends it when it stays quiet", async () => {
  let c!: ReadableStreamDefaultController<Uint8Array>;
  const reader = new ReadableStream<Uint8Array>({ start: (ctl) => void (c = ctl) }).getReader();
  c.enqueue(new TextEncoder().encode("last words"));
  const drain = new ExitDrain(reader, 5);
  const first = await drain.read();
  assert.equal(new TextDecoder().decode(first.value), "last words");
  // Nothing more comes and the pipe is never closed: a leftover holds it.
  assert.equal((await drain.read()).done, true);
  assert.equal(drain.cut, true);
});

test("ExitDrain ends at the pipe's own end, not cut", async () => {
  let c!: ReadableStreamDefaultController<Uint8Array>;
  const reader = new ReadableStream<Uint8Array>({ start: (ctl) => void (c = ctl) }).getReader();
  c.enqueue(new TextEncoder().encode("a"));
  c.close();
  const drain = new ExitDrain(reader, 60_000);
  assert.equal((await drain.read()).done, false);
  assert.equal((await drain.read()).done, true);
  assert.equal(drain.cut, false);
});

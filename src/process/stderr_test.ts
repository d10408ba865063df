import { test } from "node:test";
import assert from "node:assert/strict";
import { StderrCollector } from "./stderr.ts";

test("StderrCollector hands out lines (CR stripped), keeps a bounded tail, survives a throwing callback", async () => {
  let c!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (ctl) => void (c = ctl) });
  const lines: string[] = [];
  const stderr = new StderrCollector(stream, (line) => {
    lines.push(line);
    throw new Error("observer bug");
  }, 8);
  c.enqueue(new TextEncoder().encode("one\r\ntwo\nthree-four"));
  c.close();
  await stderr.done;
  assert.deepEqual(lines, ["one", "two", "three-four"]);
  assert.equal(stderr.tail(), "hree-four".slice(-8));
});

test("StderrCollector.settle lets go of a pipe a leftover still holds", async () => {
  let c!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (ctl) => void (c = ctl) });
  const stderr = new StderrCollector(stream);
  c.enqueue(new TextEncoder().encode("held"));
  assert.equal(await stderr.settle(1), false);
  assert.equal(stderr.tail(), "held");
});

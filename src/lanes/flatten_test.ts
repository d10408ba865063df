import { test } from "node:test";
import assert from "node:assert/strict";
import { flattenBatches } from "./flatten.ts";

/** A generator of `batches` that records what happened to it. */
function recorded(batches: number[][], fail?: Error) {
  const log: string[] = [];
  async function* gen(): AsyncGenerator<readonly number[], void, undefined> {
    log.push("start");
    try {
      for (const batch of batches) {
        await Promise.resolve();
        yield batch;
      }
      if (fail) throw fail;
    } finally {
      log.push("finally");
    }
  }
  return { log, items: flattenBatches(gen()) };
}

test("flattenBatches hands out every item in order, skipping empty batches", async () => {
  const { log, items } = recorded([[1, 2], [], [3], [4, 5, 6]]);
  assert.deepEqual(log, [], "nothing runs before the first next()");
  const seen: number[] = [];
  for await (const item of items) seen.push(item);
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(log, ["start", "finally"]);
  assert.deepEqual(await items.next(), { done: true, value: undefined });
});

test("flattenBatches answers calls made without waiting in the order they were made", async () => {
  const { items } = recorded([[1], [2, 3], [4]]);
  const answers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => items.next()));
  assert.deepEqual(answers.map((a) => a.done ? "done" : a.value), [1, 2, 3, 4, "done", "done"]);
});

test("flattenBatches: leaving the loop early runs the batches' finally and ends", async () => {
  const { log, items } = recorded([[1, 2, 3], [4]]);
  for await (const item of items) if (item === 2) break;
  assert.deepEqual(log, ["start", "finally"]);
  assert.deepEqual(await items.next(), { done: true, value: undefined });
});

test("flattenBatches passes the batches' error on once, then ends", async () => {
  const boom = new Error("boom");
  const { items } = recorded([[1]], boom);
  assert.deepEqual(await items.next(), { done: false, value: 1 });
  await assert.rejects(items.next(), boom);
  assert.deepEqual(await items.next(), { done: true, value: undefined });
});

test("flattenBatches: throw() goes to the batches' generator", async () => {
  const { log, items } = recorded([[1, 2], [3]]);
  await items.next();
  const reason = new Error("stop");
  await assert.rejects(items.throw(reason), reason);
  assert.deepEqual(log, ["start", "finally"]);
  assert.deepEqual(await items.next(), { done: true, value: undefined });
});

test("flattenBatches: return() before the first next() never starts the batches", async () => {
  const { log, items } = recorded([[1]]);
  assert.deepEqual(await items.return(), { done: true, value: undefined });
  assert.deepEqual(log, []);
  assert.deepEqual(await items.next(), { done: true, value: undefined });
});

test("flattenBatches: await using disposes of it like return()", async () => {
  const { log, items } = recorded([[1, 2]]);
  {
    await using held = items;
    assert.deepEqual(await held.next(), { done: false, value: 1 });
  }
  assert.deepEqual(log, ["start", "finally"]);
});

test("flattenBatches: return() while a call waits ends it after that call's item", async () => {
  const { log, items } = recorded([[1, 2, 3], [4]]);
  const pending = items.next();
  const returned = items.return();
  assert.deepEqual(await pending, { done: false, value: 1 });
  assert.deepEqual(await returned, { done: true, value: undefined });
  assert.deepEqual(await items.next(), { done: true, value: undefined });
  assert.deepEqual(log, ["start", "finally"]);
});

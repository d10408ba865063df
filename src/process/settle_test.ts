import { test } from "node:test";
import assert from "node:assert/strict";
import { allSettled } from "./settle.ts";

test("allSettled gives every value in order", async () => {
  assert.deepEqual(await allSettled([Promise.resolve(1), "two", Promise.resolve(3)]), [
    1,
    "two",
    3,
  ]);
});

test("allSettled rejects with the first failure only once every step has settled", async () => {
  const seen: string[] = [];
  let finish!: () => void;
  // A step still at work when another fails: it ends on the next turn of the event loop.
  const slow = new Promise<void>((resolve) => finish = resolve).then(() => seen.push("slow done"));
  setImmediate(() => finish());
  await assert.rejects(
    allSettled([Promise.reject(new Error("first")), slow, Promise.reject(new Error("second"))])
      .finally(() => seen.push("rejected")),
    /first/,
  );
  assert.deepEqual(seen, ["slow done", "rejected"]);
});

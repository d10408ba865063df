import { test } from "node:test";
import assert from "node:assert/strict";
import { claimed, decide, encodeKey, ended, nextTurn, released } from "./record.ts";
import type { ThreadRecord } from "./record.ts";

const fresh: ThreadRecord = { queued: 3, done: 0 };

test("decide: the next turn is claimed as attempt 1, a later one waits, an ended one is re-announced", () => {
  assert.deepEqual(decide(fresh, 1, "t1", 3), { kind: "claim", attempt: 1 });
  assert.deepEqual(decide(fresh, 2, "t2", 3), { kind: "wait" });
  assert.deepEqual(decide({ ...fresh, done: 2 }, 2, "t2", 3), { kind: "ended" });
});

test("decide: a turn taken over after a lost attempt counts the attempts in the thread record", () => {
  const held = claimed(fresh, 1, "t1", 1, "w1", 1000);
  assert.deepEqual(decide(held, 1, "t1", 3), { kind: "claim", attempt: 2 });
  const spent = claimed(fresh, 1, "t1", 3, "w1", 1000);
  const out = decide(spent, 1, "t1", 3);
  assert.equal(out.kind, "exhausted");
  assert.match((out as { lastError: string }).lastError, /attempt 3 was lost \(worker w1/);
  const failed = released(spent, "model said no");
  assert.deepEqual(decide(failed, 1, "t1", 3), {
    kind: "exhausted",
    attempts: 3,
    lastError: "model said no",
  });
});

test("released with uncount gives the attempt back (a hand-back at shutdown costs none)", () => {
  const held = claimed(fresh, 1, "t1", 1, "w1", 1000);
  const back = released(held, undefined, true);
  assert.equal(back.running?.worker, null);
  assert.deepEqual(decide(back, 1, "t1", 3), { kind: "claim", attempt: 1 });
});

test("skipped numbers (a refused submit) are passed over, and ended clears what it passed", () => {
  const record: ThreadRecord = { queued: 4, done: 1, skipped: [2, 3] };
  assert.equal(nextTurn(record), 4);
  assert.deepEqual(decide(record, 4, "t4", 3), { kind: "claim", attempt: 1 });
  assert.deepEqual(decide(record, 2, "t2", 3), { kind: "ended" });
  const after = ended(claimed(record, 4, "t4", 1, "w", 0), 4);
  assert.equal(after.done, 4);
  assert.equal(after.skipped, undefined);
  assert.equal(after.running, undefined);
});

test("ended keeps the last snapshot unless a commit brings a new one", () => {
  const snapshot = {
    key: "k1",
    relPath: "2026/01/02/rollout-x.jsonl",
    bytes: 1,
    sha256: "a",
    cliVersion: "0.169.0",
  };
  const base = { ...fresh, snapshot };
  assert.equal(ended(base, 1).snapshot?.key, "k1");
  assert.equal(ended(base, 1, { snapshot: { ...snapshot, key: "k2" } }).snapshot?.key, "k2");
});

test("thread keys become subject-safe tokens", () => {
  assert.match(encodeKey("a b/c.d*>"), /^[A-Za-z0-9_-]+$/);
  assert.notEqual(encodeKey("a"), encodeKey("b"));
});

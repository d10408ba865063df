import { test } from "node:test";
import assert from "node:assert/strict";
import { reliedProblems } from "./relied_fields.ts";

const thread = { id: "t", createdAt: 1, updatedAt: 2, turns: [{ id: "u", items: [] }] };

test("reliedProblems accepts any shape around the fields the SDK reads", () => {
  const future = { ...thread, turns: [{ id: "u", items: [{ type: "newKind", x: {} }] }], more: 1 };
  assert.deepEqual(reliedProblems("thread/read", { thread: future }), []);
  assert.deepEqual(reliedProblems("thread/list", { data: [thread], nextCursor: null }), []);
  assert.deepEqual(reliedProblems("model/list", { data: [] }), []);
});

test("reliedProblems names the path, the kind and the value of each field the SDK cannot read", () => {
  assert.deepEqual(reliedProblems("thread/list", { data: [{ ...thread, id: null }, {}] }), [
    "data.0.id: expected a string, received null",
    "data.1.id: expected a string, received nothing",
    "data.1.createdAt: expected a number, received nothing",
    "data.1.updatedAt: expected a number, received nothing",
  ]);
  assert.deepEqual(reliedProblems("turn/start", { turn: "u" }), [
    'turn: expected an object, received "u"',
  ]);
  assert.deepEqual(reliedProblems("thread/read", { thread: { ...thread, turns: [{}] } }), [
    "thread.turns.0.id: expected a string, received nothing",
  ]);
  assert.deepEqual(reliedProblems("initialize", null), [
    "(root): expected an object, received null",
  ]);
});

test("reliedProblems leaves the methods the SDK does not read alone", () => {
  assert.deepEqual(reliedProblems("config/read", "anything"), []);
  assert.deepEqual(reliedProblems("future/method", null), []);
});

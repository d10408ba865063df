import { test } from "node:test";
import assert from "node:assert/strict";
import * as v from "valibot";
import { describeIssues, describeValue } from "./wire_issues.ts";
import type { WireIssue } from "./wire_issues.ts";

test("describeValue shows short strings and object keys with their tag, and bounds the rest", () => {
  assert.equal(describeValue("hi"), '"hi"');
  assert.equal(describeValue("x".repeat(40)), "a string of 40 characters");
  assert.equal(describeValue(undefined), "nothing");
  assert.equal(describeValue([1, 2]), "an array of 2");
  assert.equal(
    describeValue({ type: "agentMessage", id: "i" }),
    'an object {type: "agentMessage", id}',
  );
  const wide = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
  assert.equal(describeValue(wide), "an object {k0, k1, k2, k3, k4, k5, k6, k7, ... 2 more}");
});

const Display = v.union([
  v.looseObject({ mode: v.literal("show") }),
  v.looseObject({ mode: v.literal("block"), reason: v.string() }),
]);
const Item = v.union([
  v.looseObject({ type: v.literal("userMessage"), content: v.array(v.unknown()) }),
  v.looseObject({ type: v.literal("agentMessage"), display: Display }),
]);

const issuesOf = (schema: v.GenericSchema, value: unknown): WireIssue[] =>
  v.safeParse(schema, value).issues as unknown as WireIssue[];

test("describeIssues names a union's deepest mismatch with its whole path, never 'Object but received Object'", () => {
  const lines = describeIssues(
    issuesOf(v.object({ items: v.array(Item) }), {
      items: [{ type: "agentMessage", display: { mode: "block", reason: 3 } }],
    }),
  );
  assert.deepEqual(lines, [
    'items.0: matches none of the shapes the protocol allows; received an object {type: "agentMessage", display}; closest: items.0.display.reason: expected string, received 3',
  ]);
});

test("describeIssues says a required key is missing, and stops after five lines", () => {
  assert.deepEqual(describeIssues(issuesOf(v.object({ id: v.string() }), {})), ["id: missing"]);
  const many = v.object(
    Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`f${i}`, v.string()])),
  );
  const lines = describeIssues(issuesOf(many, {}));
  assert.equal(lines.length, 6);
  assert.equal(lines[5], "... 2 more");
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { checkJsonSchema } from "./json_schema_check.ts";

const schema = {
  type: "object",
  properties: {
    answer: { type: "string", pattern: "^[a-z]+$" },
    list: { type: "array", items: { $ref: "#/$defs/n" } },
  },
  required: ["answer"],
  additionalProperties: false,
  $defs: { n: { type: "number", minimum: 0 } },
};

test("checkJsonSchema: a matching value has no issues", () => {
  assert.deepEqual(checkJsonSchema(schema, { answer: "yes", list: [0, 2] }), []);
});

test("checkJsonSchema names each problem by its location, not the wrappers around it", () => {
  assert.deepEqual(checkJsonSchema(schema, { answer: 7 }), [
    '#/answer: Instance type "number" is invalid. Expected "string".',
  ]);
  assert.deepEqual(checkJsonSchema(schema, {}), [
    '#: Instance does not have required property "answer".',
  ]);
  assert.deepEqual(checkJsonSchema(schema, { answer: "x", extra: 1 }), [
    '#: Property "extra" does not match additional properties schema.',
  ]);
  const deep = checkJsonSchema(schema, { answer: "x", list: [1, -1] });
  assert.equal(deep.length, 1);
  assert.equal(deep[0], "#/list/1: -1 is less than 0.");
  assert.equal(checkJsonSchema(schema, { answer: "NO" }).length, 1, "pattern is checked");
});

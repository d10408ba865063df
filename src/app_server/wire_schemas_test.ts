import { test } from "node:test";
import assert from "node:assert/strict";
import * as v from "valibot";
import { buildWireSchemas, CLIENT_REQUEST_SCHEMAS } from "./wire_schemas.ts";
import type { ProtocolData } from "./wire_schemas.ts";

const DATA: ProtocolData = {
  defs: {
    Node: {
      type: "object",
      properties: {
        name: { type: "string" },
        kind: { enum: ["leaf", "branch"], type: "string" },
        children: { type: "array", items: { $ref: "Node" } },
        note: { type: ["string", "null"] },
      },
      required: ["name", "kind"],
    },
    Tagged: {
      oneOf: [
        {
          type: "object",
          properties: { mode: { enum: ["a"], type: "string" } },
          required: ["mode"],
        },
        {
          type: "object",
          properties: { mode: { enum: ["b"], type: "string" } },
          required: ["mode"],
        },
      ],
    },
    Labels: { type: "object", additionalProperties: { type: "string" } },
    Broken: { $ref: "Missing" },
  },
  client: [
    ["tree/get", { $ref: "Node" }, "Node"],
    ["tree/ping", null, "Labels"],
    ["tree/untyped", { anyOf: [{ $ref: "Tagged" }, { type: "null" }] }, null],
  ],
  notifications: [["tree/changed", { $ref: "Tagged" }]],
  serverRequests: [],
};

test("buildWireSchemas follows refs, recursion, enums and nullable types", () => {
  const { clientRequests } = buildWireSchemas(DATA);
  const tree = {
    name: "root",
    kind: "branch",
    children: [{ name: "x", kind: "leaf", note: null }],
  };
  assert.equal(v.safeParse(clientRequests["tree/get"].result, tree).success, true);
  const bad = { name: "root", kind: "branch", children: [{ name: "x", kind: "twig" }] };
  const issues = v.safeParse(clientRequests["tree/get"].result, bad).issues!;
  assert.deepEqual(issues[0].path?.map((p) => p.key), ["children", 0, "kind"]);
});

test("buildWireSchemas keeps unknown fields: objects are loose", () => {
  const { clientRequests } = buildWireSchemas(DATA);
  const value = { name: "n", kind: "leaf", future: { any: 1 } };
  assert.deepEqual(v.parse(clientRequests["tree/get"].params, value), value);
});

test("buildWireSchemas: params of null or a nullable node may be left out; a missing result definition passes anything", () => {
  const { clientRequests, notifications } = buildWireSchemas(DATA);
  assert.equal(v.safeParse(clientRequests["tree/ping"].params, undefined).success, true);
  assert.equal(v.safeParse(clientRequests["tree/untyped"].params, undefined).success, true);
  assert.equal(v.safeParse(clientRequests["tree/untyped"].params, { mode: "c" }).success, false);
  assert.equal(v.safeParse(clientRequests["tree/untyped"].result, [1, "x"]).success, true);
  assert.equal(v.safeParse(notifications["tree/changed"], { mode: "b" }).success, true);
  assert.equal(v.safeParse(clientRequests["tree/ping"].result, { a: 1 }).success, false);
});

test("buildWireSchemas builds a definition only when used, and names a missing one", () => {
  const { definitions } = buildWireSchemas(DATA);
  assert.deepEqual(Object.keys(definitions), ["Node", "Tagged", "Labels", "Broken"]);
  assert.throws(() => v.safeParse(definitions.Broken, {}), /No protocol definition Missing/);
});

test("The committed protocol has its generated tables, modelProvider/default/set among them", () => {
  assert.ok(Object.hasOwn(CLIENT_REQUEST_SCHEMAS, "thread/start"));
  const set = CLIENT_REQUEST_SCHEMAS["modelProvider/default/set"];
  if (set) {
    assert.equal(v.safeParse(set.params, {}).success, false, "providerId is required");
    assert.equal(v.safeParse(set.result, { status: "ok", version: "v" }).success, true);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  array,
  boolean,
  type Check,
  custom,
  type Failure,
  func,
  instance,
  literal,
  nonEmpty,
  number,
  optional,
  picklist,
  record,
  refine,
  strictObject,
  string,
  union,
  variant,
} from "./_check.ts";

const bad = (value: unknown, expected: string, ...path: (string | number)[]): Failure => ({
  kind: "invalid",
  path,
  value,
  expected,
});

const callable = { call() {} };

// [what, check, value, the failure or undefined when it passes]
const TABLE: [string, Check, unknown, Failure | undefined][] = [
  ["string accepts the empty string", string("e"), "", undefined],
  ["string refuses a number", string("e"), 1, bad(1, "e")],
  ["nonEmpty refuses the empty string", nonEmpty("e"), "", bad("", "e")],
  ["nonEmpty accepts a blank", nonEmpty("e"), " ", undefined],
  ["boolean refuses a string", boolean("e"), "true", bad("true", "e")],
  ["boolean accepts false", boolean("e"), false, undefined],
  ["number applies its test", number((n) => n > 0, "e"), 0, bad(0, "e")],
  ["number refuses NaN before its test", number(() => true, "e"), NaN, bad(NaN, "e")],
  ["number refuses a numeric string", number(() => true, "e"), "1", bad("1", "e")],
  ["func accepts a function", func("e"), () => {}, undefined],
  ["func refuses an object with call", func("e"), callable, bad(callable, "e")],
  ["instance accepts an instance", instance(Date, "e"), new Date(0), undefined],
  ["instance refuses a look-alike", instance(Date, "e"), {}, bad({}, "e")],
  ["literal is exact", literal(false, "e"), 0, bad(0, "e")],
  ["picklist accepts a member", picklist(["a", "b"], "e"), "b", undefined],
  ["picklist refuses a non-member", picklist(["a", "b"], "e"), "c", bad("c", "e")],
  ["custom passes what its test holds for", custom((v) => v === 7, "e"), 7, undefined],
  ["optional accepts undefined", optional(string("e")), undefined, undefined],
  ["optional refuses null", optional(string("e")), null, bad(null, "e")],
  ["array names the bad index", array(string("item"), "arr"), ["a", 2], bad(2, "item", 1)],
  ["array refuses an object", array(string("item"), "arr"), { 0: "a" }, bad({ 0: "a" }, "arr")],
  ["record names the bad key", record(string("s"), "rec"), { A: "x", B: 1 }, bad(1, "s", "B")],
  ["record refuses null", record(string("s"), "rec"), null, bad(null, "rec")],
  ["record counts an array as an object", record(string("s"), "rec"), ["a"], undefined],
  ["record skips inherited keys", record(string("s"), "rec"), Object.create({ A: 1 }), undefined],
  ["union passes when any branch does", union([literal(1, "x"), string("y")], "u"), "s", undefined],
  ["union fails with its own words", union([literal(1, "x"), string("y")], "u"), 2, bad(2, "u")],
  [
    "refine reports its problem after the base passes",
    refine(number(() => true, "n"), (v) => (v as number) > 9 ? "too big" : undefined),
    10,
    { kind: "problem", path: [], value: 10, problem: "too big" },
  ],
  [
    "refine reports the base failure first",
    refine(number(() => true, "n"), () => "never asked"),
    "x",
    bad("x", "n"),
  ],
];

const point = strictObject({
  x: number(() => true, "expected a number"),
  y: optional(number(() => true, "expected a number")),
  inner: optional(strictObject({ z: optional(boolean("expected true or false")) }, "obj")),
}, "expected an object");

const OBJECTS: [string, unknown, Failure | undefined][] = [
  ["strictObject accepts its keys", { x: 1, y: 2 }, undefined],
  ["strictObject refuses a non-object", "p", bad("p", "expected an object")],
  ["strictObject names a missing required key", { y: 1 }, bad(undefined, 'expected "x"', "x")],
  ["strictObject names an unknown key", { x: 1, w: 1 }, {
    kind: "unknown",
    path: ["w"],
    value: "w",
  }],
  // Known keys are checked before unknown ones, in the order the shape lists them.
  ["strictObject checks known keys first", { w: 1, x: "1" }, bad("1", "expected a number", "x")],
  [
    "strictObject reports a nested path",
    { x: 1, inner: { z: "yes" } },
    bad("yes", "expected true or false", "inner", "z"),
  ],
  [
    "strictObject reports a nested unknown key",
    { x: 1, inner: { q: 1 } },
    { kind: "unknown", path: ["inner", "q"], value: "q" },
  ],
  [
    "strictObject reads inherited keys",
    Object.create({ x: "no" }),
    bad("no", "expected a number", "x"),
  ],
];

const part = variant("kind", [
  strictObject({ kind: literal("a", "a"), a: string("expected a string") }, "obj"),
  strictObject({ kind: literal("b", "b"), b: boolean("expected true or false") }, "obj"),
], "expected a part");

const VARIANTS: [string, unknown, Failure | undefined][] = [
  ["variant runs the option its key picks", { kind: "b", b: true }, undefined],
  [
    "variant reports inside the chosen option",
    { kind: "a", a: 1 },
    bad(1, "expected a string", "a"),
  ],
  [
    "variant reports an unknown discriminator at its key",
    { kind: "c" },
    bad("c", "expected a part", "kind"),
  ],
  ["variant reports a missing discriminator", {}, bad(undefined, "expected a part", "kind")],
  ["variant refuses a non-object", 3, bad(3, "expected a part")],
];

for (const [what, check, value, failure] of TABLE) {
  test(`check: ${what}`, () => {
    assert.deepEqual(check.run(value), failure);
  });
}

for (const [what, value, failure] of OBJECTS) {
  test(`check: ${what}`, () => {
    assert.deepEqual(point.run(value), failure);
  });
}

for (const [what, value, failure] of VARIANTS) {
  test(`check: ${what}`, () => {
    assert.deepEqual(part.run(value), failure);
  });
}

test("check: optional keeps the shape it wraps, so a caller can list the keys", () => {
  const wrapped = optional(point);
  assert.equal(wrapped.optional, true);
  assert.deepEqual(Object.keys(wrapped.shape ?? {}), ["x", "y", "inner"]);
  assert.deepEqual(Object.keys(wrapped.shape?.inner.shape ?? {}), ["z"]);
});

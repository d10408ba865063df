import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { encodeTomlValue, flattenConfig } from "./toml_literal.ts";

/** Parses `key=<literal>` back with a real TOML parser. */
function roundTrip(literal: string): unknown {
  return (parse(`v = ${literal}`, { integersAsBigInt: "asNeeded" }) as { v: unknown }).v;
}

test("encodeTomlValue round-trips strings with quotes, newlines, controls and unicode", () => {
  for (
    const s of [
      'say "hi"',
      "a\\b",
      "line1\nline2\r\n\ttab",
      "\u0000\u001f\u007f",
      "héllo 世界 🎉",
      "",
    ]
  ) {
    assert.equal(roundTrip(encodeTomlValue(s, "k")), s);
  }
});

test("encodeTomlValue round-trips arrays, inline tables, numbers and booleans", () => {
  const value = { name: "mock", "odd key": [1, 2.5, -3], nested: { on: true, list: [{ a: "x" }] } };
  // smol-toml builds null-prototype objects; compare the data, not the prototypes.
  assert.deepEqual(JSON.parse(JSON.stringify(roundTrip(encodeTomlValue(value, "k")))), value);
  assert.equal(roundTrip(encodeTomlValue(9223372036854775807n, "k")), 9223372036854775807n);
});

test("encodeTomlValue refuses what TOML cannot say, naming the key path", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const cases: [unknown, string][] = [
    [null, "a.b"],
    [undefined, "a.b"],
    [() => 1, "a.b"],
    [Number.NaN, "a.b"],
    [Infinity, "a.b"],
    [2n ** 63n, "a.b"],
    ["\ud800", "a.b"],
    [[1, null], "a.b[1]"],
    [cyclic, "a.b.self"],
  ];
  for (const [value, path] of cases) {
    assert.throws(
      () => encodeTomlValue(value, "a.b"),
      (e: unknown) => e instanceof TypeError && e.message.includes(path),
    );
  }
});

test("flattenConfig turns nested objects and dotted keys alike into unquoted dotted paths", () => {
  assert.deepEqual(
    flattenConfig({
      model: "gpt-5.5",
      model_providers: { mock: { base_url: "http://127.0.0.1:1/v1", request_max_retries: 0 } },
      tools: { update_plan: { enabled: true } },
      skipped: undefined,
      empty: {},
      "dotted.key": "x",
    }),
    [
      'model="gpt-5.5"',
      'model_providers.mock.base_url="http://127.0.0.1:1/v1"',
      "model_providers.mock.request_max_retries=0",
      "tools.update_plan.enabled=true",
      "empty={}",
      'dotted.key="x"',
    ],
  );
  assert.deepEqual(
    flattenConfig({ "features.shell_snapshot": false, features: { plugins: false } }),
    ["features.shell_snapshot=false", "features.plugins=false"],
  );
  assert.deepEqual(flattenConfig({ a: [{ "b.c": 1 }] }), ['a=[{"b.c" = 1}]']);
  for (const bad of [{ "a..b": 1 }, { ".a": 1 }, { "a=b": 1 }, { "": 1 }]) {
    assert.throws(() => flattenConfig(bad), TypeError, JSON.stringify(bad));
  }
});

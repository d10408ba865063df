import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { parseFeaturesList } from "./parse_features.ts";

const fixture = (name: string) => readFile(new URL(`./testdata/${name}`, import.meta.url), "utf8");

test("parseFeaturesList reads every row of the 0.169.0 table", async () => {
  const { features, skipped } = parseFeaturesList(await fixture("features_list_0.169.0.txt"));
  assert.equal(features.length, 215);
  assert.deepEqual(skipped, []);
  assert.deepEqual(features.find((f) => f.name === "apps"), {
    name: "apps",
    stage: "stable",
    enabled: true,
  });
  const dev = features.find((f) => f.name === "agent_message_board");
  assert.equal(dev?.stage, "under development");
  assert.equal(dev?.enabled, false);
  const stages = new Set(features.map((f) => f.stage));
  assert.deepEqual(
    [...stages].sort(),
    ["deprecated", "experimental", "removed", "stable", "under development"],
  );
});

test("parseFeaturesList keeps unknown stages and extra columns", async () => {
  const { features, skipped } = parseFeaturesList(await fixture("features_list_odd.txt"));
  const table: [string, string, boolean | null, string[] | undefined][] = [
    ["apps", "stable", true, undefined],
    ["quantum_tools", "incubating", false, undefined],
    ["plugins", "stable", true, ["beta-only", "since 0.168"]],
    ["web_search_request", "deprecated", null, ["maybe"]],
  ];
  assert.equal(features.length, table.length);
  for (const [name, stage, enabled, extra] of table) {
    const f = features.find((x) => x.name === name);
    assert.equal(f?.stage, stage, name);
    assert.equal(f?.enabled, enabled, name);
    assert.deepEqual(f?.extra, extra, name);
  }
  assert.deepEqual(skipped, ["Some warning the CLI printed"]);
});

test("parseFeaturesList returns nothing for empty output", () => {
  assert.deepEqual(parseFeaturesList("\n\n"), { features: [], skipped: [] });
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { sourceKindsOf, THREAD_SOURCE_KINDS } from "./conversations.ts";

test("sourceKindsOf maps a rollout's session source to the kinds thread/list filters by", () => {
  const cases: [unknown, string[]][] = [
    ["exec", ["exec"]],
    ["vscode", ["vscode"]],
    ["cli", ["cli"]],
    ["mcp", ["appServer"]],
    [undefined, ["vscode"]],
    [{ subagent: "review" }, ["subAgent", "subAgentReview"]],
    [{ subagent: "compact" }, ["subAgent", "subAgentCompact"]],
    [{ subagent: { thread_spawn: { depth: 1 } } }, ["subAgent", "subAgentThreadSpawn"]],
    [{ subagent: { other: "x" } }, ["subAgent", "subAgentOther"]],
    [{ subagent: "newer" }, ["subAgent"]],
    ["something-newer", ["unknown"]],
  ];
  for (const [source, kinds] of cases) {
    assert.deepEqual(sourceKindsOf(source), kinds, JSON.stringify(source));
    for (const kind of kinds) assert.ok(THREAD_SOURCE_KINDS.includes(kind as never), kind);
  }
});

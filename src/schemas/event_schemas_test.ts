import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { threadEventSchema, threadItemSchema } from "./event_schemas.ts";
import { safeParseEvent } from "../events.ts";

/** Every recorded fixture event, plus variants with one field broken or removed. */
async function corpus(): Promise<Record<string, unknown>[]> {
  const dir = new URL("../../tests/fixtures/", import.meta.url);
  const events: Record<string, unknown>[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith(".jsonl"))) {
    for (const line of (await readFile(new URL(name, dir), "utf8")).split("\n")) {
      if (line.trim()) events.push(JSON.parse(line));
    }
  }
  const variants: Record<string, unknown>[] = [];
  const breakers = [undefined, null, 42, "text", [], {}];
  const walk = (
    node: Record<string, unknown>,
    rebuild: (n: Record<string, unknown>) => Record<string, unknown>,
  ) => {
    for (const key of Object.keys(node)) {
      for (const value of breakers) {
        variants.push(rebuild({ ...node, [key]: value }));
      }
      const child = node[key];
      if (typeof child === "object" && child !== null && !Array.isArray(child)) {
        walk(child as Record<string, unknown>, (n) => rebuild({ ...node, [key]: n }));
      }
    }
  };
  for (const event of events) walk(event, (n) => n);
  return [...events, ...variants, { type: "turn.future", x: 1 }, { type: 7 }];
}

test("The hand-written event check and the valibot schemas agree on every recorded event and variant", async () => {
  const all = await corpus();
  assert.ok(all.length > 500, `corpus of ${all.length}`);
  let rejected = 0;
  for (const event of all) {
    const fast = safeParseEvent(structuredClone(event)).success;
    const schema =
      !(threadEventSchema["~standard"].validate(structuredClone(event)) as { issues?: unknown })
        .issues;
    assert.equal(fast, schema, JSON.stringify(event));
    if (!fast) rejected++;
  }
  assert.ok(rejected > 50, "the variants include broken events");
});

test("threadItemSchema accepts unknown item types and rejects a known one missing a field", () => {
  const issues = (value: unknown) =>
    (threadItemSchema["~standard"].validate(value) as { issues?: unknown }).issues;
  assert.equal(issues({ id: "x", type: "hologram" }), undefined);
  assert.ok(issues({ id: "x", type: "agent_message" }));
});

test("safeParseEvent fills usage counts an older CLI omits and names the first bad field", () => {
  const ok = safeParseEvent({ type: "turn.completed", usage: { input_tokens: 3 } });
  assert.deepEqual(ok, {
    success: true,
    event: {
      type: "turn.completed",
      usage: {
        input_tokens: 3,
        cached_input_tokens: 0,
        cache_write_input_tokens: 0,
        output_tokens: 0,
        reasoning_output_tokens: 0,
      },
    },
  });
  assert.deepEqual(
    safeParseEvent({
      type: "item.completed",
      item: { id: "i", type: "file_change", changes: [{ path: 1 }] },
    }),
    {
      success: false,
      issues: ["item.changes.0.path: expected string"],
    },
  );
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { createIdSource, encodeFrame, renderStep, splitDeltas, wireUsage } from "./_sse.ts";
import { item, reply } from "./steps.ts";

function parse(frame: string): { event: string; data: Record<string, unknown> } {
  const [eventLine, dataLine] = frame.split("\n");
  return { event: eventLine.slice("event: ".length), data: JSON.parse(dataLine.slice(6)) };
}

test("encodeFrame writes event and data lines ending in a blank line", () => {
  assert.equal(encodeFrame("x.y", { a: 1 }), 'event: x.y\ndata: {"type":"x.y","a":1}\n\n');
});

test("splitDeltas cuts words that join back to the text", () => {
  const table = ["Hello big world", "  lead and trail  ", "one", "", "a\nb"];
  for (const text of table) assert.equal(splitDeltas(text).join(""), text);
  assert.deepEqual(splitDeltas("Hello big world"), ["Hello ", "big ", "world"]);
});

test("renderStep starts with response.created and ends with response.completed and usage", () => {
  const { frames, holdAt } = renderStep(reply.message("hi"), createIdSource());
  const events = frames.map(parse);
  assert.deepEqual(events.map((e) => e.event), [
    "response.created",
    "response.output_item.done",
    "response.completed",
  ]);
  assert.equal(holdAt, null);
  assert.deepEqual(events[1].data.item, { ...item.message("hi"), id: "msg_1" });
  const response = events[2].data.response as Record<string, unknown>;
  assert.deepEqual(response.usage, wireUsage());
  assert.equal((response.usage as { total_tokens: number }).total_tokens, 1224);
});

test("renderStep fills ids and call ids from counters and keeps given ones", () => {
  const ids = createIdSource();
  const step = reply.items([
    item.execCommand("a"),
    { ...item.applyPatch("p"), call_id: "mine" },
    item.message("m"),
  ]);
  const items = renderStep(step, ids).frames.map(parse).slice(1, 4).map((e) => e.data.item);
  assert.deepEqual(
    items.map((i) => [(i as { id: string }).id, (i as { call_id?: string }).call_id]),
    [["fc_1", "call_1"], ["ctc_1", "mine"], ["msg_1", undefined]],
  );
  const again = parse(renderStep(reply.execCommand("b"), ids).frames[1]).data.item;
  assert.equal((again as { call_id: string }).call_id, "call_2");
});

test("renderStep with textDeltas streams added and delta frames before done", () => {
  const step = {
    ...reply.items([item.reasoning("Think hard"), item.message("Hi there")]),
    textDeltas: true,
  };
  const events = renderStep(step, createIdSource()).frames.map(parse);
  assert.deepEqual(events.map((e) => e.event), [
    "response.created",
    "response.output_item.added",
    "response.reasoning_summary_text.delta",
    "response.reasoning_summary_text.delta",
    "response.output_item.done",
    "response.output_item.added",
    "response.output_text.delta",
    "response.output_text.delta",
    "response.output_item.done",
    "response.completed",
  ]);
  assert.deepEqual(events.slice(6, 8).map((e) => [e.data.item_id, e.data.delta]), [
    ["msg_1", "Hi "],
    ["msg_1", "there"],
  ]);
});

test("renderStep places the hold point", () => {
  const ids = createIdSource();
  const table: [Parameters<typeof renderStep>[0], number | null][] = [
    [{ ...reply.message("x"), hold: true }, 2],
    [{ ...reply.message("x"), hold: true, holdAfterFrames: 1 }, 1],
    [{ ...reply.message("x"), stallAfterCreated: true }, 1],
    [{ ...reply.message("x"), hold: false }, null],
    [{ ...reply.failed("c", "m"), hold: true }, 1],
  ];
  for (const [step, expected] of table) assert.equal(renderStep(step, ids).holdAt, expected);
});

test("renderStep renders a failed step as response.failed with the error", () => {
  const events = renderStep(reply.failed("rate_limit", "slow down"), createIdSource()).frames.map(
    parse,
  );
  assert.deepEqual(events.map((e) => e.event), ["response.created", "response.failed"]);
  assert.deepEqual((events[1].data.response as { error: unknown }).error, {
    code: "rate_limit",
    message: "slow down",
  });
});

test("renderStep renders an MCP call as a namespaced function_call", () => {
  const frames = renderStep(reply.mcpCall("docs", "search", { q: "x" }), createIdSource()).frames;
  assert.deepEqual(parse(frames[1]).data.item, {
    type: "function_call",
    namespace: "mcp__docs",
    name: "search",
    arguments: '{"q":"x"}',
    id: "fc_1",
    call_id: "call_1",
  });
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { addFilePatch, item, reply } from "./steps.ts";

test("addFilePatch prefixes every content line with +", () => {
  const table: [string, string, string][] = [
    ["a.txt", "hello\n", "*** Begin Patch\n*** Add File: a.txt\n+hello\n*** End Patch\n"],
    ["b.txt", "x\ny", "*** Begin Patch\n*** Add File: b.txt\n+x\n+y\n*** End Patch\n"],
    ["c.txt", "", "*** Begin Patch\n*** Add File: c.txt\n*** End Patch\n"],
  ];
  for (const [path, content, expected] of table) {
    assert.equal(addFilePatch(path, content), expected);
  }
});

test("item builders spell the wire shapes", () => {
  assert.deepEqual(item.message("hi"), {
    type: "message",
    role: "assistant",
    content: [{ type: "output_text", text: "hi" }],
  });
  assert.deepEqual(item.reasoning("hm"), {
    type: "reasoning",
    summary: [{ type: "summary_text", text: "hm" }],
  });
  assert.deepEqual(item.execCommand("ls", { workdir: "/w" }), {
    type: "function_call",
    name: "exec_command",
    arguments: '{"cmd":"ls","workdir":"/w"}',
  });
  assert.deepEqual(item.applyPatch("P"), {
    type: "custom_tool_call",
    name: "apply_patch",
    input: "P",
  });
  assert.deepEqual(item.mcpCall("docs", "search", { q: 1 }), {
    type: "function_call",
    namespace: "mcp__docs",
    name: "search",
    arguments: '{"q":1}',
  });
  assert.deepEqual(
    JSON.parse(item.updatePlan(["a", { step: "b", status: "completed" }]).arguments),
    {
      plan: [{ step: "a", status: "pending" }, { step: "b", status: "completed" }],
    },
  );
});

test("reply builders wrap items in plain-data steps", () => {
  assert.deepEqual(reply.message("hi"), { kind: "response", output: [item.message("hi")] });
  assert.deepEqual(reply.addFile("f", "x"), { kind: "response", output: [item.addFile("f", "x")] });
  assert.deepEqual(reply.items([item.reasoning("r")], { textDeltas: true }), {
    kind: "response",
    output: [item.reasoning("r")],
    textDeltas: true,
  });
  assert.deepEqual(reply.failed("server_error", "boom"), {
    kind: "failed",
    code: "server_error",
    message: "boom",
  });
  assert.deepEqual(reply.httpError(429), { kind: "http_error", status: 429 });
  assert.deepEqual({ ...reply.message("x"), delayMs: 5 }.delayMs, 5);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { countingAnswer, countingScript, readCountingRequest } from "./counting_script.ts";
import type { RecordedRequest } from "./fake_responses_server.ts";

const user = (text: string) => ({
  type: "message",
  role: "user",
  content: [{ type: "input_text", text }],
});
const request = (input: unknown[]): RecordedRequest => ({
  index: 0,
  step: 0,
  method: "POST",
  path: "/v1/responses",
  headers: {},
  body: { input },
  status: 0,
});

test("readCountingRequest counts marked user messages and sees a tool output last", () => {
  const input = [
    {
      type: "message",
      role: "developer",
      content: [{ type: "input_text", text: "TURN-MARK (system)" }],
    },
    user("<environment_context>"),
    user("TURN-MARK one"),
    { type: "message", role: "assistant", content: [{ type: "output_text", text: "TURN-MARK" }] },
    user("TURN-MARK two"),
  ];
  assert.deepEqual(readCountingRequest({ input }), {
    prompt: "TURN-MARK two",
    seen: 2,
    afterTool: false,
  });
  const after = [...input, { type: "function_call_output", call_id: "c", output: "ok" }];
  assert.equal(readCountingRequest({ input: after }).afterTool, true);
  assert.deepEqual(readCountingRequest(undefined), { prompt: "", seen: 0, afterTool: false });
});

test("countingScript answers from the request alone: the command first, then seen=<n>", () => {
  const script = countingScript();
  const first = script(request([user("TURN-MARK a"), user("TURN-MARK b")]));
  assert.equal(first.kind, "response");
  assert.equal((first as { output: { name?: string }[] }).output[0].name, "exec_command");
  const second = script(
    request([user("TURN-MARK a"), user("TURN-MARK b"), { type: "function_call_output" }]),
  );
  assert.deepEqual(
    (second as { output: { content: { text: string }[] }[] }).output[0].content[0].text,
    countingAnswer(2),
  );
  const direct = countingScript({ command: null })(request([user("TURN-MARK a")]));
  assert.equal(
    (direct as { output: { content: { text: string }[] }[] }).output[0].content[0].text,
    "seen=1",
  );
  const held = countingScript({
    override: (info) =>
      info.prompt.includes("HOLD") ? { kind: "http_error", status: 503 } : undefined,
  });
  assert.deepEqual(held(request([user("TURN-MARK HOLD")])), { kind: "http_error", status: 503 });
});

import { test } from "node:test";
import assert from "node:assert/strict";
import * as api from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import type { ThreadEvent } from "../events.ts";
import type { OtelApi } from "./otel.ts";
import { TurnTelemetry } from "./turn_telemetry.ts";

const exporter = new InMemorySpanExporter();
api.trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
);

function turn(recordContent = false): TurnTelemetry {
  exporter.reset();
  return new TurnTelemetry(api as unknown as OtelApi, {
    threadId: "th-1",
    transport: "app-server",
    prompt: "the prompt sk-secret-123456",
    recordContent,
    secrets: () => ["sk-secret-123456"],
  });
}

const item = (fields: Record<string, unknown>) => fields as unknown as ThreadEvent;

test("MCP calls, web searches and dynamic tool calls get execute_tool spans; a failed one is an error", () => {
  const t = turn();
  t.event(item({
    type: "item.started",
    item: {
      id: "m1",
      type: "mcp_tool_call",
      server: "docs",
      tool: "lookup",
      status: "in_progress",
    },
  }));
  t.event(item({
    type: "item.completed",
    item: { id: "m1", type: "mcp_tool_call", server: "docs", tool: "lookup", status: "failed" },
  }));
  t.event(item({ type: "item.completed", item: { id: "w1", type: "web_search", query: "q" } }));
  t.event(item({
    type: "item.completed",
    item: { id: "d1", type: "dynamic_tool_call", tool: "weather", status: "completed" },
  }));
  t.event(item({ type: "item.completed", item: { id: "a1", type: "agent_message", text: "hi" } }));
  t.end();
  const spans = exporter.getFinishedSpans();
  assert.deepEqual(spans.map((s) => s.name).sort(), [
    "execute_tool lookup",
    "execute_tool weather",
    "execute_tool web_search",
    "invoke_agent codex",
  ]);
  const mcp = spans.find((s) => s.name === "execute_tool lookup")!;
  assert.equal(mcp.attributes["codex.mcp.server"], "docs");
  assert.equal(mcp.attributes["error.type"], "failed");
  assert.equal(mcp.status.code, api.SpanStatusCode.ERROR);
  const search = spans.find((s) => s.name === "execute_tool web_search")!;
  assert.equal(search.attributes["codex.web_search.query"], undefined);
});

test("A retry wait is a span from retry.scheduled to the next event", () => {
  const t = turn();
  t.event(item({
    type: "retry.scheduled",
    attempt: 2,
    max_attempts: 3,
    delay_ms: 10,
    reason: "http_5xx",
    message: "boom",
  }));
  t.event(item({ type: "turn.started" }));
  t.end();
  const retry = exporter.getFinishedSpans().find((s) => s.name === "codex.retry");
  assert.ok(retry);
  assert.equal(retry.attributes["codex.retry.attempt"], 2);
  assert.equal(retry.attributes["codex.retry.reason"], "http_5xx");
});

test("A turn left early or failed ends its span as an error, open items with it", () => {
  const t = turn();
  t.event(item({
    type: "item.started",
    item: { id: "c1", type: "command_execution", command: "sleep 9", status: "in_progress" },
  }));
  t.end({ cancelled: true });
  const spans = exporter.getFinishedSpans();
  const root = spans.find((s) => s.name === "invoke_agent codex")!;
  assert.equal(root.attributes["error.type"], "cancelled");
  assert.ok(spans.some((s) => s.name === "execute_tool shell"), "the open command ended too");

  const failed = turn();
  failed.event(item({ type: "turn.failed", error: { message: "no" } }));
  failed.end();
  const again = exporter.getFinishedSpans().find((s) => s.name === "invoke_agent codex")!;
  assert.equal(again.attributes["error.type"], "turn_failed");
});

test("recordContent scrubs the client's secrets from what it records", () => {
  const t = turn(true);
  t.event(item({
    type: "item.completed",
    item: {
      id: "c1",
      type: "command_execution",
      command: "curl -H sk-secret-123456",
      exit_code: 0,
    },
  }));
  t.end();
  const text = JSON.stringify(exporter.getFinishedSpans().map((s) => s.attributes));
  assert.ok(text.includes("the prompt"), text);
  assert.ok(text.includes("curl -H"), text);
  assert.ok(!text.includes("sk-secret-123456"), text);
});

test("With no tracer recording, a turn's items cost no spans; the turn span still ends", () => {
  const started: string[] = [];
  let ended = 0;
  const span = {
    setAttribute: () => span,
    addEvent: () => span,
    setStatus: () => span,
    end: () => void ended++,
    isRecording: () => false,
  };
  const instrument = () => ({ record: () => {}, add: () => {} });
  const noop = {
    trace: {
      getTracer: () => ({
        startSpan: (name: string) => {
          started.push(name);
          return span;
        },
      }),
      setSpan: () => ({}),
    },
    context: { active: () => ({}) },
    metrics: {
      getMeter: () => ({
        createHistogram: instrument,
        createCounter: instrument,
      }),
    },
    SpanStatusCode: { ERROR: 2, OK: 1 },
  } as unknown as OtelApi;
  const t = new TurnTelemetry(noop, {
    threadId: "th-1",
    transport: "exec",
    prompt: "p",
    recordContent: false,
    secrets: () => [],
  });
  t.event(item({
    type: "item.started",
    item: { id: "c1", type: "command_execution", command: "ls", status: "in_progress" },
  }));
  t.event(item({ type: "item.completed", item: { id: "c1", type: "command_execution" } }));
  t.event(item({
    type: "turn.completed",
    usage: { input_tokens: 7, cached_input_tokens: 0, output_tokens: 3 },
  }));
  t.end();
  assert.deepEqual(started, ["invoke_agent codex"], "no span per item");
  assert.equal(ended, 1);
});

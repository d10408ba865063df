/**
 * OpenTelemetry through `@opentelemetry/api`: the real codex against the fake Responses server,
 * spans caught by the in-memory exporter of `@opentelemetry/sdk-trace-base`, metrics by a
 * reader of `@opentelemetry/sdk-metrics`. No prompt or secret in any attribute unless
 * `recordContent` is set.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { metrics, trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { loadOtel } from "../src/telemetry/otel.ts";
import { offlineClient } from "./_offline_codex.ts";

class TestReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
);
const reader = new TestReader();
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

const API_KEY = "sk-telemetry-secret-5f3a9c";
const PROMPT = "prompt-text-that-must-stay-private-7781";

/** Every attribute value of every span and span event, as text. */
function attributeText(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((s) => [s.name, s.attributes, s.events.map((e) => e.attributes ?? {})]),
  );
}

async function runTurn(recordContent: boolean): Promise<ReadableSpan[]> {
  exporter.reset();
  await using server = await startFakeResponsesServer([
    reply.execCommand("echo hi"),
    reply.message("done"),
  ]);
  await using client = await offlineClient(server, {
    apiKey: API_KEY,
    telemetry: { recordContent },
  });
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
    model: "gpt-test-model",
    sandboxMode: "danger-full-access",
  });
  const turn = await thread.run(PROMPT);
  assert.equal(turn.finalResponse, "done");
  const spans = exporter.getFinishedSpans();
  const root = spans.find((s) => s.name === "invoke_agent codex");
  assert.ok(root, spans.map((s) => s.name).join(","));
  assert.equal(root.attributes["gen_ai.conversation.id"], thread.id);
  return [...spans];
}

test("A turn is a span with GenAI attributes and its command a child span; no prompt or key", async () => {
  const spans = await runTurn(false);
  const root = spans.find((s) => s.name === "invoke_agent codex")!;
  assert.equal(root.attributes["gen_ai.operation.name"], "invoke_agent");
  assert.equal(root.attributes["gen_ai.request.model"], "gpt-test-model");
  assert.equal(root.attributes["codex.transport"], "exec");
  assert.ok((root.attributes["gen_ai.usage.input_tokens"] as number) > 0);
  assert.ok((root.attributes["gen_ai.usage.output_tokens"] as number) > 0);
  const command = spans.find((s) => s.name === "execute_tool shell");
  assert.ok(command, "the command's span");
  assert.equal(command.attributes["gen_ai.tool.name"], "shell");
  assert.equal(command.attributes["process.exit.code"], 0);
  assert.equal(command.parentSpanContext?.spanId, root.spanContext().spanId);
  assert.equal(command.spanContext().traceId, root.spanContext().traceId);
  const text = attributeText(spans);
  assert.ok(!text.includes(API_KEY), "the API key is in an attribute");
  assert.ok(!text.includes(PROMPT), "the prompt is in an attribute");
  assert.ok(!text.includes("echo hi"), "the command line is in an attribute");

  const { resourceMetrics } = await reader.collect();
  const names = resourceMetrics.scopeMetrics.flatMap((s) =>
    s.metrics.map((m) => m.descriptor.name)
  );
  assert.ok(names.includes("gen_ai.client.operation.duration"), names.join(","));
  assert.ok(names.includes("gen_ai.client.token.usage"), names.join(","));
});

test("With recordContent the prompt, answer and command are recorded, the key still is not", async () => {
  const spans = await runTurn(true);
  const root = spans.find((s) => s.name === "invoke_agent codex")!;
  assert.ok(String(root.attributes["gen_ai.input.messages"]).includes(PROMPT));
  assert.ok(String(root.attributes["gen_ai.output.messages"]).includes("done"));
  const command = spans.find((s) => s.name === "execute_tool shell")!;
  assert.ok(String(command.attributes["codex.command"]).includes("echo hi"));
  assert.ok(!attributeText(spans).includes(API_KEY));
});

test("Without @opentelemetry/api telemetry is off, quietly", async () => {
  const { resetOtel } = await import("../src/telemetry/otel.ts");
  resetOtel();
  try {
    assert.equal(await loadOtel(() => Promise.reject(new Error("Cannot find package"))), undefined);
  } finally {
    resetOtel();
  }
});

test("An app-server turn's span carries its turn id, and an approval is a span of its own", async () => {
  exporter.reset();
  await using server = await startFakeResponsesServer([
    reply.execCommand("echo hi > ran.txt"),
    reply.message("done"),
  ]);
  await using client = await offlineClient(server, { apiKey: API_KEY });
  const thread = client.codex.startThread({
    transport: "app-server",
    workingDirectory: client.work,
    skipGitRepoCheck: true,
    approvalPolicy: "untrusted",
    sandboxMode: "workspace-write",
    onApproval: () => "accept",
  });
  await thread.run(PROMPT);
  const spans = exporter.getFinishedSpans();
  const root = spans.find((s) => s.name === "invoke_agent codex");
  assert.ok(root, spans.map((s) => s.name).join(","));
  assert.equal(root.attributes["codex.transport"], "app-server");
  assert.equal(typeof root.attributes["codex.turn.id"], "string");
  assert.equal(root.attributes["gen_ai.conversation.id"], thread.id);
  const approval = spans.find((s) => s.name === "codex.approval");
  assert.ok(approval, spans.map((s) => s.name).join(","));
  assert.equal(approval.attributes["codex.approval.kind"], "command");
  assert.equal(approval.attributes["codex.approval.decision"], "accept");
  assert.equal(approval.spanContext().traceId, root.spanContext().traceId);
  const text = attributeText(spans);
  assert.ok(!text.includes(API_KEY) && !text.includes(PROMPT) && !text.includes("ran.txt"));
});

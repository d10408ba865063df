/**
 * OpenTelemetry for one turn, fed the turn's events as `Thread` yields them: a span for the
 * turn (`invoke_agent codex`), child spans for its tool-like items (commands, file changes, MCP
 * and other tool calls, web searches), its approvals and its retry waits, and the turn's
 * duration, tokens and failures as metrics. Attribute names follow the GenAI semantic
 * conventions where one fits (`gen_ai.operation.name`, `gen_ai.request.model`,
 * `gen_ai.usage.input_tokens`, `gen_ai.conversation.id`, `gen_ai.tool.name`, `error.type`);
 * codex's own figures are under `codex.*`.
 *
 * No prompt, answer, command line, path or search query is recorded unless `recordContent` is
 * set, and then with the client's known secrets scrubbed.
 *
 * @module
 */
import type { ThreadEvent, ThreadItem } from "../events.ts";
import { redactText } from "../redact.ts";
import { loadOtel } from "./otel.ts";
import type { OtelApi, OtelAttributes, OtelMeter, OtelSpan, OtelTracer } from "./otel.ts";

/** What a turn's telemetry starts from. */
export interface TurnTelemetryStart {
  /** The thread's id when known at the start (a resumed thread). */
  threadId: string | null;
  /** The model asked for (turn, else thread option), when one was given. */
  model?: string;
  /** `"exec"` or `"app-server"`. */
  transport: string;
  /** The prompt (recorded only with `recordContent`). */
  prompt: string;
  /** Record prompt, answer, commands, paths and queries. */
  recordContent: boolean;
  /** Secrets scrubbed from recorded content. */
  secrets: () => readonly string[];
}

const NAME = "@codexkit/sdk";

interface Instruments {
  duration: ReturnType<OtelMeter["createHistogram"]>;
  tokens: ReturnType<OtelMeter["createHistogram"]>;
  failures: ReturnType<OtelMeter["createCounter"]>;
}

let instruments: Instruments | undefined;

function instrumentsOf(api: OtelApi): Instruments {
  if (instruments) return instruments;
  const meter = api.metrics.getMeter(NAME);
  instruments = {
    duration: meter.createHistogram("gen_ai.client.operation.duration", {
      description: "Duration of a codex turn",
      unit: "s",
    }),
    tokens: meter.createHistogram("gen_ai.client.token.usage", {
      description: "Tokens used by a codex turn",
      unit: "{token}",
    }),
    failures: meter.createCounter("codex.turn.failures", {
      description: "Turns that failed, timed out or were stopped",
      unit: "{turn}",
    }),
  };
  return instruments;
}

/** Starts a turn's telemetry, or returns undefined when `@opentelemetry/api` is absent. */
export async function startTurnTelemetry(
  start: TurnTelemetryStart,
): Promise<TurnTelemetry | undefined> {
  const api = await loadOtel();
  return api ? new TurnTelemetry(api, start) : undefined;
}

/** One turn's spans and metrics. */
export class TurnTelemetry {
  #api: OtelApi;
  #tracer: OtelTracer;
  #start: TurnTelemetryStart;
  #span: OtelSpan;
  #context: unknown;
  #began = performance.now();
  #items = new Map<string, OtelSpan>();
  #approvals = new Map<string, OtelSpan>();
  #retry: OtelSpan | undefined;
  #failure: string | undefined;
  #usage: { input: number; output: number } | undefined;
  #answer: string | undefined;
  #ended = false;
  #common: OtelAttributes;
  // With no tracer registered the spans record nothing: only what the metrics need is kept.
  #recording: boolean;

  /** Starts the turn's span. */
  constructor(api: OtelApi, start: TurnTelemetryStart) {
    this.#api = api;
    this.#start = start;
    this.#tracer = api.trace.getTracer(NAME);
    this.#common = {
      "gen_ai.operation.name": "invoke_agent",
      ...(start.model ? { "gen_ai.request.model": start.model } : {}),
    };
    this.#span = this.#tracer.startSpan("invoke_agent codex", {
      attributes: {
        ...this.#common,
        "gen_ai.agent.name": "codex",
        "codex.transport": start.transport,
        ...(start.threadId ? thread(start.threadId) : {}),
        ...(start.recordContent ? { "gen_ai.input.messages": this.#content(start.prompt) } : {}),
      },
    });
    this.#context = api.trace.setSpan(api.context.active(), this.#span);
    this.#recording = this.#span.isRecording?.() ?? true;
  }

  /**
   * Whether {@linkcode TurnTelemetry.event} needs every event; when not, only the `thread.*`
   * and `turn.*` ones (a span that records nothing keeps only the turn's tokens and failure).
   */
  get recordsEveryEvent(): boolean {
    return this.#recording;
  }

  /** Folds one event of the turn. */
  event(event: ThreadEvent): void {
    if (!this.#recording) {
      // Turn duration and failures are known at the end; only the tokens come from an event.
      if (event.type === "turn.completed") {
        this.#usage = { input: event.usage.input_tokens, output: event.usage.output_tokens };
      } else if (event.type === "turn.failed") this.#failure = "turn_failed";
      return;
    }
    if (this.#retry && event.type !== "retry.scheduled") {
      this.#retry.end();
      this.#retry = undefined;
    }
    switch (event.type) {
      case "thread.started":
        for (const [k, v] of Object.entries(thread(event.thread_id))) this.#span.setAttribute(k, v);
        break;
      case "turn.started":
        if (event.turn_id !== undefined) this.#span.setAttribute("codex.turn.id", event.turn_id);
        break;
      case "item.started":
        this.#itemStarted(event.item);
        break;
      case "item.completed":
        this.#itemCompleted(event.item);
        break;
      case "turn.completed":
        this.#usage = { input: event.usage.input_tokens, output: event.usage.output_tokens };
        this.#span.setAttribute("gen_ai.usage.input_tokens", event.usage.input_tokens);
        this.#span.setAttribute("gen_ai.usage.output_tokens", event.usage.output_tokens);
        this.#span.setAttribute(
          "gen_ai.usage.cache_read.input_tokens",
          event.usage.cached_input_tokens,
        );
        break;
      case "turn.failed":
        this.#failure = "turn_failed";
        break;
      case "usage.updated":
        if (event.last) {
          this.#span.setAttribute("codex.context.last_input_tokens", event.last.input_tokens);
        }
        if (event.model_context_window) {
          this.#span.setAttribute("codex.context.window", event.model_context_window);
        }
        break;
      case "error":
        this.#span.addEvent("codex.error", {
          "codex.error.will_retry": (event as { will_retry?: boolean }).will_retry === true,
          ...(this.#start.recordContent
            ? { "codex.error.message": this.#scrub(event.message) }
            : {}),
        });
        break;
      case "approval.requested":
        this.#approvals.set(
          String(event.request_id),
          this.#child("codex.approval", {
            "codex.approval.kind": event.kind,
            "codex.item.id": event.item_id,
            ...(this.#start.recordContent && event.command
              ? { "codex.command": this.#scrub(event.command) }
              : {}),
          }, this.#items.get(event.item_id)),
        );
        break;
      case "approval.resolved": {
        const span = this.#approvals.get(String(event.request_id));
        if (!span) break;
        this.#approvals.delete(String(event.request_id));
        if (typeof event.decision === "string") {
          span.setAttribute("codex.approval.decision", event.decision);
        }
        span.setAttribute("codex.approval.source", event.source);
        span.end();
        break;
      }
      case "retry.scheduled":
        this.#retry?.end();
        this.#retry = this.#child("codex.retry", {
          "codex.retry.attempt": event.attempt,
          "codex.retry.max_attempts": event.max_attempts,
          "codex.retry.delay_ms": event.delay_ms,
          "codex.retry.reason": event.reason,
        });
        break;
    }
  }

  /**
   * Ends the turn: `error` when it threw, `"cancelled"` when the consumer left early. Spans
   * still open (an item the turn never completed) end with it.
   */
  end(outcome?: { error?: unknown; cancelled?: boolean }): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#retry?.end();
    for (const span of [...this.#items.values(), ...this.#approvals.values()]) span.end();
    const errorType = outcome?.error !== undefined
      ? errorName(outcome.error)
      : outcome?.cancelled
      ? "cancelled"
      : this.#failure;
    if (errorType) {
      this.#span.setAttribute("error.type", errorType);
      this.#span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: errorType });
    }
    if (this.#start.recordContent && this.#answer !== undefined) {
      this.#span.setAttribute("gen_ai.output.messages", this.#content(this.#answer));
    }
    this.#span.end();
    const metrics = instrumentsOf(this.#api);
    const attributes = { ...this.#common, ...(errorType ? { "error.type": errorType } : {}) };
    metrics.duration.record((performance.now() - this.#began) / 1000, attributes);
    if (this.#usage) {
      metrics.tokens.record(this.#usage.input, { ...this.#common, "gen_ai.token.type": "input" });
      metrics.tokens.record(this.#usage.output, {
        ...this.#common,
        "gen_ai.token.type": "output",
      });
    }
    if (errorType) metrics.failures.add(1, attributes);
  }

  #itemStarted(item: ThreadItem): void {
    const shape = toolShape(item, this.#start.recordContent, (t) => this.#scrub(t));
    if (!shape || this.#items.has(item.id)) return;
    this.#items.set(item.id, this.#child(shape.name, shape.attributes));
  }

  #itemCompleted(item: ThreadItem): void {
    if (item.type === "agent_message") this.#answer = item.text;
    const shape = toolShape(item, this.#start.recordContent, (t) => this.#scrub(t));
    if (!shape) return;
    const span = this.#items.get(item.id) ?? this.#child(shape.name, shape.attributes);
    this.#items.delete(item.id);
    for (const [k, v] of Object.entries(shape.attributes)) span.setAttribute(k, v);
    const status = (item as { status?: unknown }).status;
    if (status === "failed" || status === "declined") {
      span.setAttribute("error.type", String(status));
      span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: String(status) });
    }
    span.end();
  }

  #child(name: string, attributes: OtelAttributes, parent?: OtelSpan): OtelSpan {
    const context = parent ? this.#api.trace.setSpan(this.#context, parent) : this.#context;
    return this.#tracer.startSpan(name, { attributes }, context);
  }

  #scrub(text: string): string {
    return redactText(text, this.#start.secrets());
  }

  #content(text: string): string {
    return JSON.stringify([{ parts: [{ type: "text", content: this.#scrub(text) }] }]);
  }
}

function thread(id: string): OtelAttributes {
  return { "gen_ai.conversation.id": id, "codex.thread.id": id };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** The span name and attributes of a tool-like item; undefined for other items. */
function toolShape(
  item: ThreadItem,
  content: boolean,
  scrub: (text: string) => string,
): { name: string; attributes: OtelAttributes } | undefined {
  const base = (tool: string): OtelAttributes => ({
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": tool,
    "gen_ai.tool.call.id": item.id,
    "codex.item.type": item.type,
  });
  const fields = item as unknown as Record<string, unknown>;
  switch (item.type) {
    case "command_execution": {
      const attributes = base("shell");
      if (typeof fields.exit_code === "number") {
        attributes["process.exit.code"] = fields.exit_code;
      }
      if (content && typeof fields.command === "string") {
        attributes["codex.command"] = scrub(fields.command);
      }
      return { name: "execute_tool shell", attributes };
    }
    case "file_change": {
      const attributes = base("apply_patch");
      const changes = Array.isArray(fields.changes) ? fields.changes : [];
      attributes["codex.file_change.count"] = changes.length;
      if (content) {
        attributes["codex.file_change.paths"] = scrub(
          changes.map((c) => String((c as { path?: unknown }).path)).join("\n"),
        );
      }
      return { name: "execute_tool apply_patch", attributes };
    }
    case "mcp_tool_call": {
      const tool = String(fields.tool);
      const attributes = { ...base(tool), "codex.mcp.server": String(fields.server) };
      return { name: `execute_tool ${tool}`, attributes };
    }
    case "web_search": {
      const attributes = base("web_search");
      if (content && typeof fields.query === "string") {
        attributes["codex.web_search.query"] = scrub(fields.query);
      }
      return { name: "execute_tool web_search", attributes };
    }
    default: {
      // Tool calls of kinds this table does not name (dynamic tools, newer CLIs).
      if (!item.type.endsWith("tool_call")) return undefined;
      const tool = typeof fields.tool === "string" ? fields.tool : item.type;
      return { name: `execute_tool ${tool}`, attributes: base(tool) };
    }
  }
}

/**
 * Normalises app-server notifications into the SAME `ThreadEvent` shapes as `codex exec --json`
 * (`item.started`, `item.completed`, `turn.completed`, ... with `agent_message`,
 * `command_execution`, `file_change` items), plus what only the app-server has: text and
 * reasoning deltas as `item.updated`, `usage.updated`, `diff.updated`.
 *
 * An interrupted turn ends with `turn.failed` whose message is "Turn interrupted" and which
 * carries `interrupted: true`: `run()` rejects with `TurnFailedError`, `runStreamed()` shows
 * every item that completed before it.
 *
 * @module
 */
import type {
  ThreadEvent,
  ThreadItem,
  UnknownThreadEvent,
  UnknownThreadItem,
  Usage,
} from "../events.ts";

type Wire = Record<string, unknown>;
/** A normalised event, known or passed through. */
export type NormalizedEvent = ThreadEvent | UnknownThreadEvent;
type Item = ThreadItem | UnknownThreadItem;

function obj(value: unknown): Wire {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Wire)
    : {};
}

function str(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

/** `inProgress` -> `in_progress`; the other statuses are spelled the same in both lanes. */
export function snakeStatus(status: unknown): string {
  return status === "inProgress" ? "in_progress" : str(status, "in_progress");
}

function reasoningText(item: Wire): string {
  const summary = Array.isArray(item.summary) ? item.summary.map((s) => str(s)) : [];
  const content = Array.isArray(item.content) ? item.content.map((s) => str(s)) : [];
  return (summary.length > 0 ? summary : content).join("\n\n");
}

/**
 * Maps an app-server item to the exec lane's item, or `null` for the echo of the user's own
 * message (exec does not show it). Types with no exec counterpart pass through as they came.
 */
export function toThreadItem(wire: unknown): Item | null {
  const item = obj(wire);
  const id = str(item.id);
  switch (item.type) {
    case "userMessage":
      return null;
    case "agentMessage":
      return { id, type: "agent_message", text: str(item.text) };
    case "reasoning":
      return { id, type: "reasoning", text: reasoningText(item) };
    case "commandExecution":
      return {
        id,
        type: "command_execution",
        command: str(item.command),
        aggregated_output: str(item.aggregatedOutput),
        exit_code: typeof item.exitCode === "number" ? item.exitCode : null,
        status: snakeStatus(item.status) as "in_progress",
        ...(typeof item.cwd === "string" ? { cwd: item.cwd } : {}),
      };
    case "fileChange":
      return {
        id,
        type: "file_change",
        changes: (Array.isArray(item.changes) ? item.changes : []).map((raw) => {
          const change = obj(raw);
          const kind = obj(change.kind);
          return {
            path: str(change.path),
            kind: str(kind.type, str(change.kind, "update")) as "update",
            ...(typeof change.diff === "string" ? { diff: change.diff } : {}),
          };
        }),
        status: snakeStatus(item.status) as "in_progress",
      };
    case "mcpToolCall":
      return {
        id,
        type: "mcp_tool_call",
        server: str(item.server),
        tool: str(item.tool),
        arguments: item.arguments,
        result: (item.result ?? null) as null,
        error: (item.error ?? null) as null,
        status: snakeStatus(item.status) as "in_progress",
      };
    case "dynamicToolCall": {
      // One shape for a tool call on both transports: exec reports the SDK's tools as
      // mcp_tool_call items of its MCP server, so the app-server's dynamic calls say the same.
      const parts: unknown[] = Array.isArray(item.contentItems) ? item.contentItems : [];
      const text = parts.map((part) => str(obj(part).text)).join("\n");
      const failed = item.success === false;
      return {
        id,
        type: "mcp_tool_call",
        server: str(item.namespace, "codexkit"),
        tool: str(item.tool),
        arguments: item.arguments,
        result: item.success === true ? { content: parts.map(toMcpContent) } : null,
        error: failed ? { message: text } : null,
        status: (failed ? "failed" : snakeStatus(item.status)) as "in_progress",
      };
    }
    case "webSearch":
      return { id, type: "web_search", query: str(item.query), action: item.action };
    case "collabAgentToolCall":
      return {
        id,
        type: "collab_tool_call",
        tool: snakeCase(str(item.tool)),
        sender_thread_id: str(item.senderThreadId),
        receiver_thread_ids: strings(item.receiverThreadIds),
        prompt: nullableStr(item.prompt) ?? null,
        agents_states: agentStates(item.agentsStates),
        ...optional("model", nullableStr(item.model)),
        ...optional("reasoning_effort", nullableStr(item.reasoningEffort)),
        status: snakeStatus(item.status),
      };
    case "subAgentActivity":
      return {
        id,
        type: "sub_agent_activity",
        kind: str(item.kind),
        agent_thread_id: str(item.agentThreadId),
        agent_path: str(item.agentPath),
        ...optional("model", nullableStr(item.model)),
        ...optional("reasoning_effort", nullableStr(item.reasoningEffort)),
      };
    case "imageGeneration":
      return {
        id,
        type: "image_generation",
        status: snakeStatus(item.status),
        saved_path: nullableStr(item.savedPath) ?? null,
        ...optional("revised_prompt", nullableStr(item.revisedPrompt)),
        ...optional("failure", item.failure ?? undefined),
      };
    case "imageView":
      return { id, type: "image_view", path: str(item.path) };
    case "enteredReviewMode":
    case "exitedReviewMode":
      return {
        id,
        type: item.type === "enteredReviewMode" ? "entered_review_mode" : "exited_review_mode",
        review: str(item.review),
      };
    case "contextCompaction":
      return { id, type: "context_compaction" };
    default:
      return { ...item, id, type: str(item.type, "unknown") };
  }
}

/** `spawnAgent` -> `spawn_agent`: the exec lane's spelling of the same wire enum. */
function snakeCase(value: string): string {
  return value.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Each child thread's state, statuses spelled as exec spells them (`pendingInit` -> `pending_init`). */
function agentStates(value: unknown): Record<string, { status: string; message?: string | null }> {
  const out: Record<string, { status: string; message?: string | null }> = {};
  for (const [threadId, raw] of Object.entries(obj(value))) {
    const state = obj(raw);
    const message = nullableStr(state.message);
    out[threadId] = message === undefined
      ? { status: snakeCase(str(state.status)) }
      : { status: snakeCase(str(state.status)), message };
  }
  return out;
}

/** A dynamic tool's output part as MCP content (`inputText` -> `text`, images by URL). */
function toMcpContent(raw: unknown): unknown {
  const part = obj(raw);
  if (part.type === "inputText") return { type: "text", text: str(part.text) };
  if (part.type === "inputImage") return { type: "image", url: str(part.imageUrl) };
  return part;
}

/** Converts the app-server's camelCase usage to the exec lane's. */
export function toUsage(wire: unknown): Usage {
  const u = obj(wire);
  const n = (key: string): number => (typeof u[key] === "number" ? (u[key] as number) : 0);
  return {
    input_tokens: n("inputTokens"),
    cached_input_tokens: n("cachedInputTokens"),
    cache_write_input_tokens: n("cacheWriteInputTokens"),
    output_tokens: n("outputTokens"),
    reasoning_output_tokens: n("reasoningOutputTokens"),
  };
}

function addUsage(a: Usage, b: Usage): Usage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    cached_input_tokens: a.cached_input_tokens + b.cached_input_tokens,
    cache_write_input_tokens: a.cache_write_input_tokens + b.cache_write_input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_output_tokens: a.reasoning_output_tokens + b.reasoning_output_tokens,
  };
}

const ZERO: Usage = {
  input_tokens: 0,
  cached_input_tokens: 0,
  cache_write_input_tokens: 0,
  output_tokens: 0,
  reasoning_output_tokens: 0,
};

/**
 * Folds the notifications of one turn into events. Feed it every notification addressed to the
 * turn's thread; it ignores those of other turns once the turn id is known, and reports
 * `done` after the turn's last event.
 *
 * @example Deltas become item.updated
 * ```ts
 * import { TurnNormalizer } from "./notifications.ts";
 * const turn = new TurnNormalizer();
 * turn.push("item/started", { turnId: "t", item: { type: "agentMessage", id: "m", text: "" } });
 * const [event] = turn.push("item/agentMessage/delta", { turnId: "t", itemId: "m", delta: "Hi" });
 * // event: { type: "item.updated", item: { id: "m", type: "agent_message", text: "Hi" }, delta: "Hi" }
 * ```
 */
export class TurnNormalizer {
  #turnId: string | undefined;
  #items = new Map<string, Item>();
  #usage: Usage = ZERO;
  #plan: Item | undefined;
  #done = false;

  /** The turn id, once known. */
  get turnId(): string | undefined {
    return this.#turnId;
  }

  /** Sets the turn id (from the `turn/start` answer). */
  set turnId(id: string | undefined) {
    this.#turnId = id;
  }

  /** Whether the turn's final event has been produced. */
  get done(): boolean {
    return this.#done;
  }

  /** This turn's usage so far. */
  get usage(): Usage {
    return this.#usage;
  }

  /** The events for one notification (often none). */
  push(method: string, rawParams: unknown): NormalizedEvent[] {
    if (this.#done) return [];
    const params = obj(rawParams);
    const turnId = typeof params.turnId === "string"
      ? params.turnId
      : str(obj(params.turn).id, "") || undefined;
    if (this.#turnId !== undefined && turnId !== undefined && turnId !== this.#turnId) return [];
    switch (method) {
      case "turn/started":
        this.#turnId ??= turnId;
        return [{ type: "turn.started", ...(turnId === undefined ? {} : { turn_id: turnId }) }];
      case "item/started":
      case "item/completed": {
        const item = toThreadItem(params.item);
        if (item === null) return [];
        if (method === "item/started") this.#items.set(item.id, item);
        else this.#items.delete(item.id);
        const type = method === "item/started" ? "item.started" : "item.completed";
        return [{ type, item } as ThreadEvent];
      }
      case "item/agentMessage/delta":
        return this.#delta(params, "agent_message", (item, delta) => ({
          ...item,
          text: str(item.text) + delta,
        }));
      case "item/reasoning/summaryTextDelta":
      case "item/reasoning/textDelta":
        return this.#delta(params, "reasoning", (item, delta, fresh) => ({
          ...item,
          text: str(item.text) + (fresh ? "\n\n" : "") + delta,
        }));
      case "item/reasoning/summaryPartAdded": {
        const item = this.#items.get(str(params.itemId));
        if (item && str((item as Wire).text) !== "") {
          this.#items.set(item.id, { ...item, _newPart: true } as Item);
        }
        return [];
      }
      case "item/commandExecution/outputDelta":
        return this.#delta(params, "command_execution", (item, delta) => ({
          ...item,
          aggregated_output: str(item.aggregated_output) + delta,
        }));
      case "turn/plan/updated": {
        const plan = Array.isArray(params.plan) ? params.plan : [];
        const first = this.#plan === undefined;
        this.#plan = {
          id: `plan_${this.#turnId ?? turnId ?? "turn"}`,
          type: "todo_list",
          items: plan.map((raw) => {
            const step = obj(raw);
            return { text: str(step.step), completed: step.status === "completed" };
          }),
        };
        return [
          { type: first ? "item.started" : "item.updated", item: this.#plan } as ThreadEvent,
          ...notificationEvents(method, params),
        ];
      }
      case "thread/tokenUsage/updated": {
        const tokenUsage = obj(params.tokenUsage);
        this.#usage = addUsage(this.#usage, toUsage(tokenUsage.last));
        const window = tokenUsage.modelContextWindow;
        return [{
          type: "usage.updated",
          usage: this.#usage,
          total: toUsage(tokenUsage.total),
          last: toUsage(tokenUsage.last),
          model_context_window: typeof window === "number" ? window : null,
        }];
      }
      case "turn/diff/updated":
        return [{ type: "diff.updated", diff: str(params.diff) }];
      case "thread/started":
        // The lane reports the thread itself (`thread.started`, first event of every turn).
        return [];
      case "error": {
        const error = obj(params.error);
        return [{
          type: "error",
          message: str(error.message, "unknown error"),
          ...(typeof params.willRetry === "boolean" ? { will_retry: params.willRetry } : {}),
        }];
      }
      case "turn/completed":
        return this.#complete(obj(params.turn));
      default:
        return notificationEvents(method, params);
    }
  }

  #delta(
    params: Wire,
    type: string,
    apply: (item: Wire, delta: string, freshPart: boolean) => Wire,
  ): NormalizedEvent[] {
    const id = str(params.itemId);
    const delta = str(params.delta);
    const current = (this.#items.get(id) ?? { id, type }) as Wire;
    const fresh = current._newPart === true;
    const { _newPart: _, ...base } = current;
    const next = apply(base, delta, fresh) as Item;
    this.#items.set(id, next);
    return [{ type: "item.updated", item: next, delta } as ThreadEvent];
  }

  #complete(turn: Wire): NormalizedEvent[] {
    this.#done = true;
    const events: NormalizedEvent[] = [];
    if (this.#plan) events.push({ type: "item.completed", item: this.#plan } as ThreadEvent);
    const status = str(turn.status);
    if (status === "completed") {
      events.push({ type: "turn.completed", usage: this.#usage });
    } else if (status === "interrupted") {
      events.push({
        type: "turn.failed",
        error: { message: "Turn interrupted" },
        interrupted: true,
      });
    } else {
      const error = obj(turn.error);
      const message = str(error.message, `The turn ended ${status || "without a status"}`);
      const info = error.codexErrorInfo;
      events.push({
        type: "turn.failed",
        error: info === undefined || info === null
          ? { message }
          : { message, codex_error_info: info },
      });
    }
    return events;
  }
}

function nullableStr(value: unknown): string | null | undefined {
  return typeof value === "string" || value === null ? value : undefined;
}

function optional<K extends string>(key: K, value: unknown): Partial<Record<K, unknown>> {
  return value === undefined ? {} : { [key]: value } as Record<K, unknown>;
}

/**
 * The events of a notification that is not part of a turn's item flow: warnings, MCP server
 * status, rate limits, account and thread changes, plan updates, settled server requests. Any
 * other method becomes an `app_server.notification` event carrying it as it came: nothing is
 * dropped.
 */
export function notificationEvents(method: string, rawParams: unknown): NormalizedEvent[] {
  const params = obj(rawParams);
  switch (method) {
    case "thread/compacted":
      return [{ type: "context.compacted" }];
    case "configWarning":
    case "deprecationNotice":
      return [{
        type: "warning",
        kind: method === "configWarning" ? "config" : "deprecation",
        message: str(params.summary),
        ...optional("details", nullableStr(params.details)),
        ...optional("path", nullableStr(params.path)),
      } as ThreadEvent];
    case "warning":
      return [{ type: "warning", kind: "general", message: str(params.message) }];
    case "guardianWarning":
      return [{ type: "warning", kind: "guardian", message: str(params.message) }];
    case "item/autoApprovalReview/started":
    case "item/autoApprovalReview/completed": {
      const review = obj(params.review);
      return [{
        type: "approval.review",
        phase: method.endsWith("started") ? "started" : "completed",
        review_id: str(params.reviewId),
        ...optional("target_item_id", nullableStr(params.targetItemId)),
        status: str(review.status),
        ...optional("risk_level", nullableStr(review.riskLevel)),
        ...optional("rationale", nullableStr(review.rationale)),
        action: params.action,
      } as ThreadEvent];
    }
    case "thread/reverted":
      return [{ type: "thread.rolled_back" }];
    case "mcpServer/startupStatus/updated":
      return [{
        type: "mcp_server.status",
        name: str(params.name),
        status: str(params.status),
        ...optional("error", nullableStr(params.error)),
      } as ThreadEvent];
    case "account/rateLimits/updated":
      return [{ type: "rate_limits.updated", rate_limits: params.rateLimits }];
    case "account/updated":
      return [{
        type: "account.updated",
        ...optional("auth_mode", nullableStr(params.authMode)),
        ...optional("plan_type", nullableStr(params.planType)),
      } as ThreadEvent];
    case "thread/status/changed": {
      const status = obj(params.status);
      const flags = Array.isArray(status.activeFlags) ? status.activeFlags.map(String) : undefined;
      return [{
        type: "thread.status",
        status: str(status.type, str(params.status)),
        ...optional("active_flags", flags),
      } as ThreadEvent];
    }
    case "thread/name/updated":
      return [{ type: "thread.name", name: nullableStr(params.threadName) ?? null }];
    case "thread/archived":
    case "thread/unarchived":
      return [{ type: "thread.archived", archived: method === "thread/archived" }];
    case "turn/plan/updated":
      return [{
        type: "plan.updated",
        ...optional("explanation", nullableStr(params.explanation)),
        plan: (Array.isArray(params.plan) ? params.plan : []).map((raw) => {
          const step = obj(raw);
          return { step: str(step.step), status: str(step.status) };
        }),
      } as ThreadEvent];
    case "serverRequest/resolved": {
      const id = params.requestId;
      return [{
        type: "server_request.resolved",
        request_id: typeof id === "number" ? id : String(id ?? ""),
      }];
    }
    default:
      return [{ type: "app_server.notification", method, params: rawParams }];
  }
}

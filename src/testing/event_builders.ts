/**
 * Builders of `ThreadEvent`s for scripted turns (see `mockLane`): one call per event, the
 * shapes exactly as both lanes emit them, and {@linkcode events.turn} to wrap items into a
 * whole turn.
 *
 * @module
 */
import type {
  ApprovalDefaultReason,
  ApprovalKind,
  ApprovalRequestedEvent,
  ApprovalResolvedEvent,
  ApprovalSource,
  CommandExecutionStatus,
  DiffUpdatedEvent,
  FileUpdateChange,
  ItemCompletedEvent,
  ItemUpdatedEvent,
  McpToolCallStatus,
  PatchApplyStatus,
  PatchChangeKind,
  ThreadErrorEvent,
  ThreadEvent,
  ThreadItem,
  ThreadStartedEvent,
  TodoItem,
  TurnCompletedEvent,
  TurnFailedEvent,
  TurnStartedEvent,
  Usage,
  UsageUpdatedEvent,
} from "../events.ts";

/** Options every item builder takes. */
export interface ItemBuilderOptions {
  /** The item id (default: numbered `item_0`, `item_1`, ... per turn by `events.turn` and the mock lane). */
  id?: string;
}

/** Options of {@linkcode events.agentMessageDelta}. */
export interface DeltaBuilderOptions extends ItemBuilderOptions {
  /** The piece this update added. */
  delta?: string;
}

/** Options of {@linkcode events.command}. */
export interface CommandBuilderOptions extends ItemBuilderOptions {
  /** Exit code (default 0; `null` when it never ran). */
  exitCode?: number | null;
  /** Captured stdout and stderr (default ""). */
  output?: string;
  /** Status (default `completed` for exit 0, else `failed`). */
  status?: CommandExecutionStatus;
}

/** Options of {@linkcode events.fileChange}. */
export interface FileChangeBuilderOptions extends ItemBuilderOptions {
  /** Status (default `completed`). */
  status?: PatchApplyStatus;
}

/** Options of {@linkcode events.mcpToolCall}. */
export interface McpToolCallBuilderOptions extends ItemBuilderOptions {
  /** Arguments passed to the tool (default `{}`). */
  arguments?: unknown;
  /** The tool's content on success (default `[]`). */
  content?: unknown[];
  /** An error message: the call failed. */
  error?: string;
  /** Status (default `completed`, or `failed` with `error`). */
  status?: McpToolCallStatus;
}

/** Options of {@linkcode events.approvalRequested}. */
export interface ApprovalRequestedOptions {
  /** What is asked about (default `command`). */
  kind?: ApprovalKind;
  /** The item the action belongs to (default `item_0`). */
  itemId?: string;
  /** The server's request id (default 0: server request ids count from 0). */
  requestId?: string | number;
  /** The command line, for commands. */
  command?: string;
  /** The working directory, for commands. */
  cwd?: string;
  /** Why codex asks. */
  reason?: string;
}

/** Options of {@linkcode events.approvalResolved}. */
export interface ApprovalResolvedOptions {
  /** What was asked about (default `command`). */
  kind?: ApprovalKind;
  /** The item (default `item_0`). */
  itemId?: string;
  /** The request id (default 0). */
  requestId?: string | number;
  /** Who chose the decision (default `callback`). */
  source?: ApprovalSource;
  /** Why the default was used, when `source` is `default`. */
  reason?: ApprovalDefaultReason;
}

/** Options of {@linkcode events.turn}. */
export interface TurnBuilderOptions {
  /** The thread id of `thread.started` (default `mock-thread`); `null` leaves it out. */
  threadId?: string | null;
  /** Usage of `turn.completed` (zeros by default). */
  usage?: Partial<Usage>;
  /** End with `turn.failed` and this message instead of `turn.completed`. */
  failed?: string;
}

const AUTO_ID = "";

/** A usage record, zeros where not given. */
function usage(partial: Partial<Usage> = {}): Usage {
  return {
    input_tokens: 0,
    cached_input_tokens: 0,
    cache_write_input_tokens: 0,
    output_tokens: 0,
    reasoning_output_tokens: 0,
    ...partial,
  };
}

function completed(item: ThreadItem): ItemCompletedEvent {
  return { type: "item.completed", item };
}

/** The event builders. */
export const events: {
  /** `thread.started`. */
  threadStarted(threadId?: string): ThreadStartedEvent;
  /** `turn.started`. */
  turnStarted(): TurnStartedEvent;
  /** `turn.completed` with usage (zeros where not given). */
  turnCompleted(usage?: Partial<Usage>): TurnCompletedEvent;
  /** `turn.failed`. */
  turnFailed(message: string): TurnFailedEvent;
  /** A top-level `error` event (a retry notice, or fatal when no turn completes). */
  error(message: string): ThreadErrorEvent;
  /** A completed `agent_message` item. */
  agentMessage(text: string, options?: ItemBuilderOptions): ItemCompletedEvent;
  /**
   * An `item.updated` agent message holding the text so far, and the new piece as `delta`
   * (as the app-server lane streams text).
   */
  agentMessageDelta(textSoFar: string, options?: DeltaBuilderOptions): ItemUpdatedEvent;
  /** A completed `reasoning` item. */
  reasoning(text: string, options?: ItemBuilderOptions): ItemCompletedEvent;
  /** A completed `command_execution` item. */
  command(command: string, options?: CommandBuilderOptions): ItemCompletedEvent;
  /** A completed `file_change` item; a bare path means an `update`. */
  fileChange(
    changes: readonly (string | FileUpdateChange)[],
    options?: FileChangeBuilderOptions,
  ): ItemCompletedEvent;
  /** A completed `todo_list` item; a bare string is an open step. */
  todoList(items: readonly (string | TodoItem)[], options?: ItemBuilderOptions): ItemCompletedEvent;
  /** A completed `mcp_tool_call` item. */
  mcpToolCall(
    server: string,
    tool: string,
    options?: McpToolCallBuilderOptions,
  ): ItemCompletedEvent;
  /** A completed `web_search` item. */
  webSearch(query: string, options?: ItemBuilderOptions): ItemCompletedEvent;
  /** An `approval.requested` event (app-server shape). */
  approvalRequested(options?: ApprovalRequestedOptions): ApprovalRequestedEvent;
  /** An `approval.resolved` event (app-server shape); `decision` in wire form (`"accept"`). */
  approvalResolved(decision: unknown, options?: ApprovalResolvedOptions): ApprovalResolvedEvent;
  /** A `usage.updated` event (app-server shape). */
  usageUpdated(turn?: Partial<Usage>, total?: Partial<Usage>): UsageUpdatedEvent;
  /** A `diff.updated` event (app-server shape). */
  diffUpdated(diff: string): DiffUpdatedEvent;
  /**
   * A whole turn: `thread.started`, `turn.started`, the given events, then `turn.completed`
   * (or `turn.failed`). Items without an id are numbered `item_0`, `item_1`, ... in order.
   */
  turn(body: readonly ThreadEvent[], options?: TurnBuilderOptions): ThreadEvent[];
} = {
  threadStarted: (threadId = "mock-thread") => ({ type: "thread.started", thread_id: threadId }),
  turnStarted: () => ({ type: "turn.started" }),
  turnCompleted: (partial) => ({ type: "turn.completed", usage: usage(partial) }),
  turnFailed: (message) => ({ type: "turn.failed", error: { message } }),
  error: (message) => ({ type: "error", message }),
  agentMessage: (text, options = {}) =>
    completed({ id: options.id ?? AUTO_ID, type: "agent_message", text }),
  agentMessageDelta: (text, options = {}) => {
    const event: ItemUpdatedEvent & { delta?: string } = {
      type: "item.updated",
      item: { id: options.id ?? AUTO_ID, type: "agent_message", text },
    };
    if (options.delta !== undefined) event.delta = options.delta;
    return event;
  },
  reasoning: (text, options = {}) =>
    completed({ id: options.id ?? AUTO_ID, type: "reasoning", text }),
  command: (command, options = {}) => {
    const exitCode = options.exitCode === undefined ? 0 : options.exitCode;
    return completed({
      id: options.id ?? AUTO_ID,
      type: "command_execution",
      command,
      aggregated_output: options.output ?? "",
      exit_code: exitCode,
      status: options.status ?? (exitCode === 0 ? "completed" : "failed"),
    });
  },
  fileChange: (changes, options = {}) =>
    completed({
      id: options.id ?? AUTO_ID,
      type: "file_change",
      changes: changes.map((change) =>
        typeof change === "string" ? { path: change, kind: "update" as PatchChangeKind } : {
          ...change,
        }
      ),
      status: options.status ?? "completed",
    }),
  todoList: (items, options = {}) =>
    completed({
      id: options.id ?? AUTO_ID,
      type: "todo_list",
      items: items.map((item) =>
        typeof item === "string" ? { text: item, completed: false } : { ...item }
      ),
    }),
  mcpToolCall: (server, tool, options = {}) =>
    completed({
      id: options.id ?? AUTO_ID,
      type: "mcp_tool_call",
      server,
      tool,
      arguments: options.arguments ?? {},
      result: options.error === undefined ? { content: options.content ?? [] } : null,
      error: options.error === undefined ? null : { message: options.error },
      status: options.status ?? (options.error === undefined ? "completed" : "failed"),
    }),
  webSearch: (query, options = {}) =>
    completed({ id: options.id ?? AUTO_ID, type: "web_search", query }),
  approvalRequested: (options = {}) => {
    const event: ApprovalRequestedEvent = {
      type: "approval.requested",
      request_id: options.requestId ?? 0,
      kind: options.kind ?? "command",
      item_id: options.itemId ?? "item_0",
      available_decisions: ["accept", "acceptForSession", "decline", "cancel"],
    };
    if (options.command !== undefined) event.command = options.command;
    if (options.cwd !== undefined) event.cwd = options.cwd;
    if (options.reason !== undefined) event.reason = options.reason;
    return event;
  },
  approvalResolved: (decision, options = {}) => {
    const event: ApprovalResolvedEvent = {
      type: "approval.resolved",
      request_id: options.requestId ?? 0,
      kind: options.kind ?? "command",
      item_id: options.itemId ?? "item_0",
      decision,
      source: options.source ?? "callback",
    };
    if (options.reason !== undefined) event.reason = options.reason;
    return event;
  },
  usageUpdated: (turn, total) => ({
    type: "usage.updated",
    usage: usage(turn),
    total: usage(total ?? turn),
  }),
  diffUpdated: (diff) => ({ type: "diff.updated", diff }),
  turn: (body, options = {}) => {
    const out: ThreadEvent[] = [];
    if (options.threadId !== null) out.push(events.threadStarted(options.threadId ?? undefined));
    out.push(events.turnStarted());
    out.push(...numberItems(body));
    out.push(
      options.failed !== undefined
        ? events.turnFailed(options.failed)
        : events.turnCompleted(options.usage),
    );
    return out;
  },
};

/**
 * Gives items built without an id (`""`) the ids `item_0`, `item_1`, ... in order; the
 * events of one item (started, updated, then completed) share the id of its first event.
 * Pure; events with ids are left as they are.
 */
export function numberItems(body: readonly ThreadEvent[]): ThreadEvent[] {
  const out: ThreadEvent[] = [];
  let next = 0;
  let open: string | undefined;
  for (const event of body) {
    if (
      (event.type === "item.started" || event.type === "item.updated" ||
        event.type === "item.completed") && event.item.id === AUTO_ID
    ) {
      const id = open ?? `item_${next++}`;
      open = event.type === "item.completed" ? undefined : id;
      out.push({ ...event, item: { ...event.item, id } } as ThreadEvent);
    } else {
      out.push(event);
    }
  }
  return out;
}

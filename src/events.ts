/**
 * Events and items of `codex exec --json`, named as on the wire, with the valibot schemas
 * that check them. The app-server lane produces these same shapes.
 *
 * Forward compatibility: an event or item whose `type` this SDK does not know passes through
 * unchanged (see {@linkcode UnknownThreadEvent}); extra fields on known ones are kept. A known
 * event missing a field the SDK reads is malformed.
 *
 * @module
 */
import * as v from "valibot";

/** Status of a command the agent ran. `declined` comes from an approval that said no. */
export type CommandExecutionStatus = "in_progress" | "completed" | "failed" | "declined";

/** A command executed by the agent. */
export interface CommandExecutionItem {
  /** Item id, like `item_3`. */
  id: string;
  /** Discriminator. */
  type: "command_execution";
  /** The command line. */
  command: string;
  /** stdout and stderr as captured while it ran. */
  aggregated_output: string;
  /** Exit code once it has exited; absent or `null` while running or when it never ran. */
  exit_code?: number | null;
  /** Where the command stands. */
  status: CommandExecutionStatus;
}

/** How a file changed. */
export type PatchChangeKind = "add" | "delete" | "update";

/** One file touched by a patch. */
export interface FileUpdateChange {
  /** The file's path. */
  path: string;
  /** How it changed. */
  kind: PatchChangeKind;
}

/** Status of a patch. */
export type PatchApplyStatus = "in_progress" | "completed" | "failed" | "declined";

/** A set of file changes made by the agent. */
export interface FileChangeItem {
  /** Item id. */
  id: string;
  /** Discriminator. */
  type: "file_change";
  /** The files the patch touched. */
  changes: FileUpdateChange[];
  /** Whether the patch applied. */
  status: PatchApplyStatus;
}

/** Status of an MCP tool call. */
export type McpToolCallStatus = "in_progress" | "completed" | "failed";

/** A call to a tool of an MCP server. */
export interface McpToolCallItem {
  /** Item id. */
  id: string;
  /** Discriminator. */
  type: "mcp_tool_call";
  /** The MCP server's name. */
  server: string;
  /** The tool's name. */
  tool: string;
  /** The arguments passed to the tool. */
  arguments: unknown;
  /** What the tool returned, on success. */
  result?: { content: unknown[]; structured_content?: unknown; [key: string]: unknown } | null;
  /** Why the call failed, on failure. */
  error?: { message: string } | null;
  /** Where the call stands. */
  status: McpToolCallStatus;
}

/** A message from the agent: text, or JSON when an output schema was given. */
export interface AgentMessageItem {
  /** Item id. */
  id: string;
  /** Discriminator. */
  type: "agent_message";
  /** The message. */
  text: string;
}

/** The agent's reasoning summary. */
export interface ReasoningItem {
  /** Item id. */
  id: string;
  /** Discriminator. */
  type: "reasoning";
  /** The summary text. */
  text: string;
}

/** A web search the agent ran. */
export interface WebSearchItem {
  /** Item id. */
  id: string;
  /** Discriminator. */
  type: "web_search";
  /** The search query. */
  query: string;
  /** What the search did (search, open page, ...), as the CLI reports it. */
  action?: unknown;
}

/** A non-fatal error reported as an item. */
export interface ErrorItem {
  /** Item id. */
  id: string;
  /** Discriminator. */
  type: "error";
  /** What went wrong. */
  message: string;
}

/** One entry of the agent's to-do list. */
export interface TodoItem {
  /** The step. */
  text: string;
  /** Whether it is done. */
  completed: boolean;
}

/** The agent's running to-do list. */
export interface TodoListItem {
  /** Item id. */
  id: string;
  /** Discriminator. */
  type: "todo_list";
  /** The steps. */
  items: TodoItem[];
}

/** Every item type this SDK knows. */
export type ThreadItem =
  | AgentMessageItem
  | ReasoningItem
  | CommandExecutionItem
  | FileChangeItem
  | McpToolCallItem
  | WebSearchItem
  | TodoListItem
  | ErrorItem;

/** An item whose type this SDK does not know (from a newer CLI); passed through unchanged. */
export interface UnknownThreadItem {
  /** Item id. */
  id: string;
  /** The item's type as the CLI named it. */
  type: string;
  /** Whatever else the CLI sent. */
  [key: string]: unknown;
}

/** Token usage of a turn, summed over every model request in it. */
export interface Usage {
  /** Input tokens. */
  input_tokens: number;
  /** Input tokens served from the prompt cache. */
  cached_input_tokens: number;
  /** Input tokens written to the prompt cache (0 when the CLI does not report it). */
  cache_write_input_tokens: number;
  /** Output tokens. */
  output_tokens: number;
  /** Reasoning tokens among the output tokens (0 when not reported). */
  reasoning_output_tokens: number;
}

/** First event of a new thread. */
export interface ThreadStartedEvent {
  /** Discriminator. */
  type: "thread.started";
  /** The thread's id; pass it to `resumeThread` later. */
  thread_id: string;
}

/** A turn began. */
export interface TurnStartedEvent {
  /** Discriminator. */
  type: "turn.started";
}

/** A turn finished. */
export interface TurnCompletedEvent {
  /** Discriminator. */
  type: "turn.completed";
  /** Token usage of the turn. */
  usage: Usage;
}

/** What made a turn fail. */
export interface ThreadError {
  /** Codex's own message. */
  message: string;
}

/** A turn failed. */
export interface TurnFailedEvent {
  /** Discriminator. */
  type: "turn.failed";
  /** Why. */
  error: ThreadError;
}

/** An item began. */
export interface ItemStartedEvent {
  /** Discriminator. */
  type: "item.started";
  /** The item so far. */
  item: ThreadItem;
}

/** An item changed (the app-server lane also uses this for text deltas). */
export interface ItemUpdatedEvent {
  /** Discriminator. */
  type: "item.updated";
  /** The item as it now stands. */
  item: ThreadItem;
}

/** An item reached its final state. */
export interface ItemCompletedEvent {
  /** Discriminator. */
  type: "item.completed";
  /** The final item. */
  item: ThreadItem;
}

/** A top-level error: a retry notice while a turn goes on, or fatal when no turn completes. */
export interface ThreadErrorEvent {
  /** Discriminator. */
  type: "error";
  /** Codex's own message. */
  message: string;
}

/** Which kind of action an approval request is about. */
export type ApprovalKind = "command" | "file_change" | "permissions";

/** Who chose an approval's answer: the `onApproval` callback, a static policy, or the default. */
export type ApprovalSource = "callback" | "policy" | "default";

/**
 * Why the default answer was used: no callback was set, it threw, it did not answer within
 * `approvalTimeoutMs`, it returned a decision the request does not allow, or the turn ended.
 */
export type ApprovalDefaultReason =
  | "no_callback"
  | "callback_threw"
  | "timeout"
  | "invalid_decision"
  | "turn_ended";

/** The app-server asks whether an action may go ahead (app-server lane only). */
export interface ApprovalRequestedEvent {
  /** Discriminator. */
  type: "approval.requested";
  /** The server's request id (unique per connection while pending). */
  request_id: string | number;
  /** What is asked about. */
  kind: ApprovalKind;
  /** The item the action belongs to (a `command_execution` or `file_change` item id). */
  item_id: string;
  /** The command line, for commands. */
  command?: string | null;
  /** The working directory, for commands. */
  cwd?: string | null;
  /** Why codex asks, when it says. */
  reason?: string | null;
}

/** An approval request was answered (app-server lane only). */
export interface ApprovalResolvedEvent {
  /** Discriminator. */
  type: "approval.resolved";
  /** The server's request id. */
  request_id: string | number;
  /** What was asked about. */
  kind: ApprovalKind;
  /** The item the action belongs to. */
  item_id: string;
  /** The decision sent, in wire form (`"accept"`, `"decline"`, ...). */
  decision: unknown;
  /** Who chose it. */
  source: ApprovalSource;
  /** Why the default was used (only when `source` is `"default"`). */
  reason?: ApprovalDefaultReason;
  /** The callback's error message, when it threw. */
  message?: string;
}

/** Token usage so far (app-server lane only), sent after each model request. */
export interface UsageUpdatedEvent {
  /** Discriminator. */
  type: "usage.updated";
  /** This turn's usage so far. */
  usage: Usage;
  /** The whole thread's usage so far. */
  total: Usage;
}

/** The turn's aggregated unified diff changed (app-server lane only). */
export interface DiffUpdatedEvent {
  /** Discriminator. */
  type: "diff.updated";
  /** The whole turn's diff as it now stands. */
  diff: string;
}

/**
 * Every event type this SDK knows. Events of types it does not know still arrive at run time
 * (see {@linkcode UnknownThreadEvent}): keep a default branch when switching on `type`.
 */
export type ThreadEvent =
  | ThreadStartedEvent
  | TurnStartedEvent
  | TurnCompletedEvent
  | TurnFailedEvent
  | ItemStartedEvent
  | ItemUpdatedEvent
  | ItemCompletedEvent
  | ThreadErrorEvent
  | ApprovalRequestedEvent
  | ApprovalResolvedEvent
  | UsageUpdatedEvent
  | DiffUpdatedEvent;

/** An event whose type this SDK does not know (from a newer CLI); passed through unchanged. */
export interface UnknownThreadEvent {
  /** The event's type as the CLI named it. */
  type: string;
  /** Whatever else the CLI sent. */
  [key: string]: unknown;
}

const itemBase = { id: v.string() };
const itemSchemas: Record<string, v.GenericSchema> = {
  agent_message: v.looseObject({ ...itemBase, text: v.string() }),
  reasoning: v.looseObject({ ...itemBase, text: v.string() }),
  command_execution: v.looseObject({
    ...itemBase,
    command: v.string(),
    aggregated_output: v.string(),
    exit_code: v.nullish(v.number()),
    status: v.string(),
  }),
  file_change: v.looseObject({
    ...itemBase,
    changes: v.array(v.looseObject({ path: v.string(), kind: v.string() })),
    status: v.string(),
  }),
  mcp_tool_call: v.looseObject({
    ...itemBase,
    server: v.string(),
    tool: v.string(),
    arguments: v.unknown(),
    status: v.string(),
  }),
  web_search: v.looseObject({ ...itemBase, query: v.string() }),
  todo_list: v.looseObject({
    ...itemBase,
    items: v.array(v.looseObject({ text: v.string(), completed: v.boolean() })),
  }),
  error: v.looseObject({ ...itemBase, message: v.string() }),
};
const unknownItemSchema = v.looseObject({ id: v.string(), type: v.string() });

const itemSchema = v.custom<ThreadItem>((input) => {
  if (typeof input !== "object" || input === null) return false;
  const type = (input as { type?: unknown }).type;
  const schema = typeof type === "string" ? itemSchemas[type] : undefined;
  return v.is(schema ?? unknownItemSchema, input);
}, "Invalid item");

const count = v.optional(v.number(), 0);
const usageSchema = v.looseObject({
  input_tokens: count,
  cached_input_tokens: count,
  cache_write_input_tokens: count,
  output_tokens: count,
  reasoning_output_tokens: count,
});
const eventSchemas: Record<string, v.GenericSchema> = {
  "thread.started": v.looseObject({ thread_id: v.string() }),
  "turn.started": v.looseObject({}),
  "turn.completed": v.looseObject({ usage: usageSchema }),
  "turn.failed": v.looseObject({ error: v.looseObject({ message: v.string() }) }),
  "item.started": v.looseObject({ item: itemSchema }),
  "item.updated": v.looseObject({ item: itemSchema }),
  "item.completed": v.looseObject({ item: itemSchema }),
  "error": v.looseObject({ message: v.string() }),
  "approval.requested": v.looseObject({
    request_id: v.union([v.string(), v.number()]),
    kind: v.string(),
    item_id: v.string(),
  }),
  "approval.resolved": v.looseObject({
    request_id: v.union([v.string(), v.number()]),
    kind: v.string(),
    item_id: v.string(),
    decision: v.unknown(),
    source: v.string(),
  }),
  "usage.updated": v.looseObject({ usage: usageSchema, total: usageSchema }),
  "diff.updated": v.looseObject({ diff: v.string() }),
};

/** Whether `type` names an event type this SDK knows. */
export function isKnownEventType(type: string): type is ThreadEvent["type"] {
  return Object.hasOwn(eventSchemas, type);
}

/** Whether `type` names an item type this SDK knows. */
export function isKnownItemType(type: string): type is ThreadItem["type"] {
  return Object.hasOwn(itemSchemas, type);
}

/** The result of {@linkcode safeParseEvent}. */
export type ParseEventResult =
  | { success: true; event: ThreadEvent | UnknownThreadEvent }
  | { success: false; issues: string[] };

/**
 * Checks one decoded JSON object against the event schemas. Known events must carry the fields
 * the SDK reads (usage counts missing from older CLIs become 0); unknown event types pass.
 */
export function safeParseEvent(value: Record<string, unknown>): ParseEventResult {
  const type = value.type;
  if (typeof type !== "string") return { success: false, issues: ["type: expected a string"] };
  const schema = eventSchemas[type];
  if (schema === undefined) return { success: true, event: value as UnknownThreadEvent };
  const result = v.safeParse(schema, value);
  if (result.success) return { success: true, event: result.output as ThreadEvent };
  return {
    success: false,
    issues: result.issues.map((issue) => {
      const path = issue.path?.map((p) => String(p.key)).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    }),
  };
}

/**
 * Events and items of `codex exec --json`, named as on the wire, and the table of fields the SDK
 * that check them. The app-server lane produces these same shapes.
 *
 * Forward compatibility: an event or item whose `type` this SDK does not know passes through
 * unchanged (see {@linkcode UnknownThreadEvent}); extra fields on known ones are kept. A known
 * event missing a field the SDK reads is malformed.
 *
 * @module
 */
import { eventProblem } from "./event_checks.ts";

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

/** Which collaboration tool the agent called (wire names of `collab_tool_call.tool`). */
export type CollabTool =
  | "spawn_agent"
  | "send_input"
  | "resume_agent"
  | "wait"
  | "close_agent"
  | "send_message"
  | "followup_task"
  | "interrupt_agent"
  | "list_agents";

/** What one agent reported when a collaboration call ended. */
export interface CollabAgentState {
  /** `pending_init`, `running`, `interrupted`, `completed`, `errored`, `shutdown`, `not_found`. */
  status: string;
  /** The agent's last message, when it has one. */
  message?: string | null;
}

/**
 * The agent worked with subagents: spawned one, sent it input, waited for it, closed it
 * (`collab_tool_call` on exec, `collabAgentToolCall` on the app-server). Each subagent runs in a
 * child thread of its own, named by `receiver_thread_ids`.
 */
export interface CollabToolCallItem {
  /** Item id. */
  id: string;
  /** Discriminator. */
  type: "collab_tool_call";
  /** The tool called (`spawn_agent`, `wait`, ...; a newer CLI may add others). */
  tool: CollabTool | (string & Record<never, never>);
  /** The thread that made the call. */
  sender_thread_id: string;
  /** The child threads the call is about (the spawned agent's, the agents waited on, ...). */
  receiver_thread_ids: string[];
  /** The prompt sent to the subagent, for calls that send one. */
  prompt?: string | null;
  /** Each child thread's state, by thread id, once known. */
  agents_states: Record<string, CollabAgentState>;
  /** The spawned agent's model, when the call chose one. */
  model?: string | null;
  /** The spawned agent's reasoning effort, when the call chose one. */
  reasoning_effort?: string | null;
  /** `in_progress`, `completed`, `failed`, `interrupted`. */
  status: string;
}

/** A subagent of this thread started, was talked to, was interrupted or finished (app-server). */
export interface SubAgentActivityItem {
  /** Item id. */
  id: string;
  /** Discriminator. */
  type: "sub_agent_activity";
  /** `started`, `interacted`, `interrupted`, `completed`. */
  kind: string;
  /** The subagent's own thread. */
  agent_thread_id: string;
  /** The subagent's path in the agent tree. */
  agent_path: string;
  /** Its model, when known. */
  model?: string | null;
  /** Its reasoning effort, when known. */
  reasoning_effort?: string | null;
}

/** The agent generated an image. */
export interface ImageGenerationItem {
  /** Item id. */
  id: string;
  /** Discriminator. */
  type: "image_generation";
  /** Where it stands (`in_progress`, `completed`, `failed`, ... as codex reports it). */
  status: string;
  /** The file the image was saved to, once saved. */
  saved_path?: string | null;
  /** The prompt as the image model rewrote it. */
  revised_prompt?: string | null;
  /** Why it failed (`{ type: "usageLimitExceeded", ... }`), when it did. */
  failure?: unknown;
}

/** The agent looked at an image file. */
export interface ImageViewItem {
  /** Item id. */
  id: string;
  /** Discriminator. */
  type: "image_view";
  /** The image's path. */
  path: string;
}

/** The thread entered or left review mode (`codex review`, `review/start`). */
export interface ReviewModeItem {
  /** Item id. */
  id: string;
  /** Discriminator: entering or leaving. */
  type: "entered_review_mode" | "exited_review_mode";
  /** What is reviewed (on entering) or the review's text (on leaving). */
  review: string;
}

/** codex compacted the thread's context to fit the model's window. */
export interface ContextCompactionItem {
  /** Item id. */
  id: string;
  /** Discriminator. */
  type: "context_compaction";
}

/**
 * The items of subagents, images, review mode and compaction, under a name the root entry's
 * docs leave out (they are documented with `@codexkit/sdk/app-server`).
 *
 * @ignore
 */
export type AgentItemRef =
  | CollabToolCallItem
  | SubAgentActivityItem
  | ImageGenerationItem
  | ImageViewItem
  | ReviewModeItem
  | ContextCompactionItem;

/** Every item type this SDK knows. */
export type ThreadItem =
  | AgentMessageItem
  | ReasoningItem
  | CommandExecutionItem
  | FileChangeItem
  | McpToolCallItem
  | WebSearchItem
  | TodoListItem
  | ErrorItem
  | AgentItemRef;

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
  /** The turn's id (app-server lane only; `codex exec` names no turn). */
  turn_id?: string;
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
  /**
   * The app-server's classification of the failure (`"serverOverloaded"`,
   * `{ responseStreamDisconnected: { httpStatusCode } }`, ...), when it gave one.
   */
  codex_error_info?: unknown;
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
  /**
   * For commands: what the command does, as codex parsed it (`{ type: "read", path }`,
   * `{ type: "search", query }`, `{ type: "listFiles" }`, `{ type: "unknown" }`), when it says.
   */
  command_actions?: CommandAction[];
  /** For a network access request: the host and protocol asked for. */
  network_context?: { host: string; protocol: string } | null;
  /** The answers this request allows, in wire form (`"accept"`, `"decline"`, ...). */
  available_decisions: unknown[];
}

/** One action of a command as codex parsed it (wire names). */
export interface CommandAction {
  /** `read`, `listFiles`, `search` or `unknown` (a newer CLI may add others). */
  type: string;
  /** The part of the command line this action is. */
  command: string;
  /** The file or directory concerned, when there is one. */
  path?: string | null;
  /** The search query, for `search`. */
  query?: string | null;
  /** The file name, for `read`. */
  name?: string;
}

/**
 * An approval was reviewed by codex's automatic reviewer (the guardian subagent, with
 * `approvalsReviewer: "auto_review"`) instead of the client: `started` when the review begins,
 * `completed` with its verdict.
 */
export interface ApprovalReviewEvent {
  /** Discriminator. */
  type: "approval.review";
  /** `started` or `completed`. */
  phase: "started" | "completed";
  /** The review's id. */
  review_id: string;
  /** The item reviewed, when there is one (network reviews have none). */
  target_item_id?: string | null;
  /** `inProgress`, `approved`, `denied`, `timedOut`, `aborted`. */
  status: string;
  /** `low`, `medium`, `high`, `critical`, when rated. */
  risk_level?: string | null;
  /** Why, in the reviewer's words. */
  rationale?: string | null;
  /** What was reviewed, in wire form (`{ type: "command", command, cwd }`, ...). */
  action: unknown;
}

/** The thread was rolled back to an earlier turn (`thread/reverted`). */
export interface ThreadRolledBackEvent {
  /** Discriminator. */
  type: "thread.rolled_back";
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

/**
 * Token usage so far. The app-server lane sends one after each model request (from
 * `thread/tokenUsage/updated`); the exec lane one just before `turn.completed`, read from the
 * thread's rollout (its last `token_count`), when the thread has one.
 */
export interface UsageUpdatedEvent {
  /** Discriminator. */
  type: "usage.updated";
  /** This turn's usage so far. */
  usage: Usage;
  /** The whole thread's usage so far. */
  total: Usage;
  /** The last model request's usage: its input is what the context window holds now. */
  last?: Usage;
  /** The model's effective context window in tokens as codex reports it, or null. */
  model_context_window?: number | null;
}

/** The turn's aggregated unified diff changed (app-server lane only). */
export interface DiffUpdatedEvent {
  /** Discriminator. */
  type: "diff.updated";
  /** The whole turn's diff as it now stands. */
  diff: string;
}

/** Which kind of server request (beyond approvals) an event is about. */
export type ServerRequestKind =
  | "user_input"
  | "elicitation"
  | "tool_call"
  | "token_refresh"
  | "attestation"
  | "unknown";

/**
 * Why a server request got the default answer: no hook was set, it threw, it answered
 * something malformed, it was too slow, the turn ended, or the SDK has no hook for the method.
 */
export type ServerRequestDefaultReason =
  | "no_callback"
  | "callback_threw"
  | "invalid_answer"
  | "timeout"
  | "turn_ended"
  | "unknown_request";

/** The app-server asks the client something other than an approval (app-server lane only). */
export interface ServerRequestRequestedEvent {
  /** Discriminator. */
  type: "server_request.requested";
  /** The server's request id. */
  request_id: string | number;
  /** The wire method (`item/tool/requestUserInput`, ...). */
  method: string;
  /** What is asked. */
  kind: ServerRequestKind;
  /** The request's params, as sent. */
  params: unknown;
}

/** A server request was answered (app-server lane only); the answer itself is not repeated. */
export interface ServerRequestAnsweredEvent {
  /** Discriminator. */
  type: "server_request.answered";
  /** The server's request id. */
  request_id: string | number;
  /** The wire method. */
  method: string;
  /** What was asked. */
  kind: ServerRequestKind;
  /** Who answered: the hook or the documented default. */
  source: "callback" | "default";
  /** Why the default answered. */
  reason?: ServerRequestDefaultReason;
  /** The hook's error, when it threw or answered something malformed. */
  message?: string;
}

/** The server reports a request of its own settled (`serverRequest/resolved`). */
export interface ServerRequestResolvedEvent {
  /** Discriminator. */
  type: "server_request.resolved";
  /** The server's request id. */
  request_id: string | number;
}

/** The thread's context was compacted (`thread/compacted`). */
export interface ContextCompactedEvent {
  /** Discriminator. */
  type: "context.compacted";
}

/** A warning from the server: config problems, deprecations, or anything else it flags. */
export interface WarningEvent {
  /** Discriminator. */
  type: "warning";
  /**
   * `config` (`configWarning`), `deprecation` (`deprecationNotice`), `guardian` (the automatic
   * approval reviewer's `guardianWarning`) or `general` (`warning`).
   */
  kind: "config" | "deprecation" | "guardian" | "general";
  /** The message (the summary, for config and deprecation notices). */
  message: string;
  /** More detail, when given. */
  details?: string | null;
  /** The config file concerned, for config warnings. */
  path?: string | null;
}

/** An MCP server's startup state changed (`mcpServer/startupStatus/updated`). */
export interface McpServerStatusEvent {
  /** Discriminator. */
  type: "mcp_server.status";
  /** The server's name in the config. */
  name: string;
  /** `starting`, `ready`, `failed`, `cancelled`. */
  status: string;
  /** Why it failed, when it did. */
  error?: string | null;
}

/** New rate-limit figures for the account (`account/rateLimits/updated`). */
export interface RateLimitsUpdatedEvent {
  /** Discriminator. */
  type: "rate_limits.updated";
  /** The snapshot, in wire form (`primary`, `secondary` windows with `usedPercent`, ...). */
  rate_limits: unknown;
}

/** The account's login changed (`account/updated`). */
export interface AccountUpdatedEvent {
  /** Discriminator. */
  type: "account.updated";
  /** `apikey`, `chatgpt`, ... or null when logged out. */
  auth_mode?: string | null;
  /** The ChatGPT plan, when known. */
  plan_type?: string | null;
}

/** The thread's status changed (`thread/status/changed`). */
export interface ThreadStatusEvent {
  /** Discriminator. */
  type: "thread.status";
  /** `notLoaded`, `idle`, `active`, `systemError`. */
  status: string;
  /** For `active`: what it waits on (`waitingOnApproval`, ...). */
  active_flags?: string[];
}

/** The thread was named or renamed (`thread/name/updated`). */
export interface ThreadNameEvent {
  /** Discriminator. */
  type: "thread.name";
  /** The new name (null when cleared). */
  name: string | null;
}

/** The thread was archived or unarchived. */
export interface ThreadArchivedEvent {
  /** Discriminator. */
  type: "thread.archived";
  /** `true` after `thread/archived`, `false` after `thread/unarchived`. */
  archived: boolean;
}

/** The agent's plan changed (`turn/plan/updated`); also shown as a `todo_list` item. */
export interface PlanUpdatedEvent {
  /** Discriminator. */
  type: "plan.updated";
  /** Why the plan changed, when the agent said. */
  explanation?: string | null;
  /** The steps: `pending`, `inProgress`, `completed`. */
  plan: { step: string; status: string }[];
}

/** A notification with no event of its own, passed on as it came (app-server lane only). */
export interface AppServerNotificationEvent {
  /** Discriminator. */
  type: "app_server.notification";
  /** The wire method. */
  method: string;
  /** The params, as sent. */
  params: unknown;
}

/** A failed turn will be run again (the opt-in retry policy). */
export interface RetryScheduledEvent {
  /** Discriminator. */
  type: "retry.scheduled";
  /** The attempt about to start (2 for the first retry). */
  attempt: number;
  /** The most attempts the policy allows. */
  max_attempts: number;
  /** The wait before it, in ms (jittered, or the retry-after the CLI reported). */
  delay_ms: number;
  /** What failed: `http_429`, `http_5xx`, `disconnected`, `server_exited`, ... */
  reason: string;
  /** The failure's message. */
  message: string;
}

/**
 * Every event type this SDK knows. Events of types it does not know still arrive at run time
 * (see {@linkcode UnknownThreadEvent}): keep a default branch when switching on `type`. An
 * app-server thread also yields the events of `AppServerEvent` (documented with
 * `@codexkit/sdk/app-server`).
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
  | RetryScheduledEvent
  | AppServerEventRef;

/** The events only an app-server thread yields: approvals, server requests, notifications. */
export type AppServerEvent =
  | ApprovalRequestedEvent
  | ApprovalResolvedEvent
  | ApprovalReviewEvent
  | ThreadRolledBackEvent
  | UsageUpdatedEvent
  | DiffUpdatedEvent
  | ServerRequestRequestedEvent
  | ServerRequestAnsweredEvent
  | ServerRequestResolvedEvent
  | ContextCompactedEvent
  | WarningEvent
  | McpServerStatusEvent
  | RateLimitsUpdatedEvent
  | AccountUpdatedEvent
  | ThreadStatusEvent
  | ThreadNameEvent
  | ThreadArchivedEvent
  | PlanUpdatedEvent
  | AppServerNotificationEvent;

/**
 * `AppServerEvent` under a name the root entry's docs leave out: the root documents what an
 * exec turn yields, the app-server entry the rest.
 *
 * @ignore
 */
export type AppServerEventRef = AppServerEvent;

/** An event whose type this SDK does not know (from a newer CLI); passed through unchanged. */
export interface UnknownThreadEvent {
  /** The event's type as the CLI named it. */
  type: string;
  /** Whatever else the CLI sent. */
  [key: string]: unknown;
}

/**
 * The fields the SDK reads, per item and event type: one table that drives both the hot-path
 * check below and the valibot schemas in `event_schemas.ts` (a test keeps them in agreement).
 * `"count"` is a number that older CLIs may omit (then 0); `"nullish-number"` may be null or
 * absent; `"id"` is a string or a number; `"strings"` is an array of strings.
 */
export type FieldSpec =
  | "string"
  | "number"
  | "boolean"
  | "unknown"
  | "id"
  | "count"
  | "nullish-number"
  | "strings"
  | "item"
  | { array: Record<string, FieldSpec> }
  | { object: Record<string, FieldSpec> };

/**
 * A table without a prototype: a type named `__proto__`, `constructor` or `toString` from the
 * wire finds nothing in it rather than something of `Object.prototype`.
 */
function table<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/** Required fields of each known item type (beyond `id` and `type`). */
export const ITEM_FIELDS: Readonly<Record<string, Record<string, FieldSpec>>> = table<
  Record<string, FieldSpec>
>({
  agent_message: { text: "string" },
  reasoning: { text: "string" },
  command_execution: {
    command: "string",
    aggregated_output: "string",
    exit_code: "nullish-number",
    status: "string",
  },
  file_change: { changes: { array: { path: "string", kind: "string" } }, status: "string" },
  mcp_tool_call: { server: "string", tool: "string", arguments: "unknown", status: "string" },
  web_search: { query: "string" },
  todo_list: { items: { array: { text: "string", completed: "boolean" } } },
  error: { message: "string" },
  collab_tool_call: {
    tool: "string",
    sender_thread_id: "string",
    receiver_thread_ids: "strings",
    status: "string",
  },
  sub_agent_activity: { kind: "string", agent_thread_id: "string" },
  image_generation: { status: "string" },
  image_view: { path: "string" },
  entered_review_mode: { review: "string" },
  exited_review_mode: { review: "string" },
  context_compaction: {},
});

const USAGE: FieldSpec = {
  object: {
    input_tokens: "count",
    cached_input_tokens: "count",
    cache_write_input_tokens: "count",
    output_tokens: "count",
    reasoning_output_tokens: "count",
  },
};

/** Required fields of each known event type (beyond `type`). */
export const EVENT_FIELDS: Readonly<Record<string, Record<string, FieldSpec>>> = table<
  Record<string, FieldSpec>
>({
  "thread.started": { thread_id: "string" },
  "turn.started": {},
  "turn.completed": { usage: USAGE },
  "turn.failed": { error: { object: { message: "string" } } },
  "item.started": { item: "item" },
  "item.updated": { item: "item" },
  "item.completed": { item: "item" },
  "error": { message: "string" },
  "approval.requested": {
    request_id: "id",
    kind: "string",
    item_id: "string",
  },
  "approval.review": { phase: "string", review_id: "string", status: "string" },
  "thread.rolled_back": {},
  "approval.resolved": {
    request_id: "id",
    kind: "string",
    item_id: "string",
    decision: "unknown",
    source: "string",
  },
  "usage.updated": { usage: USAGE, total: USAGE },
  "diff.updated": { diff: "string" },
  "server_request.requested": { request_id: "id", method: "string", kind: "string" },
  "server_request.answered": {
    request_id: "id",
    method: "string",
    kind: "string",
    source: "string",
  },
  "server_request.resolved": { request_id: "id" },
  "context.compacted": {},
  "warning": { kind: "string", message: "string" },
  "mcp_server.status": { name: "string", status: "string" },
  "rate_limits.updated": { rate_limits: "unknown" },
  "account.updated": {},
  "thread.status": { status: "string" },
  "thread.name": {},
  "thread.archived": { archived: "boolean" },
  "plan.updated": { plan: { array: { step: "string", status: "string" } } },
  "app_server.notification": { method: "string" },
  "retry.scheduled": {
    attempt: "number",
    max_attempts: "number",
    delay_ms: "number",
    reason: "string",
    message: "string",
  },
});

// The check runs once per event on the hot path: `event_checks.ts` is generated from the
// tables above into straight-line code behind a `switch` per table (scripts/gen_event_checks.ts).
export { eventProblem } from "./event_checks.ts";

/**
 * Whether `type` may name a `thread.*` or `turn.*` event, judged by its first character. The
 * loops that run once per event look for those few among the item events that make up nearly
 * all of a turn, and one character code costs less than comparing strings (a fast turn spent
 * 5% of its time on Bun in those comparisons).
 */
export function mayBeThreadOrTurnType(type: string): boolean {
  return type.charCodeAt(0) === 0x74; // "t"
}

/** Whether `type` names an event type this SDK knows. */
export function isKnownEventType(type: string): type is ThreadEvent["type"] {
  return Object.hasOwn(EVENT_FIELDS, type);
}

/** Whether `type` names an item type this SDK knows. */
export function isKnownItemType(type: string): type is ThreadItem["type"] {
  return Object.hasOwn(ITEM_FIELDS, type);
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
  // Checked in place: known events are passed on as parsed, with missing counts set to 0.
  const problem = eventProblem(value);
  return problem === undefined
    ? { success: true, event: value as unknown as ThreadEvent }
    : { success: false, issues: [problem] };
}

/**
 * Drive the OpenAI Codex CLI from Deno, Bun and Node: run turns through `codex exec --json`
 * or `codex app-server`, stream typed events, and get typed errors when a run ends badly.
 *
 * @example Run a turn
 * ```ts ignore
 * import { Codex } from "@codexkit/sdk";
 *
 * const codex = new Codex();
 * const thread = codex.startThread({ workingDirectory: ".", skipGitRepoCheck: true });
 * const turn = await thread.run("List the files here", { timeoutMs: 120_000 });
 * console.log(turn.finalResponse);
 * ```
 *
 * @example Stream events
 * ```ts ignore
 * import { Codex } from "@codexkit/sdk";
 *
 * const thread = new Codex().startThread();
 * const { events } = await thread.runStreamed("Fix the failing test");
 * for await (const event of events) {
 *   if (event.type === "item.completed") console.log(event.item.type);
 * }
 * ```
 *
 * The root holds what a turn needs. The rest has its own entry: `@codexkit/sdk/home` (homes,
 * login, `config.toml`, sessions), `@codexkit/sdk/schemas` (valibot schemas and the decoder of
 * recorded event streams), `@codexkit/sdk/app-server`, `@codexkit/sdk/capabilities`,
 * `@codexkit/sdk/bundles` and `@codexkit/sdk/testing`.
 *
 * @module
 */
export { Codex } from "./src/codex.ts";
export { Thread } from "./src/thread.ts";
export type { RunStreamedResult, StreamedTurn } from "./src/thread.ts";
export type { RunResult, Turn } from "./src/turn.ts";
export type {
  ApprovalMode,
  BundleSource,
  CodexConfigObject,
  CodexConfigValue,
  CodexOptions,
  CyberAccessProgram,
  InferSchemaOutput,
  Input,
  LocalProvider,
  ModelReasoningEffort,
  OutputSchema,
  RetryOptions,
  SandboxMode,
  StandardSchemaLike,
  ThreadOptions,
  Transport,
  TurnOptions,
  UserInput,
  WebSearchMode,
} from "./src/options.ts";
export type {
  AgentMessageItem,
  ApprovalDefaultReason,
  ApprovalKind,
  ApprovalRequestedEvent,
  ApprovalResolvedEvent,
  ApprovalSource,
  CommandExecutionItem,
  CommandExecutionStatus,
  DiffUpdatedEvent,
  ErrorItem,
  FileChangeItem,
  FileUpdateChange,
  ItemCompletedEvent,
  ItemStartedEvent,
  ItemUpdatedEvent,
  McpToolCallItem,
  McpToolCallStatus,
  PatchApplyStatus,
  PatchChangeKind,
  ReasoningItem,
  ThreadError,
  ThreadErrorEvent,
  ThreadEvent,
  ThreadItem,
  ThreadStartedEvent,
  TodoItem,
  TodoListItem,
  TurnCompletedEvent,
  TurnFailedEvent,
  TurnStartedEvent,
  UnknownThreadEvent,
  UnknownThreadItem,
  Usage,
  UsageUpdatedEvent,
  WebSearchItem,
} from "./src/events.ts";
export type {
  AccountUpdatedEvent,
  AppServerNotificationEvent,
  ContextCompactedEvent,
  McpServerStatusEvent,
  PlanUpdatedEvent,
  RateLimitsUpdatedEvent,
  RetryScheduledEvent,
  ServerRequestAnsweredEvent,
  ServerRequestDefaultReason,
  ServerRequestKind,
  ServerRequestRequestedEvent,
  ServerRequestResolvedEvent,
  ThreadArchivedEvent,
  ThreadNameEvent,
  ThreadStatusEvent,
  WarningEvent,
} from "./src/events.ts";
export { isKnownEventType, isKnownItemType } from "./src/events.ts";
export {
  AbortError,
  BinaryNotFoundError,
  BundleError,
  CodexError,
  ConnectionClosedError,
  ConnectTimeoutError,
  ExitError,
  FileFormatError,
  FileSystemError,
  IdleTimeoutError,
  MalformedOutputError,
  OutputLimitError,
  RpcError,
  SchemaMismatchError,
  SpawnError,
  ThreadNotFoundError,
  TimeoutError,
  TurnFailedError,
  UnsupportedError,
} from "./src/errors.ts";
export type {
  BundleErrorOptions,
  CodexErrorOptions,
  ConnectionClosedErrorOptions,
  ExitErrorOptions,
  FileFormatErrorOptions,
  FileOperation,
  FileSystemErrorOptions,
  MalformedOutputErrorOptions,
  OutputLimitErrorOptions,
  RpcErrorOptions,
  SchemaMismatchErrorOptions,
  SearchedPlace,
  ThreadNotFoundErrorOptions,
  TimeoutErrorOptions,
  UnsupportedErrorOptions,
} from "./src/errors.ts";
export type { NormalizedInput, TurnLane, TurnRequest } from "./src/lane.ts";
export { resolveCodexBinary } from "./src/binary/resolve.ts";
export type { BinarySource, ResolveBinaryOptions, ResolvedBinary } from "./src/binary/resolve.ts";
export type { GateAnswer, GatedOption, OptionGate, UnsupportedPolicy } from "./src/exec/gates.ts";
export type {
  ApprovalContext,
  ApprovalDecision,
  ApprovalHandler,
  ApprovalOptions,
  ApprovalPolicy,
  ApprovalRequest,
} from "./src/app_server/approvals.ts";
export type {
  AttestationHandler,
  AttestationRequest,
  AttestationResponse,
  DynamicTool,
  ElicitationHandler,
  ElicitationRequest,
  ElicitationResponse,
  ServerRequestContext,
  ServerRequestOptions,
  TokenRefreshHandler,
  TokenRefreshRequest,
  TokenRefreshResponse,
  ToolCallHandler,
  ToolCallRequest,
  ToolCallResponse,
  UserInputHandler,
  UserInputRequest,
  UserInputResponse,
} from "./src/app_server/server_requests.ts";
export type {
  AccountInfo,
  ConfigAccess,
  ConfigWriteOptions,
  ConfigWritten,
  EffectiveConfig,
  ListThreadsOptions,
  McpAccess,
  McpServerState,
  ModelInfo,
  RateLimits,
  SavedTurn,
  ThreadDetails,
  ThreadPage,
  ThreadSummary,
} from "./src/conversations.ts";
export type { RuntimeName } from "./src/runtime/types.ts";

/**
 * The app-server lane: a JSON-RPC client of `codex app-server` (stdio or WebSocket) with
 * approvals, streaming deltas, interrupt and steer, producing the same `ThreadEvent` shapes as
 * the exec lane.
 *
 * @example Approve commands from code
 * ```ts ignore
 * import { createAppServerLane } from "@codexkit/sdk/app-server";
 * const lane = createAppServerLane({
 *   start: { binary: "/path/to/codex", args: ["--disable", "plugins"], env: {} },
 *   approvals: { onApproval: (request) => request.command?.startsWith("ls") ? "accept" : "decline" },
 * });
 * ```
 *
 * @module
 */
export { AppServer, DEFAULT_INITIALIZE_TIMEOUT_MS } from "./app_server.ts";
export type { AppServerOptions, CallArgs, ServerRequestRoute } from "./app_server.ts";
export { createAppServerLane, threadSettings, turnInput } from "./lane.ts";
export type {
  AppServerLane,
  AppServerLaneOptions,
  AppServerStart,
  AppServerThreadOptions,
} from "./lane.ts";
export { decideApproval } from "./approvals.ts";
export {
  CONNECTION_REQUESTS,
  decideServerRequest,
  defaultServerAnswer,
  SERVER_REQUEST_HOOKS,
} from "./server_requests.ts";
export type { ServerRequestOutcome } from "./server_requests.ts";
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
} from "../options/server_requests.ts";
export {
  applyTurnDiff,
  Conversations,
  defaultCodexHome,
  THREAD_SOURCE_KINDS,
} from "./conversations.ts";
export type {
  AccountInfo,
  ApplyDiffOptions,
  ConfigAccess,
  ConfigWriteOptions,
  ConfigWritten,
  ConversationsContext,
  EffectiveConfig,
  ListThreadsOptions,
  McpAccess,
  McpServerState,
  ModelInfo,
  RateLimits,
  SavedTurn,
  ThreadDetails,
  ThreadPage,
  ThreadSourceKind,
  ThreadSummary,
} from "./conversations.ts";
export { notificationEvents } from "./notifications.ts";
export type { ApprovalOutcome } from "./approvals.ts";
export type {
  ApprovalContext,
  ApprovalDecision,
  ApprovalHandler,
  ApprovalOptions,
  ApprovalPolicy,
  ApprovalRequest,
} from "../options/approvals.ts";
export { AppServerProtocolError } from "./typed_calls.ts";
export type {
  AccountReadParams,
  AccountReadResult,
  AppServerMethod,
  AppServerMethods,
  AppServerParams,
  AppServerResult,
  AppServerThreadInfo,
  AppServerTurnInfo,
  CommandExecResult,
  ConfigReadResult,
  ConfigWriteResult,
  Extra,
  InitializeResult,
  ThreadIdParams,
  ThreadListResult,
  ThreadOpenResult,
  ThreadResult,
  ThreadSettingsParams,
  TurnErrorInfo,
  TurnStartResult,
  TurnSteerResult,
  WireUserInput,
  WithExtra,
} from "./typed_calls.ts";
/**
 * Every type of the app-server protocol, generated from the pinned CLI's JSON Schema, under
 * the schema's own names: `wire.ThreadStartParams`, `wire.ThreadItem`, ...
 */
export type * as wire from "./protocol/types.ts";
// The events only an app-server thread yields, and the shapes they use.
export type {
  AccountUpdatedEvent,
  ApprovalDefaultReason,
  ApprovalKind,
  ApprovalRequestedEvent,
  ApprovalResolvedEvent,
  ApprovalReviewEvent,
  ApprovalSource,
  AppServerEvent,
  AppServerNotificationEvent,
  CollabAgentState,
  CollabTool,
  CollabToolCallItem,
  CommandAction,
  ContextCompactedEvent,
  ContextCompactionItem,
  DiffUpdatedEvent,
  ImageGenerationItem,
  ImageViewItem,
  McpServerStatusEvent,
  PlanUpdatedEvent,
  RateLimitsUpdatedEvent,
  ReviewModeItem,
  ServerRequestAnsweredEvent,
  ServerRequestDefaultReason,
  ServerRequestKind,
  ServerRequestRequestedEvent,
  ServerRequestResolvedEvent,
  SubAgentActivityItem,
  ThreadArchivedEvent,
  ThreadNameEvent,
  ThreadRolledBackEvent,
  ThreadStatusEvent,
  UsageUpdatedEvent,
  WarningEvent,
} from "../events.ts";
export type { AccountAccess, ModelsAccess, ThreadsAccess } from "./conversation_access.ts";
export type {
  AttachmentKey,
  AttachmentOwnerPage,
  AttachmentPage,
  AttachmentsAccess,
  PageOptions,
  SkillInfo,
  SkillsAccess,
  SkillsOfDirectory,
  ThreadAttachment,
} from "./attachments.ts";
export { signWebSocketBearer, startWebSocketAppServer } from "./websocket_server.ts";
export type {
  WebSocketAppServer,
  WebSocketAuth,
  WebSocketServerOptions,
} from "./websocket_server.ts";
export { accountLogin } from "./account_login.ts";
export type {
  AccountLoginAccess,
  ExternalTokens,
  LoginOutcome,
  LoginWaitOptions,
  PendingLogin,
  TokenLoginOptions,
} from "./account_login.ts";
// Errors only the app-server transport raises.
export { ConnectionClosedError, RpcError } from "../errors.ts";
export {
  CLIENT_REQUEST_METHODS,
  PROTOCOL_CLI_VERSION,
  SERVER_NOTIFICATION_METHODS,
  SERVER_REQUEST_METHODS,
} from "./protocol/methods.ts";
export { RpcConnection } from "./rpc.ts";
export type {
  NotificationListener,
  RequestOptions,
  RpcConnectionOptions,
  RpcDuplex,
  RpcErrorObject,
  RpcId,
  ServerRequestHandler,
} from "./rpc.ts";
export { TurnNormalizer } from "./notifications.ts";
export type { NormalizedEvent } from "./notifications.ts";
export type { AppServerTransport, StdioServerOptions } from "./stdio_transport.ts";
export type { WebSocketTransportOptions } from "./websocket_transport.ts";
export type { NormalizedInput, TurnRequest } from "../lanes/lane.ts";
export type { GateAnswer, GatedOption, OptionGate } from "../options/gates.ts";
// The shared types these signatures use, named here so this entry documents itself.
export type {
  CodexError,
  CodexErrorOptions,
  ConnectionClosedErrorOptions,
  MalformedOutputError,
  RpcErrorOptions,
} from "../errors.ts";
export type {
  ApprovalMode,
  CodexConfigObject,
  CodexConfigValue,
  CyberAccessProgram,
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
} from "../options.ts";
export type {
  ChildProcess,
  ExitStatus,
  RuntimeName,
  Spawner,
  SpawnOptions,
  StdinMode,
} from "../runtime/types.ts";
// The event and item types these signatures use, named here so this entry documents itself.
export type {
  AgentMessageItem,
  CommandExecutionItem,
  CommandExecutionStatus,
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
  RetryScheduledEvent,
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
  WebSearchItem,
} from "../events.ts";

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
export { AppServer } from "./app_server.ts";
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
  ServerRequestOutcome,
  TokenRefreshHandler,
  TokenRefreshRequest,
  TokenRefreshResponse,
  ToolCallHandler,
  ToolCallRequest,
  ToolCallResponse,
  UserInputHandler,
  UserInputRequest,
  UserInputResponse,
} from "./server_requests.ts";
export { applyTurnDiff, Conversations, defaultCodexHome } from "../conversations.ts";
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
  ThreadSummary,
} from "../conversations.ts";
export { notificationEvents } from "./events.ts";
export type {
  ApprovalContext,
  ApprovalDecision,
  ApprovalHandler,
  ApprovalOptions,
  ApprovalOutcome,
  ApprovalPolicy,
  ApprovalRequest,
} from "./approvals.ts";
export { AppServerProtocolError } from "./methods.ts";
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
} from "./methods.ts";
export type * from "./protocol/types.ts";
// The SDK's event and item types; where a generated name is the same, the SDK's is the one
// exported (the generated one as ...Wire below).
export type * from "../events.ts";
export type {
  CommandExecutionStatus,
  FileUpdateChange,
  McpToolCallStatus,
  PatchApplyStatus,
  PatchChangeKind,
  ThreadItem,
} from "../events.ts";
// Generated types whose names the SDK's own types (below) take in this entry, under `...Wire`.
export type {
  CommandExecutionStatus as CommandExecutionStatusWire,
  CyberAccessProgram as CyberAccessProgramWire,
  FileUpdateChange as FileUpdateChangeWire,
  McpToolCallStatus as McpToolCallStatusWire,
  PatchApplyStatus as PatchApplyStatusWire,
  PatchChangeKind as PatchChangeKindWire,
  SandboxMode as SandboxModeWire,
  ThreadItem as ThreadItemWire,
  WebSearchMode as WebSearchModeWire,
} from "./protocol/types.ts";
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
export { TurnNormalizer } from "./events.ts";
export type { NormalizedEvent } from "./events.ts";
export type { AppServerTransport, StdioServerOptions } from "./stdio_transport.ts";
export type { WebSocketTransportOptions } from "./websocket_transport.ts";
export type { NormalizedInput, TurnRequest } from "../lane.ts";
export type { ConnectionClosedErrorOptions } from "../errors.ts";
export type { GateAnswer, GatedOption, OptionGate } from "../exec/gates.ts";
// The shared types these signatures use, named here so this entry documents itself.
export type {
  CodexError,
  CodexErrorOptions,
  ConnectionClosedError,
  MalformedOutputError,
  RpcError,
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
  WebSearchMode,
} from "../options.ts";
export type { ChildProcess, ExitStatus, RuntimeName } from "../runtime/types.ts";

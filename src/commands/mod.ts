/**
 * Every codex subcommand besides turns, typed: one runner ({@linkcode runCodexCommand}) that
 * shares a turn's binary resolution, home, environment, redaction, timeouts, process-group
 * stop and typed errors, and a wrapper per subcommand that parses the CLI's output into
 * data. Each subcommand is gated before spawning: a CLI without it is an `UnsupportedError`.
 *
 * @example Features and MCP servers of a home
 * ```ts ignore
 * import { featuresList, mcpAdd, mcpList } from "@codexkit/sdk/commands";
 * const codexHome = "/srv/app/codex-home";
 * const flags = await featuresList({ codexHome });
 * await mcpAdd("files", { command: "node", args: ["files.js"] }, { codexHome });
 * console.log(flags.length, (await mcpList({ codexHome })).map((s) => s.name));
 * ```
 *
 * @module
 */
export { commandWords, runCodexCommand } from "./run_command.ts";
export type { CodexCommandOptions, CommandResult, RunCommandOptions } from "./run_command.ts";
export { featuresDisable, featuresEnable, featuresList, parseFeaturesList } from "./features.ts";
export type { FeatureChange, FeatureFlag } from "./features.ts";
export {
  mcpAdd,
  mcpAddArgs,
  mcpGet,
  mcpList,
  mcpLogin,
  mcpLoginArgs,
  mcpLogout,
  mcpRemove,
} from "./mcp.ts";
export type {
  McpHttpServer,
  McpLoginOptions,
  McpServerInfo,
  McpStdioServer,
  McpTransport,
} from "./mcp.ts";
export { execpolicyCheck, execpolicyCheckArgs, parseExecPolicyOutput } from "./execpolicy.ts";
export type {
  ExecPolicyCheckOptions,
  ExecPolicyDecision,
  ExecPolicyResult,
  ExecPolicyRuleMatch,
} from "./execpolicy.ts";
export { sandboxArgs, sandboxRun } from "./sandbox.ts";
export type { SandboxRunOptions } from "./sandbox.ts";
export {
  applyTask,
  cloudApply,
  cloudDiff,
  cloudExec,
  cloudList,
  cloudListArgs,
  cloudStatus,
  parseCloudList,
  parseCloudStatus,
} from "./cloud.ts";
export type {
  ApplyResult,
  CloudDiffSummary,
  CloudExecOptions,
  CloudListOptions,
  CloudSubmittedTask,
  CloudTask,
  CloudTaskPage,
  CloudTaskStatus,
} from "./cloud.ts";
export { review, reviewArgs, reviewStreamed } from "./review.ts";
export type { ReviewOptions, ReviewTarget } from "./review.ts";
export { generateAppServerJsonSchema, generateAppServerTs, generateArgs } from "./app_server.ts";
export type { GeneratedFiles, GenerateOptions, GenerateTsOptions } from "./app_server.ts";
export { responsesApiProxyArgs, startResponsesApiProxy } from "./responses_api_proxy.ts";
export type { ResponsesApiProxy, ResponsesApiProxyOptions } from "./responses_api_proxy.ts";
export { stdioToUds } from "./stdio_to_uds.ts";
export type { StdioToUdsRelay } from "./stdio_to_uds.ts";
export { completion } from "./completion.ts";
export type { CompletionShell } from "./completion.ts";
export { loginStatus } from "./login.ts";
export { debugModels, debugPromptInput, helpPage } from "./debug.ts";
export type {
  CatalogEffort,
  CatalogModel,
  DebugModelsOptions,
  DebugPromptInputOptions,
} from "./debug.ts";
export { parseHelpUsage } from "./_prepare.ts";
export type { AuthStatus } from "../home/auth.ts";
export type {
  ApiKeyStatus,
  AuthErrorStatus,
  ChatGptStatus,
  LoggedOutStatus,
  OtherLoginStatus,
  UnknownAuthStatus,
} from "../home/auth.ts";
export type { BundleSource, CodexConfigObject } from "../options.ts";
export type { GateAnswer, GatedOption, OptionGate } from "../options/gates.ts";
export type { ExitStatus, RuntimeName } from "../runtime/mod.ts";
export type { ContextUsage, Turn } from "../turn.ts";
export type { StreamedTurn } from "../thread.ts";
export type { CodexConfigValue } from "../options.ts";
export {
  AbortError,
  CodexError,
  ExitError,
  FileFormatError,
  TimeoutError,
  UnsupportedError,
} from "../errors.ts";
export type { SchemaMismatchError } from "../errors.ts";
export type { ThreadEvent, ThreadItem, Usage } from "../events.ts";
export type {
  AccountUpdatedEvent,
  AgentMessageItem,
  ApprovalRequestedEvent,
  ApprovalResolvedEvent,
  AppServerNotificationEvent,
  CommandAction,
  CommandExecutionItem,
  ContextCompactedEvent,
  DiffUpdatedEvent,
  ErrorItem,
  FileChangeItem,
  ItemCompletedEvent,
  ItemStartedEvent,
  ItemUpdatedEvent,
  McpServerStatusEvent,
  McpToolCallItem,
  PlanUpdatedEvent,
  RateLimitsUpdatedEvent,
  ReasoningItem,
  RetryScheduledEvent,
  ServerRequestAnsweredEvent,
  ServerRequestRequestedEvent,
  ServerRequestResolvedEvent,
  ThreadArchivedEvent,
  ThreadErrorEvent,
  ThreadNameEvent,
  ThreadStartedEvent,
  ThreadStatusEvent,
  TodoListItem,
  TurnCompletedEvent,
  TurnFailedEvent,
  TurnStartedEvent,
  UsageUpdatedEvent,
  WarningEvent,
  WebSearchItem,
} from "../events.ts";
export type {
  ApprovalDefaultReason,
  ApprovalKind,
  ApprovalSource,
  CommandExecutionStatus,
  FileUpdateChange,
  McpToolCallStatus,
  PatchApplyStatus,
  ServerRequestDefaultReason,
  ServerRequestKind,
  ThreadError,
  TodoItem,
} from "../events.ts";
export type { PatchChangeKind } from "../events.ts";

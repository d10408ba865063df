/**
 * Testing kit: a scripted fake of the OpenAI Responses API that the real codex binary can talk
 * to on 127.0.0.1, the config that points codex at it, byte-level replay of recorded
 * `codex exec --json` output, and, for unit tests without a binary, a mock lane that plays
 * scripted events through the real `Thread` / `Turn` code, with event builders.
 *
 * @example A whole offline turn
 * ```ts ignore
 * import { offlineCodexConfig, reply, startFakeResponsesServer } from "@codexkit/sdk/testing";
 *
 * await using server = await startFakeResponsesServer([
 *   reply.execCommand("echo hi"),
 *   reply.message("It printed hi."),
 * ]);
 * const { args, env } = offlineCodexConfig(server);
 * // codex exec --json --skip-git-repo-check -s workspace-write ...args "run echo hi"
 * // with env { ...env, CODEX_HOME: <fresh dir>, PATH, HOME }
 * ```
 *
 * @module
 */
export { startFakeResponsesServer } from "./fake_responses_server.ts";
export type {
  FakeResponsesServer,
  FakeResponsesServerOptions,
  RecordedRequest,
  Script,
} from "./fake_responses_server.ts";
export { addFilePatch, DEFAULT_USAGE, item, reply } from "./steps.ts";
export type {
  CustomToolCallItem,
  ExecCommandOptions,
  FailedStep,
  FunctionCallItem,
  HttpErrorStep,
  MessageItem,
  OtherItem,
  OutputItem,
  PlanStep,
  ReasoningItem,
  ResponseStep,
  Step,
  StreamOptions,
  Usage,
} from "./steps.ts";
export { countingAnswer, countingScript, readCountingRequest } from "./counting_script.ts";
export type { CountingRequest, CountingScriptOptions } from "./counting_script.ts";
export { findNatsServer, NATS_SERVER_INSTALL_HINT, startNatsServer } from "./nats_server.ts";
export type { NatsServer, StartNatsServerOptions } from "./nats_server.ts";
export { offlineCodexConfig, offlineOssConfig } from "./offline.ts";
export type { OfflineCodex, OfflineCodexOptions, OfflineConfig, OfflineOss } from "./offline.ts";
// A lane combinator: mostly of use with lanes of one's own, such as the mock lane.
export { withRetry } from "../lanes/retry.ts";
export { chunkBytes, fixtureStream, readFixture } from "./fixtures.ts";
export { createMockCodex, mockLane } from "./mock_lane.ts";
export type {
  MockCodex,
  MockLane,
  MockLaneOptions,
  MockScript,
  MockTurn,
  MockTurnCall,
  MockTurnScript,
} from "./mock_lane.ts";
export { events } from "./event_builders.ts";
export type {
  ApprovalRequestedOptions,
  ApprovalResolvedOptions,
  CommandBuilderOptions,
  DeltaBuilderOptions,
  FileChangeBuilderOptions,
  ItemBuilderOptions,
  McpToolCallBuilderOptions,
  TurnBuilderOptions,
} from "./event_builders.ts";
export { namedFixtures } from "./named_fixtures.ts";
// A mock lane stands in for exec or the app-server (`new Codex({ lane })`), and fakes build the
// SDK's errors: the lane's shape and the errors' options are documented here.
export type { NormalizedInput, TurnLane, TurnRequest } from "../lanes/lane.ts";
export type {
  BundleErrorOptions,
  CodexErrorOptions,
  ConnectionClosedErrorOptions,
  ExitErrorOptions,
  FileFormatErrorOptions,
  FileSystemErrorOptions,
  MalformedOutputErrorOptions,
  OutputLimitErrorOptions,
  RpcErrorOptions,
  SchemaMismatchErrorOptions,
  ThreadNotFoundErrorOptions,
  TimeoutErrorOptions,
  UnsupportedErrorOptions,
} from "../errors.ts";
// The client, options, events and errors a mock lane's signatures use, named here so this entry documents itself (import values from @codexkit/sdk).
export type { FixtureStreamOptions } from "./fixtures.ts";
export type { NamedFixture } from "./named_fixtures.ts";
export type {
  AgentMessageItem,
  ApprovalDefaultReason,
  ApprovalKind,
  ApprovalRequestedEvent,
  ApprovalResolvedEvent,
  ApprovalSource,
  CommandAction,
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
  UsageUpdatedEvent,
  WebSearchItem,
} from "../events.ts";
// The SDK's own two whose names the Responses API steps above already take.
export type { ReasoningItem as ReasoningThreadItem, Usage as TurnUsage } from "../events.ts";
export type { Codex } from "../codex.ts";
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
  SandboxMode,
  StandardSchemaLike,
  ThreadOptions,
  Transport,
  TurnOptions,
  UserInput,
  WebSearchMode,
} from "../options.ts";
export type { RetryOptions } from "../options/retry.ts";
export type { GateAnswer, GatedOption, OptionGate, UnsupportedPolicy } from "../options/gates.ts";
export type { BinarySource, ResolvedBinary } from "../binary/resolve.ts";
export type { RuntimeName } from "../runtime/types.ts";
export type { StreamedTurn, Thread } from "../thread.ts";
export type { ContextUsage, Turn } from "../turn.ts";
export type { CodexError, SchemaMismatchError } from "../errors.ts";

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
 * The root holds what an exec turn needs: the client, threads, options, events, items and
 * errors (every name of `@openai/codex-sdk` among them). The rest has its own entry:
 * `@codexkit/sdk/app-server` (app-server hooks, events and errors, the conversation calls'
 * shapes, the JSON-RPC connection and the wire types), `@codexkit/sdk/home` (homes, login,
 * `config.toml`, sessions), `@codexkit/sdk/schemas` (valibot schemas, event type guards and the
 * decoder of recorded event streams), `@codexkit/sdk/capabilities`, `@codexkit/sdk/bundles`
 * (pinned binaries and the binary search) and `@codexkit/sdk/testing` (fakes, mock lanes, error
 * options).
 *
 * @module
 */
export { Codex } from "./src/codex.ts";
export { Thread } from "./src/thread.ts";
export type { RunStreamedResult, StreamedTurn } from "./src/thread.ts";
export type { ContextUsage, RunResult, Turn } from "./src/turn.ts";
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
} from "./src/events.ts";
export {
  AbortError,
  BinaryNotFoundError,
  BundleError,
  CodexError,
  ConnectTimeoutError,
  ExitError,
  FileFormatError,
  FileSystemError,
  IdleTimeoutError,
  MalformedOutputError,
  OutputLimitError,
  SchemaMismatchError,
  SpawnError,
  ThreadNotFoundError,
  TimeoutError,
  TurnFailedError,
  UnsupportedError,
} from "./src/errors.ts";
export type { SearchedPlace } from "./src/errors.ts";
export type { BinarySource, ResolvedBinary } from "./src/binary/resolve.ts";
export type {
  GateAnswer,
  GatedOption,
  OptionGate,
  UnsupportedPolicy,
} from "./src/options/gates.ts";
export type { RuntimeName } from "./src/runtime/types.ts";

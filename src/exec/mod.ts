/**
 * The pieces of one `codex exec --json` run, for hosts that schedule processes themselves (a
 * job queue, a worker pool, a remote runner): the argv builder, the environment builder and
 * the runner of one process as a stream of typed events. `Thread.run` is built from the same
 * three; using them directly skips the client (no thread state, no retry, no binary search).
 *
 * - {@linkcode buildExecArgs}: pure; the argv after the binary, flags gated on what the binary
 *   supports (pass a gate from `@codexkit/sdk/capabilities`), the prompt read from stdin (`-`).
 * - {@linkcode buildExecEnv}: pure; the child's environment (originator, `CODEX_HOME`,
 *   `CODEX_API_KEY`, extra PATH dirs), never touching the parent's.
 * - {@linkcode runExec}: spawns, writes the prompt, streams event batches, and stops the process
 *   group on abort, timeouts, malformed output or a cancelled reader, with the SDK's typed errors.
 *
 * @example One turn, scheduled by the host
 * ```ts ignore
 * import { buildExecArgs, buildExecEnv, runExec, spawnerFor } from "@codexkit/sdk/exec";
 *
 * const { args, warnings } = buildExecArgs({
 *   thread: { sandboxMode: "read-only", skipGitRepoCheck: true, workingDirectory: "/repo" },
 *   threadId: null,
 * });
 * const env = buildExecEnv({ base: { PATH: "/usr/bin:/bin" }, codexHome: "/srv/codex-home" });
 * const events = runExec({
 *   spawner: spawnerFor(),
 *   prepare: async () => ({ binary: "/opt/codex/codex", args, displayCommand: ["codex", ...args], env }),
 *   stdinText: "List the files",
 *   timeoutMs: 600_000,
 * });
 * for await (const batch of events) for (const event of batch) console.log(event.type);
 * ```
 *
 * @module
 */
export { buildExecArgs, buildExecEnv, ORIGINATOR, ORIGINATOR_ENV, redactArgs } from "./args.ts";
export type { ExecArgs, ExecArgsInput, ExecEnvInput } from "./args.ts";
export { runExec } from "./run_exec.ts";
export type { ExecCommand, ExecRunOptions } from "./run_exec.ts";
export { spawnerFor } from "../process/spawner.ts";
export type { SpawnerSource } from "../process/spawner.ts";
export type {
  ChildProcess,
  ExitStatus,
  RuntimeName,
  Spawner,
  SpawnOptions,
  StdinMode,
} from "../runtime/mod.ts";
export type { GateAnswer, GatedOption, OptionGate, UnsupportedPolicy } from "../options/gates.ts";
export type { TurnOwnSettings } from "../options/layers.ts";
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
export { CodexError, FileSystemError } from "../errors.ts";
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
export type { LineLogTarget } from "../fs/line_log.ts";

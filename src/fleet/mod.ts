/**
 * A fleet of codex workers on NATS JetStream: producers queue turns of threads, workers on any
 * machine run them with their own CODEX_HOME, and a thread moves between workers with its
 * rollout file. A turn runs at least once and commits exactly once: a worker claims it by a
 * compare-and-set on the thread's record and commits from that revision, so a worker that lost
 * its lease commits nothing. Uses only what nats-server 2.9 offers (2.10+ recommended).
 *
 * @example A producer
 * ```ts ignore
 * import { connectFleet, ensureFleet } from "@codexkit/sdk/fleet";
 *
 * const servers = "nats://127.0.0.1:4222";
 * await ensureFleet({ servers });
 * await using fleet = await connectFleet({ servers });
 * const turn = await fleet.thread("ticket-42").submit("Find the flaky test");
 * for await (const event of turn.events) console.log(event.attempt, event.type);
 * const { status, finalResponse } = await turn.result;
 * ```
 *
 * @example A worker
 * ```ts ignore
 * import { runFleetWorker } from "@codexkit/sdk/fleet";
 *
 * const stop = new AbortController();
 * process.once("SIGTERM", () => stop.abort());
 * await runFleetWorker({
 *   servers: "nats://127.0.0.1:4222",
 *   workerId: "w1",
 *   slots: 2,
 *   codexHome: "/srv/w1/codex-home",
 *   workRoot: "/srv/w1/work",
 *   signal: stop.signal,
 * });
 * ```
 *
 * @module
 */
export { ensureFleet } from "./engine.ts";
export type { EnsureFleetOptions, FleetConnectionOptions, FleetCredentials } from "./engine.ts";
export { connectFleet, Fleet, FleetThread, RemoteTurn } from "./producer.ts";
export type {
  ConnectFleetOptions,
  FleetStats,
  FleetThreadOptions,
  FleetThreadSetup,
  FleetWorkspace,
  SubmitOptions,
} from "./producer.ts";
export { runFleetWorker } from "./worker.ts";
export type { FleetCodexOptions, FleetWorkerOptions, FleetWorkerReport } from "./worker.ts";
export { FleetError, QueueFullError, SnapshotVersionError } from "./errors.ts";
export { openTelemetryMetrics } from "./otel.ts";
export type { OpenTelemetryMetricsOptions, OtelApiLike } from "./otel.ts";
export type {
  FleetAttemptEvent,
  FleetEndEvent,
  FleetEvent,
  FleetFencedEvent,
  FleetMetric,
  FleetRetryEvent,
  FleetThreadEvent,
} from "./events.ts";
export type {
  AttemptState,
  FleetTurnResult,
  FleetTurnStatus,
  FleetUsage,
  SnapshotRef,
  ThreadRecord,
  TurnRecordStatus,
  WorkspaceRef,
} from "./record.ts";
// The types the fleet's own name: the root's thread events, options and error base class, and
// the nats.js connection options.
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
  Usage,
  WebSearchItem,
} from "../events.ts";
export type { CodexError, CodexErrorOptions } from "../errors.ts";
export type {
  ApprovalMode,
  BundleSource,
  CodexConfigObject,
  CodexConfigValue,
  CodexOptions,
  ModelReasoningEffort,
  RuntimeName,
  SandboxMode,
  WebSearchMode,
} from "../options.ts";
export type { GateAnswer, GatedOption, OptionGate, UnsupportedPolicy } from "../options/gates.ts";
export type { RetryOptions } from "../options/retry.ts";

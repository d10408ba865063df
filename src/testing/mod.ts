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
export { withRetry } from "../retry.ts";
export { chunkBytes, fixtureStream, readFixture } from "./fixtures.ts";
export type { FixtureStreamOptions } from "./fixtures.ts";
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
export { events } from "./events.ts";
export type {
  ApprovalRequestedOptions,
  ApprovalResolvedOptions,
  CommandBuilderOptions,
  DeltaBuilderOptions,
  FileChangeBuilderOptions,
  ItemBuilderOptions,
  McpToolCallBuilderOptions,
  TurnBuilderOptions,
} from "./events.ts";
export { namedFixtures } from "./named_fixtures.ts";
export type { NamedFixture } from "./named_fixtures.ts";
// The mock lane hands out a real `Codex`, so its types reach the whole root API: every root name
// is here as a type (import values from `@codexkit/sdk`). The two the Responses API steps above
// already name are here as `TurnUsage` and `ReasoningThreadItem`.
export type * from "../../mod.ts";
export type { ReasoningItem as ReasoningThreadItem, Usage as TurnUsage } from "../events.ts";

/**
 * Named fixtures: the events of real turns, recorded from the codex CLI by
 * `scripts/record_fixtures.ts` against the fake Responses server, shipped with the package
 * so users' tests can replay them through `mockLane` without a binary.
 *
 * @module
 */
import type { ThreadEvent } from "../events.ts";
import { approval } from "./fixtures/approval.ts";
import { error } from "./fixtures/error.ts";
import { reasoning } from "./fixtures/reasoning.ts";
import { simpleText } from "./fixtures/simple_text.ts";
import { streamingDeltas } from "./fixtures/streaming_deltas.ts";
import { toolCall } from "./fixtures/tool_call.ts";

/** One recorded turn. */
export interface NamedFixture {
  /** The fixture's name (its file name under `src/testing/fixtures/`). */
  name: string;
  /** What the turn did. */
  description: string;
  /** The lane that recorded it. */
  transport: "exec" | "app-server";
  /** The codex version it was recorded from. */
  cliVersion: string;
  /** The events the turn yielded, in order. */
  events: ThreadEvent[];
}

/**
 * Every named fixture: a simple text answer, a tool call (a command), an approval
 * (app-server), an error (turn.failed), streaming deltas (app-server) and reasoning.
 *
 * @example Replay a recorded turn through the mock lane
 * ```ts
 * import { createMockCodex, namedFixtures } from "@codexkit/sdk/testing";
 *
 * const { codex } = createMockCodex([namedFixtures.toolCall.events]);
 * const turn = await codex.startThread().run("Run echo hi");
 * // turn.items holds the recorded command_execution and agent_message items
 * ```
 */
export const namedFixtures: {
  /** One agent message (exec). */
  readonly simpleText: NamedFixture;
  /** A command run in the sandbox, then a message (exec). */
  readonly toolCall: NamedFixture;
  /** A command approved through `onApproval` (app-server). */
  readonly approval: NamedFixture;
  /** A turn that fails (exec). */
  readonly error: NamedFixture;
  /** A message streamed as deltas (app-server). */
  readonly streamingDeltas: NamedFixture;
  /** A reasoning summary, then the answer (exec). */
  readonly reasoning: NamedFixture;
} = { simpleText, toolCall, approval, error, streamingDeltas, reasoning };

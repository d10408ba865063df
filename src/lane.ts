/**
 * The seam between `Thread` and the two ways of running a turn: `codex exec --json` and
 * `codex app-server`. Both hand back the same event shapes; `Thread` collects them the same way.
 *
 * @module
 */
import type { ThreadEvent } from "./events.ts";
import type { ThreadOptions, TurnOptions, UserInput } from "./options.ts";

/** Input of a turn, normalised: the prompt text and image paths. */
export interface NormalizedInput {
  /** Text parts joined with blank lines. */
  prompt: string;
  /** Local image paths, in order. */
  images: string[];
  /**
   * The parts as given, in order, when some have no place in `prompt` and `images` (image
   * URLs, skills, mentions: app-server only).
   */
  parts?: UserInput[];
}

/** Everything a lane needs to run one turn. */
export interface TurnRequest {
  /** The turn's input. */
  input: NormalizedInput;
  /** The thread to continue, or `null` for a new one. */
  threadId: string | null;
  /** Resume the most recent session instead of `threadId` (exec lane). */
  resumeLast?: boolean;
  /** Fork `threadId` into a new thread instead of continuing it. */
  fork?: boolean;
  /** The thread's options. */
  threadOptions: ThreadOptions;
  /** The turn's options; `outputSchema` is already a JSON Schema object. */
  turnOptions: Omit<TurnOptions, "outputSchema"> & { outputSchema?: Record<string, unknown> };
}

/**
 * Runs turns. `runTurn` returns the turn's events as a stream of batches (arrays of events, in
 * order; batching keeps the per-event cost off fast CLIs) that ends when the turn ends and
 * errors with a typed error (`TimeoutError`, `AbortError`, `ExitError`, ...) when the run does.
 * Cancelling the stream stops the turn and leaves no process behind.
 */
export interface TurnLane {
  /** Starts a turn. */
  runTurn(request: TurnRequest): ReadableStream<ThreadEvent[]>;
  /** Interrupts the running turn of `threadId` (app-server lane only). */
  interrupt?(threadId: string): Promise<void>;
  /** Adds input to the running turn of `threadId` (app-server lane only). */
  steer?(threadId: string, input: NormalizedInput): Promise<void>;
  /** Known secrets of the client (API key, ...), scrubbed from the errors of its turns. */
  readonly secrets?: readonly string[];
}

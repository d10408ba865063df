/**
 * Collects a turn's events into its result. Both lanes share it, so a turn ends the same way
 * whichever transport ran it.
 *
 * @module
 */
import { CodexError, TurnFailedError } from "./errors.ts";
import type { SchemaMismatchError } from "./errors.ts";
import type { ThreadEvent, ThreadItem, Usage, UsageUpdatedEvent } from "./events.ts";

/**
 * How full the model's context window is after a turn. From the app-server's
 * `thread/tokenUsage/updated` (`last`, `total`, `modelContextWindow`) on that transport, and
 * from the last `token_count` of the thread's rollout file (`last_token_usage`,
 * `total_token_usage`, `model_context_window`) on exec.
 */
export interface ContextUsage {
  /** Input tokens of the turn's last model request: what the context held then. */
  lastInputTokens: number;
  /** The model's effective window in tokens (codex reports 95% of `model_context_window`). */
  modelContextWindow: number | null;
  /** `lastInputTokens / modelContextWindow`, or null when the window is unknown. */
  contextUsed: number | null;
  /** The thread's usage so far, this turn included. */
  threadTotal: Usage;
}

/** A completed turn. */
export interface Turn<T = unknown> {
  /** Every completed item, in order. */
  items: ThreadItem[];
  /** The text of the last agent message ("" when there was none). */
  finalResponse: string;
  /** Token usage, or `null` when the CLI reported none. */
  usage: Usage | null;
  /** Non-fatal `error` events seen during the turn (retry notices), in order. */
  errors: string[];
  /**
   * The context window in view, or `null` when the CLI reported none (an ephemeral exec
   * thread has no rollout to read it from).
   */
  context?: ContextUsage | null;
  /** The parsed, validated final response when the turn had an `outputSchema`. */
  output?: T;
  /**
   * Why the final response did not parse or match a plain JSON Schema `outputSchema` (the
   * run does not reject then, unless `strictOutput` is set).
   */
  outputError?: SchemaMismatchError;
}

/** Alias of {@linkcode Turn}, as upstream names the result of `run()`. */
export type RunResult<T = unknown> = Turn<T>;

/**
 * Folds events into a {@linkcode Turn}. Rejects with {@linkcode TurnFailedError} on
 * `turn.failed`, and on an `error` event when the stream ends with no completed turn (that
 * is a fatal error, not an empty success). Keeps the last agent message as `finalResponse`.
 * A stream error (exit, timeout, abort) propagates, except that a `turn.failed` already seen
 * wins, with the stream error as its cause. Known `secrets` are scrubbed from the error; a
 * function is asked when the error is built (a lazily loaded lane learns them on its first turn).
 */
export async function collectTurn(
  events: AsyncIterable<ThreadEvent>,
  knownSecrets?: readonly string[] | (() => readonly string[] | undefined),
): Promise<Turn> {
  const known = () => typeof knownSecrets === "function" ? knownSecrets() : knownSecrets;
  const items: ThreadItem[] = [];
  const errors: string[] = [];
  let finalResponse = "";
  let usage: Usage | null = null;
  let completed = false;
  let latest: UsageUpdatedEvent | undefined;
  let failure: string | undefined;
  try {
    for await (const event of events) {
      switch (event.type) {
        case "item.completed":
          items.push(event.item);
          if (event.item.type === "agent_message") finalResponse = event.item.text;
          break;
        case "turn.completed":
          completed = true;
          usage = event.usage;
          break;
        case "turn.failed":
          failure = event.error.message;
          break;
        case "error":
          errors.push(event.message);
          break;
        case "usage.updated":
          latest = event;
          break;
      }
    }
  } catch (error) {
    if (failure !== undefined) {
      const fields = error instanceof CodexError
        ? { command: error.command, stderrTail: error.stderrTail }
        : {};
      throw new TurnFailedError(failure, { cause: error, ...fields, secrets: known() });
    }
    throw error;
  }
  if (failure !== undefined) throw new TurnFailedError(failure, { secrets: known() });
  if (!completed) {
    const last = errors.at(-1);
    throw new TurnFailedError(last ?? "The turn ended without completing", {
      secrets: known(),
    });
  }
  return { items, finalResponse, usage, errors, context: contextOf(latest) };
}

function contextOf(event: UsageUpdatedEvent | undefined): ContextUsage | null {
  if (!event?.last) return null;
  const window = event.model_context_window ?? null;
  const lastInputTokens = event.last.input_tokens;
  return {
    lastInputTokens,
    modelContextWindow: window,
    contextUsed: window ? lastInputTokens / window : null,
    threadTotal: event.total,
  };
}

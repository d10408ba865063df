/**
 * The context window on the exec transport: `codex exec --json` (0.171) prints only the turn's
 * summed usage, so at the end of a turn the thread's rollout is read for its last
 * `token_count` (last request, thread total, model window) and sent as a `usage.updated` event
 * just before `turn.completed`, the shape the app-server lane sends.
 *
 * @module
 */
import type { ThreadEvent, UsageUpdatedEvent } from "../events.ts";
import { defaultCodexHome } from "../home/layout.ts";
import { findRolloutFile, readTurnTokenCount } from "../home/token_count.ts";
import type { TurnTokenCount } from "../home/token_count.ts";

/**
 * codex writes its rollout through a writer task of its own; 0.171 has the turn's entries on
 * disk by the time it prints `turn.completed`, but nothing promises it (and a busy machine
 * delays the writer), so a rollout without the turn's `task_complete` yet is read again every
 * `READ_GAP_MS` until it has it, codex has exited (its rollout is then complete), or
 * `waitMs` has passed.
 */
const READ_GAP_MS = 20;

/**
 * `events` (ending with `turn.completed` or `turn.failed`) with a `usage.updated` from the
 * rollout of `threadId` in the CODEX_HOME of `env` put before the last event; unchanged when
 * the turn failed, or the rollout (an ephemeral thread has none) or its count is missing.
 */
export async function withContextWindow(
  events: ThreadEvent[],
  threadId: string,
  env: Record<string, string | undefined>,
  exited: Promise<unknown>,
  waitMs: number,
): Promise<ThreadEvent[]> {
  const end = events.at(-1);
  if (end?.type !== "turn.completed") return events;
  const path = await findRolloutFile(defaultCodexHome(env), threadId);
  if (path === undefined) return events;
  let gone = false;
  void exited.then(() => gone = true);
  const until = performance.now() + waitMs;
  let found: TurnTokenCount = await readTurnTokenCount(path);
  while (!found.complete && !gone && performance.now() < until) {
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, READ_GAP_MS))]);
    found = await readTurnTokenCount(path);
  }
  const count = found.count;
  if (count === undefined) return events;
  const update: UsageUpdatedEvent = {
    type: "usage.updated",
    usage: end.usage,
    total: count.total,
    last: count.last,
    model_context_window: count.modelContextWindow,
  };
  return [...events.slice(0, -1), update, end];
}

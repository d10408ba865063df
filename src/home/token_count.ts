/**
 * The last `token_count` a thread's rollout recorded for its latest turn: the last request's
 * usage, the thread's running total and the model's context window. `codex exec --json` prints
 * none of these (0.171 prints only the turn's summed usage); the rollout has them.
 *
 * @module
 */
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Usage } from "../events.ts";

/** One `token_count` entry of a rollout (`event_msg` payload `info`). */
export interface TokenCount {
  /** The last model request's usage (`last_token_usage`). */
  last: Usage;
  /** The thread's usage so far, every turn (`total_token_usage`). */
  total: Usage;
  /** The effective context window codex reports (`model_context_window`), or null. */
  modelContextWindow: number | null;
}

/** What {@linkcode readTurnTokenCount} found in the rollout. */
export interface TurnTokenCount {
  /** This turn's last `token_count`, or undefined when it recorded none. */
  count: TokenCount | undefined;
  /** The turn's `task_complete` is in the file: nothing more of it is coming. */
  complete: boolean;
}

/** How much of a rollout's end is read: a turn's last entries sit well within it. */
const TAIL_BYTES = 1024 * 1024;

/**
 * The rollout file of thread `threadId` under `home` (`sessions/YYYY/MM/DD/rollout-*-<id>.jsonl`),
 * newest day first, so a thread of today costs a few `readdir` calls; undefined when none.
 */
export async function findRolloutFile(home: string, threadId: string): Promise<string | undefined> {
  const suffix = `-${threadId}.jsonl`;
  const root = join(home, "sessions");
  for (const year of await newestFirst(root, /^\d{4}$/)) {
    for (const month of await newestFirst(join(root, year), /^\d{2}$/)) {
      for (const day of await newestFirst(join(root, year, month), /^\d{2}$/)) {
        const dir = join(root, year, month, day);
        const names = await readdir(dir).catch(() => [] as string[]);
        const match = names.filter((n) => n.startsWith("rollout-") && n.endsWith(suffix)).sort()
          .at(-1);
        if (match) return join(dir, match);
      }
    }
  }
  return undefined;
}

/**
 * Reads the end of the rollout at `path` and returns the last `token_count` of its latest turn
 * (after its last `task_started`). Lines it cannot parse are skipped.
 */
export async function readTurnTokenCount(path: string): Promise<TurnTokenCount> {
  const lines = (await readTail(path, TAIL_BYTES)).split("\n");
  let count: TokenCount | undefined;
  let complete = false;
  for (let i = lines.length - 1; i >= 0; i--) {
    const payload = eventPayload(lines[i]);
    if (payload === undefined) continue;
    if (payload.type === "task_started") break;
    if (payload.type === "task_complete") complete = true;
    if (payload.type === "token_count" && count === undefined) count = toTokenCount(payload.info);
  }
  return { count, complete };
}

function eventPayload(line: string): Record<string, unknown> | undefined {
  // Cheap test first: most lines are response items.
  if (!line.includes('"event_msg"')) return undefined;
  try {
    const entry = JSON.parse(line) as { type?: unknown; payload?: unknown };
    if (entry.type !== "event_msg" || typeof entry.payload !== "object" || !entry.payload) {
      return undefined;
    }
    return entry.payload as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function toTokenCount(info: unknown): TokenCount | undefined {
  if (typeof info !== "object" || info === null) return undefined;
  const i = info as Record<string, unknown>;
  const window = i.model_context_window;
  return {
    last: toUsage(i.last_token_usage),
    total: toUsage(i.total_token_usage),
    modelContextWindow: typeof window === "number" ? window : null,
  };
}

function toUsage(wire: unknown): Usage {
  const u = (typeof wire === "object" && wire !== null ? wire : {}) as Record<string, unknown>;
  const n = (key: string) => typeof u[key] === "number" ? u[key] as number : 0;
  return {
    input_tokens: n("input_tokens"),
    cached_input_tokens: n("cached_input_tokens"),
    cache_write_input_tokens: n("cache_write_input_tokens"),
    output_tokens: n("output_tokens"),
    reasoning_output_tokens: n("reasoning_output_tokens"),
  };
}

async function readTail(path: string, max: number): Promise<string> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const length = Math.min(size, max);
    const buffer = new Uint8Array(length);
    await file.read(buffer, 0, length, size - length);
    const text = new TextDecoder().decode(buffer);
    // A cut first line is not a whole entry.
    return length < size ? text.slice(text.indexOf("\n") + 1) : text;
  } finally {
    await file.close();
  }
}

async function newestFirst(dir: string, pattern: RegExp): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => pattern.test(n)).sort().reverse();
}

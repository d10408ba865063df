/**
 * A request-driven script for the fake Responses server: each answer is a function of the
 * request body alone, so turns of many threads may interleave, be retried or move between
 * machines and still get the right answer. The model "counts" the earlier turns it sees, which
 * lets a test check that a thread's history travelled with it.
 *
 * @module
 */
import type { RecordedRequest } from "./fake_responses_server.ts";
import { reply } from "./steps.ts";
import type { Step } from "./steps.ts";

/** What {@linkcode countingScript} read from one request, for its `override` hook. */
export interface CountingRequest {
  /** Text of the latest user message (this turn's prompt). */
  prompt: string;
  /** How many user messages carry the marker, this turn's included. */
  seen: number;
  /** Whether this request carries the output of the turn's own tool call (its second request). */
  afterTool: boolean;
}

/** Options of {@linkcode countingScript}. */
export interface CountingScriptOptions {
  /** The word that marks a counted user message (default `"TURN-MARK"`). */
  marker?: string;
  /**
   * A command the first request of each turn runs through `exec_command` before the answer
   * (default `"sleep 1"`, so a turn lasts long enough to be caught mid-run); `null` for none.
   */
  command?: string | null;
  /** Answers a request itself when it returns a step (e.g. a held or failing one). */
  override?: (info: CountingRequest, request: RecordedRequest) => Step | undefined;
}

/** The text of the answer for a turn that saw `seen` marked user messages: `"seen=<n>"`. */
export function countingAnswer(seen: number): string {
  return `seen=${seen}`;
}

function textOf(item: Record<string, unknown>): string {
  const content = item.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) =>
    typeof part === "object" && part !== null &&
      typeof (part as { text?: unknown }).text === "string"
      ? (part as { text: string }).text
      : ""
  ).join("");
}

/** Reads a Responses request body: the latest prompt, the marked user messages, the tool output. */
export function readCountingRequest(body: unknown, marker = "TURN-MARK"): CountingRequest {
  const input = typeof body === "object" && body !== null
    ? (body as { input?: unknown }).input
    : undefined;
  const items = Array.isArray(input)
    ? input.filter((i): i is Record<string, unknown> => typeof i === "object" && i !== null)
    : [];
  let prompt = "";
  let seen = 0;
  for (const item of items) {
    if (item.type !== "message" && item.type !== undefined) continue;
    if (item.role !== "user") continue;
    const text = textOf(item);
    if (!text.includes(marker)) continue;
    seen += 1;
    prompt = text;
  }
  const last = items.at(-1);
  const afterTool = last !== undefined &&
    (last.type === "function_call_output" || last.type === "custom_tool_call_output");
  return { prompt, seen, afterTool };
}

/**
 * A script for `startFakeResponsesServer`: the first request of a turn runs `command`, the
 * second (or the only one, with `command: null`) answers `seen=<n>`, where n counts the user
 * messages carrying `marker`, this turn's included. A thread's k-th turn answers `seen=k` only
 * when all its history arrived.
 *
 * @example Three workers, one fake model
 * ```ts ignore
 * import { countingScript, startFakeResponsesServer } from "@codexkit/sdk/testing";
 * await using server = await startFakeResponsesServer(countingScript({ command: null }));
 * // a turn "TURN-MARK 1" answers "seen=1"; the next turn of that thread "seen=2"
 * ```
 */
export function countingScript(
  options: CountingScriptOptions = {},
): (request: RecordedRequest) => Step {
  const marker = options.marker ?? "TURN-MARK";
  const command = options.command === undefined ? "sleep 1" : options.command;
  return (request) => {
    const info = readCountingRequest(request.body, marker);
    const step = options.override?.(info, request);
    if (step) return step;
    if (command !== null && !info.afterTool) return reply.execCommand(command);
    return reply.message(countingAnswer(info.seen));
  };
}

/**
 * Reading a saved session (a rollout file, `sessions/YYYY/MM/DD/rollout-*.jsonl`) as a typed
 * stream of entries, on the same line and JSON stages as the exec lane.
 *
 * @module
 */
import { open } from "node:fs/promises";
import { FileFormatError } from "../errors.ts";
import type { MalformedOutputError } from "../errors.ts";
import { JsonLinesStream, TextLineStream } from "../streams/mod.ts";

/** The line kinds this SDK types; any other `type` reads as `"unknown"`. */
export type RolloutEntryKind =
  | "session_meta"
  | "event_msg"
  | "response_item"
  | "turn_context"
  | "unknown";

/** Fields shared by every rollout entry. */
export interface RolloutEntryBase {
  /** 1-based line number in the file. */
  lineNumber: number;
  /** The line's own `type`, exactly as written. */
  type: string;
  /** The line's `timestamp` (ISO 8601), when it has one. */
  timestamp: string | undefined;
  /** The whole parsed line, every field kept (`ordinal`, `metadata`, newer ones). */
  record: Record<string, unknown>;
}

/** `session_meta`: the first line, describing the thread. */
export interface SessionMetaPayload {
  /** Thread id. */
  id?: string;
  /** When the session started (ISO 8601). */
  timestamp?: string;
  /** Working directory of the session. */
  cwd?: string;
  /** Which client wrote it, e.g. `"codex_exec"`. */
  originator?: string;
  /** CLI version that wrote it. */
  cli_version?: string;
  /** `"exec"`, `"cli"`, `"vscode"`, ... */
  source?: unknown;
  /** Provider id in use. */
  model_provider?: string;
  /** Fields this SDK does not model. */
  [key: string]: unknown;
}

/** A payload that has a `type` of its own (`event_msg`, `response_item`). */
export interface TypedPayload {
  /** The payload's type, e.g. `"task_started"`, `"message"`, `"function_call"`. */
  type: string;
  /** Its other fields. */
  [key: string]: unknown;
}

/** A `session_meta` line. */
export interface SessionMetaEntry extends RolloutEntryBase {
  /** Discriminant. */
  kind: "session_meta";
  /** The session description. */
  payload: SessionMetaPayload;
}

/** An `event_msg` line: an event the CLI emitted (`task_started`, `token_count`, ...). */
export interface EventMsgEntry extends RolloutEntryBase {
  /** Discriminant. */
  kind: "event_msg";
  /** The event. */
  payload: TypedPayload;
}

/** A `response_item` line: an item of the model conversation (`message`, `function_call`, ...). */
export interface ResponseItemEntry extends RolloutEntryBase {
  /** Discriminant. */
  kind: "response_item";
  /** The item, in Responses API shape. */
  payload: TypedPayload;
}

/** A `turn_context` line: the settings a turn ran with. */
export interface TurnContextEntry extends RolloutEntryBase {
  /** Discriminant. */
  kind: "turn_context";
  /** The settings (`cwd`, `model`, `approval_policy`, `sandbox_policy`, ...). */
  payload: Record<string, unknown>;
}

/** Any other line (`world_state`, `token_usage_record`, kinds newer CLIs add): kept as data. */
export interface UnknownRolloutEntry extends RolloutEntryBase {
  /** Discriminant. */
  kind: "unknown";
  /** The payload as written (may be absent). */
  payload: unknown;
}

/** One line of a rollout file. */
export type RolloutEntry =
  | SessionMetaEntry
  | EventMsgEntry
  | ResponseItemEntry
  | TurnContextEntry
  | UnknownRolloutEntry;

/** A line that could not be read: its error, and whether it was a torn (unfinished) last line. */
export interface RolloutProblem {
  /** The error, naming the file and line. */
  error: FileFormatError;
  /** `true` when it is the last line and has no newline: a write that did not finish. */
  torn: boolean;
}

/** Options of {@linkcode readRollout}. */
export interface ReadRolloutOptions {
  /**
   * Called with each line that is not a JSON object. Without it, a bad line in the middle
   * errors the stream with a {@linkcode FileFormatError}; a torn last line never does (a live
   * CLI may be writing it) and is only reported here.
   */
  onProblem?: (problem: RolloutProblem) => void;
}

/**
 * Classifies one parsed rollout line. Never throws: a line of a kind this SDK does not know,
 * or whose payload is not the expected shape, comes back as `kind: "unknown"`.
 */
export function toRolloutEntry(record: Record<string, unknown>, lineNumber: number): RolloutEntry {
  const type = typeof record.type === "string" ? record.type : "";
  const timestamp = typeof record.timestamp === "string" ? record.timestamp : undefined;
  const payload = record.payload;
  const base = { lineNumber, type, timestamp, record };
  const isObject = typeof payload === "object" && payload !== null && !Array.isArray(payload);
  const hasType = isObject && typeof (payload as { type?: unknown }).type === "string";
  switch (type) {
    case "session_meta":
      if (isObject) return { ...base, kind: type, payload: payload as SessionMetaPayload };
      break;
    case "event_msg":
    case "response_item":
      if (hasType) return { ...base, kind: type, payload: payload as TypedPayload };
      break;
    case "turn_context":
      if (isObject) return { ...base, kind: type, payload: payload as Record<string, unknown> };
      break;
  }
  return { ...base, kind: "unknown", payload };
}

/**
 * Streams the entries of the rollout file at `path`, in file order. Complete lines always come
 * through; a torn last line (no newline, not JSON) is reported to `onProblem` and skipped.
 * Cancelling the stream closes the file.
 *
 * @example Print the conversation of a saved session
 * ```ts ignore
 * import { readRollout } from "@codexkit/sdk/home";
 * for await (const entry of readRollout(path, { onProblem: (p) => console.warn(p.error.message) })) {
 *   if (entry.kind === "response_item" && entry.payload.type === "message") {
 *     console.log(entry.payload.role, JSON.stringify(entry.payload.content));
 *   }
 * }
 * ```
 */
export function readRollout(
  path: string,
  options: ReadRolloutOptions = {},
): ReadableStream<RolloutEntry> {
  const tracker = new LineTracker();
  const malformed = new Map<number, MalformedOutputError>();
  let cursor = 0;
  const problem = (
    lineNumber: number,
    cause: MalformedOutputError,
    torn: boolean,
  ): RolloutProblem => ({
    torn,
    error: new FileFormatError(
      torn
        ? `Cannot read ${path} line ${lineNumber}: the last line is incomplete (torn write)`
        : `Cannot read ${path} line ${lineNumber}: not a JSON object`,
      { path, line: lineNumber, cause },
    ),
  });
  const skipTo = (
    target: number,
    controller: TransformStreamDefaultController<RolloutEntry>,
  ): boolean => {
    // Lines before `target` were all seen upstream: each one is blank or malformed.
    while (cursor < target - 1) {
      cursor++;
      const bad = malformed.get(cursor);
      if (!bad) continue;
      malformed.delete(cursor);
      const found = problem(cursor, bad, false);
      if (options.onProblem) options.onProblem(found);
      else {
        controller.error(found.error);
        return false;
      }
    }
    return true;
  };
  return fileText(path)
    .pipeThrough(tracker.endStage())
    .pipeThrough(new TextLineStream())
    .pipeThrough(tracker.lineStage())
    .pipeThrough(
      new JsonLinesStream({
        source: path,
        onMalformed: (error) => malformed.set(error.lineNumber, error),
      }),
    )
    .pipeThrough(
      new TransformStream<Record<string, unknown>, RolloutEntry>({
        transform(record, controller) {
          // Find this record's line: the next one that is neither blank nor malformed.
          let line = cursor + 1;
          while (tracker.blank.has(line) || malformed.has(line)) line++;
          if (!skipTo(line, controller)) return;
          cursor = line;
          controller.enqueue(toRolloutEntry(record, line));
        },
        flush(controller) {
          const last = tracker.lines;
          for (const [lineNumber, bad] of [...malformed].sort((a, b) => a[0] - b[0])) {
            const torn = lineNumber === last && !tracker.endedWithNewline;
            const found = problem(lineNumber, bad, torn);
            if (options.onProblem) options.onProblem(found);
            else if (!torn) {
              controller.error(found.error);
              return;
            }
          }
        },
      }),
    );
}

/** What {@linkcode loadRollout} gives back. */
export interface LoadedRollout {
  /** Every complete entry, in file order. */
  entries: RolloutEntry[];
  /** Every line that could not be read (a torn last line included). */
  problems: RolloutProblem[];
}

/**
 * Reads a whole rollout file into memory. Never throws for bad lines: they are listed in
 * `problems` (a torn last line with `torn: true`).
 *
 * @example Count the turns of a session
 * ```ts ignore
 * import { loadRollout } from "@codexkit/sdk/home";
 * const { entries, problems } = await loadRollout(path);
 * const turns = entries.filter((e) => e.kind === "turn_context").length;
 * ```
 */
export async function loadRollout(path: string): Promise<LoadedRollout> {
  const problems: RolloutProblem[] = [];
  const entries: RolloutEntry[] = [];
  for await (const entry of readRollout(path, { onProblem: (p) => problems.push(p) })) {
    entries.push(entry);
  }
  return { entries, problems };
}

/** Counts lines and remembers blank ones and whether the text ended with a newline. */
class LineTracker {
  lines = 0;
  blank: Set<number> = new Set();
  endedWithNewline = true;

  endStage(): TransformStream<string, string> {
    return new TransformStream({
      transform: (chunk, controller) => {
        if (chunk.length > 0) this.endedWithNewline = chunk.endsWith("\n");
        controller.enqueue(chunk);
      },
    });
  }

  lineStage(): TransformStream<string, string> {
    return new TransformStream({
      transform: (line, controller) => {
        this.lines++;
        // Same rule as JsonLinesStream: spaces, tabs and CRs only.
        if (/^[ \t\r]*$/.test(line)) this.blank.add(this.lines);
        controller.enqueue(line);
      },
    });
  }
}

/** The file's text, read in chunks; the handle closes on end, error or cancel. */
function fileText(path: string): ReadableStream<string> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  const buffer = new Uint8Array(64 * 1024);
  const bytes = new ReadableStream<Uint8Array>({
    async start() {
      handle = await open(path, "r");
    },
    async pull(controller) {
      if (!handle) return;
      try {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) {
          await close();
          controller.close();
          return;
        }
        controller.enqueue(buffer.slice(0, bytesRead));
      } catch (error) {
        await close();
        controller.error(error);
      }
    },
    async cancel() {
      await close();
    },
  });
  async function close(): Promise<void> {
    const current = handle;
    handle = undefined;
    await current?.close();
  }
  return bytes.pipeThrough(new TextDecoderStream());
}

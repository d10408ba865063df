/**
 * JSON lines -> validated `codex exec --json` events.
 *
 * @module
 */
import { safeParseEvent } from "../events.ts";
import type { ThreadEvent } from "../events.ts";
import { malformedLine } from "./json_lines_stream.ts";
import { TextLineStream } from "./text_line_stream.ts";

/**
 * Parses each non-blank line as JSON and checks it against the event schemas. Unknown event
 * and item types pass through unchanged; a line that is not JSON, or a known event missing a
 * field the SDK reads, errors the stream with a `MalformedOutputError` naming the line.
 *
 * The parse and the check share one stage: a separate stage per step costs a queue hop per
 * event, which is most of the pipeline's time on a fast CLI.
 *
 * @example Decode exec output
 * ```ts
 * import { ThreadEventStream } from "./thread_event_stream.ts";
 * const events = ReadableStream.from(['{"type":"turn.started"}'])
 *   .pipeThrough(new ThreadEventStream());
 * for await (const event of events) console.log(event.type);
 * ```
 */
export class ThreadEventStream extends TransformStream<string, ThreadEvent> {
  /** Creates the stream; `source` names the output in messages (default `"codex output"`). */
  constructor(source = "codex output") {
    let lineNumber = 0;
    super({
      transform(line, controller) {
        lineNumber++;
        if (line.trim().length === 0) return;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          controller.error(malformedLine(source, lineNumber, line, reason));
          return;
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
          controller.error(malformedLine(source, lineNumber, line, "not a JSON object"));
          return;
        }
        const result = safeParseEvent(value as Record<string, unknown>);
        if (result.success) controller.enqueue(result.event as ThreadEvent);
        else controller.error(malformedLine(source, lineNumber, line, result.issues.join("; ")));
      },
    });
  }
}

/**
 * The whole exec pipeline over a byte stream: UTF-8 decode (characters split across chunks
 * are joined), lines, JSON, validated events.
 */
export function decodeThreadEvents(
  bytes: ReadableStream<Uint8Array>,
  source?: string,
): ReadableStream<ThreadEvent> {
  return bytes
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new TextLineStream())
    .pipeThrough(new ThreadEventStream(source));
}

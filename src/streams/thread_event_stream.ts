/**
 * Bytes of `codex exec --json` output -> validated events.
 *
 * @module
 */
import { safeParseEvent } from "../events.ts";
import type { ThreadEvent } from "../events.ts";
import { malformedLine } from "./json_lines_stream.ts";

/**
 * Decodes a byte stream of JSON lines into events, synchronously, one chunk at a time: UTF-8
 * (characters split across chunks are joined), lines (`\n`, `\r\n`, a final line without a
 * newline), JSON, and the event check. Unknown event and item types pass through unchanged.
 * A line that is not JSON, or a known event missing a field the SDK reads, throws a
 * `MalformedOutputError` naming the line.
 *
 * The steps are fused here because a stream stage per step costs a queue hop per event, which
 * was most of the pipeline's time on a fast CLI; `TextLineStream` and `JsonLinesStream` stay
 * for other uses.
 */
export class ThreadEventDecoder {
  #decoder = new TextDecoder();
  #partial = "";
  #lineNumber = 0;
  #source: string;

  /** Creates a decoder; `source` names the output in messages. */
  constructor(source = "codex output") {
    this.#source = source;
  }

  /** The events completed by `chunk`, appended to `out` (returned). */
  decode(chunk: Uint8Array, out: ThreadEvent[] = []): ThreadEvent[] {
    const text = this.#partial + this.#decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = text.indexOf("\n");
    while (newline !== -1) {
      this.#line(text.slice(start, newline), out);
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    this.#partial = start === 0 ? text : text.slice(start);
    return out;
  }

  /** The last events, from a final line without a newline. */
  flush(out: ThreadEvent[] = []): ThreadEvent[] {
    const rest = this.#partial + this.#decoder.decode();
    this.#partial = "";
    if (rest.length > 0) this.#line(rest, out);
    return out;
  }

  #line(line: string, out: ThreadEvent[]): void {
    this.#lineNumber++;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw malformedLine(this.#source, this.#lineNumber, line, reason);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw malformedLine(this.#source, this.#lineNumber, line, "not a JSON object");
    }
    const result = safeParseEvent(value as Record<string, unknown>);
    if (!result.success) {
      throw malformedLine(this.#source, this.#lineNumber, line, result.issues.join("; "));
    }
    out.push(result.event as ThreadEvent);
  }
}

/**
 * {@linkcode ThreadEventDecoder} as one stream stage: bytes in, events out.
 *
 * @example Decode exec output
 * ```ts
 * import { ThreadEventStream } from "./thread_event_stream.ts";
 * const bytes = new TextEncoder().encode('{"type":"turn.started"}\n');
 * const events = ReadableStream.from([bytes]).pipeThrough(new ThreadEventStream());
 * for await (const event of events) console.log(event.type);
 * ```
 */
export class ThreadEventStream extends TransformStream<Uint8Array, ThreadEvent> {
  /** Creates the stream; `source` names the output in messages (default `"codex output"`). */
  constructor(source?: string) {
    const decoder = new ThreadEventDecoder(source);
    super({
      transform(chunk, controller) {
        for (const event of decoder.decode(chunk)) controller.enqueue(event);
      },
      flush(controller) {
        for (const event of decoder.flush()) controller.enqueue(event);
      },
    });
  }
}

/** The whole exec pipeline over a byte stream: bytes -> validated events. */
export function decodeThreadEvents(
  bytes: ReadableStream<Uint8Array>,
  source?: string,
): ReadableStream<ThreadEvent> {
  return bytes.pipeThrough(new ThreadEventStream(source));
}

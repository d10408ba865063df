/**
 * Bytes of `codex exec --json` output -> validated events.
 *
 * @module
 */
import { eventProblem } from "../events.ts";
import type { ThreadEvent } from "../events.ts";
import { malformedLine } from "./json_lines_stream.ts";
import { LineSplitter } from "./line_splitter.ts";

/** Options of {@linkcode ThreadEventDecoder} and {@linkcode ThreadEventStream}. */
export interface ThreadEventDecoderOptions {
  /** The longest line accepted, in bytes (default 64 MiB); a longer one throws `OutputLimitError`. */
  maxLineBytes?: number;
  /** Known secrets, scrubbed from the excerpt and message of a `MalformedOutputError`. */
  secrets?: readonly string[];
}

/**
 * Decodes a byte stream of JSON lines into events, synchronously, one chunk at a time: UTF-8
 * (characters split across chunks are joined), lines (`\n`, `\r\n`, a final line without a
 * newline), JSON, and the event check. Unknown event and item types pass through unchanged.
 * A line that is not JSON, or a known event missing a field the SDK reads, throws a
 * `MalformedOutputError` naming the line; a line longer than `maxLineBytes` throws an
 * `OutputLimitError`. Each byte is scanned once, so a long line costs time linear in its size.
 *
 * The steps are fused here because a stream stage per step costs a queue hop per event, which
 * was most of the pipeline's time on a fast CLI; `TextLineStream` and `JsonLinesStream` stay
 * for other uses.
 */
export class ThreadEventDecoder {
  #splitter: LineSplitter;
  #lineNumber = 0;
  #source: string;
  #secrets: readonly string[] | undefined;
  // The lines of the chunk at hand (an array reused from chunk to chunk).
  #lines: string[] = [];

  /** Creates a decoder; `source` names the output in messages. */
  constructor(source = "codex output", options: ThreadEventDecoderOptions = {}) {
    this.#source = source;
    this.#secrets = options.secrets;
    this.#splitter = new LineSplitter({ maxLineBytes: options.maxLineBytes, source });
  }

  /** The events completed by `chunk`, appended to `out` (returned). */
  decode(chunk: Uint8Array, out: ThreadEvent[] = []): ThreadEvent[] {
    return this.#decodeLines((lines) => this.#splitter.push(chunk, lines), out);
  }

  /** The last events, from a final line without a newline. */
  flush(out: ThreadEvent[] = []): ThreadEvent[] {
    return this.#decodeLines((lines) => this.#splitter.end(lines), out);
  }

  #decodeLines(split: (lines: string[]) => void, out: ThreadEvent[]): ThreadEvent[] {
    const lines = this.#lines;
    lines.length = 0;
    try {
      split(lines);
    } catch (error) {
      // A line over the limit: the lines before it are read first, so a bad one among them is
      // reported as it would have been had it come alone.
      for (let i = 0; i < lines.length; i++) this.#line(lines[i], out);
      throw error;
    }
    for (let i = 0; i < lines.length; i++) this.#line(lines[i], out);
    // Not held until the next chunk: a line may be many megabytes.
    lines.length = 0;
    return out;
  }

  #line(line: string, out: ThreadEvent[]): void {
    this.#lineNumber++;
    // A line of an event starts with `{`; only another line is looked at for blankness.
    if (line.charCodeAt(0) !== 0x7b && line.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw malformedLine(this.#source, this.#lineNumber, line, reason, this.#secrets);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw malformedLine(
        this.#source,
        this.#lineNumber,
        line,
        "not a JSON object",
        this.#secrets,
      );
    }
    const problem = eventProblem(value as Record<string, unknown>);
    if (problem !== undefined) {
      throw malformedLine(this.#source, this.#lineNumber, line, problem, this.#secrets);
    }
    out.push(value as ThreadEvent);
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
  constructor(source?: string, options?: ThreadEventDecoderOptions) {
    const decoder = new ThreadEventDecoder(source, options);
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
  options?: ThreadEventDecoderOptions,
): ReadableStream<ThreadEvent> {
  return bytes.pipeThrough(new ThreadEventStream(source, options));
}

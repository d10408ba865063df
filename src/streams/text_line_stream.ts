/**
 * Splits a stream of text into lines.
 *
 * @module
 */

/**
 * Splits decoded text into lines on `\n`, dropping a trailing `\r`, and emits a final line
 * that has no newline. Chunks may split anywhere; lines of many megabytes are joined from
 * their parts once rather than by repeated concatenation.
 *
 * @example Lines from a byte stream
 * ```ts
 * import { TextLineStream } from "./text_line_stream.ts";
 * const lines = ReadableStream.from(["a\r\nb", "c\n", "d"]).pipeThrough(new TextLineStream());
 * const out: string[] = [];
 * for await (const line of lines) out.push(line);
 * // out is ["a", "bc", "d"]
 * ```
 */
export class TextLineStream extends TransformStream<string, string> {
  /** Creates the stream. */
  constructor() {
    let parts: string[] = [];
    super({
      transform(chunk, controller) {
        let start = 0;
        let newline = chunk.indexOf("\n");
        while (newline !== -1) {
          let piece = chunk.slice(start, newline);
          if (parts.length > 0) {
            parts.push(piece);
            piece = parts.join("");
            parts = [];
          }
          controller.enqueue(piece.endsWith("\r") ? piece.slice(0, -1) : piece);
          start = newline + 1;
          newline = chunk.indexOf("\n", start);
        }
        if (start < chunk.length) parts.push(start === 0 ? chunk : chunk.slice(start));
      },
      flush(controller) {
        if (parts.length === 0) return;
        const last = parts.join("");
        parts = [];
        controller.enqueue(last.endsWith("\r") ? last.slice(0, -1) : last);
      },
    });
  }
}

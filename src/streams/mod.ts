/**
 * Stream stages shared by every lane: bytes -> lines -> JSON -> events.
 *
 * @module
 */
export { TextLineStream } from "./text_line_stream.ts";
export { DEFAULT_MAX_LINE_BYTES, LineSplitter, LineSplitterStream } from "./line_splitter.ts";
export type { LineSplitterOptions } from "./line_splitter.ts";
export { JsonLinesStream, malformedLine } from "./json_lines_stream.ts";
export type { JsonLinesStreamOptions } from "./json_lines_stream.ts";
export {
  decodeThreadEvents,
  ThreadEventDecoder,
  ThreadEventStream,
} from "./thread_event_stream.ts";
export type { ThreadEventDecoderOptions } from "./thread_event_stream.ts";

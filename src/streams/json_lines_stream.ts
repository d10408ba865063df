/**
 * Parses JSON Lines into values, naming the line when one is not JSON.
 *
 * @module
 */
import { MalformedOutputError } from "../errors.ts";
import { redactText } from "../redact.ts";

/** The most of an offending line an error quotes. */
const EXCERPT_LIMIT = 200;

/** Options for {@linkcode JsonLinesStream}. */
export interface JsonLinesStreamOptions {
  /**
   * Called with each line that is not a JSON object; the stream then goes on. Without it,
   * the first such line errors the stream with a {@linkcode MalformedOutputError}.
   */
  onMalformed?: (error: MalformedOutputError) => void;
  /** What the lines come from, for messages (default `"output"`). */
  source?: string;
  /** Known secrets, scrubbed from the excerpt and message of a `MalformedOutputError`. */
  secrets?: readonly string[];
}

/**
 * Parses each non-blank line as a JSON object. A line that is not JSON, or is JSON but not an
 * object, is malformed: it errors the stream (or goes to `onMalformed`) with its 1-based line
 * number and a bounded excerpt.
 *
 * @example Parse lines
 * ```ts
 * import { JsonLinesStream } from "./json_lines_stream.ts";
 * const values = ReadableStream.from(['{"type":"turn.started"}', ""])
 *   .pipeThrough(new JsonLinesStream());
 * for await (const value of values) console.log(value);
 * ```
 */
export class JsonLinesStream extends TransformStream<string, Record<string, unknown>> {
  /** Creates the stream. */
  constructor(options: JsonLinesStreamOptions = {}) {
    let lineNumber = 0;
    const source = options.source ?? "output";
    super({
      transform(line, controller) {
        lineNumber++;
        if (line.length === 0 || isBlank(line)) return;
        let value: unknown;
        let problem: string | undefined;
        try {
          value = JSON.parse(line);
          if (typeof value !== "object" || value === null || Array.isArray(value)) {
            problem = "not a JSON object";
          }
        } catch (error) {
          problem = error instanceof Error ? error.message : String(error);
        }
        if (problem === undefined) {
          controller.enqueue(value as Record<string, unknown>);
          return;
        }
        const error = malformedLine(source, lineNumber, line, problem, options.secrets);
        if (options.onMalformed) options.onMalformed(error);
        else controller.error(error);
      },
    });
  }
}

/**
 * Builds the error for line `lineNumber` of `source`, quoting at most 200 characters, with
 * the known `secrets` removed (before the cut, so no piece of one is left at the edge).
 */
export function malformedLine(
  source: string,
  lineNumber: number,
  line: string,
  problem: string,
  secrets: readonly string[] = [],
): MalformedOutputError {
  let head = line;
  let cut = false;
  if (secrets.length > 0) {
    // Only the quoted head matters (a line may be megabytes): a secret that starts in the
    // first 200 characters ends within the longest secret's length after them.
    const longest = secrets.reduce((n, s) => Math.max(n, s.length), 0);
    cut = line.length > EXCERPT_LIMIT + longest;
    if (cut) head = line.slice(0, EXCERPT_LIMIT + longest);
    head = redactText(head, secrets, { cutEnd: cut });
    problem = redactText(problem, secrets);
  }
  const excerpt = head.length > EXCERPT_LIMIT
    ? `${head.slice(0, EXCERPT_LIMIT)}…`
    : cut
    ? `${head}…`
    : head;
  return new MalformedOutputError(
    `Cannot parse ${source} line ${lineNumber}: ${problem}: ${JSON.stringify(excerpt)}`,
    { lineNumber, excerpt, secrets },
  );
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

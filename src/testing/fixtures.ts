/**
 * Replay of recorded `codex exec --json` output as a byte stream, for unit tests of stream
 * parsing without a CLI: chunk boundaries anywhere, including inside multi-byte UTF-8 chars.
 *
 * @module
 */
import { readFile } from "node:fs/promises";

/** Options of {@linkcode fixtureStream}. */
export interface FixtureStreamOptions {
  /**
   * Bytes per chunk (default: the whole input in one chunk). A list is used in turn and
   * repeats, e.g. `[1, 7, 3]`; sizes must be positive integers.
   */
  chunkSize?: number | readonly number[];
}

/** Concatenates chunks into one buffer. */
function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * Cuts `bytes` into chunks of the given sizes (cycled). Pure; the last chunk may be shorter.
 *
 * @example Odd sizes split a multi-byte char
 * ```ts
 * import { chunkBytes } from "./fixtures.ts";
 * const chunks = chunkBytes(new TextEncoder().encode("é!"), [1]);
 * // three chunks: 0xc3, 0xa9, 0x21
 * ```
 */
export function chunkBytes(bytes: Uint8Array, sizes: number | readonly number[]): Uint8Array[] {
  const list = typeof sizes === "number" ? [sizes] : sizes;
  if (list.length === 0 || !list.every((n) => Number.isInteger(n) && n > 0)) {
    throw new TypeError(
      `Cannot chunk the fixture: options.chunkSize must be positive integers, got ${String(sizes)}`,
    );
  }
  const chunks: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.byteLength; i++) {
    const size = list[i % list.length];
    chunks.push(bytes.slice(at, at + size));
    at += size;
  }
  return chunks;
}

/**
 * A stream replaying `input` (JSONL text, bytes, or byte chunks) in chunks, one chunk per
 * pull, so consumers see realistic boundaries.
 *
 * @example Feed recorded output to a line parser one byte at a time
 * ```ts
 * import { fixtureStream } from "./fixtures.ts";
 * const stream = fixtureStream('{"type":"turn.started"}\n', { chunkSize: 1 });
 * const text = await new Response(stream).text();
 * ```
 */
export function fixtureStream(
  input: string | Uint8Array | readonly Uint8Array[],
  options: FixtureStreamOptions = {},
): ReadableStream<Uint8Array> {
  const bytes = typeof input === "string"
    ? new TextEncoder().encode(input)
    : input instanceof Uint8Array
    ? input
    : concat(input);
  const chunks = options.chunkSize === undefined
    ? (bytes.byteLength === 0 ? [] : [bytes.slice()])
    : chunkBytes(bytes, options.chunkSize);
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]);
      else controller.close();
    },
  }, { highWaterMark: 0 });
}

/**
 * Reads a fixture file as UTF-8 text.
 *
 * @example Replay a recorded turn
 * ```ts ignore
 * import { fixtureStream, readFixture } from "@codexkit/sdk/testing";
 * const stream = fixtureStream(await readFixture("tests/fixtures/message.jsonl"), { chunkSize: 5 });
 * ```
 */
export function readFixture(path: string | URL): Promise<string> {
  return readFile(path, "utf8");
}

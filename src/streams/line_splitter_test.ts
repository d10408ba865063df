import { test } from "node:test";
import assert from "node:assert/strict";
import { LineSplitter, LineSplitterStream } from "./line_splitter.ts";
import { ThreadEventDecoder } from "./thread_event_stream.ts";
import { OutputLimitError } from "../errors.ts";

const encoder = new TextEncoder();

function splitAll(chunks: Uint8Array[], maxLineBytes?: number): string[] {
  const splitter = new LineSplitter({ maxLineBytes });
  const lines: string[] = [];
  for (const chunk of chunks) splitter.push(chunk, lines);
  splitter.end(lines);
  return lines;
}

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

test("LineSplitter gives the same lines for any chunking, multi-byte characters and \\r\\n included", () => {
  const lines = ["", "a", "héllo 世界 🎉", "x".repeat(5000), "tail\r", "\r", "end"];
  const text = lines.join("\r\n");
  const bytes = encoder.encode(text);
  const expected = splitAll([bytes]);
  assert.deepEqual(expected, text.split("\n").map((l) => l.endsWith("\r") ? l.slice(0, -1) : l));
  const next = random(7);
  for (let round = 0; round < 200; round++) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length;) {
      const size = 1 + Math.floor(next() * (round % 2 ? 8 : 700));
      chunks.push(bytes.slice(i, i + size));
      i += size;
    }
    assert.deepEqual(splitAll(chunks), expected, `round ${round}`);
  }
});

test("LineSplitter joins a long line from many chunks and counts lines", () => {
  const chunk = encoder.encode("y".repeat(65536));
  const splitter = new LineSplitter();
  const lines: string[] = [];
  for (let i = 0; i < 64; i++) splitter.push(chunk, lines);
  splitter.push(encoder.encode("\nnext"), lines);
  assert.deepEqual(splitter.end(), ["next"]);
  lines.push("next");
  assert.deepEqual(lines.map((l) => l.length), [64 * 65536, 4]);
  assert.equal(splitter.lines, 2);
});

test("LineSplitter throws OutputLimitError once a line passes maxLineBytes across chunks", () => {
  const splitter = new LineSplitter({ maxLineBytes: 1000, source: "codex output" });
  const lines: string[] = [];
  splitter.push(encoder.encode('{"ok":1}\n' + "z".repeat(600)), lines);
  assert.throws(
    () => splitter.push(encoder.encode("z".repeat(600)), lines),
    (e: unknown) =>
      e instanceof OutputLimitError && e.limitBytes === 1000 && e.lineNumber === 2 &&
      e.message.includes("codex output line 2") && e.message.includes("maxLineBytes"),
  );
  assert.deepEqual(lines, ['{"ok":1}']);
});

test("LineSplitter measures a line inside one big chunk in bytes, after the lines before it", () => {
  // 400 two-byte characters are 800 bytes: over a 500-byte limit though only 400 characters.
  const text = `short\n${"é".repeat(400)}\nafter\n`;
  const lines: string[] = [];
  const splitter = new LineSplitter({ maxLineBytes: 500 });
  assert.throws(
    () => splitter.push(encoder.encode(text), lines),
    (e: unknown) => e instanceof OutputLimitError && e.lineNumber === 2,
  );
  assert.deepEqual(lines, ["short"]);
  // Exactly at the limit is accepted.
  assert.deepEqual(splitAll([encoder.encode(`${"a".repeat(500)}\n`)], 500), ["a".repeat(500)]);
  assert.deepEqual(
    splitAll([encoder.encode(`${"a".repeat(250)}`), encoder.encode("a".repeat(250))], 500),
    [
      "a".repeat(500),
    ],
  );
});

test("ThreadEventDecoder and LineSplitterStream stop at maxLineBytes with OutputLimitError", async () => {
  const decoder = new ThreadEventDecoder("codex output", { maxLineBytes: 64 });
  const events = decoder.decode(encoder.encode('{"type":"turn.started"}\n'));
  assert.equal(events.length, 1);
  assert.throws(
    () => decoder.decode(encoder.encode(`{"type":"x","pad":"${"p".repeat(100)}"}\n`)),
    OutputLimitError,
  );
  const stream = ReadableStream.from([encoder.encode("ok\n"), encoder.encode("n".repeat(100))])
    .pipeThrough(new LineSplitterStream({ maxLineBytes: 64 }));
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const line of stream) seen.push(line);
    })(),
    OutputLimitError,
  );
  assert.deepEqual(seen, ["ok"]);
});

test("ThreadEventDecoder reads the lines before an over-long one first: a bad one among them is what is reported", () => {
  const long = `{"type":"x","pad":"${"p".repeat(100)}"}`;
  const good = new ThreadEventDecoder("codex output", { maxLineBytes: 64 });
  const out: unknown[] = [];
  assert.throws(
    () => good.decode(encoder.encode(`{"type":"turn.started"}\n${long}\n`), out as never),
    OutputLimitError,
  );
  assert.deepEqual(out, [{ type: "turn.started" }]);
  const bad = new ThreadEventDecoder("codex output", { maxLineBytes: 64 });
  assert.throws(
    () => bad.decode(encoder.encode(`{"type":\n${long}\n`)),
    (e: unknown) => !(e instanceof OutputLimitError) && /line 1/.test(String(e)),
  );
});

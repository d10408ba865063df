import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLineLog } from "./line_log.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

test("A file line log writes whole lines as they complete, and the rest on close", async () => {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-linelog-"));
  try {
    const path = join(dir, "log.jsonl");
    const log = openLineLog(path);
    await log.write(bytes('{"a":1}\n{"b"'));
    assert.equal(await readFile(path, "utf8"), '{"a":1}\n');
    await log.write(bytes(":2}"));
    assert.equal(await readFile(path, "utf8"), '{"a":1}\n');
    await log.write(bytes('\n{"c":3}\n{"d"'));
    assert.equal(await readFile(path, "utf8"), '{"a":1}\n{"b":2}\n{"c":3}\n');
    await log.close();
    assert.equal(await readFile(path, "utf8"), '{"a":1}\n{"b":2}\n{"c":3}\n{"d"');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    // Appends: a second log adds to the file.
    const again = openLineLog(path);
    await again.write(bytes("\nx\n"));
    await again.close();
    assert.match(await readFile(path, "utf8"), /\{"d"\nx\n$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("A stream line log gets whole lines and is released, not closed", async () => {
  const got: string[] = [];
  const sink = new WritableStream<Uint8Array>({
    write: (c) => void got.push(new TextDecoder().decode(c)),
  });
  const log = openLineLog(sink);
  for (const piece of ["a", "b\nc", "\n", "d\ne"]) await log.write(bytes(piece));
  await log.close();
  assert.deepEqual(got, ["ab\n", "c\n", "d\n", "e"]);
  const writer = sink.getWriter();
  await writer.close();
});

test("A line log to a path that cannot be opened throws at once", () => {
  assert.throws(() => openLineLog("/nonexistent-dir/for/sure/log.jsonl"));
});

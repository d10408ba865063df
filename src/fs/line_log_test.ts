import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemError } from "../errors.ts";
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

test("A line log to a path that cannot be opened throws a FileSystemError naming it", () => {
  const path = "/nonexistent-dir/for/sure/log.jsonl";
  assert.throws(
    () => openLineLog(path),
    (e: unknown) =>
      e instanceof FileSystemError && e.path === path && e.operation === "open" &&
      e.code === "ENOENT" && e.message.startsWith(`Cannot open the event log ${path}: `),
  );
});

// /dev/full answers every write with ENOSPC (Linux): a full disk on demand.
const noDevFull = !existsSync("/dev/full") && "needs /dev/full";

test("A file line log on a full disk throws a FileSystemError with ENOSPC", {
  skip: noDevFull,
}, () => {
  const log = openLineLog("/dev/full", { secrets: ["sk-line-log-secret"] });
  assert.throws(
    () => log.write(bytes('{"a":1}\n')),
    (e: unknown) =>
      e instanceof FileSystemError && e.path === "/dev/full" && e.operation === "write" &&
      e.code === "ENOSPC" && /^Cannot write the event log \/dev\/full: .*ENOSPC/.test(e.message),
  );
  // The log let its file go: later lines and the close do nothing.
  log.write(bytes("more\n"));
  return log.close();
});

test("A line log with onError reports the first failure once and then writes nothing", {
  skip: noDevFull,
}, async () => {
  const seen: FileSystemError[] = [];
  const log = openLineLog("/dev/full", { onError: (e) => void seen.push(e) });
  log.write(bytes("a\n"));
  log.write(bytes("b\n"));
  await log.close();
  assert.equal(seen.length, 1);
  assert.equal(seen[0].code, "ENOSPC");
  const unopened: FileSystemError[] = [];
  const none = openLineLog("/nonexistent-dir/log", { onError: (e) => void unopened.push(e) });
  none.write(bytes("a\n"));
  await none.close();
  assert.deepEqual(unopened.map((e) => e.operation), ["open"]);
});

test("A line log scrubs known secrets, plain and JSON-escaped, from what it writes", async () => {
  const got: string[] = [];
  const sink = new WritableStream<Uint8Array>({
    write: (c) => void got.push(new TextDecoder().decode(c)),
  });
  const key = 'sk-abc"123';
  const log = openLineLog(sink, { secrets: ["sk-plain-0001", key] });
  await log.write(bytes(`{"m":"bad key sk-plain-0001"}\n${JSON.stringify({ m: key })}\nsk-pl`));
  await log.write(bytes("ain-0001"));
  await log.close();
  assert.deepEqual(got, [
    '{"m":"bad key [redacted]"}\n{"m":"[redacted]"}\n',
    "[redacted]",
  ]);
});

test("A stream line log whose stream errors rejects with a FileSystemError", async () => {
  const sink = new WritableStream<Uint8Array>({
    write: () => Promise.reject(new Error("sink is broken")),
  });
  const log = openLineLog(sink);
  await assert.rejects(
    Promise.resolve(log.write(bytes("a\n"))),
    (e: unknown) =>
      e instanceof FileSystemError && e.path === undefined &&
      e.message === "Cannot write the event log stream: sink is broken",
  );
  await log.close();
});

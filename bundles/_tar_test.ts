import { test } from "node:test";
import assert from "node:assert/strict";
import { BundleError } from "../src/errors.ts";
import { readTar, safePath } from "./_tar.ts";
import { gzip, makeTar } from "./_test_helpers.ts";

function streamOf(bytes: Uint8Array, chunk = 7): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>, readBodies = true) {
  const out: { path: string; type: string; mode: number; text?: string }[] = [];
  for await (const e of readTar(stream)) {
    let text: string | undefined;
    if (readBodies && e.type === "file") {
      const parts: Uint8Array[] = [];
      for await (const c of e.body()) parts.push(c);
      text = new TextDecoder().decode(await new Blob(parts as BufferSource[]).arrayBuffer());
    }
    out.push({ path: e.path, type: e.type, mode: e.mode, text });
  }
  return out;
}

test("readTar yields files, directories, links and pax paths from odd-sized chunks", async () => {
  const long = `package/${"d".repeat(120)}/file.txt`;
  const tar = makeTar([
    { path: "package/a.txt", body: "hello", mode: 0o755 },
    { path: "package/dir", type: "directory" },
    { path: "package/link", type: "symlink", linkName: "a.txt" },
    { path: long, body: "x".repeat(1500), pax: true },
    { path: "./package/empty", body: "" },
  ]);
  const entries = await collect(streamOf(tar));
  assert.deepEqual(entries.map((e) => [e.path, e.type]), [
    ["package/a.txt", "file"],
    ["package/dir", "directory"],
    ["package/link", "symlink"],
    [long, "file"],
    ["package/empty", "file"],
  ]);
  assert.equal(entries[0].text, "hello");
  assert.equal(entries[0].mode, 0o755);
  assert.equal(entries[3].text, "x".repeat(1500));
});

test("readTar skips bodies nobody reads", async () => {
  const tar = makeTar([{ path: "a", body: "y".repeat(3000) }, { path: "b", body: "z" }]);
  const entries = await collect(streamOf(tar, 1000), false);
  assert.deepEqual(entries.map((e) => e.path), ["a", "b"]);
});

test("readTar reads a gzipped stream through DecompressionStream", async () => {
  const tgz = await gzip(makeTar([{ path: "package/x", body: "gz" }]));
  const gunzip = new DecompressionStream("gzip") as unknown as TransformStream<
    Uint8Array,
    Uint8Array
  >;
  const entries = await collect(streamOf(tgz).pipeThrough(gunzip));
  assert.deepEqual(entries, [{ path: "package/x", type: "file", mode: 0o644, text: "gz" }]);
});

test("readTar rejects absolute and climbing paths with a BundleError", async () => {
  for (const path of ["/etc/passwd", "package/../../evil", "../evil"]) {
    await assert.rejects(
      collect(streamOf(makeTar([{ path, body: "x" }]))),
      (e) => e instanceof BundleError && /absolute|\.\./.test(e.message),
      path,
    );
  }
});

test("readTar rejects a corrupt header and a truncated body", async () => {
  const tar = makeTar([{ path: "a", body: "hello" }]);
  const corrupt = tar.slice();
  corrupt[10] ^= 0xff;
  await assert.rejects(collect(streamOf(corrupt)), /wrong checksum/);
  await assert.rejects(collect(streamOf(tar.slice(0, 514))), /ends in the middle/);
});

test("safePath normalises and refuses unsafe names", () => {
  assert.equal(safePath("./package//a/./b/"), "package/a/b");
  for (const bad of ["C:/x", "a\\b", "a/../../b", "", "./"]) {
    assert.throws(() => safePath(bad), BundleError, bad);
  }
});

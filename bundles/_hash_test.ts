import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseIntegrity, sha256File } from "./_hash.ts";
import { sha256Hex } from "./_test_helpers.ts";

test("parseIntegrity picks the strongest trusted hash and ignores sha1", () => {
  const table: [unknown, string | undefined][] = [
    ["sha512-AAAA", "sha512:AAAA"],
    ["sha1-abc sha256-BBBB", "sha256:BBBB"],
    ["sha256-BBBB sha512-CC+/==", "sha512:CC+/=="],
    ["sha384-DD?opt", "sha384:DD"],
    ["sha1-abcd", undefined],
    ["md5-x", undefined],
    [undefined, undefined],
    ["", undefined],
  ];
  for (const [sri, want] of table) {
    const got = parseIntegrity(sri);
    assert.equal(got && `${got.algorithm}:${got.digest}`, want, String(sri));
  }
});

test("sha256File hashes a file larger than its read buffer", async () => {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-hash-"));
  try {
    const data = new Uint8Array(3 * (1 << 20) + 17).map((_, i) => i % 251);
    await writeFile(join(dir, "f"), data);
    assert.equal(await sha256File(join(dir, "f")), sha256Hex(data));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

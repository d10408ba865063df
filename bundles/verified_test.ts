import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, rm, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { BundleError } from "../src/errors.ts";
import { readVerifiedRecord, writeVerifiedRecord } from "./verified.ts";

const IDENTITY = { dev: 1, ino: 2, size: 3, mtimeMs: 4, ctimeMs: 5 };

test("readVerifiedRecord refuses a FIFO at the record's path at once instead of blocking", async (t) => {
  if (process.platform === "win32" || spawnSync("mkfifo", ["--version"]).error) {
    t.skip("mkfifo is not available on this platform");
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "codexkit-verified-"));
  try {
    const binary = "/bundle/linux-x64/0.169.0/codex";
    const record = { binary: IDENTITY, manifest: IDENTITY, sha256: "a".repeat(64), seenAtMs: 6 };
    await writeVerifiedRecord(dir, binary, record);
    assert.deepEqual(readVerifiedRecord(dir, binary), record);
    const [name] = await readdir(dir);
    await unlink(join(dir, name));
    assert.equal(spawnSync("mkfifo", [join(dir, name)]).status, 0);
    // The bug: a blocking open of a FIFO waits for a writer, holding the event loop for ever.
    assert.throws(
      () => readVerifiedRecord(dir, binary),
      (e) =>
        e instanceof BundleError && e.path === join(dir, name) &&
        e.message.includes(`${join(dir, name)}: not a regular file`),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

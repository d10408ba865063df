import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { mkdir, mkdtemp, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { counting } from "./_test_helpers.ts";
import { CapabilityCache } from "./cache.ts";
import { cacheFileName, readCacheFile, writeCacheFile } from "./disk_cache.ts";
import { fingerprintBinary, sameFingerprint } from "./fingerprint.ts";
import { knownSnapshot } from "./known.ts";

const FAKE = fileURLToPath(new URL("./testdata/fake_codex.sh", import.meta.url));
// A whole second: utimes cannot restore a finer mtime exactly on every runtime.
const STAMP = new Date("2025-01-02T03:04:05.000Z");

/** The fake codex script with a marker comment (same length for "1" and "2"). */
async function script(marker: "1" | "2"): Promise<string> {
  const body = (await readFile(FAKE, "utf8"))
    .replace('here=$(dirname "$0")', `here='${join(FAKE, "..")}'`);
  return `${body}\n# build ${marker}\n`;
}

async function sandbox(): Promise<
  { dir: string; bin: string; cacheDir: string; [Symbol.asyncDispose](): Promise<void> }
> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-cacheid-"));
  const bin = join(dir, "codex");
  await writeFile(bin, await script("1"), { mode: 0o755 });
  await utimes(bin, STAMP, STAMP);
  return {
    dir,
    bin,
    cacheDir: join(dir, "cache"),
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
}

test("A binary replaced by one of the same size with its mtime restored is probed again", async () => {
  await using box = await sandbox();
  const count = counting();
  const options = { dir: box.cacheDir, probe: { spawner: count.spawner } };
  const cache = new CapabilityCache(options);
  assert.equal((await cache.lookup(box.bin)).origin, "probe");
  assert.equal((await cache.lookup(box.bin)).origin, "memory");
  const before = await stat(box.bin);
  // What a package manager does: write the new build aside, rename it over, restore the mtime.
  const staged = join(box.dir, "codex.new");
  await writeFile(staged, await script("2"), { mode: 0o755 });
  await rename(staged, box.bin);
  await utimes(box.bin, STAMP, STAMP);
  const after = await stat(box.bin);
  assert.equal(after.size, before.size);
  assert.equal(after.mtimeMs, before.mtimeMs);
  // Memory, then a fresh instance that only has the disk cache: both must notice.
  assert.equal((await cache.lookup(box.bin)).origin, "probe");
  assert.equal(count.probes(), 2);
  const fresh = new CapabilityCache(options);
  assert.equal((await fresh.lookup(box.bin)).origin, "disk", "the new probe was stored");
});

test("A binary rewritten in place with its mtime restored is probed again (ctime)", async () => {
  await using box = await sandbox();
  const count = counting();
  const cache = new CapabilityCache({ dir: box.cacheDir, probe: { spawner: count.spawner } });
  await cache.lookup(box.bin);
  const first = await fingerprintBinary(box.bin);
  await writeFile(box.bin, await script("2"));
  await utimes(box.bin, STAMP, STAMP);
  const second = await fingerprintBinary(box.bin);
  assert.equal(second.ino, first.ino);
  assert.equal(second.mtimeMs, first.mtimeMs);
  // Another ctime, or (Deno's whole seconds, the same second) stats read within their tick,
  // which carry the content's hash: either way the two builds are told apart.
  assert.equal(sameFingerprint(first, second), false);
  // Whether or not the clock told the two writes apart (Deno's ctime has whole seconds), the
  // rewrite is probed again: a stat read in its ctime's tick carries the content's hash.
  assert.equal((await cache.lookup(box.bin)).origin, "probe");
  assert.equal(count.probes(), 2);
});

test("A cached entry with a content hash is compared by hash on lookup", async () => {
  await using box = await sandbox();
  const fp = await fingerprintBinary(box.bin);
  // An entry whose stat fields all match but whose content hash is another build's.
  await writeCacheFile(box.cacheDir, {
    ...knownSnapshot("0.169.0")!,
    fingerprint: { ...fp, sha256: "0".repeat(64) },
    collectedAt: new Date().toISOString(),
  });
  const count = counting();
  // An entry that carries a hash is held to it, with or without probe.hash.
  const plain = new CapabilityCache({ dir: box.cacheDir, probe: { spawner: count.spawner } });
  assert.equal((await plain.lookup(box.bin)).origin, "probe");
  await writeCacheFile(box.cacheDir, {
    ...knownSnapshot("0.169.0")!,
    fingerprint: { ...fp, sha256: "0".repeat(64) },
    collectedAt: new Date().toISOString(),
  });
  const hashed = new CapabilityCache({
    dir: box.cacheDir,
    probe: { spawner: count.spawner, hash: true },
  });
  const result = await hashed.lookup(box.bin);
  assert.equal(result.origin, "probe");
  assert.match(result.snapshot.fingerprint?.sha256 ?? "", /^[0-9a-f]{64}$/);
  assert.notEqual(result.snapshot.fingerprint?.sha256, "0".repeat(64));
  assert.equal((await hashed.lookup(box.bin)).origin, "memory");
  assert.equal(count.probes(), 2);
});

test("An entry from before inode and ctime were recorded is not trusted", () => {
  const now = { path: "/x/codex", size: 1, mtimeMs: 5, ctimeMs: 6, ino: 7, dev: 8 };
  assert.equal(sameFingerprint(now, now), true);
  assert.equal(sameFingerprint({ path: "/x/codex", size: 1, mtimeMs: 5 }, now), false);
  assert.equal(sameFingerprint({ ...now, ino: 9 }, now), false);
  assert.equal(sameFingerprint({ ...now, sha256: "a" }, { ...now, sha256: "b" }), false);
  assert.equal(sameFingerprint({ ...now, sha256: "a" }, now), true);
});

test("A FIFO at the cache-entry path is ignored at once instead of hanging lookup()", async (t) => {
  if (process.platform === "win32" || spawnSync("mkfifo", ["--version"]).error) {
    t.skip("mkfifo is not available on this platform");
    return;
  }
  await using box = await sandbox();
  const fp = await fingerprintBinary(box.bin);
  await mkdir(box.cacheDir, { recursive: true });
  const entry = join(box.cacheDir, cacheFileName(fp.path));
  assert.equal(spawnSync("mkfifo", [entry]).status, 0);
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Generous: only a hang (the bug: open() waits for a writer for ever) can reach it.
  const hang = new Promise<"hung">((resolve) => timer = setTimeout(() => resolve("hung"), 20_000));
  try {
    const read = await Promise.race([readCacheFile(box.cacheDir, fp), hang]);
    assert.notEqual(read, "hung");
    assert.equal(read !== "hung" && read.status, "ignored");
    assert.match(read !== "hung" && read.status === "ignored" ? read.reason : "", /regular/);
    const warnings: string[] = [];
    const cache = new CapabilityCache({ dir: box.cacheDir, onWarning: (w) => warnings.push(w) });
    const result = await Promise.race([cache.lookup(box.bin), hang]);
    assert.equal(result !== "hung" && result.origin, "probe");
    assert.match(warnings.join("\n"), /not a regular file/);
  } finally {
    clearTimeout(timer);
  }
});

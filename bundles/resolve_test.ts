import { test } from "node:test";
import assert from "node:assert/strict";
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  realpath,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BundleError } from "../src/errors.ts";
import { recordBundleEntry } from "./manifest.ts";
import { currentPlatform } from "./platform.ts";
import { bundleSource, isInside, resolveBundledBinary } from "./resolve.ts";
import { fakeCodexScript, sha256Hex } from "./_test_helpers.ts";
import { fileIdentity, readVerifiedRecord, writeVerifiedRecord } from "./verified.ts";
import type { FileIdentity } from "./verified.ts";

const VERSION = "0.169.0";
const PLATFORM = "linux-x64";
const SCRIPT = fakeCodexScript(VERSION);

async function withBundle(fn: (root: string, dir: string) => Promise<void>): Promise<void> {
  const base = await mkdtemp(join(tmpdir(), "codexkit-resolve-"));
  try {
    const root = join(base, "bundle");
    const dir = join(root, PLATFORM, VERSION);
    await mkdir(dir, { recursive: true });
    await fn(root, dir);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

async function goodBinary(dir: string): Promise<string> {
  const binary = join(dir, "codex");
  await writeFile(binary, SCRIPT, { mode: 0o755 });
  await chmod(binary, 0o755);
  return binary;
}

function isBundleError(pattern: RegExp, path?: string) {
  return (e: unknown) =>
    e instanceof BundleError && pattern.test(e.message) && (path === undefined || e.path === path);
}

test("resolveBundledBinary finds a verified binary and its path dir", () =>
  withBundle(async (root, dir) => {
    const binary = await goodBinary(dir);
    await mkdir(join(dir, "codex-path"));
    await recordBundleEntry(root, VERSION, PLATFORM, {
      sha256: sha256Hex(SCRIPT),
      size: SCRIPT.length,
      source: { tarball: "http://127.0.0.1/x.tgz", integrity: "sha512-x" },
      addedAt: new Date().toISOString(),
    });
    const resolved = await resolveBundledBinary({ root, version: VERSION, platform: PLATFORM });
    assert.equal(resolved.binary, binary.replace(root, resolved.root));
    assert.equal(resolved.pathDir, join(resolved.root, PLATFORM, VERSION, "codex-path"));
    assert.equal(resolved.resourcesDir, undefined);
    assert.equal(resolved.verified, "sha256");
  }));

test("resolveBundledBinary reports an unlisted binary when there is no manifest", () =>
  withBundle(async (root, dir) => {
    await goodBinary(dir);
    const resolved = await resolveBundledBinary({ root, version: VERSION, platform: PLATFORM });
    assert.equal(resolved.verified, "unlisted");
    assert.equal(resolved.pathDir, undefined);
  }));

test("resolveBundledBinary rejects a missing binary naming its path", () =>
  withBundle(async (root) => {
    await assert.rejects(
      resolveBundledBinary({ root, version: "0.170.0", platform: PLATFORM }),
      (e) =>
        e instanceof BundleError && /does not exist/.test(e.message) &&
        e.path!.endsWith(join(PLATFORM, "0.170.0", "codex")),
    );
  }));

test("resolveBundledBinary rejects a missing root", async () => {
  await assert.rejects(
    resolveBundledBinary({
      root: join(tmpdir(), "codexkit-no-such-root-4711"),
      version: VERSION,
      platform: PLATFORM,
    }),
    isBundleError(/Cannot find the bundle root/),
  );
});

test("resolveBundledBinary rejects a directory where the binary should be", () =>
  withBundle(async (root, dir) => {
    await mkdir(join(dir, "codex"));
    await assert.rejects(
      resolveBundledBinary({ root, version: VERSION, platform: PLATFORM }),
      isBundleError(/is not a regular file/),
    );
  }));

test("resolveBundledBinary rejects a file without the executable bit", () =>
  withBundle(async (root, dir) => {
    await writeFile(join(dir, "codex"), SCRIPT);
    await chmod(join(dir, "codex"), 0o644);
    await assert.rejects(
      resolveBundledBinary({ root, version: VERSION, platform: PLATFORM }),
      isBundleError(/is not executable/),
    );
  }));

test("resolveBundledBinary rejects a symlink leading out of the root", () =>
  withBundle(async (root, dir) => {
    const outside = join(root, "..", "outside-codex");
    await writeFile(outside, SCRIPT, { mode: 0o755 });
    await symlink(outside, join(dir, "codex"));
    await assert.rejects(
      resolveBundledBinary({ root, version: VERSION, platform: PLATFORM }),
      isBundleError(/leads outside the bundle root/),
    );
  }));

test("resolveBundledBinary accepts a symlink that stays inside the root", () =>
  withBundle(async (root, dir) => {
    await mkdir(join(root, "store"));
    await writeFile(join(root, "store", "codex"), SCRIPT, { mode: 0o755 });
    await chmod(join(root, "store", "codex"), 0o755);
    await symlink(join("..", "..", "store", "codex"), join(dir, "codex"));
    const resolved = await resolveBundledBinary({ root, version: VERSION, platform: PLATFORM });
    assert.equal(resolved.verified, "unlisted");
  }));

test("resolveBundledBinary rejects a binary whose sha256 differs from the manifest", () =>
  withBundle(async (root, dir) => {
    await goodBinary(dir);
    const entry = {
      sha256: sha256Hex("something else"),
      size: SCRIPT.length,
      source: { tarball: "http://127.0.0.1/x.tgz", integrity: "sha512-x" },
      addedAt: new Date().toISOString(),
    };
    await recordBundleEntry(root, VERSION, PLATFORM, entry);
    await assert.rejects(
      resolveBundledBinary({ root, version: VERSION, platform: PLATFORM }),
      isBundleError(/does not match bundle.jsonc/),
    );
    await recordBundleEntry(root, VERSION, PLATFORM, { ...entry, size: 3 });
    await assert.rejects(
      resolveBundledBinary({ root, version: VERSION, platform: PLATFORM }),
      isBundleError(/bytes instead of 3/),
    );
  }));

test("resolveBundledBinary rejects a corrupt manifest with a BundleError", () =>
  withBundle(async (root, dir) => {
    await goodBinary(dir);
    await writeFile(join(root, "bundle.jsonc"), "{ not json");
    await assert.rejects(
      resolveBundledBinary({ root, version: VERSION, platform: PLATFORM }),
      isBundleError(/Cannot verify/, join(root, "bundle.jsonc")),
    );
  }));

test("resolveBundledBinary refuses ../../etc before touching the file system", async () => {
  // the root does not exist: a file system error would be a BundleError, not this TypeError
  await assert.rejects(
    resolveBundledBinary({ root: "/nonexistent-root", version: "../../etc", platform: PLATFORM }),
    (e) => e instanceof TypeError && /option version/.test(e.message),
  );
  await assert.rejects(
    resolveBundledBinary({
      root: "/nonexistent-root",
      version: VERSION,
      platform: "../x" as never,
    }),
    (e) => e instanceof TypeError && /option platform/.test(e.message),
  );
});

test("bundleSource describes its place and resolves the binary path", () =>
  withBundle(async (root, dir) => {
    await goodBinary(dir);
    const source = bundleSource({ root, version: VERSION, platform: PLATFORM });
    assert.deepEqual(Object.keys(source).sort(), ["describe", "resolve"]);
    assert.equal(source.describe(), `bundle ${join(root, PLATFORM, VERSION)}`);
    const resolved = await source.resolve();
    assert.ok(typeof resolved === "object");
    assert.match(resolved.path, /linux-x64\/0\.169\.0\/codex$/);
    assert.ok(Array.isArray(resolved.pathDirs));
    assert.throws(() => bundleSource({ root, version: "../../etc" }), TypeError);
    const here = bundleSource({ root, version: VERSION });
    assert.match(here.describe(), new RegExp(`${currentPlatform()}/0\\.169\\.0$`));
  }));

test("isInside tells paths inside a root from the root itself and its neighbours", () => {
  const table: [string, string, boolean][] = [
    ["/b", "/b/x", true],
    ["/b", "/b/..x", true],
    ["/b", "/b", false],
    ["/b", "/bx/y", false],
    ["/b", "/etc", false],
  ];
  for (const [root, path, want] of table) {
    assert.equal(isInside(root, path), want, `${root} ${path}`);
  }
});

async function identityOf(path: string): Promise<FileIdentity> {
  return fileIdentity(await stat(path));
}

function entryFor(sha256: string) {
  return {
    sha256,
    size: SCRIPT.length,
    source: { tarball: "http://127.0.0.1/x.tgz", integrity: "sha512-x" },
    addedAt: new Date().toISOString(),
  };
}

test("resolveBundledBinary remembers the checked binary and manifest for the next process", () =>
  withBundle(async (root, dir) => {
    const binary = await goodBinary(dir);
    const memo = join(root, "..", "verified");
    await recordBundleEntry(root, VERSION, PLATFORM, entryFor(sha256Hex(SCRIPT)));
    const where = { root, version: VERSION, platform: PLATFORM, verifiedDir: memo } as const;
    assert.equal((await resolveBundledBinary(where)).verified, "sha256");
    const target = await realpath(binary);
    const record = readVerifiedRecord(memo, target);
    assert.ok(record && record.seenAtMs <= Date.now());
    assert.deepEqual(record, {
      binary: await identityOf(target),
      manifest: await identityOf(join(await realpath(root), "bundle.jsonc")),
      sha256: sha256Hex(SCRIPT),
      seenAtMs: record.seenAtMs,
    });
  }));

test("resolveBundledBinary trusts a record only while the binary and manifest are unchanged", () =>
  withBundle(async (root, dir) => {
    const binary = await goodBinary(dir);
    const memo = join(root, "..", "verified");
    // The manifest expects a digest the file does not have; a record claims it was checked.
    // Resolving succeeds only if the record is trusted instead of hashing the file.
    const claimed = sha256Hex("a binary with other bytes");
    await recordBundleEntry(root, VERSION, PLATFORM, entryFor(claimed));
    const target = await realpath(binary);
    const manifestPath = join(await realpath(root), "bundle.jsonc");
    const base = { root, version: VERSION, platform: PLATFORM } as const;
    await assert.rejects(
      resolveBundledBinary({ ...base, verifiedDir: false }),
      isBundleError(/does not match bundle.jsonc/),
    );
    // A claim made long after both files last changed: their identities had settled.
    const claim = async () => {
      const binary = await identityOf(target);
      const manifest = await identityOf(manifestPath);
      const seenAtMs = Math.max(binary.ctimeMs, manifest.ctimeMs) + 60_000;
      await writeVerifiedRecord(memo, target, { binary, manifest, sha256: claimed, seenAtMs });
    };
    await claim();
    assert.equal((await resolveBundledBinary({ ...base, verifiedDir: memo })).verified, "sha256");
    // A rewritten manifest is read again; the record still vouches for the unchanged binary.
    await recordBundleEntry(root, VERSION, PLATFORM, entryFor(claimed));
    assert.equal((await resolveBundledBinary({ ...base, verifiedDir: memo })).verified, "sha256");
    // Touching the binary changes its mtime and ctime: the record no longer applies.
    await claim();
    await utimes(target, new Date(2001, 0, 1), new Date(2001, 0, 1));
    await assert.rejects(
      resolveBundledBinary({ ...base, verifiedDir: memo }),
      isBundleError(/does not match bundle.jsonc/),
    );
  }));

/** Waits for the start of a wall-clock second, so what follows fits in one second. */
async function startOfSecond(): Promise<void> {
  while (Date.now() % 1000 > 50) {
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
  }
}

test("resolveBundledBinary hashes a binary rewritten in place in the same second, its mtime restored", () =>
  withBundle(async (root, dir) => {
    const memo = join(root, "..", "verified");
    const where = { root, version: VERSION, platform: PLATFORM, verifiedDir: memo } as const;
    await recordBundleEntry(root, VERSION, PLATFORM, entryFor(sha256Hex(SCRIPT)));
    const evil = SCRIPT.replace("codex-cli", "evil-cli!");
    assert.equal(evil.length, SCRIPT.length);
    // A whole-second mtime: utimes restores it exactly on every runtime.
    const stamp = new Date("2025-01-02T03:04:05.000Z");
    for (let attempt = 1;; attempt++) {
      await startOfSecond();
      const binary = await goodBinary(dir);
      await utimes(binary, stamp, stamp);
      assert.equal((await resolveBundledBinary(where)).verified, "sha256");
      const before = await stat(binary);
      await writeFile(binary, evil);
      await utimes(binary, stamp, stamp);
      const after = await stat(binary);
      assert.deepEqual(
        [after.ino, after.size, after.mtimeMs],
        [before.ino, before.size, before.mtimeMs],
      );
      // Deno reports ctime in whole seconds: the rewrite must land in the same one to hide.
      const sameSecond = Math.floor(after.ctimeMs / 1000) === Math.floor(before.ctimeMs / 1000);
      if (!sameSecond && attempt < 5) continue;
      assert.ok(sameSecond, "the rewrite never landed in the same second");
      // in this process (the memo of verified digests) and in a new one (the record)
      await assert.rejects(
        resolveBundledBinary(where),
        isBundleError(/does not match bundle.jsonc/),
      );
      return;
    }
  }));

test("resolveBundledBinary treats an unreadable record as a miss and writes a good one", () =>
  withBundle(async (root, dir) => {
    const binary = await goodBinary(dir);
    const memo = join(root, "..", "verified");
    await recordBundleEntry(root, VERSION, PLATFORM, entryFor(sha256Hex(SCRIPT)));
    const where = { root, version: VERSION, platform: PLATFORM, verifiedDir: memo } as const;
    assert.equal((await resolveBundledBinary(where)).verified, "sha256");
    const target = await realpath(binary);
    const [name] = await readdir(memo);
    await writeFile(join(memo, name), "{ truncated");
    assert.equal(readVerifiedRecord(memo, target), undefined);
    assert.equal((await resolveBundledBinary(where)).verified, "sha256");
    assert.equal((readVerifiedRecord(memo, target))?.sha256, sha256Hex(SCRIPT));
  }));

test("resolveBundledBinary rejects a verifiedDir that is not a path or false", async () => {
  await assert.rejects(
    resolveBundledBinary({
      root: "/nonexistent-root",
      version: VERSION,
      platform: PLATFORM,
      verifiedDir: 3 as never,
    }),
    (e) => e instanceof TypeError && /option verifiedDir: 3/.test(e.message),
  );
});

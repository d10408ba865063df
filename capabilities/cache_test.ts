import { test } from "node:test";
import assert from "node:assert/strict";
import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { detectRuntime, getSpawner } from "../src/runtime/mod.ts";
import { AbortError } from "../src/errors.ts";
import { counting } from "./_test_helpers.ts";
import { CapabilityCache } from "./cache.ts";
import { cacheFileName, readCacheFile, writeCacheFile } from "./disk_cache.ts";
import { fingerprintBinary } from "./fingerprint.ts";
import { knownSnapshot } from "./known.ts";
import type { CapabilitySnapshot } from "./types.ts";

const FAKE = fileURLToPath(new URL("./testdata/fake_codex.sh", import.meta.url));
const CHILD = fileURLToPath(new URL("./testdata/write_cache_child.ts", import.meta.url));

/** A temp dir holding a private copy of the fake binary (so mtime changes stay local). */
async function sandbox(): Promise<
  { dir: string; bin: string; cacheDir: string; [Symbol.asyncDispose](): Promise<void> }
> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-cache-"));
  const bin = join(dir, "codex");
  await copyFile(FAKE, bin);
  await writeFile(
    bin,
    (await readFile(FAKE, "utf8")).replace('here=$(dirname "$0")', `here='${join(FAKE, "..")}'`),
    { mode: 0o755 },
  );
  return {
    dir,
    bin,
    cacheDir: join(dir, "cache"),
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
}

test("CapabilityCache shares one probe between concurrent callers, then answers from memory", async () => {
  await using box = await sandbox();
  const count = counting();
  const cache = new CapabilityCache({ dir: box.cacheDir, probe: { spawner: count.spawner } });
  const results = await Promise.all([1, 2, 3, 4].map(() => cache.lookup(box.bin)));
  assert.equal(count.probes(), 1);
  assert.ok(results.every((r) => r.origin === "probe" && r.snapshot.version?.semver === "0.169.0"));
  const again = await cache.lookup(box.bin);
  assert.equal(again.origin, "memory");
  assert.equal(count.probes(), 1);
  assert.deepEqual(await readdir(box.cacheDir), [cacheFileName(again.snapshot.fingerprint!.path)]);
});

test("CapabilityCache reads the disk cache from a fresh instance", async () => {
  await using box = await sandbox();
  await new CapabilityCache({ dir: box.cacheDir }).get(box.bin);
  const count = counting();
  const second = await new CapabilityCache({ dir: box.cacheDir, probe: { spawner: count.spawner } })
    .lookup(box.bin);
  assert.equal(second.origin, "disk");
  assert.equal(second.snapshot.source, "cache");
  assert.equal(count.probes(), 0);
});

test("CapabilityCache does not cache a probe with transient gaps", async () => {
  await using box = await sandbox();
  const count = counting();
  const cache = new CapabilityCache({
    dir: box.cacheDir,
    probe: {
      spawner: count.spawner,
      timeoutMs: 300,
      env: { FAKE_MODE: "hang", FAKE_PIDS: join(box.dir, "pids") },
    },
  });
  const first = await cache.lookup(box.bin);
  assert.ok(first.snapshot.gaps.some((g) => g.transient));
  const second = await cache.lookup(box.bin);
  assert.equal(second.origin, "probe");
  assert.equal(count.probes(), 2);
  await assert.rejects(readdir(box.cacheDir), /ENOENT/);
});

test("CapabilityCache re-probes when the binary's fingerprint changes in place", async () => {
  await using box = await sandbox();
  const count = counting();
  const cache = new CapabilityCache({ dir: box.cacheDir, probe: { spawner: count.spawner } });
  await cache.get(box.bin);
  await utimes(box.bin, new Date(), new Date(Date.now() + 60_000));
  const after = await new CapabilityCache({ dir: box.cacheDir, probe: { spawner: count.spawner } })
    .lookup(box.bin);
  assert.equal(after.origin, "probe");
  assert.equal((await cache.lookup(box.bin)).origin, "disk");
  assert.equal(count.probes(), 2);
});

test("CapabilityCache policies refresh and bypass probe again; bypass leaves the disk alone", async () => {
  await using box = await sandbox();
  const count = counting();
  const cache = new CapabilityCache({ dir: box.cacheDir, probe: { spawner: count.spawner } });
  await cache.get(box.bin);
  assert.equal((await cache.lookup(box.bin, { policy: "refresh" })).origin, "probe");
  assert.equal(count.probes(), 2);
  const file = join(box.cacheDir, (await readdir(box.cacheDir))[0]);
  const before = await readFile(file, "utf8");
  assert.equal((await cache.lookup(box.bin, { policy: "bypass" })).origin, "probe");
  assert.equal(count.probes(), 3);
  assert.equal(await readFile(file, "utf8"), before);
  await assert.rejects(cache.lookup(box.bin, { policy: "sometimes" as "bypass" }), /option policy/);
});

test("CapabilityCache ignores a cache file that is not JSON, from a future schema, or a symlink", async () => {
  await using box = await sandbox();
  const fp = await fingerprintBinary(box.bin);
  const file = join(box.cacheDir, cacheFileName(fp.path));
  const elsewhere = join(box.dir, "elsewhere.json");
  await writeFile(elsewhere, "precious");
  const valid = JSON.stringify({
    kind: "codexkit.capabilities",
    schemaVersion: 1,
    snapshot: { ...knownSnapshot("0.169.0"), fingerprint: fp },
  });
  const cases: [string, () => Promise<void>, RegExp][] = [
    ["not JSON", () => writeFile(file, "{ not json"), /not JSON/],
    ["truncated", () => writeFile(file, valid.slice(0, valid.length / 2)), /not JSON/],
    [
      "future schema",
      () =>
        writeFile(
          file,
          JSON.stringify({ kind: "codexkit.capabilities", schemaVersion: 99, snapshot: {} }),
        ),
      /schema version 99/,
    ],
    [
      "wrong shape",
      () =>
        writeFile(
          file,
          JSON.stringify({
            kind: "codexkit.capabilities",
            schemaVersion: 1,
            snapshot: { features: 3 },
          }),
        ),
      /invalid/,
    ],
    ["symlink", () => symlink(elsewhere, file), /symlink/],
  ];
  for (const [name, prepare, reason] of cases) {
    await rm(file, { force: true });
    await mkdir(box.cacheDir, { recursive: true });
    await prepare();
    const read = await readCacheFile(box.cacheDir, fp);
    assert.equal(read.status, "ignored", name);
    assert.match(read.status === "ignored" ? read.reason : "", reason, name);
    const warnings: string[] = [];
    const result = await new CapabilityCache({
      dir: box.cacheDir,
      onWarning: (w) => warnings.push(w),
    }).lookup(box.bin);
    assert.equal(result.origin, "probe", name);
    assert.match(warnings.join("\n"), reason, name);
    assert.equal((await readCacheFile(box.cacheDir, fp)).status, "hit", name);
  }
  assert.equal(await readFile(elsewhere, "utf8"), "precious");
});

test("CapabilityCache falls back to the known snapshot when probing learns nothing", async () => {
  const cache = new CapabilityCache({ dir: null, fallbackVersion: "0.169.0" });
  const result = await cache.lookup("/nonexistent/codex");
  assert.equal(result.origin, "known");
  assert.equal(result.snapshot.version?.semver, "0.169.0");
  assert.ok(result.snapshot.gaps.some((g) => /Cannot start/.test(g.reason)));
});

test("CapabilityCache applies overrides on top of a cached snapshot", async () => {
  await using box = await sandbox();
  const cache = new CapabilityCache({ dir: null });
  await cache.get(box.bin);
  const pinned = await cache.get(box.bin, {
    overrides: { version: "0.170.0-beta.1", features: { apps: false } },
  });
  assert.equal(pinned.version?.channel, "beta");
  assert.equal(pinned.features?.find((f) => f.name === "apps")?.enabled, false);
  const plain = await cache.get(box.bin);
  assert.equal(plain.version?.semver, "0.169.0");
});

test("CapabilityCache rejects an aborted lookup with AbortError", async () => {
  await using box = await sandbox();
  const controller = new AbortController();
  const cache = new CapabilityCache({
    dir: null,
    probe: { env: { FAKE_MODE: "hang", FAKE_PIDS: join(box.dir, "pids") } },
  });
  const lookup = cache.lookup(box.bin, { signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(lookup, AbortError);
});

function racer(index: number): CapabilitySnapshot {
  return {
    ...knownSnapshot("0.169.0")!,
    fingerprint: { path: "/race/codex", size: 1, mtimeMs: 1 },
    gaps: [{ step: `writer-${index}`, reason: "x".repeat(20000 + index), transient: false }],
  };
}

test("writeCacheFile leaves one valid file when concurrent writers race", async () => {
  await using box = await sandbox();
  for (let round = 0; round < 10; round++) {
    await Promise.all([0, 1, 2, 3].map((i) => writeCacheFile(box.cacheDir, racer(i))));
    const read = await readCacheFile(box.cacheDir, { path: "/race/codex", size: 1, mtimeMs: 1 });
    assert.equal(read.status, "hit");
  }
  assert.equal((await readdir(box.cacheDir)).length, 1);
});

test("writeCacheFile leaves one valid file when two processes write at once", async () => {
  await using box = await sandbox();
  const runtime = detectRuntime();
  const args = runtime === "deno" ? ["run", "-A", CHILD] : [CHILD];
  const spawner = getSpawner();
  const children = await Promise.all(
    ["a", "b"].map((tag) =>
      spawner.spawn(process.execPath, [...args, box.cacheDir, tag, "40"], { stdin: "null" })
    ),
  );
  const ends = await Promise.all(children.map(async (child) => {
    const [stderr] = await Promise.all([new Response(child.stderr).text(), child.stdout.cancel()]);
    return { status: await child.exited, stderr };
  }));
  for (const end of ends) assert.equal(end.status.code, 0, end.stderr);
  const read = await readCacheFile(box.cacheDir, { path: "/race/codex", size: 1, mtimeMs: 1 });
  assert.equal(read.status, "hit");
  assert.match(read.status === "hit" ? read.snapshot.gaps[0].step : "", /^writer-[ab]-39$/);
  assert.deepEqual((await readdir(box.cacheDir)).length, 1);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileFormatError } from "../src/errors.ts";
import {
  findBundleEntry,
  parseBundleManifest,
  readBundleManifest,
  recordBundleEntry,
} from "./manifest.ts";
import type { BundleEntry } from "./manifest.ts";

const entry = (n: number): BundleEntry => ({
  sha256: String(n).repeat(64).slice(0, 64),
  size: n,
  source: { tarball: `http://127.0.0.1/t${n}.tgz`, integrity: `sha512-${n}` },
  addedAt: "2025-01-01T00:00:00.000Z",
});

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-manifest-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("recordBundleEntry creates bundle.jsonc and readBundleManifest reads it back", () =>
  withDir(async (dir) => {
    assert.equal(await readBundleManifest(dir), undefined);
    await recordBundleEntry(dir, "0.169.0", "linux-x64", entry(1));
    const manifest = await readBundleManifest(dir);
    assert.deepEqual(findBundleEntry(manifest, "0.169.0", "linux-x64"), entry(1));
    assert.equal(findBundleEntry(manifest, "0.169.0", "darwin-arm64"), undefined);
    assert.deepEqual(await readdir(dir), ["bundle.jsonc"]);
  }));

test("recordBundleEntry keeps comments, unknown fields and other entries", () =>
  withDir(async (dir) => {
    const path = join(dir, "bundle.jsonc");
    await writeFile(
      path,
      `{\n  // pinned for the desktop app\n  "schemaVersion": 1,\n  "owner": "team",\n  "entries": {"0.168.0": {"linux-x64": ${
        JSON.stringify(entry(2))
      }}},\n}\n`,
    );
    await recordBundleEntry(dir, "0.169.0", "darwin-arm64", entry(3));
    const text = await readFile(path, "utf8");
    assert.match(text, /\/\/ pinned for the desktop app/);
    const manifest = parseBundleManifest(text, path) as unknown as Record<string, unknown>;
    assert.equal(manifest.owner, "team");
    assert.deepEqual(findBundleEntry(manifest as never, "0.168.0", "linux-x64"), entry(2));
    assert.deepEqual(findBundleEntry(manifest as never, "0.169.0", "darwin-arm64"), entry(3));
  }));

test("parseBundleManifest rejects bad JSONC, bad fields and other schema versions", () => {
  const cases: [string, RegExp][] = [
    ["{ nope", /Cannot parse bundle manifest .*at 1:/],
    [
      '{"schemaVersion":1,"entries":{"0.1.0":{"linux-x64":{"sha256":"x","size":1,"source":{"tarball":"t","integrity":"i"},"addedAt":"d"}}}}',
      /sha256 must be/,
    ],
    ['{"schemaVersion":2,"entries":{}}', /schemaVersion 2 is not 1/],
    ["[]", /Cannot read bundle manifest/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseBundleManifest(text, "/b/bundle.jsonc"),
      (e) =>
        e instanceof FileFormatError && message.test(e.message) && e.path === "/b/bundle.jsonc",
      text,
    );
  }
});

test("recordBundleEntry leaves a manifest it cannot read untouched", () =>
  withDir(async (dir) => {
    const path = join(dir, "bundle.jsonc");
    await writeFile(path, "{ broken");
    await assert.rejects(recordBundleEntry(dir, "0.169.0", "linux-x64", entry(1)), FileFormatError);
    assert.equal(await readFile(path, "utf8"), "{ broken");
    assert.deepEqual(await readdir(dir), ["bundle.jsonc"]);
  }));

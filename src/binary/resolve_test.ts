import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveCodexBinary } from "./resolve.ts";

const VENDOR = [
  "node_modules",
  "@openai",
  "codex-linux-x64",
  "vendor",
  "x86_64-unknown-linux-musl",
];

async function executable(path: string): Promise<void> {
  await writeFile(path, "#!/bin/sh\n");
  await chmod(path, 0o755);
}

async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "codexkit-resolve-"));
  try {
    await fn(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const resolveIn = (root: string) =>
  resolveCodexBinary({ searchFrom: [root], env: { PATH: "" }, platform: "linux", arch: "x64" });

test("resolveCodexBinary finds the current npm layout through codex-package.json", () =>
  withRoot(async (root) => {
    const vendor = join(root, ...VENDOR);
    await mkdir(join(vendor, "bin"), { recursive: true });
    await mkdir(join(vendor, "codex-path"));
    await executable(join(vendor, "bin", "codex"));
    await writeFile(
      join(vendor, "codex-package.json"),
      JSON.stringify({ entrypoint: "bin/codex", pathDir: "codex-path", version: "0.169.0" }),
    );
    const found = await resolveIn(root);
    assert.equal(found.path, join(vendor, "bin", "codex"));
    assert.equal(found.source, "npm");
    assert.deepEqual(found.pathDirs, [join(vendor, "codex-path")]);
    assert.equal(found.version, "0.169.0");
  }));

test("resolveCodexBinary finds the older npm layout: codex/codex beside path/rg", () =>
  withRoot(async (root) => {
    const vendor = join(root, ...VENDOR);
    await mkdir(join(vendor, "codex"), { recursive: true });
    await mkdir(join(vendor, "path"));
    await executable(join(vendor, "codex", "codex"));
    await executable(join(vendor, "path", "rg"));
    const found = await resolveIn(root);
    assert.equal(found.path, join(vendor, "codex", "codex"));
    assert.equal(found.source, "npm");
    assert.deepEqual(found.pathDirs, [join(vendor, "path")]);
  }));

test("resolveCodexBinary reports an older-layout binary that cannot run", () =>
  withRoot(async (root) => {
    const vendor = join(root, ...VENDOR);
    await mkdir(join(vendor, "codex"), { recursive: true });
    await writeFile(join(vendor, "codex", "codex"), "not executable");
    await assert.rejects(resolveIn(root), (e: Error) => {
      assert.match(e.message, /codex\/codex \(not executable\)/);
      return true;
    });
  }));

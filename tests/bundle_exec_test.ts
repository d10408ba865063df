/**
 * A Codex client that runs its binary from a pinned bundle, end to end with the real CLI.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, link, mkdir, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { bundleSource, currentPlatform } from "../bundles/mod.ts";
import type { PlatformLabel } from "../bundles/mod.ts";
import { BundleError } from "../src/errors.ts";
import { sha256File } from "../src/fs/sha256_file.ts";
import { recordBundleEntry } from "../bundles/manifest.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { NATIVE_CODEX, NATIVE_CODEX_PATH_DIR, tempDir, TEST_CODEX_VERSION } from "./_codex.ts";

const PLATFORM = currentPlatform() ?? "unsupported-platform";
import { offlineClient } from "./_offline_codex.ts";

/** Lays out `<root>/<platform>/<version>/codex` (+ codex-path/rg) from the installed package. */
async function pinnedBundle(root: string, version: string): Promise<void> {
  const dir = join(root, PLATFORM, version);
  await mkdir(join(dir, "codex-path"), { recursive: true });
  // A hard link is a regular file inside the root and costs no copy of the 290 MB binary.
  await link(NATIVE_CODEX, join(dir, "codex")).catch(() =>
    copyFile(NATIVE_CODEX, join(dir, "codex"))
  );
  await link(join(NATIVE_CODEX_PATH_DIR, "rg"), join(dir, "codex-path", "rg"))
    .catch(() => copyFile(join(NATIVE_CODEX_PATH_DIR, "rg"), join(dir, "codex-path", "rg")));
}

test("Codex runs a turn with the binary of a pinned bundle and puts its path dir on PATH", async () => {
  await using root = await tempDir("codexkit-bundle-");
  await pinnedBundle(root.path, TEST_CODEX_VERSION);
  await using server = await startFakeResponsesServer([reply.message("from the bundle")]);
  await using client = await offlineClient(server, {
    bundle: bundleSource({ root: root.path, version: TEST_CODEX_VERSION }),
  });
  const binary = await client.codex.binary();
  assert.equal(binary.source, "bundle");
  assert.ok(binary.path.startsWith(root.path));
  assert.deepEqual(binary.pathDirs, [join(root.path, PLATFORM, TEST_CODEX_VERSION, "codex-path")]);
  const turn = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  }).run("x");
  assert.equal(turn.finalResponse, "from the bundle");
});

test("A missing bundle is an error, never a fallback to another codex", async () => {
  await using root = await tempDir("codexkit-bundle-");
  await using server = await startFakeResponsesServer([reply.message("unreachable")]);
  await using client = await offlineClient(server, {
    bundle: bundleSource({ root: root.path, version: TEST_CODEX_VERSION }),
  });
  await assert.rejects(
    client.codex.startThread({ skipGitRepoCheck: true, workingDirectory: client.work }).run("x"),
    (e: unknown) => e instanceof BundleError && e.message.includes(root.path),
  );
  assert.equal(server.requests.length, 0);
});

test("A bundled binary swapped after the first turn is refused on the next turn of the same client", async () => {
  await using root = await tempDir("codexkit-bundle-");
  await pinnedBundle(root.path, TEST_CODEX_VERSION);
  const binary = join(root.path, PLATFORM, TEST_CODEX_VERSION, "codex");
  await recordBundleEntry(root.path, TEST_CODEX_VERSION, PLATFORM as PlatformLabel, {
    sha256: await sha256File(binary),
    size: (await stat(binary)).size,
    source: { tarball: "http://127.0.0.1/codex.tgz", integrity: "sha512-x" },
    addedAt: new Date().toISOString(),
  });
  await using server = await startFakeResponsesServer([
    reply.message("from the bundle"),
    reply.message("from the swapped binary"),
  ]);
  await using client = await offlineClient(server, {
    bundle: bundleSource({
      root: root.path,
      version: TEST_CODEX_VERSION,
      verifiedDir: join(root.path, ".verified"),
    }),
  });
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  assert.equal((await thread.run("x")).finalResponse, "from the bundle");
  // Another program takes the binary's place, as a package manager's rename would.
  const staged = join(root.path, "staged");
  await writeFile(staged, "#!/bin/sh\necho swapped\n", { mode: 0o755 });
  await rename(staged, binary);
  await assert.rejects(
    thread.run("y"),
    (e: unknown) => e instanceof BundleError && /does not match bundle\.jsonc/.test(e.message),
  );
  assert.equal(server.requests.length, 1);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { codexTarball, startFakeRegistry } from "../bundles/_test_helpers.ts";
import { currentPlatform } from "../bundles/platform.ts";
import { latestStableReleases, releaseBinary, stableVersions } from "./releases.ts";

test("stableVersions keeps plain releases, oldest first", () => {
  assert.deepEqual(
    stableVersions([
      "0.169.0",
      "0.170.0-alpha.1",
      "0.163.0",
      "0.169.0-linux-x64",
      "0.99.0",
      "0.1.2504172351",
      "latest",
    ]),
    ["0.1.2504172351", "0.99.0", "0.163.0", "0.169.0"],
  );
});

test("latestStableReleases and releaseBinary use the registry once, then the cache", async () => {
  const platform = currentPlatform()!;
  const tarball = await codexTarball("0.2.0", platform);
  await using registry = await startFakeRegistry({
    "0.1.0": { tarball },
    "0.2.0": { tarball },
    [`0.2.0-${platform}`]: { tarball },
    "0.3.0-alpha.1": { tarball },
  });
  assert.deepEqual(await latestStableReleases(1, { registry: registry.url }), ["0.2.0"]);
  assert.deepEqual(await latestStableReleases(5, { registry: registry.url }), ["0.1.0", "0.2.0"]);
  await assert.rejects(latestStableReleases(0, { registry: registry.url }), TypeError);
  const dir = await mkdtemp(join(tmpdir(), "codexkit-releases-"));
  try {
    const first = await releaseBinary("0.2.0", { dir, registry: registry.url });
    assert.equal(first.downloaded, true);
    assert.equal(first.binary, join(dir, platform, "0.2.0", "codex"));
    const before = registry.requests.length;
    const again = await releaseBinary("0.2.0", { dir, registry: registry.url });
    assert.equal(again.downloaded, false);
    assert.equal(again.binary, first.binary);
    assert.equal(registry.requests.length, before, "a cached release makes no request");
    await assert.rejects(releaseBinary("../x", { dir }), TypeError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { compareVersions, parseVersion } from "./semver.ts";

test("parseVersion reads the CLI line with channel", () => {
  const table: [string, string | null, string | null][] = [
    ["codex-cli 0.169.0", "0.169.0", "stable"],
    ["codex-cli 0.170.0-alpha.2\n", "0.170.0-alpha.2", "alpha"],
    ["codex 1.0.0-beta", "1.0.0-beta", "beta"],
    ["1.2.3-rc.1+build.5", "1.2.3-rc.1", "rc"],
    ["0.1.0-2024.1", "0.1.0-2024.1", "prerelease"],
    ["Segmentation fault", null, null],
    ["", null, null],
    ["codex-cli 99999999999999999999.0.0", null, null],
  ];
  for (const [text, semver, channel] of table) {
    const v = parseVersion(text);
    assert.equal(v?.semver ?? null, semver, text);
    assert.equal(v?.channel ?? null, channel, text);
  }
});

test("compareVersions orders pre-releases by semver precedence", () => {
  const ordered = [
    "0.9.0",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.0.1",
    "1.2.0",
    "10.0.0",
  ];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      const c = Math.sign(compareVersions(ordered[i], ordered[j]));
      assert.equal(c, Math.sign(i - j), `${ordered[i]} vs ${ordered[j]}`);
    }
  }
  assert.equal(compareVersions("1.0.0+a", "1.0.0+b"), 0);
});

test("compareVersions rejects text that is not a version", () => {
  assert.throws(() => compareVersions("latest", "1.0.0"), TypeError);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { updateAdvisory } from "./advisory.ts";
import type { AdvisoryStatus, ReleaseTable } from "./advisory.ts";
import { knownSnapshot } from "./known.ts";
import { applyOverrides } from "./overrides.ts";

test("updateAdvisory compares the version with the release table", () => {
  const table: [string, ReleaseTable, AdvisoryStatus, string | undefined, RegExp][] = [
    ["0.169.0", { latest: { stable: "0.169.0" } }, "up_to_date", undefined, /latest stable/],
    [
      "0.169.0",
      { latest: { stable: "0.170.0" } },
      "update_recommended",
      "0.170.0",
      /0\.170\.0 \(stable\) is newer/,
    ],
    [
      "0.169.0",
      { latest: { stable: "0.171.0" }, minimum: "0.170.0" },
      "update_required",
      "0.171.0",
      /below the minimum supported version 0\.170\.0/,
    ],
    [
      "0.170.0-alpha.2",
      { latest: { alpha: "0.170.0-alpha.10", stable: "0.169.0" } },
      "update_recommended",
      "0.170.0-alpha.10",
      /\(alpha\)/,
    ],
    [
      "0.170.0-alpha.2",
      { latest: { alpha: "0.170.0-alpha.2", stable: "0.170.0" } },
      "update_recommended",
      "0.170.0",
      /\(stable\)/,
    ],
    [
      "0.170.0-beta.1",
      { latest: { beta: "0.170.0-beta.1", stable: "0.169.0" } },
      "up_to_date",
      undefined,
      /latest beta/,
    ],
    [
      "0.170.0-rc.1",
      { latest: { alpha: "0.171.0-alpha.1" } },
      "unknown",
      undefined,
      /No release is listed for channel rc/,
    ],
    [
      "1.0.0",
      { latest: { stable: "0.170.0" }, minimum: "0.100.0" },
      "up_to_date",
      undefined,
      /or newer/,
    ],
  ];
  for (const [version, releases, status, target, reason] of table) {
    const snap = applyOverrides(knownSnapshot("0.169.0")!, { version });
    const advice = updateAdvisory(snap, releases);
    assert.equal(advice.status, status, version + JSON.stringify(releases));
    assert.equal(advice.target, target, version);
    assert.match(advice.reason, reason, version);
  }
});

test("updateAdvisory says unknown without a version and rejects a bad table", () => {
  const snap = { ...knownSnapshot("0.169.0")!, version: null };
  assert.equal(updateAdvisory(snap, { latest: { stable: "0.170.0" } }).status, "unknown");
  assert.throws(
    () => updateAdvisory(snap, { latest: { stable: "latest" } }),
    /latest\.stable "latest"/,
  );
});

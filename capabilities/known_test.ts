import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { KNOWN_VERSIONS, knownSnapshot, RECORDED_COMMANDS } from "./known.ts";
import { probeCapabilities } from "./probe.ts";
import type { CapabilitySnapshot } from "./types.ts";

const NATIVE = fileURLToPath(
  new URL(
    "../node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
    import.meta.url,
  ),
);

function flagsByCommand(snapshot: CapabilitySnapshot): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(snapshot.commands).map(([path, info]) => [
      path,
      info.flags.map((f) => `${f.short ?? ""} ${f.long ?? ""} ${f.takesValue}`).sort(),
    ]),
  );
}

test("knownSnapshot 0.169.0 matches a live probe of the pinned CLI", async () => {
  const known = knownSnapshot("0.169.0");
  assert.ok(known, "capabilities/known/0.169.0.json is missing");
  const live = await probeCapabilities(NATIVE, { commands: RECORDED_COMMANDS });
  assert.deepEqual(live.gaps, []);
  assert.equal(
    live.version?.semver,
    known.version?.semver,
    "version: re-run capabilities/known/record.ts",
  );
  assert.deepEqual(live.features, known.features, "features: re-run capabilities/known/record.ts");
  assert.deepEqual(
    flagsByCommand(live),
    flagsByCommand(known),
    "flags: re-run capabilities/known/record.ts",
  );
});

test("knownSnapshot has no machine-specific data and returns fresh copies", () => {
  const a = knownSnapshot("0.169.0")!;
  assert.equal(a.source, "known");
  assert.equal(a.fingerprint, undefined);
  assert.deepEqual(a.gaps, []);
  a.features!.length = 0;
  assert.equal(knownSnapshot("0.169.0")!.features!.length, 215);
  assert.ok(KNOWN_VERSIONS.includes("0.169.0"));
  assert.equal(knownSnapshot("0.1.0"), undefined);
});

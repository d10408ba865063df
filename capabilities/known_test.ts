import { test } from "node:test";
import assert from "node:assert/strict";
import { NATIVE_CODEX, TEST_CODEX_VERSION } from "../tests/_codex.ts";
import { KNOWN_VERSIONS, knownSnapshot, RECORDED_COMMANDS } from "./known.ts";
import { probeCapabilities } from "./probe.ts";
import { compareVersions } from "./semver.ts";
import type { CapabilitySnapshot } from "./types.ts";

function flagsByCommand(snapshot: CapabilitySnapshot): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(snapshot.commands).map(([path, info]) => [
      path,
      info.flags.map((f) => `${f.short ?? ""} ${f.long ?? ""} ${f.takesValue}`).sort(),
    ]),
  );
}

const knownForTest = knownSnapshot(TEST_CODEX_VERSION);
const noSnapshot = knownForTest
  ? false
  : `codex ${TEST_CODEX_VERSION} has no capabilities/known/${TEST_CODEX_VERSION}.json (record it with scripts/record_known.ts)`;
if (noSnapshot) console.log(`skip: ${noSnapshot}`);

test("the known snapshot of the codex under test matches a live probe of it", {
  skip: noSnapshot,
}, async () => {
  const known = knownForTest!;
  const live = await probeCapabilities(NATIVE_CODEX, {
    commands: RECORDED_COMMANDS,
    timeoutMs: 20_000,
  });
  const hint = `re-run scripts/record_known.ts ${NATIVE_CODEX}`;
  assert.deepEqual(live.gaps, []);
  assert.equal(live.version?.semver, known.version?.semver, `version: ${hint}`);
  assert.deepEqual(live.features, known.features, `features: ${hint}`);
  assert.deepEqual(flagsByCommand(live), flagsByCommand(known), `flags: ${hint}`);
  assert.deepEqual(
    Object.fromEntries(Object.entries(live.commands).map(([p, c]) => [p, c.subcommands])),
    Object.fromEntries(Object.entries(known.commands).map(([p, c]) => [p, c.subcommands])),
    `subcommands: ${hint}`,
  );
});

test("every known snapshot is complete, machine-neutral and handed out as a fresh copy", () => {
  assert.ok(KNOWN_VERSIONS.length > 0);
  const sorted = [...KNOWN_VERSIONS].sort(compareVersions);
  assert.deepEqual([...KNOWN_VERSIONS], sorted, "KNOWN_VERSIONS is oldest first");
  for (const version of KNOWN_VERSIONS) {
    const a = knownSnapshot(version)!;
    assert.equal(a.version?.semver, version);
    assert.equal(a.source, "known");
    assert.equal(a.fingerprint, undefined);
    assert.deepEqual(a.gaps, []);
    // Older releases lack some pages (0.140.0 has no `exec fork`); the core ones are there.
    for (const path of Object.keys(a.commands)) assert.ok(RECORDED_COMMANDS.includes(path), path);
    for (const path of ["codex", "codex exec", "codex exec resume"]) {
      assert.ok(a.commands[path], `${version}: ${path}`);
    }
    const count = a.features!.length;
    assert.ok(count > 0);
    a.features!.length = 0;
    assert.equal(knownSnapshot(version)!.features!.length, count);
  }
  assert.equal(knownSnapshot("0.1.0"), undefined);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SnapshotVersionError } from "./errors.ts";
import {
  checkRelPath,
  newerVersion,
  readRollout,
  refuseNewer,
  restoreRollout,
  rolloutCliVersion,
} from "./snapshot.ts";

const meta = (version: string) =>
  JSON.stringify({ type: "session_meta", payload: { id: "t", cli_version: version } });

test("rolloutCliVersion reads the newest session_meta cli_version", () => {
  const text = [meta("0.168.0"), '{"type":"event_msg","payload":{}}', meta("0.170.1")].join("\n");
  assert.equal(rolloutCliVersion(new TextEncoder().encode(text)), "0.170.1");
  assert.equal(rolloutCliVersion(new TextEncoder().encode("not json\n")), undefined);
});

test("refuseNewer refuses a rollout of a newer codex with both versions named", () => {
  assert.doesNotThrow(() => refuseNewer("0.169.0", "0.169.0"));
  assert.doesNotThrow(() => refuseNewer("0.168.0", "0.169.0"));
  assert.throws(() => refuseNewer("0.171.0", "0.169.0"), (error: unknown) => {
    assert.ok(error instanceof SnapshotVersionError);
    assert.match(error.message, /codex 0\.171\.0 with codex 0\.169\.0/);
    return true;
  });
  assert.equal(newerVersion("0.170.0", "0.169.0"), "0.170.0");
  assert.equal(newerVersion(undefined, "0.169.0"), "0.169.0");
});

test("restoreRollout writes back to the same path under sessions/ and refuses any other path", async () => {
  const home = await mkdtemp(join(tmpdir(), "codexkit-snap-"));
  try {
    const rel = "2026/01/02/rollout-2026-01-02T03-04-05-0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000.jsonl";
    const path = await restoreRollout(home, rel, new TextEncoder().encode(meta("0.169.0")));
    assert.equal(path, join(home, "sessions", rel));
    assert.equal(await readFile(path, "utf8"), meta("0.169.0"));
    const back = await readRollout(home, "0199aaaa-bbbb-7ccc-8ddd-eeeeffff0000");
    assert.equal(back.relPath, rel);
    for (
      const bad of [
        "../auth.json",
        "2026/01/02/../../x.jsonl",
        "/etc/passwd",
        "2026/01/02/state_5.sqlite",
      ]
    ) {
      assert.throws(() => checkRelPath(bad), TypeError);
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

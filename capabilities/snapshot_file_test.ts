import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileFormatError } from "../src/errors.ts";
import { knownSnapshot } from "./known.ts";
import { applyOverrides } from "./overrides.ts";
import {
  formatSnapshot,
  parseOverrides,
  parseSnapshot,
  readOverridesFile,
  readSnapshotFile,
  writeSnapshotFile,
} from "./snapshot_file.ts";

test("writeSnapshotFile and readSnapshotFile round-trip a snapshot", async () => {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-snap-"));
  try {
    const path = join(dir, "pinned.json");
    await writeSnapshotFile(path, knownSnapshot("0.169.0")!);
    const back = await readSnapshotFile(path);
    assert.equal(back.source, "file");
    assert.deepEqual({ ...back, source: "known" }, knownSnapshot("0.169.0"));
    assert.deepEqual(await readdir(dir), ["pinned.json"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("parseSnapshot reads JSONC with comments and trailing commas", () => {
  const json = formatSnapshot(knownSnapshot("0.169.0")!);
  const jsonc = `// pinned by ops\n${
    json.replace('"schemaVersion": 1,', '"schemaVersion": 1, /* v1 */').replace(/\}\n$/, ",}\n")
  }`;
  assert.equal(parseSnapshot(jsonc).version?.semver, "0.169.0");
});

test("parseSnapshot throws FileFormatError with line and column, schema and shape problems", () => {
  const table: [string, RegExp, number | undefined][] = [
    ['{\n  "schemaVersion": 1,\n  "source": }', /ValueExpected at line 3, column 13/, 3],
    ["", /empty input/, 1],
    ['{"schemaVersion": 2}', /schema version 2, this SDK reads 1/, undefined],
    ['{"schemaVersion": 1, "source": "probe"}', /Cannot read snapshot pinned\.json: /, undefined],
  ];
  for (const [text, message, line] of table) {
    assert.throws(() => parseSnapshot(text, "pinned.json"), (error: unknown) => {
      assert.ok(error instanceof FileFormatError);
      assert.match(error.message, message);
      assert.equal(error.path, "pinned.json");
      assert.equal(error.line, line);
      return true;
    });
  }
});

test("parseOverrides reads JSONC overrides and they apply on top of a snapshot", async () => {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-ovr-"));
  try {
    const path = join(dir, "overrides.jsonc");
    await writeFile(
      path,
      `{
      // the fleet runs a patched build
      "version": "0.169.1",
      "features": { "apps": false, "apply_patch_freeform": { "stage": "stable" }, "plugins": null, "new_thing": true },
      "options": { "exec.fork": "unsupported" },
    }`,
    );
    const overrides = await readOverridesFile(path);
    assert.equal(overrides.options?.["exec.fork"], "unsupported");
    const snap = applyOverrides(knownSnapshot("0.169.0")!, overrides);
    assert.equal(snap.version?.semver, "0.169.1");
    const row = (name: string) => snap.features?.find((f) => f.name === name);
    assert.equal(row("apps")?.enabled, false);
    assert.equal(row("apply_patch_freeform")?.stage, "stable");
    assert.equal(row("plugins"), undefined);
    assert.deepEqual(row("new_thing"), { name: "new_thing", stage: "stable", enabled: true });
    assert.throws(
      () => parseOverrides('{"options": {"exec.fork": "maybe"}}', "o.json"),
      FileFormatError,
    );
    assert.throws(() => applyOverrides(snap, { version: "next" }), /overrides\.version/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

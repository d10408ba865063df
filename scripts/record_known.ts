/**
 * Records the committed snapshot of a codex version from the real binary:
 *
 *   node_modules/.bin/deno run -A capabilities/known/record.ts [path/to/native/codex]
 *
 * Writes capabilities/known/<version>.json without the fingerprint (machine specific) and
 * refuses to write a snapshot with gaps.
 *
 * @module
 */
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { RECORDED_COMMANDS } from "../known.ts";
import { probeCapabilities } from "../probe.ts";
import { writeSnapshotFile } from "../snapshot_file.ts";
import type { CapabilitySnapshot } from "../types.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const binary = process.argv[2] ??
  join(
    here,
    "../../node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
  );

const probed = await probeCapabilities(binary, { timeoutMs: 15000, commands: RECORDED_COMMANDS });
if (probed.gaps.length > 0 || !probed.version) {
  console.error(`Cannot record ${binary}: ${JSON.stringify(probed.gaps, null, 2)}`);
  process.exit(1);
}
const { fingerprint: _machineSpecific, ...rest } = probed;
const known: CapabilitySnapshot = { ...rest, source: "known" };
const out = join(here, `${probed.version.semver}.json`);
await writeSnapshotFile(out, known);
console.log(
  `Recorded ${out}: ${probed.features?.length} features, ${
    Object.keys(probed.commands).length
  } help pages`,
);

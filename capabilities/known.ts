/**
 * Committed snapshots of the codex versions this SDK pins and tests, recorded from the real
 * binaries by `capabilities/known/record.ts`. A fallback when probing is impossible.
 *
 * @module
 */
import * as v from "valibot";
import known0169 from "./known/0.169.0.json" with { type: "json" };
import { PROBED_COMMANDS } from "./probe.ts";
import { SnapshotSchema } from "./schema.ts";
import type { CapabilitySnapshot } from "./types.ts";

const RECORDED: Record<string, unknown> = { "0.169.0": known0169 };

/** The help pages a committed snapshot holds: the default ones and a few more. */
export const RECORDED_COMMANDS: readonly string[] = [
  ...PROBED_COMMANDS,
  "codex exec review",
  "codex app-server",
  "codex login",
];

/**

 * The versions that have a committed snapshot, oldest first.
 * @example List committed snapshots
 * ```ts
 * import { KNOWN_VERSIONS } from "@codexkit/sdk/capabilities";
 * KNOWN_VERSIONS.includes("0.169.0"); // true
 * ```
 */
export const KNOWN_VERSIONS: readonly string[] = Object.keys(RECORDED);

/**
 * The committed snapshot of `version` (`"0.169.0"`), or `undefined` when none is recorded.
 * It has no fingerprint and `source: "known"`. Each call returns a fresh copy.
 *
 * @example Fall back when probing is impossible
 * ```ts
 * import { knownSnapshot } from "@codexkit/sdk/capabilities";
 * const snapshot = knownSnapshot("0.169.0");
 * ```
 */
export function knownSnapshot(version: string): CapabilitySnapshot | undefined {
  const data = RECORDED[version];
  if (data === undefined) return undefined;
  return structuredClone(v.parse(SnapshotSchema, data));
}

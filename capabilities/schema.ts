/**
 * valibot schemas for snapshots and overrides read from files or the cache. Unknown fields
 * written by a newer SDK pass through.
 *
 * @module
 */
import * as v from "valibot";
import type { CapabilitySnapshot, Fingerprint } from "./types.ts";
import type { CapabilityOverrides } from "./overrides.ts";
import { GATE_ANSWERS } from "../src/options/gates.ts";

const VersionSchema = v.looseObject({
  raw: v.string(),
  semver: v.string(),
  major: v.number(),
  minor: v.number(),
  patch: v.number(),
  prerelease: v.array(v.string()),
  channel: v.string(),
});

const FeatureSchema = v.looseObject({
  name: v.string(),
  stage: v.string(),
  enabled: v.nullable(v.boolean()),
  extra: v.optional(v.array(v.string())),
});

const FlagSchema = v.looseObject({
  long: v.optional(v.string()),
  short: v.optional(v.string()),
  takesValue: v.boolean(),
  valueName: v.optional(v.string()),
  repeatable: v.optional(v.boolean()),
  values: v.optional(v.array(v.string())),
});

const CommandSchema = v.looseObject({
  flags: v.array(FlagSchema),
  subcommands: v.array(v.looseObject({ name: v.string(), aliases: v.array(v.string()) })),
});

/** Schema of a {@linkcode Fingerprint}. */
export const FingerprintSchema: v.GenericSchema<Fingerprint> = v.looseObject({
  path: v.string(),
  size: v.number(),
  mtimeMs: v.nullable(v.number()),
  ctimeMs: v.optional(v.nullable(v.number())),
  ino: v.optional(v.number()),
  dev: v.optional(v.number()),
  sha256: v.optional(v.string()),
  seenAtMs: v.optional(v.number()),
}) as v.GenericSchema<Fingerprint>;

/** Schema of a {@linkcode CapabilitySnapshot} (the schema version is checked separately). */
export const SnapshotSchema: v.GenericSchema<CapabilitySnapshot> = v.looseObject({
  schemaVersion: v.number(),
  source: v.picklist(["probe", "cache", "known", "file"]),
  collectedAt: v.string(),
  version: v.nullable(VersionSchema),
  features: v.nullable(v.array(FeatureSchema)),
  commands: v.record(v.string(), CommandSchema),
  fingerprint: v.optional(FingerprintSchema),
  gaps: v.array(v.looseObject({ step: v.string(), reason: v.string(), transient: v.boolean() })),
}) as v.GenericSchema<CapabilitySnapshot>;

/** Schema of {@linkcode CapabilityOverrides}. */
export const OverridesSchema: v.GenericSchema<CapabilityOverrides> = v.looseObject({
  version: v.optional(v.string()),
  features: v.optional(
    v.record(
      v.string(),
      v.union([
        v.null(),
        v.boolean(),
        v.looseObject({
          stage: v.optional(v.string()),
          enabled: v.optional(v.nullable(v.boolean())),
        }),
      ]),
    ),
  ),
  options: v.optional(v.record(v.string(), v.picklist(GATE_ANSWERS))),
}) as v.GenericSchema<CapabilityOverrides>;

/** Turns valibot issues into short "path: message" lines. */
export function issueLines(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.slice(0, 5).map((issue) => {
    const path = issue.path?.map((p) => String(p.key)).join(".") ?? "";
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

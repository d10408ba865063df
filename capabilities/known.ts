/**
 * Committed snapshots of the codex versions this SDK tests (the release matrix), recorded from
 * the real binaries by `scripts/record_known.ts`. A fallback when probing is impossible, and
 * the reference `codexkit drift --installed` compares with.
 *
 * @module
 */
import * as v from "valibot";
import type { AppServerSurface } from "./app_server_surface.ts";
import { RECORDED } from "./known/_recorded.ts";
import { PROBED_COMMANDS } from "./probe.ts";
import { SnapshotSchema } from "./schema.ts";
import { compareVersions } from "./semver.ts";
import type { CapabilitySnapshot } from "./types.ts";

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
export const KNOWN_VERSIONS: readonly string[] = Object.keys(RECORDED).sort(compareVersions);

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
  if (!Object.hasOwn(RECORDED, version)) return undefined;
  const { appServer: _surface, ...snapshot } = v.parse(SnapshotSchema, RECORDED[version]) as
    & CapabilitySnapshot
    & { appServer?: unknown };
  return structuredClone(snapshot);
}

/**
 * The app-server surface recorded with the committed snapshot of `version`, or `undefined`.
 *
 * @example Methods of a known release
 * ```ts
 * import { knownAppServerSurface } from "@codexkit/sdk/capabilities";
 * Object.keys(knownAppServerSurface("0.169.0")?.methods ?? {}).includes("thread/start"); // true
 * ```
 */
export function knownAppServerSurface(version: string): AppServerSurface | undefined {
  if (!Object.hasOwn(RECORDED, version)) return undefined;
  const surface = (RECORDED[version] as { appServer?: AppServerSurface }).appServer;
  return surface ? structuredClone(surface) : undefined;
}

/**
 * `@codexkit/sdk/capabilities`: learn what a codex binary supports before passing it a flag.
 *
 * Probe a binary ({@linkcode probeCapabilities}), cache the answer per binary in memory and on
 * disk ({@linkcode CapabilityCache}), check single capabilities ({@linkcode guard}), hand the
 * exec lane a gate ({@linkcode gateFromSnapshot}, or {@linkcode installedGate}, which a `Codex`
 * client uses by default), advise on updates ({@linkcode updateAdvisory}), and report what
 * changed between releases ({@linkcode compareReleases}). Committed snapshots of the tested
 * releases ({@linkcode knownSnapshot}) stand in when probing is impossible.
 *
 * @example Gate exec flags on the installed CLI
 * ```ts ignore
 * import { CapabilityCache, gateFromSnapshot } from "@codexkit/sdk/capabilities";
 *
 * const snapshot = await new CapabilityCache().get("/usr/local/bin/codex");
 * const gate = gateFromSnapshot(snapshot);
 * gate.support("exec.output-schema"); // "supported" on 0.169.0
 * ```
 *
 * @module
 */
export type {
  CapabilitySnapshot,
  Channel,
  CommandInfo,
  Feature,
  Fingerprint,
  Flag,
  Gap,
  SnapshotSource,
  Subcommand,
  VersionInfo,
} from "./types.ts";
export type { FeaturesParse } from "./parse_features.ts";
export type { HelpParse } from "./parse_help.ts";
export type { ProbeOptions, VersionProbe } from "./probe.ts";
export type { FingerprintOptions } from "./fingerprint.ts";
export type { CacheDecision, CacheFacts, CachePolicy, CacheVerdict } from "./ttl.ts";
export type { CacheRead } from "./disk_cache.ts";
export type { CapabilityCacheOptions, LookupOptions, LookupOrigin, LookupResult } from "./cache.ts";
export type { CapabilityOverrides, FeatureOverride } from "./overrides.ts";
export type { GuardResult } from "./guard.ts";
export type { GateOptions, SnapshotGate } from "./gate.ts";
export type { GatedBinary, InstalledGate, InstalledGateOptions } from "./installed_gate.ts";
export type { AppServerSurface, MethodFields } from "./app_server_surface.ts";
export type { DriftReport, DriftSection, DriftSide } from "./drift.ts";
export type { ReleaseBinary, ReleaseOptions } from "./releases.ts";
export type { BundleProgress } from "../bundles/add.ts";
export type { Advisory, AdvisoryStatus, ReleaseTable } from "./advisory.ts";
export type { GateAnswer, GatedOption, OptionGate } from "../src/options/gates.ts";
export type {
  ChildProcess,
  ExitStatus,
  RuntimeName,
  Spawner,
  SpawnOptions,
  StdinMode,
} from "../src/runtime/mod.ts";

export { SNAPSHOT_SCHEMA_VERSION } from "./types.ts";
export { compareVersions, parseVersion } from "./semver.ts";
export { parseFeaturesList } from "./parse_features.ts";
export { parseHelp } from "./parse_help.ts";
export { DEFAULT_PROBE_TIMEOUT_MS, probeCapabilities, probeVersion } from "./probe.ts";
export { fingerprintBinary } from "./fingerprint.ts";
export { decideCacheUse, DEFAULT_TTL_MS, effectiveTtl } from "./ttl.ts";
export { defaultCacheDir, readCacheFile, writeCacheFile } from "./disk_cache.ts";
export { CapabilityCache } from "./cache.ts";
export { applyOverrides } from "./overrides.ts";
export {
  formatSnapshot,
  parseOverrides,
  parseSnapshot,
  readOverridesFile,
  readSnapshotFile,
  writeSnapshotFile,
} from "./snapshot_file.ts";
export { answerOption, guard, listedValues } from "./guard.ts";
export { installedGate } from "./installed_gate.ts";
export { checkCodexRange, requireCodexVersion, versionSatisfies } from "./require.ts";
export { appServerSurfaceFromSchemas, readAppServerSurface } from "./app_server_surface.ts";
export { compareReleases, formatDrift, hasDrift } from "./drift.ts";
export {
  defaultReleaseCacheDir,
  latestStableReleases,
  releaseBinary,
  stableVersions,
} from "./releases.ts";
export { GATED_OPTIONS, gateFromSnapshot } from "./gate.ts";
export { updateAdvisory } from "./advisory.ts";
export {
  KNOWN_VERSIONS,
  knownAppServerSurface,
  knownSnapshot,
  RECORDED_COMMANDS,
} from "./known.ts";
export type { PlatformLabel } from "../bundles/platform.ts";
export type { RegistrySource } from "../bundles/registry.ts";

/**
 * Host overrides on top of any snapshot: pin the version, change single features, force gate
 * answers. Pure.
 *
 * @module
 */
import type { GateAnswer, GatedOption } from "../src/options/gates.ts";
import { parseVersion } from "./semver.ts";
import type { CapabilitySnapshot, Feature } from "./types.ts";

/** A change to one feature row: merged into the row, which is created when missing. */
export interface FeatureOverride {
  /** The stage to record (a created row defaults to `"stable"`). */
  stage?: string;
  /** The effective state to record. */
  enabled?: boolean | null;
}

/** What a host may override. Every field is optional. */
export interface CapabilityOverrides {
  /** Replaces the version (`"0.169.0"` or `"codex-cli 0.170.0-alpha.1"`). */
  version?: string;
  /**
   * Per feature: `null` removes it (treated as unsupported), `true`/`false` sets `enabled`
   * (creating a `stable` row when missing), an object merges into the row.
   */
  features?: Record<string, FeatureOverride | boolean | null>;
  /** Forces the gate's answer for single exec options. */
  options?: Partial<Record<GatedOption, GateAnswer>>;
}

/**
 * Returns a copy of `snapshot` with `overrides.version` and `overrides.features` applied
 * (`options` are applied by the gate). Throws a TypeError naming `overrides.version` when it
 * is not a semantic version.
 *
 * @example Pin the version, turn a feature off
 * ```ts ignore
 * const pinned = applyOverrides(snapshot, { version: "0.169.0", features: { apps: false } });
 * ```
 */
export function applyOverrides(
  snapshot: CapabilitySnapshot,
  overrides: CapabilityOverrides | undefined,
): CapabilitySnapshot {
  if (!overrides || (overrides.version === undefined && overrides.features === undefined)) {
    return snapshot;
  }
  const out: CapabilitySnapshot = { ...snapshot, gaps: [...snapshot.gaps] };
  if (overrides.version !== undefined) {
    const version = parseVersion(overrides.version);
    if (!version) {
      throw new TypeError(
        `Cannot apply option overrides.version: "${overrides.version}" is not a semantic version`,
      );
    }
    out.version = version;
    out.gaps = out.gaps.filter((g) => g.step !== "version");
  }
  if (overrides.features !== undefined) {
    const rows = new Map<string, Feature>((snapshot.features ?? []).map((f) => [f.name, f]));
    for (const [name, change] of Object.entries(overrides.features)) {
      const row = rows.get(name);
      if (change === null) {
        rows.delete(name);
      } else if (typeof change === "boolean") {
        rows.set(name, { ...(row ?? { name, stage: "stable" }), enabled: change });
      } else {
        const base: Feature = row ?? { name, stage: "stable", enabled: null };
        rows.set(name, {
          ...base,
          ...(change.stage !== undefined ? { stage: change.stage } : {}),
          ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
        });
      }
    }
    out.features = [...rows.values()];
  }
  return out;
}

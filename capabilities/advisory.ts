/**
 * Update advisory: compares a snapshot's version with a caller-supplied release table. Pure.
 *
 * @module
 */
import { compareVersions, parseVersion } from "./semver.ts";
import type { CapabilitySnapshot } from "./types.ts";

/** The latest release per channel (`{ stable: "0.170.0", alpha: "0.171.0-alpha.2" }`). */
export interface ReleaseTable {
  /** Latest version per channel. */
  latest: Record<string, string>;
  /** Versions below this one must be upgraded. */
  minimum?: string;
}

/** The advisory's verdict. `unknown` when the snapshot has no version or nothing to compare. */
export type AdvisoryStatus = "up_to_date" | "update_recommended" | "update_required" | "unknown";

/** A verdict, the version to move to, and why. */
export interface Advisory {
  /** The verdict. */
  status: AdvisoryStatus;
  /** The version the reason points to, when there is one. */
  target?: string;
  /** One sentence for an operator. */
  reason: string;
}

/**
 * `update_required` below `table.minimum`; `update_recommended` when the latest release of
 * the snapshot's channel, or the latest stable release, is newer (a pre-release is told when
 * its stable release is out); otherwise `up_to_date`. Throws a TypeError naming the table
 * entry that is not a semantic version.
 *
 * @example Advise an operator
 * ```ts ignore
 * const advice = updateAdvisory(snapshot, { latest: { stable: "0.170.0" }, minimum: "0.160.0" });
 * if (advice.status !== "up_to_date") console.warn(advice.reason);
 * ```
 */
export function updateAdvisory(snapshot: CapabilitySnapshot, table: ReleaseTable): Advisory {
  for (const [channel, text] of Object.entries(table.latest)) check(`latest.${channel}`, text);
  if (table.minimum !== undefined) check("minimum", table.minimum);
  const current = snapshot.version;
  if (!current) {
    return { status: "unknown", reason: "The CLI version is unknown (see the snapshot's gaps)" };
  }
  if (table.minimum !== undefined && compareVersions(current, table.minimum) < 0) {
    return {
      status: "update_required",
      target: newest([table.latest[current.channel], table.latest.stable, table.minimum]),
      reason: `codex ${current.semver} is below the minimum supported version ${table.minimum}`,
    };
  }
  const candidates: [string, string][] = [];
  if (table.latest[current.channel]) {
    candidates.push([current.channel, table.latest[current.channel]]);
  }
  if (current.channel !== "stable" && table.latest.stable) {
    candidates.push(["stable", table.latest.stable]);
  }
  if (candidates.length === 0) {
    return {
      status: "unknown",
      reason: `No release is listed for channel ${current.channel} or stable`,
    };
  }
  const newer = candidates.filter(([, v]) => compareVersions(v, current) > 0);
  if (newer.length === 0) {
    return {
      status: "up_to_date",
      reason: `codex ${current.semver} is the latest ${current.channel} release or newer`,
    };
  }
  const [channel, target] = newer.reduce((a, b) => (compareVersions(b[1], a[1]) > 0 ? b : a));
  return {
    status: "update_recommended",
    target,
    reason: `codex ${target} (${channel}) is newer than ${current.semver}`,
  };
}

function check(name: string, text: string): void {
  if (!parseVersion(text) || parseVersion(text)!.semver !== text.trim()) {
    throw new TypeError(
      `Cannot compare versions: table entry ${name} "${text}" is not a semantic version`,
    );
  }
}

function newest(versions: (string | undefined)[]): string | undefined {
  return versions.filter((v): v is string => v !== undefined)
    .reduce<string | undefined>(
      (a, b) => (a === undefined || compareVersions(b, a) > 0 ? b : a),
      undefined,
    );
}

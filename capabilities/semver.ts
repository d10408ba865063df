/**
 * Semantic versions: parsing, channel and precedence. Pure.
 *
 * @module
 */
import type { Channel, VersionInfo } from "./types.ts";

const SEMVER = /(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?/;

/**
 * Finds the first semantic version in `text` (`"codex-cli 0.169.0"` -> 0.169.0); `null` when
 * there is none. Build metadata is dropped: it does not take part in precedence.
 *
 * @example Read the CLI's version line
 * ```ts
 * import { parseVersion } from "@codexkit/sdk/capabilities";
 * parseVersion("codex-cli 0.170.0-alpha.2")?.channel; // "alpha"
 * ```
 */
export function parseVersion(text: string): VersionInfo | null {
  const match = SEMVER.exec(text);
  if (!match) return null;
  const [semverText, major, minor, patch, pre] = match;
  const prerelease = pre ? pre.split(".") : [];
  const nums = [major, minor, patch].map(Number);
  if (nums.some((n) => !Number.isSafeInteger(n))) return null;
  return {
    raw: text.trim(),
    semver: semverText.replace(/\+.*$/, ""),
    major: nums[0],
    minor: nums[1],
    patch: nums[2],
    prerelease,
    channel: channelOf(prerelease),
  };
}

/** `"stable"` for no pre-release, else the leading letters of the first identifier. */
export function channelOf(prerelease: readonly string[]): Channel {
  if (prerelease.length === 0) return "stable";
  const word = /^[A-Za-z]+/.exec(prerelease[0])?.[0];
  return word ? word.toLowerCase() : "prerelease";
}

/**
 * Semver precedence: negative when `a < b`, 0 when equal, positive when `a > b`. A release
 * outranks its pre-releases; numeric identifiers compare numerically and rank below
 * alphanumeric ones; a longer identifier list wins when all shared ones are equal.
 *
 * @example Order versions
 * ```ts
 * import { compareVersions } from "@codexkit/sdk/capabilities";
 * compareVersions("1.0.0-rc.1", "1.0.0") < 0; // true
 * ```
 */
export function compareVersions(a: VersionInfo | string, b: VersionInfo | string): number {
  const va = typeof a === "string" ? mustParse(a) : a;
  const vb = typeof b === "string" ? mustParse(b) : b;
  for (const key of ["major", "minor", "patch"] as const) {
    if (va[key] !== vb[key]) return va[key] - vb[key];
  }
  const pa = va.prerelease;
  const pb = vb.prerelease;
  if (pa.length === 0 || pb.length === 0) return pb.length - pa.length;
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = compareIdentifier(pa[i], pb[i]);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

function compareIdentifier(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Number(a) - Number(b);
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function mustParse(text: string): VersionInfo {
  const parsed = parseVersion(text);
  if (!parsed) throw new TypeError(`Cannot parse version "${text}": not a semantic version`);
  return parsed;
}

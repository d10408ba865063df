/**
 * Checks on the parts of a bundle path that come from callers, made before any file is touched.
 *
 * @module
 */
import { isPlatformLabel, PLATFORM_LABELS } from "./platform.ts";
import type { PlatformLabel } from "./platform.ts";

// A full semver version: it can hold no path separator, no `..` and no leading `/` by
// construction (every dot-separated identifier is non-empty).
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const MAX_VERSION_LENGTH = 128;

/**
 * Why `version` cannot name a bundle directory, or `undefined` when it can. Pure.
 * Accepts exact semver versions (`0.169.0`, `0.170.0-alpha.2`), never ranges or paths.
 */
export function versionProblem(version: unknown): string | undefined {
  if (typeof version !== "string") return "must be a string";
  if (version.length === 0) return "is empty";
  if (version.length > MAX_VERSION_LENGTH) return `is longer than ${MAX_VERSION_LENGTH} characters`;
  if (version.includes("..")) return 'contains ".."';
  if (/[\\/]/.test(version)) return "contains a path separator";
  if (!SEMVER.test(version)) return "is not an exact version like 0.169.0";
  return undefined;
}

/** Returns `version` when it is an exact version; throws a TypeError naming the option otherwise. */
export function validateVersion(version: unknown): string {
  const problem = versionProblem(version);
  if (problem !== undefined) {
    throw new TypeError(`Invalid option version: ${JSON.stringify(version)} ${problem}`);
  }
  return version as string;
}

/** Returns `platform` when it is a known label; throws a TypeError naming the option otherwise. */
export function validatePlatform(platform: unknown): PlatformLabel {
  if (!isPlatformLabel(platform)) {
    throw new TypeError(
      `Invalid option platform: ${JSON.stringify(platform)} is not one of ${
        PLATFORM_LABELS.join(", ")
      }`,
    );
  }
  return platform;
}

/** Returns `root` when it is a non-empty string; throws a TypeError naming the option otherwise. */
export function validateRoot(root: unknown): string {
  if (typeof root !== "string" || root.length === 0 || root.includes("\0")) {
    throw new TypeError(`Invalid option root: ${JSON.stringify(root)} is not a directory path`);
  }
  return root;
}

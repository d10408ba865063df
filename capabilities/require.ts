/**
 * The minimum (or any range of) codex a client accepts, said once as a semver range
 * (`requireCodex: ">=0.165.0"`) and checked against the binary's own `--version` before the
 * client's first turn spawns anything else.
 *
 * @module
 */
import { satisfies, validRange } from "semver";
import { UnsupportedError } from "../src/errors.ts";
import { probeVersion } from "./probe.ts";
import type { ProbeOptions } from "./probe.ts";

/**
 * Throws a TypeError naming the option when `range` is not a semver range (`">=0.165.0"`,
 * `"^0.170.0"`, `"0.169.x || >=0.171.0"`). Pure.
 */
export function checkCodexRange(range: string, option = "requireCodex"): void {
  if (validRange(range) === null) {
    throw new TypeError(
      `Cannot use ${option}: expected a semver range such as ">=0.165.0", got ${
        JSON.stringify(range)
      }`,
    );
  }
}

/**
 * Whether `version` is inside `range`. Pre-releases (`0.172.0-alpha.1`) count when their
 * numbers are inside the range: codex ships alphas that users run on purpose.
 */
export function versionSatisfies(version: string, range: string): boolean {
  return satisfies(version, range, { includePrerelease: true });
}

/**
 * Asks `binary` its version and throws {@linkcode UnsupportedError} (feature
 * `requireCodex`) naming the installed and the required version when it is outside `range`,
 * or when the version cannot be read at all.
 */
export async function requireCodexVersion(
  binary: string,
  range: string,
  options: Omit<ProbeOptions, "commands" | "hash"> = {},
): Promise<string> {
  checkCodexRange(range);
  const { version, gaps } = await probeVersion(binary, options);
  if (!version) {
    const why = gaps.map((g) => g.reason).join("; ");
    throw new UnsupportedError(
      `Cannot check requireCodex ${JSON.stringify(range)}: ${binary} did not tell its version${
        why ? ` (${why})` : ""
      }`,
      { feature: "requireCodex" },
    );
  }
  if (!versionSatisfies(version.semver, range)) {
    throw new UnsupportedError(
      `codex ${version.semver} is installed at ${binary}, but requireCodex asks for ${range}`,
      { feature: "requireCodex", version: version.semver },
    );
  }
  return version.semver;
}

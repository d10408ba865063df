/**
 * Guards: may a host use this feature, flag or subcommand with this CLI? Pure.
 *
 * @module
 */
import type { GateAnswer } from "../src/exec/gates.ts";
import { findFlag } from "./parse_help.ts";
import type { CapabilitySnapshot } from "./types.ts";

/** A guard's verdict with a note an operator can act on. */
export interface GuardResult {
  /** `supported`, `unsupported`, or `unknown` when the snapshot has a gap there. */
  status: GateAnswer;
  /** One sentence for an operator (what the CLI said, what to do). */
  note: string;
}

/**
 * Checks one capability in a snapshot. `feature` is one of
 * - a feature name from `codex features list` (`"plugins"`): supported unless absent or
 *   `removed`; the note tells the stage and how to enable a feature that is off;
 * - a command path (`"exec resume"`, `"codex exec fork"`): whether that subcommand exists;
 * - a command path and a flag (`"exec --output-schema"`, `"codex -a"`, or a bare `"--search"`
 *   for the top-level command): whether that help page lists the flag.
 *
 * Gate option names (`"exec.output-schema"`) are answered by `gateFromSnapshot(...).explain`.
 *
 * @example Check a feature and a flag
 * ```ts ignore
 * guard(snapshot, "plugins").status; // "supported"
 * guard(snapshot, "exec --output-schema").note; // "codex 0.169.0: `codex exec` accepts --output-schema"
 * ```
 */
export function guard(snapshot: CapabilitySnapshot, feature: string): GuardResult {
  const who = versionLabel(snapshot);
  const words = feature.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new TypeError("Cannot guard: argument feature is empty");
  const flagAt = words.findIndex((w) => w.startsWith("-"));
  if (flagAt !== -1 || words.length > 1 || words[0] === "codex") {
    const path = commandPath(flagAt === -1 ? words : words.slice(0, flagAt));
    return flagAt === -1
      ? guardCommand(snapshot, path, who)
      : guardFlag(snapshot, path, words[flagAt], who);
  }
  return guardFeature(snapshot, words[0], who);
}

/** Checks whether a help page (`"codex exec"`) lists `flag`. */
export function guardFlag(
  snapshot: CapabilitySnapshot,
  path: string,
  flag: string,
  who: string = versionLabel(snapshot),
): GuardResult {
  const info = snapshot.commands[path];
  if (!info) {
    const parent = guardCommand(snapshot, path, who);
    if (parent.status !== "supported") return parent;
    return {
      status: "unknown",
      note: `${who}: the help of \`${path}\` was not probed; cannot tell whether it takes ${flag}`,
    };
  }
  const found = findFlag(info, flag);
  return found ? { status: "supported", note: `${who}: \`${path}\` accepts ${flag}` } : {
    status: "unsupported",
    note: `${who}: \`${path}\` does not accept ${flag}; upgrade codex or leave the option out`,
  };
}

/** Checks whether a command path (`"codex exec fork"`) exists. */
export function guardCommand(
  snapshot: CapabilitySnapshot,
  path: string,
  who: string = versionLabel(snapshot),
): GuardResult {
  if (snapshot.commands[path]) return { status: "supported", note: `${who}: \`${path}\` exists` };
  const words = path.split(" ");
  if (words.length === 1) {
    return {
      status: "unknown",
      note: `${who}: the top-level help was not read (${gapReason(snapshot, "help:codex")})`,
    };
  }
  const parentPath = words.slice(0, -1).join(" ");
  const parent = snapshot.commands[parentPath];
  if (!parent) {
    const up = guardCommand(snapshot, parentPath, who);
    if (up.status === "unsupported") return up;
    return {
      status: "unknown",
      note: `${who}: the help of \`${parentPath}\` was not read (${
        gapReason(snapshot, `help:${parentPath}`)
      })`,
    };
  }
  const name = words[words.length - 1];
  const listed = parent.subcommands.some((s) => s.name === name || s.aliases.includes(name));
  return listed
    ? { status: "supported", note: `${who}: \`${parentPath}\` lists the subcommand ${name}` }
    : {
      status: "unsupported",
      note: `${who}: \`${parentPath}\` has no subcommand ${name}; upgrade codex`,
    };
}

function guardFeature(snapshot: CapabilitySnapshot, name: string, who: string): GuardResult {
  const row = snapshot.features?.find((f) => f.name === name);
  if (!row) {
    if (snapshot.features === null || snapshot.gaps.some((g) => g.step === "features")) {
      return {
        status: "unknown",
        note: `${who}: the feature list was not read (${gapReason(snapshot, "features")})`,
      };
    }
    return {
      status: "unsupported",
      note: `${who}: no feature named ${name}; check the spelling or upgrade codex`,
    };
  }
  const state = row.enabled === null
    ? "state not observed"
    : row.enabled
    ? "on by default"
    : "off by default";
  switch (row.stage) {
    case "removed":
      return {
        status: "unsupported",
        note: `${who}: feature ${name} was removed; stop relying on it`,
      };
    case "stable":
    case "experimental":
    case "under development":
    case "deprecated": {
      const hint = row.enabled === false ? `; turn it on with --enable ${name}` : "";
      const warn = row.stage === "deprecated" ? " and will go away" : "";
      return {
        status: "supported",
        note: `${who}: feature ${name} is ${row.stage}${warn}, ${state}${hint}`,
      };
    }
    default:
      return {
        status: "supported",
        note:
          `${who}: feature ${name} has a stage this SDK does not know ("${row.stage}"), ${state}`,
      };
  }
}

function commandPath(words: string[]): string {
  return words[0] === "codex" ? words.join(" ") : ["codex", ...words].join(" ");
}

function gapReason(snapshot: CapabilitySnapshot, step: string): string {
  return snapshot.gaps.find((g) => g.step === step)?.reason ?? "not part of this snapshot";
}

/** `"codex 0.169.0"`, or `"this codex"` when the version is unknown. */
export function versionLabel(snapshot: CapabilitySnapshot): string {
  return snapshot.version ? `codex ${snapshot.version.semver}` : "this codex";
}

/**
 * Guards: may a host use this feature, flag or subcommand with this CLI? Pure.
 *
 * @module
 */
import type { GateAnswer } from "../src/options/gates.ts";
import { findFlag } from "./parse_help.ts";
import type { CapabilitySnapshot } from "./types.ts";

/** A guard's verdict with a note an operator can act on. */
export interface GuardResult {
  /** `supported`, `unsupported`, or `unknown` when the snapshot has a gap there. */
  status: GateAnswer;
  /** One sentence for an operator (what the CLI said, what to do). */
  note: string;
}

/** The prefixes of gated option names (see `GatedOption`). */
const OPTION_NAME = /^(exec|config|app-server|command)\.[A-Za-z0-9_.-]+$/;

/**
 * Checks one capability in a snapshot. `feature` is, in the one naming scheme the gate uses:
 * - a gated option name (`"exec.output-schema"`, `"exec.fork"`, `"exec.resume.last"`,
 *   `"command.mcp"`, `"config.approval_policy"`, `"config.features.apps"`); see
 *   {@linkcode answerOption};
 * - a feature name from `codex features list` (`"plugins"`): supported unless absent or
 *   `removed`; the note tells the stage and how to enable a feature that is off.
 *
 * Throws a TypeError for anything else, naming the dotted spelling for the old
 * `"exec --output-schema"` form.
 *
 * @example Check a feature and a flag
 * ```ts ignore
 * guard(snapshot, "plugins").status; // "supported"
 * guard(snapshot, "exec.output-schema").note; // "codex 0.169.0: `codex exec` accepts --output-schema"
 * ```
 */
export function guard(snapshot: CapabilitySnapshot, feature: string): GuardResult {
  const name = typeof feature === "string" ? feature.trim() : "";
  if (name === "") throw new TypeError("Cannot guard: argument feature is empty");
  if (OPTION_NAME.test(name)) return answerOption(snapshot, name);
  if (/^[A-Za-z0-9_-]+$/.test(name)) return guardFeature(snapshot, name, versionLabel(snapshot));
  throw new TypeError(
    `Cannot guard ${JSON.stringify(feature)}: expected a feature name ("plugins") or a dotted ` +
      `option name ("${dottedName(name)}")`,
  );
}

// "exec --output-schema" -> "exec.output-schema", "codex exec fork" -> "exec.fork".
function dottedName(words: string): string {
  const parts = words.split(/\s+/).filter((w) => w !== "codex");
  const flagAt = parts.findIndex((w) => w.startsWith("-"));
  const path = flagAt === -1 ? parts : parts.slice(0, flagAt);
  const flag = flagAt === -1 ? [] : [parts[flagAt].replace(/^-+/, "")];
  if (path.length === 0) return ["command", ...flag].join(".");
  if (path[0] !== "exec" && path[0] !== "app-server" && flag.length === 0) {
    return ["command", ...path].join(".");
  }
  return [...path, ...flag].join(".");
}

/**
 * Top-level commands `codex --help` never lists (clap's hidden ones, "Internal: ..."): only
 * their own help page tells whether a release has them. `stdio-to-uds` is gone in 0.171.0.
 */
export const HIDDEN_COMMANDS: readonly string[] = ["stdio-to-uds", "responses-api-proxy"];

/** Subcommands of `codex exec` that `exec.<name>` means (rather than a flag `--<name>`). */
const EXEC_SUBCOMMANDS: readonly string[] = ["resume", "fork", "review"];

/**
 * Answers a gated option name generically from the help pages and features of `snapshot`:
 * - `exec.<flag>` / `exec.<sub>.<flag>`: the help of `codex exec` (or `codex exec <sub>`)
 *   lists `--<flag>`; `exec.resume`, `exec.fork`, `exec.review` (or any subcommand the help
 *   lists): that subcommand exists;
 * - `command.<sub>`: `codex --help` lists the subcommand;
 * - `app-server.<name>`: `codex app-server --help` lists the subcommand or `--<name>`;
 * - `config.approval_policy`: the top-level `--ask-for-approval` flag;
 *   `config.web_search`: `--search` or a `web_search*` feature; `config.features.<name>`: the
 *   feature row; other config keys: `unknown` (no probe step shows them).
 */
export function answerOption(
  snapshot: CapabilitySnapshot,
  option: string,
  who: string = versionLabel(snapshot),
): GuardResult {
  const dot = option.indexOf(".");
  const head = option.slice(0, dot);
  const rest = option.slice(dot + 1);
  switch (head) {
    case "exec":
      return underCommand(snapshot, "codex exec", rest, EXEC_SUBCOMMANDS, who);
    case "app-server":
      return underCommand(snapshot, "codex app-server", rest, [], who);
    case "command":
      return guardCommand(snapshot, `codex ${rest.split(".").join(" ")}`, who);
    case "config":
      return configAnswer(snapshot, rest, who);
    default:
      return { status: "unknown", note: `${who}: ${option} is not a gated option name` };
  }
}

function underCommand(
  snapshot: CapabilitySnapshot,
  base: string,
  rest: string,
  subcommands: readonly string[],
  who: string,
): GuardResult {
  const words = rest.split(".");
  if (words.length > 1) {
    const path = [base, ...words.slice(0, -1)].join(" ");
    return guardFlag(snapshot, path, `--${words[words.length - 1]}`, who);
  }
  const name = words[0];
  const listed = snapshot.commands[base]?.subcommands.some((s) =>
    s.name === name || s.aliases.includes(name)
  );
  if (listed || subcommands.includes(name)) return guardCommand(snapshot, `${base} ${name}`, who);
  return guardFlag(snapshot, base, `--${name}`, who);
}

function configAnswer(snapshot: CapabilitySnapshot, key: string, who: string): GuardResult {
  if (key === "approval_policy") return guardFlag(snapshot, "codex", "--ask-for-approval", who);
  if (key === "sandbox_mode") return guardFlag(snapshot, "codex", "--sandbox", who);
  if (key === "web_search") {
    const search = guardFlag(snapshot, "codex", "--search", who);
    if (search.status === "supported") return search;
    const row = snapshot.features?.find((f) => /^web_search/.test(f.name) && f.stage !== "removed");
    if (row) return { status: "supported", note: `${who}: feature ${row.name} is ${row.stage}` };
    return search;
  }
  if (key.startsWith("features.")) return guardFeature(snapshot, key.slice(9), who);
  return { status: "unknown", note: `${who}: no probe step shows whether config.${key} is read` };
}

/**
 * The values the CLI lists for a gated option, when its help page lists them: the flag's
 * possible values for `exec.*` and `app-server.*` flags, the top-level `-a` values for
 * `config.approval_policy` and the `-s` values for `config.sandbox_mode`.
 */
export function listedValues(snapshot: CapabilitySnapshot, option: string): string[] | undefined {
  if (option === "config.approval_policy") {
    return findFlag(snapshot.commands["codex"], "-a")?.values;
  }
  if (option === "config.sandbox_mode") return findFlag(snapshot.commands["codex"], "-s")?.values;
  const dot = option.indexOf(".");
  const head = option.slice(0, dot);
  if (head !== "exec" && head !== "app-server") return undefined;
  const words = option.slice(dot + 1).split(".");
  const path = [`codex ${head}`, ...words.slice(0, -1)].join(" ");
  return findFlag(snapshot.commands[path], `--${words[words.length - 1]}`)?.values;
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
  if (!listed && parentPath === "codex" && HIDDEN_COMMANDS.includes(name)) {
    return {
      status: "unknown",
      note: `${who}: \`${path}\` is hidden from \`codex --help\` and its own page was not read`,
    };
  }
  return listed
    ? { status: "supported", note: `${who}: \`${parentPath}\` lists the subcommand ${name}` }
    : {
      status: "unsupported",
      note: `${who}: \`${parentPath}\` has no subcommand ${name}; upgrade codex`,
    };
}

/** Checks one row of `codex features list`. */
export function guardFeature(snapshot: CapabilitySnapshot, name: string, who: string): GuardResult {
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

function gapReason(snapshot: CapabilitySnapshot, step: string): string {
  return snapshot.gaps.find((g) => g.step === step)?.reason ?? "not part of this snapshot";
}

/** `"codex 0.169.0"`, or `"this codex"` when the version is unknown. */
export function versionLabel(snapshot: CapabilitySnapshot): string {
  return snapshot.version ? `codex ${snapshot.version.semver}` : "this codex";
}

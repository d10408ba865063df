/**
 * Keeping codex's own credentials away from the commands the agent runs. Pure.
 *
 * codex hands its environment to the agent's shell (0.169.0: `shell_environment_policy`
 * defaults to inheriting everything, `KEY`/`TOKEN` names included), so the API key the SDK
 * gives codex as `CODEX_API_KEY` shows in `/proc/<pid>/environ` of every command and in the
 * shell snapshot codex writes to `$CODEX_HOME/shell_snapshots/*.sh` (left behind when codex is
 * killed). Excluding the names through `shell_environment_policy.exclude` keeps them out of
 * both, while codex itself still reads them (checked on 0.169.0).
 *
 * A `--config` list replaces the list of every file layer (0.169.0), so the SDK's names are
 * added to the list in force, never sent alone: a name the user hides stays hidden.
 *
 * @module
 */
import { flattenConfigEntries } from "../config/toml_literal.ts";
import type { CodexConfigObject } from "../options.ts";

/** The variables kept from the agent's commands unless the caller sets a policy of their own. */
export const SHELL_ENV_EXCLUDED: readonly string[] = Object.freeze([
  "CODEX_API_KEY",
  "OPENAI_API_KEY",
]);

const POLICY = "shell_environment_policy";
const EXCLUDE = `${POLICY}.exclude`;

/**
 * The config to pass to codex, flattened to dotted keys, with `shell_environment_policy.exclude`
 * set to the list in force plus {@linkcode SHELL_ENV_EXCLUDED} and `extra` (the variables the
 * run adds for MCP servers and tools). The list in force is the caller's own `exclude` in
 * `config` when given, else `configured` (what the home's `config.toml` and active profile
 * file set; see `configuredShellEnvExclude`).
 *
 * When the caller chose a policy of their own (any other `shell_environment_policy` key in
 * `config`, e.g. `inherit = "all"`) it stays theirs: only `extra` joins their `exclude` list.
 * A policy in the raw `overrides`, or an `exclude` that is not a list of strings (codex
 * reports it), leaves the config unchanged: nothing can be merged with it.
 */
export function withShellEnvExclusion(
  config: CodexConfigObject | undefined,
  overrides: readonly string[] = [],
  configured: readonly string[] = [],
  extra: readonly string[] = [],
): CodexConfigObject | undefined {
  if (overrides.some((raw) => raw.trimStart().startsWith(POLICY))) return config;
  const flat: CodexConfigObject = {};
  for (const [path, value] of flattenConfigEntries(config ?? {})) {
    flat[path] = value as CodexConfigObject[string];
  }
  const chosen = Object.keys(flat).filter((k) => k === POLICY || k.startsWith(`${POLICY}.`));
  const own = flat[EXCLUDE];
  if (own !== undefined && !(Array.isArray(own) && own.every((v) => typeof v === "string"))) {
    return config;
  }
  const theirs = chosen.some((key) => key !== EXCLUDE);
  if (theirs && extra.length === 0) return config;
  const names = theirs
    ? [...(own as string[] | undefined ?? []), ...extra]
    : [...(own as string[] | undefined ?? configured), ...SHELL_ENV_EXCLUDED, ...extra];
  flat[EXCLUDE] = names.filter((name, i) => names.indexOf(name) === i);
  return flat;
}

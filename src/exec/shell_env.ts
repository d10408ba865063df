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
 * @module
 */
import { encodeTomlValue, flattenConfigEntries } from "../config/toml_literal.ts";
import type { CodexConfigObject } from "../options.ts";

/** The variables kept from the agent's commands unless the caller sets a policy of their own. */
export const SHELL_ENV_EXCLUDED: readonly string[] = Object.freeze([
  "CODEX_API_KEY",
  "OPENAI_API_KEY",
]);

const POLICY = "shell_environment_policy";

/**
 * The `--config` pair that keeps {@linkcode SHELL_ENV_EXCLUDED} and `extra` (variables the run
 * adds for MCP servers and tools) from the agent's commands. When the caller already chose a
 * `shell_environment_policy` (in `config`, nested or as a dotted key, or in raw overrides) their
 * choice stays theirs: nothing is added, except that `extra` joins a policy given in `config`
 * (its own `exclude` list kept). A policy given only in raw overrides cannot be merged with.
 */
export function shellEnvPolicyArgs(
  config: CodexConfigObject | undefined,
  overrides: readonly string[] = [],
  extra: readonly string[] = [],
): string[] {
  const key = `${POLICY}.exclude`;
  if (config && Object.keys(config).some((k) => k === POLICY || k.startsWith(`${POLICY}.`))) {
    if (extra.length === 0) return [];
    const own = flattenConfigEntries(config).find(([path]) => path === key)?.[1];
    const exclude = [...(Array.isArray(own) ? own : []), ...extra];
    return ["--config", `${key}=${encodeTomlValue(exclude, key)}`];
  }
  if (overrides.some((raw) => raw.trimStart().startsWith(POLICY))) return [];
  return ["--config", `${key}=${encodeTomlValue([...SHELL_ENV_EXCLUDED, ...extra], key)}`];
}

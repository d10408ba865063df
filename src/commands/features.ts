/**
 * `codex features list | enable | disable`: the feature flags and where they stand.
 *
 * @module
 */
import { exitError, runSubcommand } from "./run_command.ts";
import type { RunCommandOptions } from "./run_command.ts";

/** One row of `codex features list`. */
export interface FeatureFlag {
  /** The flag's key, as `--enable` / `features.<name>` take it. */
  name: string;
  /** `stable`, `experimental`, `under development`, `deprecated`, `removed`, or a newer stage. */
  stage: string;
  /** Whether it is on with the config and flags of this call. */
  enabled: boolean;
}

/** What `features enable` / `features disable` did. */
export interface FeatureChange {
  /** The flag. */
  name: string;
  /** Its value in `config.toml` now. */
  enabled: boolean;
  /** The CLI's own message. */
  message: string;
}

const ROW = /^(\S+)\s+(\S.*?)\s+(true|false)$/;

/**
 * Parses the table `codex features list` prints (`name  stage  true|false`, no JSON on
 * 0.169.0). Pure; a row it cannot read is an error rather than a silent gap.
 */
export function parseFeaturesList(text: string): FeatureFlag[] {
  const flags: FeatureFlag[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    const match = ROW.exec(trimmed);
    if (!match) {
      throw new TypeError(
        `Cannot parse the feature list: line ${JSON.stringify(trimmed.slice(0, 120))}`,
      );
    }
    flags.push({ name: match[1], stage: match[2], enabled: match[3] === "true" });
  }
  return flags;
}

/**
 * Lists every feature flag with its stage and effective state (`codex features list`).
 *
 * @example Which flags are on
 * ```ts ignore
 * import { featuresList } from "@codexkit/sdk/commands";
 * const on = (await featuresList({ codexHome })).filter((f) => f.enabled).map((f) => f.name);
 * ```
 */
export async function featuresList(options: RunCommandOptions = {}): Promise<FeatureFlag[]> {
  const result = await runSubcommand(["features"], ["features", "list"], {
    ...options,
    check: true,
  });
  return parseFeaturesList(result.stdout);
}

/** Turns a feature on in `CODEX_HOME/config.toml` (`codex features enable <name>`). */
export function featuresEnable(
  name: string,
  options: RunCommandOptions = {},
): Promise<FeatureChange> {
  return change("enable", name, options);
}

/** Turns a feature off in `CODEX_HOME/config.toml` (`codex features disable <name>`). */
export function featuresDisable(
  name: string,
  options: RunCommandOptions = {},
): Promise<FeatureChange> {
  return change("disable", name, options);
}

async function change(
  verb: "enable" | "disable",
  name: string,
  options: RunCommandOptions,
): Promise<FeatureChange> {
  if (typeof name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new TypeError(
      `Cannot ${verb} the feature: name must be a feature key (letters, digits, _ . -), got ${
        JSON.stringify(name)
      }`,
    );
  }
  const result = await runSubcommand(["features"], ["features", verb, name], options);
  if (result.exitCode !== 0) throw exitError(result);
  return { name, enabled: verb === "enable", message: result.stdout.trim() };
}

/**
 * `codex execpolicy check`: what a set of `.rules` files decides for one command.
 *
 * @module
 */
import { exitError, parseJsonOutput, runSubcommand } from "./run_command.ts";
import type { RunCommandOptions } from "./run_command.ts";

/** What a policy decides for a command. */
export type ExecPolicyDecision = "allow" | "prompt" | "forbidden";

/** A rule that matched, as the CLI reports it (wire names kept). */
export type ExecPolicyRuleMatch =
  | {
    prefixRuleMatch: {
      matchedPrefix: string[];
      decision: ExecPolicyDecision;
      justification?: string;
      [key: string]: unknown;
    };
  }
  | { [kind: string]: unknown };

/** The outcome of {@linkcode execpolicyCheck}. */
export interface ExecPolicyResult {
  /** The strictest decision of the matched rules, or `null` when no rule matched. */
  decision: ExecPolicyDecision | null;
  /** Every rule that matched, in the CLI's order. */
  matchedRules: ExecPolicyRuleMatch[];
}

/** Options of {@linkcode execpolicyCheck}. */
export interface ExecPolicyCheckOptions extends RunCommandOptions {
  /** Match absolute program paths against basename rules (`--resolve-host-executables`). */
  resolveHostExecutables?: boolean;
}

/** The argv of `codex execpolicy check`. Pure. */
export function execpolicyCheckArgs(
  rules: string | readonly string[],
  command: readonly string[],
  options: Pick<ExecPolicyCheckOptions, "resolveHostExecutables"> = {},
): string[] {
  const files = typeof rules === "string" ? [rules] : rules;
  if (
    !Array.isArray(files) || files.length === 0 ||
    !files.every((f) => typeof f === "string" && f !== "")
  ) {
    throw new TypeError("Cannot check the exec policy: rules must be one or more file paths");
  }
  if (
    !Array.isArray(command) || command.length === 0 ||
    !command.every((c) => typeof c === "string")
  ) {
    throw new TypeError("Cannot check the exec policy: command must be a non-empty array of words");
  }
  const args = ["execpolicy", "check"];
  for (const file of files) args.push("--rules", file);
  if (options.resolveHostExecutables) args.push("--resolve-host-executables");
  // The command's words go after `--` so a word like `-rf` is never read as a flag.
  return [...args, "--", ...command];
}

/**
 * Checks `command` (its words, e.g. `["git", "push"]`) against `.rules` files.
 *
 * @example
 * ```ts ignore
 * import { execpolicyCheck } from "@codexkit/sdk/commands";
 * const { decision, matchedRules } = await execpolicyCheck("policy.rules", ["git", "push"]);
 * ```
 */
export async function execpolicyCheck(
  rules: string | readonly string[],
  command: readonly string[],
  options: ExecPolicyCheckOptions = {},
): Promise<ExecPolicyResult> {
  const args = execpolicyCheckArgs(rules, command, options);
  const { resolveHostExecutables: _r, ...run } = options;
  const result = await runSubcommand(["execpolicy"], args, run);
  if (result.exitCode !== 0) throw exitError(result);
  return parseExecPolicyOutput(parseJsonOutput(result));
}

/** Reads the JSON `execpolicy check` prints. Pure. */
export function parseExecPolicyOutput(value: unknown): ExecPolicyResult {
  const out = value as { decision?: unknown; matchedRules?: unknown };
  if (typeof out !== "object" || out === null || !Array.isArray(out.matchedRules)) {
    throw new TypeError("Cannot read the exec policy result: expected { matchedRules: [...] }");
  }
  const decision = out.decision === undefined || out.decision === null
    ? null
    : String(out.decision) as ExecPolicyDecision;
  return { decision, matchedRules: out.matchedRules as ExecPolicyRuleMatch[] };
}

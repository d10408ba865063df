/**
 * `codex sandbox`: run a command inside the sandbox codex gives the agent's commands
 * (Landlock + seccomp on Linux, Seatbelt on macOS, a restricted token on Windows).
 *
 * @module
 */
import { runSubcommand } from "./run_command.ts";
import type { CommandResult, RunCommandOptions } from "./run_command.ts";

/** Options of {@linkcode sandboxRun}. */
export interface SandboxRunOptions extends RunCommandOptions {
  /** A named permissions profile from the config (`--permission-profile`). */
  permissionProfile?: string;
  /** A config profile layered on top (`--profile`). */
  profile?: string;
  /** Working directory for profile resolution and the command (`--cd`). */
  cd?: string;
}

/** The argv of `codex sandbox`. Pure. */
export function sandboxArgs(
  command: readonly string[],
  options: Pick<SandboxRunOptions, "permissionProfile" | "profile" | "cd"> = {},
): string[] {
  if (
    !Array.isArray(command) || command.length === 0 ||
    !command.every((c) => typeof c === "string")
  ) {
    throw new TypeError("Cannot run in the sandbox: command must be a non-empty array of words");
  }
  const args = ["sandbox"];
  for (
    const [key, flag] of [["permissionProfile", "--permission-profile"], [
      "profile",
      "--profile",
    ], ["cd", "--cd"]] as const
  ) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || value === "") {
      throw new TypeError(`Cannot run in the sandbox: options.${key} must be a non-empty string`);
    }
    args.push(flag, value);
  }
  return [...args, "--", ...command];
}

/**
 * Runs `command` in codex's sandbox and resolves with its exit code and output (a non-zero
 * exit is the command's, not an error; set `check` to make it one). By default the sandbox
 * lets the command read everything and write nowhere; the config's `sandbox_mode` and
 * permission profiles widen it. Tested on Linux; on macOS the same call uses Seatbelt.
 *
 * @example
 * ```ts ignore
 * import { sandboxRun } from "@codexkit/sdk/commands";
 * const { exitCode, stderr } = await sandboxRun(["touch", "/etc/x"]); // exitCode 1: read-only
 * ```
 */
export async function sandboxRun(
  command: readonly string[],
  options: SandboxRunOptions = {},
): Promise<CommandResult> {
  const args = sandboxArgs(command, options);
  const { permissionProfile: _p, profile: _f, cd: _c, ...run } = options;
  return await runSubcommand(["sandbox"], args, run);
}

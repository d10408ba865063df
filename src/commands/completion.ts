/**
 * `codex completion <shell>`: the shell completion script.
 *
 * @module
 */
import { runSubcommand } from "./run_command.ts";
import type { RunCommandOptions } from "./run_command.ts";

/** Shells `codex completion` writes scripts for. */
export type CompletionShell = "bash" | "elvish" | "fish" | "powershell" | "zsh";

const SHELLS: readonly CompletionShell[] = ["bash", "elvish", "fish", "powershell", "zsh"];

/**
 * The completion script for `shell`.
 *
 * @example
 * ```ts ignore
 * import { completion } from "@codexkit/sdk/commands";
 * await Deno.writeTextFile("_codex", await completion("zsh"));
 * ```
 */
export async function completion(
  shell: CompletionShell,
  options: RunCommandOptions = {},
): Promise<string> {
  if (!SHELLS.includes(shell)) {
    throw new TypeError(
      `Cannot write a completion script: shell must be one of ${SHELLS.join(", ")}, got ${
        JSON.stringify(shell)
      }`,
    );
  }
  const result = await runSubcommand(["completion"], ["completion", shell], {
    ...options,
    check: true,
  });
  return result.stdout;
}

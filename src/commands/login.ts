/**
 * `codex login status` through the home helpers, gated like every other command.
 *
 * @module
 */
import { homedir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { authStatus } from "../home/auth.ts";
import type { AuthStatus } from "../home/auth.ts";
import { checkCommandOptions, prepareCommand } from "./_prepare.ts";
import type { CodexCommandOptions } from "./_prepare.ts";

/**
 * Whether the home is logged in and how (`codex login status`, read by content: 0.169.0
 * prints it on stderr). The home is `codexHome`, else `CODEX_HOME` of `env`, else
 * `~/.codex`. A logged-out or broken home is a result, not an error.
 *
 * @example
 * ```ts ignore
 * import { loginStatus } from "@codexkit/sdk/commands";
 * const status = await loginStatus({ codexHome });
 * if (status.kind === "api_key") console.log(status.maskedKey);
 * ```
 */
export async function loginStatus(options: CodexCommandOptions = {}): Promise<AuthStatus> {
  checkCommandOptions(options);
  const env = options.env ?? process.env as Record<string, string>;
  const home = options.codexHome ?? env.CODEX_HOME ?? join(homedir(), ".codex");
  const prepared = await prepareCommand(["login"], [], { ...options, codexHome: home });
  return await authStatus(home, {
    codexPathOverride: prepared.binary.path,
    env: { ...prepared.env },
    config: options.config,
    disable: options.disable,
    signal: options.signal,
  });
}

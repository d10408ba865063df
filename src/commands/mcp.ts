/**
 * `codex mcp add | list | get | remove | login | logout`: the MCP servers codex starts, as
 * stored in `CODEX_HOME/config.toml`.
 *
 * @module
 */
import { commandWords, exitError, parseJsonOutput, runSubcommand } from "./run_command.ts";
import type { CommandResult, RunCommandOptions } from "./run_command.ts";

/** A server codex launches itself and talks to over stdio. */
export interface McpStdioServer {
  /** The program to run. */
  command: string;
  /** Its arguments. */
  args?: readonly string[];
  /** Environment variables set for it (`--env KEY=VALUE`). */
  env?: Readonly<Record<string, string>>;
}

/** A streamable HTTP server. */
export interface McpHttpServer {
  /** The server's URL. */
  url: string;
  /** Variable holding a bearer token (`--bearer-token-env-var`); the token never enters argv. */
  bearerTokenEnvVar?: string;
  /** Pre-registered OAuth client id (`--oauth-client-id`). */
  oauthClientId?: string;
  /** OAuth resource parameter (`--oauth-resource`). */
  oauthResource?: string;
}

/** How a server is reached, as `codex mcp list --json` reports it (wire names kept). */
export type McpTransport =
  | {
    type: "stdio";
    command: string;
    args: string[];
    env: Record<string, string> | null;
    env_vars: string[];
    cwd: string | null;
  }
  | {
    type: "streamable_http";
    url: string;
    bearer_token_env_var: string | null;
    http_headers: Record<string, string> | null;
    env_http_headers: Record<string, string> | null;
    [key: string]: unknown;
  }
  | { type: string; [key: string]: unknown };

/** One configured server, as `codex mcp list --json` / `get --json` print it. */
export interface McpServerInfo {
  /** The server's name (the key under `mcp_servers`). */
  name: string;
  /** Whether codex starts it. */
  enabled: boolean;
  /** Why it is disabled, when it is. */
  disabled_reason: string | null;
  /** How it is reached. */
  transport: McpTransport;
  /** Startup timeout, in seconds, when set. */
  startup_timeout_sec: number | null;
  /** Per-tool timeout, in seconds, when set. */
  tool_timeout_sec: number | null;
  /** `unsupported`, `bearer_token`, `o_auth`, `not_logged_in` ... (list only). */
  auth_status?: string;
  /** Whatever else a newer CLI reports. */
  [key: string]: unknown;
}

const NAME = /^[A-Za-z0-9_-]+$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(name: unknown, what: string): asserts name is string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new TypeError(
      `Cannot ${what}: name must be letters, digits, _ or -, got ${JSON.stringify(name)}`,
    );
  }
}

/**
 * The argv of `codex mcp add`. Pure. A stdio server's command goes after `--` so its own
 * flags are never read as codex's.
 */
export function mcpAddArgs(name: string, server: McpStdioServer | McpHttpServer): string[] {
  checkName(name, "add the MCP server");
  if (typeof server !== "object" || server === null) {
    throw new TypeError("Cannot add the MCP server: server must be an object");
  }
  const args = ["mcp", "add", name];
  if ("url" in server && server.url !== undefined) {
    if ("command" in server) {
      throw new TypeError("Cannot add the MCP server: server takes url or command, not both");
    }
    if (typeof server.url !== "string" || !/^https?:\/\//.test(server.url)) {
      throw new TypeError(
        `Cannot add the MCP server: server.url must be an http(s) URL, got ${
          JSON.stringify(server.url)
        }`,
      );
    }
    args.push("--url", server.url);
    if (server.bearerTokenEnvVar !== undefined) {
      if (!ENV_KEY.test(server.bearerTokenEnvVar)) {
        throw new TypeError(
          "Cannot add the MCP server: server.bearerTokenEnvVar must be a variable name",
        );
      }
      args.push("--bearer-token-env-var", server.bearerTokenEnvVar);
    }
    if (server.oauthClientId !== undefined) args.push("--oauth-client-id", server.oauthClientId);
    if (server.oauthResource !== undefined) args.push("--oauth-resource", server.oauthResource);
    return args;
  }
  const stdio = server as McpStdioServer;
  if (typeof stdio.command !== "string" || stdio.command.length === 0) {
    throw new TypeError("Cannot add the MCP server: server.command or server.url is required");
  }
  for (const [key, value] of Object.entries(stdio.env ?? {})) {
    if (!ENV_KEY.test(key) || typeof value !== "string") {
      throw new TypeError(
        `Cannot add the MCP server: server.env.${key} must be a string under a variable name`,
      );
    }
    args.push("--env", `${key}=${value}`);
  }
  const rest = stdio.args ?? [];
  if (!Array.isArray(rest) || !rest.every((a) => typeof a === "string")) {
    throw new TypeError("Cannot add the MCP server: server.args must be an array of strings");
  }
  args.push("--", stdio.command, ...rest);
  return args;
}

/**
 * Adds (or replaces) a server in `config.toml` (`codex mcp add`). Values of `server.env` are
 * scrubbed from errors.
 *
 * @example A stdio server
 * ```ts ignore
 * import { mcpAdd, mcpList } from "@codexkit/sdk/commands";
 * await mcpAdd("files", { command: "node", args: ["server.js"] }, { codexHome });
 * console.log((await mcpList({ codexHome })).map((s) => s.name));
 * ```
 */
export async function mcpAdd(
  name: string,
  server: McpStdioServer | McpHttpServer,
  options: RunCommandOptions = {},
): Promise<void> {
  const args = mcpAddArgs(name, server);
  const envValues = "command" in server ? Object.values(server.env ?? {}) : [];
  const result = await runSubcommand(["mcp"], args, {
    ...options,
    secrets: [...(options.secrets ?? []), ...envValues],
  });
  if (result.exitCode !== 0) throw exitError(result);
}

/** Every configured server (`codex mcp list --json`). */
export async function mcpList(options: RunCommandOptions = {}): Promise<McpServerInfo[]> {
  const result = await runSubcommand(["mcp"], ["mcp", "list", "--json"], options);
  if (result.exitCode !== 0) throw exitError(result);
  const list = parseJsonOutput(result);
  if (!Array.isArray(list)) throw notShaped(result, "an array");
  return list as McpServerInfo[];
}

/** One server, or `undefined` when none has that name (`codex mcp get <name> --json`). */
export async function mcpGet(
  name: string,
  options: RunCommandOptions = {},
): Promise<McpServerInfo | undefined> {
  checkName(name, "get the MCP server");
  const result = await runSubcommand(["mcp"], ["mcp", "get", name, "--json"], options);
  if (result.exitCode !== 0) {
    if (/No MCP server named/.test(result.stderr)) return undefined;
    throw exitError(result);
  }
  const info = parseJsonOutput(result);
  if (typeof info !== "object" || info === null) throw notShaped(result, "an object");
  return info as McpServerInfo;
}

/** Removes a server; resolves `false` when there was none by that name (`codex mcp remove`). */
export async function mcpRemove(name: string, options: RunCommandOptions = {}): Promise<boolean> {
  checkName(name, "remove the MCP server");
  const result = await runSubcommand(["mcp"], ["mcp", "remove", name], options);
  if (result.exitCode !== 0) throw exitError(result);
  return !/No MCP server named/.test(result.stdout + result.stderr);
}

/** Options of {@linkcode mcpLogin}. */
export interface McpLoginOptions extends RunCommandOptions {
  /** OAuth scopes to request (`--scopes a,b`). */
  scopes?: readonly string[];
  /** Print the authorization URL instead of opening a browser (`--no-browser`). */
  noBrowser?: boolean;
  /** Client registration strategy for this login (`--oauth-client-registration`). */
  clientRegistration?: "auto" | "cimd" | "dcr";
}

/** The argv of `codex mcp login`. Pure. */
export function mcpLoginArgs(name: string, options: McpLoginOptions = {}): string[] {
  checkName(name, "log in to the MCP server");
  const args = ["mcp", "login", name];
  if (options.scopes !== undefined) {
    if (
      !Array.isArray(options.scopes) ||
      !options.scopes.every((s) => typeof s === "string" && s !== "" && !s.includes(","))
    ) {
      throw new TypeError("Cannot log in to the MCP server: options.scopes must list scope names");
    }
    args.push("--scopes", options.scopes.join(","));
  }
  if (options.noBrowser) args.push("--no-browser");
  if (options.clientRegistration !== undefined) {
    if (!["auto", "cimd", "dcr"].includes(options.clientRegistration)) {
      throw new TypeError(
        'Cannot log in to the MCP server: options.clientRegistration must be "auto", "cimd" or "dcr"',
      );
    }
    args.push("--oauth-client-registration", options.clientRegistration);
  }
  return args;
}

/**
 * Runs the OAuth login of a streamable HTTP server (`codex mcp login`). It talks to the
 * server's authorization endpoints and opens a browser unless `noBrowser`; set `timeoutMs`.
 * Rejects with an `ExitError` when the CLI refuses (e.g. a stdio server).
 */
export async function mcpLogin(
  name: string,
  options: McpLoginOptions = {},
): Promise<CommandResult> {
  const args = mcpLoginArgs(name, options);
  const { scopes: _s, noBrowser: _n, clientRegistration: _c, ...run } = options;
  return await runSubcommand(["mcp"], args, { ...run, check: true });
}

/** Removes the stored OAuth credentials of a server (`codex mcp logout`). */
export async function mcpLogout(
  name: string,
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  checkName(name, "log out of the MCP server");
  return await runSubcommand(["mcp"], ["mcp", "logout", name], { ...options, check: true });
}

function notShaped(result: CommandResult, expected: string): TypeError {
  return new TypeError(
    `Cannot read codex ${commandWords(result.command, 3)}: expected ${expected}`,
  );
}

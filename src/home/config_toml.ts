/**
 * `config.toml` in a CODEX_HOME: read, merge and write it as a whole document with smol-toml,
 * with typed access to the keys most hosts touch and every other key kept as it was.
 *
 * Values are the same ones the exec lane passes as `--config key=<TOML literal>` (encoded by
 * `src/config/toml_literal.ts`); both sides agree on what a string, array or table means.
 *
 * @module
 */
import type { ApprovalMode, SandboxMode } from "../options.ts";
import { stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { parse, stringify, TomlError } from "smol-toml";
import { FileFormatError, systemReason } from "../errors.ts";
import { writeFileAtomic } from "../fs/atomic_write.ts";
import { CodexHomeError, errnoCode, readHomeFile, reasonFor } from "./home_error.ts";
import { ensureCodexHome } from "./layout.ts";

/** The file name codex reads its settings from inside CODEX_HOME. */
export const CONFIG_TOML = "config.toml";

/** One entry of `model_providers`. */
export interface ModelProviderConfig {
  /** Display name. */
  name?: string;
  /** Base URL of the API, e.g. `http://127.0.0.1:8080/v1`. */
  base_url?: string;
  /** `"responses"` (the only wire API of current CLIs). */
  wire_api?: string;
  /** Environment variable holding the key (the key itself never belongs in the file). */
  env_key?: string;
  /** Whether the provider speaks WebSockets. */
  supports_websockets?: boolean;
  /** HTTP retries per request. */
  request_max_retries?: number;
  /** Retries of a dropped stream. */
  stream_max_retries?: number;
  /** Keys this SDK does not model. */
  [key: string]: unknown;
}

/** One entry of `mcp_servers`: a stdio command or a streamable HTTP URL. */
export interface McpServerConfig {
  /** Program to start (stdio servers). */
  command?: string;
  /** Its arguments. */
  args?: string[];
  /** Extra environment for it. */
  env?: Record<string, string>;
  /** URL of a streamable HTTP server. */
  url?: string;
  /** Whether the server is used. */
  enabled?: boolean;
  /** Keys this SDK does not model. */
  [key: string]: unknown;
}

/** One entry of `profiles`: a named set of overrides. */
export interface ProfileConfig {
  /** Model slug. */
  model?: string;
  /** Provider id. */
  model_provider?: string;
  /** Sandbox mode. */
  sandbox_mode?: SandboxMode | (string & Record<never, never>);
  /** Approval policy. */
  approval_policy?: ApprovalMode | (string & Record<never, never>);
  /** Keys this SDK does not model. */
  [key: string]: unknown;
}

/**
 * The parsed document. The common keys are typed with their wire names; everything else is
 * kept under its own key, untouched, and written back as it was read.
 */
export interface CodexConfig {
  /** Model slug, e.g. `"gpt-5.5"`. */
  model?: string;
  /** Id of the provider in `model_providers` (or a built-in one such as `"openai"`). */
  model_provider?: string;
  /** Custom providers by id. */
  model_providers?: Record<string, ModelProviderConfig>;
  /** The profile used when none is named on the command line. */
  profile?: string;
  /** Named profiles. */
  profiles?: Record<string, ProfileConfig>;
  /** Default sandbox mode. */
  sandbox_mode?: SandboxMode | (string & Record<never, never>);
  /** Default approval policy. */
  approval_policy?: ApprovalMode | (string & Record<never, never>);
  /** MCP servers by name. */
  mcp_servers?: Record<string, McpServerConfig>;
  /** Feature flags by name (`codex features list` names them). */
  features?: Record<string, boolean>;
  /** Keys this SDK does not model. */
  [key: string]: unknown;
}

/**
 * Parses TOML text as a codex config. A syntax error throws a {@linkcode FileFormatError}
 * with `path`, 1-based `line` and `column`; its message quotes no content of the file (a
 * config may hold tokens in `env` or headers).
 *
 * @example Parse text
 * ```ts
 * import { parseConfigToml } from "./config_toml.ts";
 * const config = parseConfigToml('model = "gpt-5.5"\n[features]\nplugins = false\n');
 * // config.model === "gpt-5.5", config.features?.plugins === false
 * ```
 */
export function parseConfigToml(text: string, path = CONFIG_TOML): CodexConfig {
  try {
    return plain(parse(text, { integersAsBigInt: "asNeeded" })) as CodexConfig;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split("\n")[0].replace(/^Invalid TOML document:\s*/, "");
      throw new FileFormatError(
        `Cannot parse ${path}: ${reason} at line ${error.line}, column ${error.column}`,
        { path, line: error.line, column: error.column, cause: error },
      );
    }
    throw error;
  }
}

/**
 * Serialises a config as a TOML document. Throws a TypeError naming the key path for a value
 * TOML cannot hold (`null`, `undefined` inside arrays, functions, NaN, cycles).
 */
export function stringifyConfigToml(config: CodexConfig): string {
  checkTomlable(config, "");
  const text = stringify(config);
  return text.endsWith("\n") || text.length === 0 ? text : `${text}\n`;
}

/**
 * Deep-merges `patch` into `base` and returns a new object: tables merge key by key, arrays
 * and scalars replace, `undefined` leaves a key alone and `null` removes it. Neither input is
 * modified.
 *
 * @example Turn a feature off and drop a key
 * ```ts
 * import { mergeConfig } from "./config_toml.ts";
 * const next = mergeConfig(
 *   { model: "gpt-5.5", features: { plugins: true, web_search: true } },
 *   { features: { plugins: false }, model: null },
 * );
 * // { features: { plugins: false, web_search: true } }
 * ```
 */
export function mergeConfig(base: CodexConfig, patch: ConfigPatch): CodexConfig {
  return mergeTables(base, patch) as CodexConfig;
}

/** What {@linkcode mergeConfig} takes: any part of a config, `null` marking keys to remove. */
export type ConfigPatch = { [key: string]: unknown };

/**
 * Reads `CODEX_HOME/config.toml`. A missing file reads as `{}`; a syntax error throws a
 * {@linkcode FileFormatError} with line and column; a path that is not a regular file (a FIFO,
 * a directory) throws a `CodexHomeError` naming it, without waiting on it.
 *
 * @example Read the model a home is set to
 * ```ts ignore
 * import { readConfigToml } from "@codexkit/sdk/home";
 * const config = await readConfigToml("/srv/app/codex-home");
 * console.log(config.model ?? "(CLI default)");
 * ```
 */
export async function readConfigToml(home: string): Promise<CodexConfig> {
  return await readConfigFile(join(resolve(home), CONFIG_TOML));
}

/**
 * The `shell_environment_policy.exclude` list codex takes from a home's files: the one in
 * `<profile>.config.toml` when a profile is active and its file sets one (codex 0.169.0
 * layers the profile's file over `config.toml`, and a list replaces a list), else the one in
 * `config.toml`. `undefined` when neither sets a list of strings, or when a file cannot be read
 * or parsed: codex reports such a file itself when it starts.
 */
export async function configuredShellEnvExclude(
  home: string,
  profile?: string,
): Promise<string[] | undefined> {
  const files = [CONFIG_TOML];
  if (profile !== undefined) files.unshift(`${profile}.${CONFIG_TOML}`);
  for (const file of files) {
    let config: CodexConfig;
    try {
      config = await readConfigFile(join(resolve(home), file));
    } catch {
      return undefined;
    }
    const policy = config.shell_environment_policy;
    const exclude = isTable(policy) ? policy.exclude : undefined;
    if (exclude === undefined) continue;
    const names = Array.isArray(exclude) && exclude.every((name) => typeof name === "string");
    return names ? exclude as string[] : undefined;
  }
  return undefined;
}

async function readConfigFile(path: string): Promise<CodexConfig> {
  const bytes = await readHomeFile(path, { what: basename(path) });
  if (bytes === undefined) return {};
  // As readFile(path, "utf8") reads: a byte order mark stays in the text.
  return parseConfigToml(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes), path);
}

/**
 * Replaces `CODEX_HOME/config.toml` with `config`, atomically (temp file + rename). The home
 * is created when missing. An existing file keeps its mode; a new one gets 0600, since
 * `mcp_servers.*.env` may hold tokens. Comments and layout of a previous file are not kept.
 *
 * @example Point a home at a custom provider
 * ```ts ignore
 * import { writeConfigToml } from "@codexkit/sdk/home";
 * await writeConfigToml("/srv/app/codex-home", {
 *   model: "gpt-5.5",
 *   model_provider: "local",
 *   model_providers: { local: { name: "local", base_url: "http://127.0.0.1:8080/v1", wire_api: "responses" } },
 * });
 * ```
 */
export async function writeConfigToml(home: string, config: CodexConfig): Promise<string> {
  const dir = await ensureCodexHome(home);
  const path = join(dir, CONFIG_TOML);
  const text = stringifyConfigToml(config);
  const mode = await stat(path).then((info) => info.mode & 0o777, () => 0o600);
  try {
    await writeFileAtomic(path, text, mode);
  } catch (error) {
    const code = errnoCode(error);
    throw new CodexHomeError(`Cannot write ${path}: ${systemReason(error)}`, {
      path,
      reason: reasonFor(code),
      code,
      cause: error,
    });
  }
  return path;
}

/**
 * Reads `config.toml`, merges `patch` into it ({@linkcode mergeConfig}) and writes it back
 * atomically; returns the merged config. When the file does not parse, the
 * {@linkcode FileFormatError} is thrown before anything is written.
 *
 * @example Turn plugins off in a home
 * ```ts ignore
 * import { updateConfigToml } from "@codexkit/sdk/home";
 * await updateConfigToml("/srv/app/codex-home", { features: { plugins: false } });
 * ```
 */
export async function updateConfigToml(home: string, patch: ConfigPatch): Promise<CodexConfig> {
  const merged = mergeConfig(await readConfigToml(home), patch);
  await writeConfigToml(home, merged);
  return merged;
}

function mergeTables(base: Record<string, unknown>, patch: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = out[key];
    setOwn(out, key, isTable(value) && isTable(current) ? mergeTables(current, value) : value);
  }
  return out;
}

function checkTomlable(value: unknown, path: string): void {
  const here = path || "<root>";
  if (value === null) throw new TypeError(`Cannot encode config at ${here}: TOML has no null`);
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new TypeError(`Cannot encode config at ${here}: ${value} is not a finite number`);
  }
  if (typeof value === "function" || typeof value === "symbol") {
    throw new TypeError(`Cannot encode config at ${here}: ${typeof value} has no TOML form`);
  }
  if (typeof value !== "object" || value instanceof Date) return;
  if (seenStack.includes(value)) throw new TypeError(`Cannot encode config at ${here}: cycle`);
  seenStack.push(value);
  try {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item === undefined) {
          throw new TypeError(`Cannot encode config at ${here}[${i}]: TOML has no undefined`);
        }
        checkTomlable(item, `${here}[${i}]`);
      });
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      checkTomlable(child, path ? `${path}.${key}` : key);
    }
  } finally {
    seenStack.pop();
  }
}

const seenStack: object[] = [];

/** smol-toml builds null-prototype tables; give callers ordinary objects. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (isTable(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) setOwn(out, key, plain(child));
    return out;
  }
  return value;
}

/** Assigns without invoking setters: a `__proto__` key in a file stays a plain key. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function isTable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  if (value instanceof Date) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

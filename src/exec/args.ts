/**
 * The argv and environment of one `codex exec --json` run. Pure: no I/O, table-tested.
 *
 * @module
 */
import { UnsupportedError } from "../errors.ts";
import { encodeTomlValue, flattenConfig } from "../config/toml_literal.ts";
import type {
  CodexConfigObject,
  CodexOptions,
  McpServerConfig,
  ThreadOptions,
} from "../options.ts";
import type { TurnOwnSettings } from "../options/layers.ts";
import { webSearchMode } from "../options/layers.ts";
import type { GateAnswer, GatedOption, OptionGate, UnsupportedPolicy } from "../options/gates.ts";

/**
 * Everything that shapes the argv of one run: the turn's own settings (`cyberAccessProgram`,
 * `outputLastMessage`, ...; those that are no flag of exec are ignored) and the rest.
 */
export interface ExecArgsInput extends Omit<TurnOwnSettings, "images"> {
  /** Nested config, flattened to `--config` pairs first. */
  config?: CodexConfigObject;
  /** Raw `key=value` overrides, after `config`. */
  configOverrides?: readonly string[];
  /** `openai_base_url`. */
  baseUrl?: string;
  /** `--profile`. */
  profile?: string;
  /** The thread's options, with the turn's overrides applied. */
  thread: ThreadOptions;
  /** The thread to resume, or `null` for a new one. */
  threadId: string | null;
  /** Resume the most recent session (`resume --last`). */
  resumeLast?: boolean;
  /** Fork `threadId` instead of continuing it. */
  fork?: boolean;
  /** Images to attach. */
  images?: readonly string[];
  /** Path of the output schema file. */
  outputSchemaFile?: string;
  /** Consulted before optional flags. */
  gate?: OptionGate;
  /** What to do with a flag the gate says is unsupported (default `"drop"`). */
  onUnsupported?: UnsupportedPolicy;
  /** The file holding `thread.baseInstructions` (`model_instructions_file`). */
  instructionsFile?: string;
}

/** The argv of a run (after the binary) and the warnings building it raised. */
export interface ExecArgs {
  /** Arguments after the binary; the prompt goes on stdin (`-`). */
  args: string[];
  /** One line per option dropped because the CLI lacks it. */
  warnings: string[];
  /**
   * Variables the child needs for its MCP servers (values the argv names but never holds);
   * keep them from the agent's commands.
   */
  env: Record<string, string>;
}

/**
 * Builds `exec --json [options] [resume <id>|resume --last|fork <id>] - [--image <file>]...`,
 * in the order the official SDK uses: options first (0.169.0: `resume` and `fork` take fewer
 * options than `exec`), then the subcommand, then the prompt (`-`: read from stdin, so it never
 * shows in the process list), and the images last, because `--image` takes several values and
 * would swallow a subcommand or `-` that followed it.
 *
 * Throws a TypeError naming the option for contradictory input, and an `UnsupportedError`
 * when the gate refuses an option under the `"error"` policy (`resume`/`fork` always refuse:
 * dropping them would silently start a new thread).
 */
export function buildExecArgs(input: ExecArgsInput): ExecArgs {
  const { thread, gate } = input;
  const policy = input.onUnsupported ?? "drop";
  const args: string[] = ["exec", "--json"];
  const warnings: string[] = [];
  const version = gate?.version ? `codex ${gate.version}` : "this codex";

  const refuse = (option: string, what: string, always: boolean): boolean => {
    if (policy === "error" || always) {
      throw new UnsupportedError(`${version} does not support ${what}`, {
        feature: option,
        version: gate?.version,
      });
    }
    warnings.push(`Dropping ${what}: ${version} does not support it`);
    return false;
  };
  const allow = (option: GatedOption, flag: string, always = false): boolean => {
    if (!gate || gate.support(option) !== "unsupported") return true;
    return refuse(option, flag, always);
  };
  const valueAnswer = (option: GatedOption, value: string): GateAnswer | undefined => {
    const answer: unknown = gate?.supportValue?.(option, value);
    // A gate may answer with a richer object carrying the answer as `status`.
    return (typeof answer === "object" && answer !== null
      ? (answer as { status?: GateAnswer }).status
      : answer) as GateAnswer | undefined;
  };
  const allowValue = (option: GatedOption, what: string, value: string): boolean => {
    if (!allow(option, what)) return false;
    if (valueAnswer(option, value) !== "unsupported") return true;
    return refuse(`${option}=${value}`, `${what} ${JSON.stringify(value)}`, false);
  };
  const config = (key: string, value: unknown) =>
    args.push("--config", `${key}=${encodeTomlValue(value, key)}`);
  const resuming = input.threadId !== null || input.resumeLast === true;
  const sub = input.fork ? "exec.fork" : resuming ? "exec.resume" : "exec";

  if (input.config) { for (const pair of flattenConfig(input.config)) args.push("--config", pair); }
  for (const raw of input.configOverrides ?? []) args.push("--config", raw);
  if (input.baseUrl !== undefined) config("openai_base_url", input.baseUrl);
  if (input.profile !== undefined && allow("exec.profile", "--profile")) {
    args.push("--profile", input.profile);
  }
  if (thread.model !== undefined) args.push("--model", thread.model);
  if (
    thread.threadSource !== undefined && !resuming && !input.fork &&
    allow("exec.thread-source", "--thread-source")
  ) {
    args.push("--thread-source", thread.threadSource);
  }
  if (thread.sandboxMode !== undefined && allow("exec.sandbox", "--sandbox")) {
    args.push("--sandbox", thread.sandboxMode);
  }
  // Always refused when missing: dropping it would change what the agent may do.
  if (thread.dangerouslyBypassApprovalsAndSandbox !== undefined) {
    const flag = "--dangerously-bypass-approvals-and-sandbox";
    allow("exec.dangerously-bypass-approvals-and-sandbox", flag, true);
    args.push(flag);
  }
  if (thread.workingDirectory !== undefined && allow("exec.cd", "--cd")) {
    args.push("--cd", thread.workingDirectory);
  }
  for (const dir of thread.additionalDirectories ?? []) {
    if (allow("exec.add-dir", "--add-dir")) args.push("--add-dir", dir);
  }
  if (thread.skipGitRepoCheck && allow("exec.skip-git-repo-check", "--skip-git-repo-check")) {
    args.push("--skip-git-repo-check");
  }
  if (thread.oss && allow("exec.oss", "--oss")) args.push("--oss");
  if (thread.localProvider !== undefined && allow("exec.local-provider", "--local-provider")) {
    args.push("--local-provider", thread.localProvider);
  }
  if (thread.ephemeral && allow("exec.ephemeral", "--ephemeral")) args.push("--ephemeral");
  // 0.170.0+. Always refused when missing: dropping it would run the turn here instead. Only
  // the token variable's name is passed; the token stays in the child's environment.
  if (thread.remote !== undefined) {
    allow("exec.remote", "--remote", true);
    args.push("--remote", thread.remote);
    if (thread.remoteAuthTokenEnv !== undefined) {
      allow("exec.remote-auth-token-env", "--remote-auth-token-env", true);
      args.push("--remote-auth-token-env", thread.remoteAuthTokenEnv);
    }
  }
  // Always refused when unknown: codex 0.171.0 exits on one ("Unknown feature flag"), and a
  // feature dropped would change what the turn does without a word.
  for (
    const [flag, names] of [["--enable", thread.enable], ["--disable", thread.disable]] as const
  ) {
    for (const name of names ?? []) {
      allow(`config.features.${name}`, `feature ${name} (${flag})`, true);
      args.push(flag, name);
    }
  }
  if (
    input.outputSchemaFile !== undefined &&
    allow(
      `${sub}.output-schema`,
      sub === "exec" ? "--output-schema" : `${sub.slice(5)} --output-schema`,
    )
  ) {
    args.push("--output-schema", input.outputSchemaFile);
  }
  if (
    input.outputLastMessage !== undefined &&
    allow("exec.output-last-message", "--output-last-message")
  ) {
    args.push("--output-last-message", input.outputLastMessage);
  }
  if (
    input.cyberAccessProgram !== undefined &&
    allow("exec.cyber-access-program", "--cyber-access-program")
  ) {
    args.push("--cyber-access-program", input.cyberAccessProgram);
  }
  if (
    thread.modelReasoningEffort !== undefined &&
    allowValue(
      "config.model_reasoning_effort",
      "model_reasoning_effort",
      thread.modelReasoningEffort,
    )
  ) {
    config("model_reasoning_effort", thread.modelReasoningEffort);
  }
  if (thread.serviceTier !== undefined && allow("config.service_tier", "service_tier")) {
    config("service_tier", thread.serviceTier);
  }
  if (
    thread.reasoningSummary !== undefined &&
    allowValue("config.model_reasoning_summary", "model_reasoning_summary", thread.reasoningSummary)
  ) {
    config("model_reasoning_summary", thread.reasoningSummary);
  }
  if (thread.reviewModel !== undefined) config("review_model", thread.reviewModel);
  if (thread.toolOutputTokenLimit !== undefined) {
    config("tool_output_token_limit", thread.toolOutputTokenLimit);
  }
  if (thread.historyPersistence !== undefined) {
    config("history.persistence", thread.historyPersistence);
  }
  if (
    thread.networkAccessEnabled !== undefined &&
    allow("config.sandbox_workspace_write.network_access", "sandbox_workspace_write.network_access")
  ) {
    config("sandbox_workspace_write.network_access", thread.networkAccessEnabled);
  }
  const webSearch = webSearchMode(thread);
  if (webSearch !== undefined && allow("config.web_search", "web_search")) {
    config("web_search", webSearch);
  }
  if (thread.developerInstructions !== undefined) {
    config("developer_instructions", thread.developerInstructions);
  }
  // 0.169.0: `base_instructions` set with -c is ignored; the instructions file replaces them.
  if (input.instructionsFile !== undefined) {
    config("model_instructions_file", input.instructionsFile);
  }
  const mcp = mcpServersConfig(thread.mcpServers ?? {});
  for (const [key, value] of mcp.config) config(key, value);
  if (thread.approvalPolicy !== undefined) {
    // 0.169.0: exec exits 1 on "untrusted" ("no longer supported"); a gate that knows the
    // installed CLI takes it may let it through, without a gate it is refused.
    if (
      thread.approvalPolicy === "untrusted" &&
      (valueAnswer("config.approval_policy", "untrusted") ?? "unsupported") === "unsupported"
    ) {
      throw new TypeError(
        'Cannot use approvalPolicy "untrusted" with codex exec: it cannot ask for approval; use transport "app-server"',
      );
    }
    if (allow("config.approval_policy", "approval_policy")) {
      config("approval_policy", thread.approvalPolicy);
    }
  }

  if (input.fork) {
    if (input.threadId === null) throw new TypeError("Cannot fork: the thread has no id yet");
    allow("exec.fork", "fork", true);
    args.push("fork", input.threadId);
  } else if (input.threadId !== null) {
    allow("exec.resume", "resume", true);
    args.push("resume", input.threadId);
  } else if (input.resumeLast) {
    allow("exec.resume.last", "resume --last", true);
    args.push("resume", "--last");
  }
  args.push("-");
  for (const image of input.images ?? []) {
    if (allow(sub === "exec" ? "exec.image" : `${sub}.image`, "--image")) {
      args.push("--image", image);
    }
  }
  return { args, warnings, env: mcp.env };
}

/**
 * The `--config` pairs of MCP servers for one run (`mcp_servers.<name>.*`), and the variables
 * the child must hold for them. Secrets stay out of the argv: a stdio server's `env` goes into
 * codex's environment under the same names and is forwarded by name (`env_vars`); header values
 * go into variables named for the server and header (`env_http_headers`). Throws a TypeError
 * naming the option when two servers give one variable different values.
 */
export function mcpServersConfig(
  servers: Readonly<Record<string, McpServerConfig>>,
): { config: [string, unknown][]; env: Record<string, string> } {
  const config: [string, unknown][] = [];
  const env: Record<string, string> = {};
  const setEnv = (name: string, value: string, option: string) => {
    if (env[name] !== undefined && env[name] !== value) {
      throw new TypeError(
        `Cannot use ${option}: another MCP server sets ${name} to a different value, and codex exec hands server variables over by name`,
      );
    }
    env[name] = value;
  };
  for (const [name, server] of Object.entries(servers)) {
    const key = `mcp_servers.${name}`;
    if ("url" in server) {
      config.push([`${key}.url`, server.url]);
      if (server.bearerTokenEnvVar !== undefined) {
        config.push([`${key}.bearer_token_env_var`, server.bearerTokenEnvVar]);
      }
      const headers = Object.entries(server.headers ?? {});
      if (headers.length > 0) {
        const byName: Record<string, string> = {};
        headers.forEach(([header, value], i) => {
          const variable = `CODEXKIT_MCP_${name.toUpperCase().replace(/-/g, "_")}_HEADER_${i}`;
          setEnv(variable, value, `mcpServers.${name}.headers`);
          byName[header] = variable;
        });
        config.push([`${key}.env_http_headers`, byName]);
      }
    } else {
      config.push([`${key}.command`, server.command]);
      if (server.args !== undefined) config.push([`${key}.args`, server.args]);
      if (server.cwd !== undefined) config.push([`${key}.cwd`, server.cwd]);
      const names = Object.keys(server.env ?? {});
      for (const variable of names) {
        setEnv(variable, server.env![variable], `mcpServers.${name}.env.${variable}`);
      }
      if (names.length > 0) config.push([`${key}.env_vars`, names]);
    }
    if (server.enabledTools !== undefined) {
      config.push([`${key}.enabled_tools`, server.enabledTools]);
    }
    if (server.disabledTools !== undefined) {
      config.push([`${key}.disabled_tools`, server.disabledTools]);
    }
    if (server.approveTools) config.push([`${key}.default_tools_approval_mode`, "approve"]);
    if (server.required) config.push([`${key}.required`, true]);
  }
  return { config, env };
}

/**
 * The flags every codex subcommand takes before its own words: the `--config` pairs of
 * {@linkcode buildConfigArgs}, then `--enable` / `--disable` per feature. Pure; the one
 * builder of the global flags that exec, the app-server, the commands and the home helpers
 * share, so each spells them the same way.
 */
export function codexGlobalArgs(
  input: Pick<ExecArgsInput, "config" | "configOverrides" | "baseUrl"> & {
    enable?: readonly string[];
    disable?: readonly string[];
  },
): string[] {
  const args = buildConfigArgs(input);
  for (const feature of input.enable ?? []) args.push("--enable", feature);
  for (const feature of input.disable ?? []) args.push("--disable", feature);
  return args;
}

/**
 * The `--config` pairs every codex command takes, in order: `config` flattened, raw
 * `configOverrides`, then `openai_base_url`. Shared by every codex child.
 */
export function buildConfigArgs(
  input: Pick<ExecArgsInput, "config" | "configOverrides" | "baseUrl">,
): string[] {
  const args: string[] = [];
  if (input.config) { for (const pair of flattenConfig(input.config)) args.push("--config", pair); }
  for (const raw of input.configOverrides ?? []) args.push("--config", raw);
  if (input.baseUrl !== undefined) {
    args.push("--config", `openai_base_url=${encodeTomlValue(input.baseUrl, "openai_base_url")}`);
  }
  return args;
}

/**
 * The environment of a client's children: its `env` option (or the parent's), CODEX_HOME,
 * the API key, and the binary's PATH dirs.
 */
export function clientEnv(
  options: Pick<CodexOptions, "env" | "apiKey">,
  binary: { pathDirs: readonly string[] },
  codexHome: string | undefined,
  extra?: Record<string, string>,
): Record<string, string> {
  return buildExecEnv({
    base: { ...(options.env ?? process.env), ...extra },
    codexHome,
    apiKey: options.apiKey,
    pathDirs: binary.pathDirs,
    delimiter: process.platform === "win32" ? ";" : ":",
  });
}

/** Inputs of {@linkcode buildExecEnv}. */
export interface ExecEnvInput {
  /** The base environment: the caller's `env` option, or the parent's. */
  base: Record<string, string | undefined>;
  /** `CODEX_HOME`. */
  codexHome?: string;
  /** API key, as `CODEX_API_KEY`. */
  apiKey?: string;
  /** Directories to put first on PATH. */
  pathDirs?: readonly string[];
  /** Path list separator (default `:`). */
  delimiter?: string;
}

/** The variable that tells codex which client made the requests. */
export const ORIGINATOR_ENV = "CODEX_INTERNAL_ORIGINATOR_OVERRIDE";
/** The originator the official TypeScript SDK reports; this SDK reports the same. */
export const ORIGINATOR = "codex_sdk_ts";

/**
 * Builds the child's environment. Returns a new object; `base` is not touched. Sets the
 * originator (unless `base` has one), CODEX_HOME, the API key, and puts `pathDirs` that PATH
 * does not already list in front of it.
 */
export function buildExecEnv(input: ExecEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.base)) if (value !== undefined) env[key] = value;
  if (!env[ORIGINATOR_ENV]) env[ORIGINATOR_ENV] = ORIGINATOR;
  if (input.codexHome !== undefined) env.CODEX_HOME = input.codexHome;
  if (input.apiKey !== undefined) env.CODEX_API_KEY = input.apiKey;
  if (input.pathDirs && input.pathDirs.length > 0) {
    const sep = input.delimiter ?? ":";
    const pathKey = Object.keys(env).find((k) => k.toUpperCase() === "PATH") ?? "PATH";
    const present = (env[pathKey] ?? "").split(sep).filter((dir) => dir.length > 0);
    const added = input.pathDirs.filter((dir, i, all) =>
      !present.includes(dir) && all.indexOf(dir) === i
    );
    if (added.length > 0) env[pathKey] = [...added, ...present].join(sep);
  }
  return env;
}

/**
 * The `CODEX_OSS_BASE_URL` of an `ossBaseUrl`: a root URL (Ollama's `http://host:11434`) gets
 * the `/v1` its OpenAI-compatible API lives under; a URL with a path is kept as given.
 */
export function localProviderUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, "");
  return /^https?:\/\/[^/]+$/.test(trimmed) ? `${trimmed}/v1` : trimmed;
}

/** Masks secret-looking `--config` pairs of a command line; the shared redaction's own. */
export { redactArgs } from "../redact.ts";

/**
 * The argv and environment of one `codex exec --json` run. Pure: no I/O, table-tested.
 *
 * @module
 */
import { UnsupportedError } from "../errors.ts";
import { encodeTomlValue, flattenConfig } from "../config/toml_literal.ts";
import type { CodexConfigObject, CodexOptions, ThreadOptions, WebSearchMode } from "../options.ts";
import type { GatedOption, OptionGate, UnsupportedPolicy } from "./gates.ts";

/** Everything that shapes the argv of one run. */
export interface ExecArgsInput {
  /** Nested config, flattened to `--config` pairs first. */
  config?: CodexConfigObject;
  /** Raw `key=value` overrides, after `config`. */
  configOverrides?: readonly string[];
  /** `openai_base_url`. */
  baseUrl?: string;
  /** `--profile`. */
  profile?: string;
  /** The thread's options. */
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
  /** `--output-last-message`. */
  outputLastMessage?: string;
  /** Consulted before optional flags. */
  gate?: OptionGate;
  /** What to do with a flag the gate says is unsupported (default `"drop"`). */
  onUnsupported?: UnsupportedPolicy;
}

/** The argv of a run (after the binary) and the warnings building it raised. */
export interface ExecArgs {
  /** Arguments after the binary; the prompt goes on stdin (`-`). */
  args: string[];
  /** One line per option dropped because the CLI lacks it. */
  warnings: string[];
}

/**
 * Builds `exec --json [options] [resume <id>|resume --last|fork <id>] -`. Options come before
 * the subcommand (0.169.0: `resume` and `fork` take fewer options than `exec`); the prompt is
 * read from stdin so it never shows in the process list.
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

  const allow = (option: GatedOption, flag: string, always = false): boolean => {
    if (!gate || gate.support(option) !== "unsupported") return true;
    const version = gate.version ? `codex ${gate.version}` : "this codex";
    if (policy === "error" || always) {
      throw new UnsupportedError(`${version} does not support ${flag}`, {
        feature: option,
        version: gate.version,
      });
    }
    warnings.push(`Dropping ${flag}: ${version} does not support it`);
    return false;
  };
  const config = (key: string, value: unknown) =>
    args.push("--config", `${key}=${encodeTomlValue(value, key)}`);

  if (input.config) { for (const pair of flattenConfig(input.config)) args.push("--config", pair); }
  for (const raw of input.configOverrides ?? []) args.push("--config", raw);
  if (input.baseUrl !== undefined) config("openai_base_url", input.baseUrl);
  if (input.profile !== undefined && allow("exec.profile", "--profile")) {
    args.push("--profile", input.profile);
  }
  if (thread.model !== undefined) args.push("--model", thread.model);
  if (
    thread.threadSource !== undefined && input.threadId === null && !input.resumeLast &&
    allow("exec.thread-source", "--thread-source")
  ) {
    args.push("--thread-source", thread.threadSource);
  }
  if (thread.sandboxMode !== undefined && allow("exec.sandbox", "--sandbox")) {
    args.push("--sandbox", thread.sandboxMode);
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
  if (thread.ephemeral && allow("exec.ephemeral", "--ephemeral")) args.push("--ephemeral");
  if (input.outputSchemaFile !== undefined && allow("exec.output-schema", "--output-schema")) {
    args.push("--output-schema", input.outputSchemaFile);
  }
  if (
    input.outputLastMessage !== undefined &&
    allow("exec.output-last-message", "--output-last-message")
  ) {
    args.push("--output-last-message", input.outputLastMessage);
  }
  if (
    thread.modelReasoningEffort !== undefined &&
    allow("config.model_reasoning_effort", "model_reasoning_effort")
  ) {
    config("model_reasoning_effort", thread.modelReasoningEffort);
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
  if (thread.approvalPolicy !== undefined) {
    if (thread.approvalPolicy === "untrusted") {
      // 0.169.0: exec exits 1 on it ("no longer supported"); approvals need the app-server.
      throw new TypeError(
        'Cannot use approvalPolicy "untrusted" with codex exec: it cannot ask for approval; use transport "app-server"',
      );
    }
    if (allow("config.approval_policy", "approval_policy")) {
      config("approval_policy", thread.approvalPolicy);
    }
  }
  for (const image of input.images ?? []) {
    if (allow("exec.image", "--image")) args.push("--image", image);
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
  return { args, warnings };
}

/**
 * The `--config` pairs every codex command takes, in order: `config` flattened, raw
 * `configOverrides`, then `openai_base_url`. Shared by `exec` and `app-server`.
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

/** The web search mode a thread asks for: `webSearchMode`, else `webSearchEnabled` as live/disabled. */
export function webSearchMode(thread: ThreadOptions): WebSearchMode | undefined {
  if (thread.webSearchMode !== undefined) return thread.webSearchMode;
  if (thread.webSearchEnabled === undefined) return undefined;
  return thread.webSearchEnabled ? "live" : "disabled";
}

/**
 * The environment of a client's children: its `env` option (or the parent's), CODEX_HOME,
 * the API key, and the binary's PATH dirs.
 */
export function clientEnv(
  options: Pick<CodexOptions, "env" | "apiKey">,
  binary: { pathDirs: readonly string[] },
  codexHome: string | undefined,
): Record<string, string> {
  return buildExecEnv({
    base: options.env ?? process.env,
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

/** Builds the child's environment. Returns a new object; `base` is not touched. */
export function buildExecEnv(input: ExecEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.base)) if (value !== undefined) env[key] = value;
  if (input.codexHome !== undefined) env.CODEX_HOME = input.codexHome;
  if (input.apiKey !== undefined) env.CODEX_API_KEY = input.apiKey;
  if (input.pathDirs && input.pathDirs.length > 0) {
    const sep = input.delimiter ?? ":";
    const pathKey = Object.keys(env).find((k) => k.toUpperCase() === "PATH") ?? "PATH";
    env[pathKey] = [...input.pathDirs, ...(env[pathKey] ? [env[pathKey]] : [])].join(sep);
  }
  return env;
}

/** Keys whose values are replaced by `***` when a command line appears in an error. */
const SECRET_KEY = /(key|token|secret|password|auth|bearer|header|cookie)/i;

/**
 * Redacts `--config key=value` pairs whose key looks secret, so argv can be quoted in errors.
 * (API keys never travel in argv; this guards what users put in `config`.)
 */
export function redactArgs(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    if (args[i - 1] !== "--config" && args[i - 1] !== "-c") return arg;
    const eq = arg.indexOf("=");
    if (eq === -1) return arg;
    // The key or any key inside an inline-table value may name a secret.
    return SECRET_KEY.test(arg) ? `${arg.slice(0, eq)}=***` : arg;
  });
}

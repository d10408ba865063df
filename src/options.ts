/**
 * Options of `Codex`, `Thread` and a turn. The names match `@openai/codex-sdk` 0.163 where it
 * has them, so code written for it keeps working when only the import changes.
 *
 * @module
 */
import type { OptionGate, UnsupportedPolicy } from "./exec/gates.ts";
import type { RuntimeName } from "./runtime/types.ts";
import type { ApprovalOptions } from "./app_server/approvals.ts";
import type { AppServer } from "./app_server/app_server.ts";

/** A `config` value: what TOML can hold. */
export type CodexConfigValue =
  | string
  | number
  | boolean
  | CodexConfigValue[]
  | CodexConfigObject;

/** A nested `config` object, flattened into `--config key=<TOML>` pairs. */
export interface CodexConfigObject {
  /** A key and its value; `undefined` values are skipped. */
  [key: string]: CodexConfigValue | undefined;
}

/** Supplies a pinned codex binary (see `@codexkit/sdk/bundles`); the chain never falls back. */
export interface BundleSource {
  /** Where the bundle is, for messages. */
  describe(): string;
  /**
   * The binary's absolute path (and directories for the child's PATH, such as the one with
   * `rg`); rejects when the bundle is missing or invalid.
   */
  resolve(): Promise<string | { path: string; pathDirs?: string[] }>;
}

/** Options of a {@linkcode Codex} client. Immutable once the client exists. */
export interface CodexOptions {
  /** Path of the codex binary; skips every other step of the search. */
  codexPathOverride?: string;
  /** A pinned bundle to take the binary from (after the override and `CODEX_PATH`). */
  bundle?: BundleSource;
  /** Base URL of the OpenAI API (passed as `openai_base_url`). */
  baseUrl?: string;
  /** API key, handed to the child as `CODEX_API_KEY` in its environment only. */
  apiKey?: string;
  /** Nested config, flattened to `--config key=<TOML literal>` pairs. */
  config?: CodexConfigObject;
  /** Raw `key=value` config overrides, passed after `config`. */
  configOverrides?: string[];
  /**
   * The child's whole environment (the parent's is not inherited when this is set, as
   * upstream). The parent's environment is never mutated either way.
   */
  env?: Record<string, string>;
  /** `CODEX_HOME` for the child, created when missing. */
  codexHome?: string;
  /** A config profile (`--profile`). */
  profile?: string;
  /** Consulted before passing optional flags; see `@codexkit/sdk/capabilities`. */
  capabilities?: OptionGate;
  /** What to do when `capabilities` says a flag is unsupported (default `"drop"`). */
  onUnsupported?: UnsupportedPolicy;
  /** Receives warnings (a dropped flag, ...). Default: none are printed. */
  onWarning?: (message: string) => void;
  /** Receives each line the CLI writes to stderr. */
  onStderr?: (line: string) => void;
  /** Which process adapter to use (default: the current runtime's). */
  runtime?: RuntimeName;
  /** Time between SIGTERM and SIGKILL when a run is stopped (default 2000 ms). */
  killGraceMs?: number;
  /**
   * A shared app-server connection for `transport: "app-server"` threads (never closed by the
   * client). Without it the client starts one `codex app-server` on first use.
   *
   * @ignore
   */
  appServer?: AppServer;
}

/** Approval policy names the CLI accepts. */
export type ApprovalMode = "never" | "on-request" | "on-failure" | "untrusted";
/** Sandbox modes. */
export type SandboxMode = "read-only" | "workspace-write" | "danger-full-access";
/** Reasoning effort levels. */
export type ModelReasoningEffort = "minimal" | "low" | "medium" | "high" | "xhigh";
/** Web search modes. */
export type WebSearchMode = "disabled" | "cached" | "live";
/** How a thread talks to codex. */
export type Transport = "exec" | "app-server";

/**
 * Options of a thread, fixed for its life. The approval options (`onApproval`,
 * `approvalTimeoutMs`, `defaultApprovalDecision`) apply to `transport: "app-server"`.
 */
export interface ThreadOptions extends ApprovalOptions {
  /** Model slug (`--model`). */
  model?: string;
  /** Sandbox mode (`--sandbox`). */
  sandboxMode?: SandboxMode;
  /** The agent's working directory (`--cd`). */
  workingDirectory?: string;
  /** Allow running outside a git repository. */
  skipGitRepoCheck?: boolean;
  /** Reasoning effort. */
  modelReasoningEffort?: ModelReasoningEffort;
  /** Network access inside the workspace-write sandbox. */
  networkAccessEnabled?: boolean;
  /** Web search mode. */
  webSearchMode?: WebSearchMode;
  /** Shorthand for `webSearchMode` `"live"` / `"disabled"`. */
  webSearchEnabled?: boolean;
  /** Approval policy (exec refuses `"untrusted"`; the app-server asks through `onApproval`). */
  approvalPolicy?: ApprovalMode;
  /** More writable directories (`--add-dir`). */
  additionalDirectories?: string[];
  /** Source label for a new thread (passed as `--thread-source` when the CLI has it). */
  threadSource?: string;
  /** Write no session files (`--ephemeral`); such a thread cannot be resumed. */
  ephemeral?: boolean;
  /** `"exec"` (default) or `"app-server"`. */
  transport?: Transport;
}

/** A piece of input. */
export type UserInput =
  | { type: "text"; text: string }
  | { type: "local_image"; path: string };

/** Input of a turn: a prompt, or text and image parts. */
export type Input = string | UserInput[];

/** A schema for structured output: a JSON Schema object or a valibot schema. */
export type OutputSchema = Record<string, unknown> | StandardSchemaLike;

/** The slice of a valibot schema (Standard Schema v1) this SDK reads. */
export interface StandardSchemaLike {
  /** Standard Schema properties. */
  readonly "~standard": {
    readonly vendor: string;
    readonly validate: (value: unknown) => unknown;
  };
}

/** Options of one turn. */
export interface TurnOptions {
  /** Structured output: a JSON Schema object or a valibot schema. */
  outputSchema?: OutputSchema;
  /** Cancels the turn; the child is killed and the run rejects with `AbortError`. */
  signal?: AbortSignal;
  /** Limit for the whole turn, in ms; the child is killed and the run rejects with `TimeoutError`. */
  timeoutMs?: number;
  /** Limit without any event, in ms; the child is killed and the run rejects with `IdleTimeoutError`. */
  idleTimeoutMs?: number;
  /** More images for this turn (`--image`). */
  images?: string[];
  /** Also write the final message to this file (`--output-last-message`). */
  outputLastMessage?: string;
}

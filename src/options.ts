/**
 * Options of `Codex`, `Thread` and a turn. The names match `@openai/codex-sdk` 0.163 where it
 * has them, so code written for it keeps working when only the import changes.
 *
 * @module
 */
import type { OptionGate, UnsupportedPolicy } from "./exec/gates.ts";
import type { RuntimeName } from "./runtime/types.ts";
import type { ApprovalOptions } from "./app_server/approvals.ts";
import type { ServerRequestOptions } from "./app_server/server_requests.ts";
import type { RetryOptions } from "./retry.ts";
export type { RetryOptions } from "./retry.ts";
import type { AppServer } from "./app_server/app_server.ts";
import type { TurnLane } from "./lane.ts";

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
  /**
   * Consulted before passing optional flags; see `@codexkit/sdk/capabilities`. Left out, the
   * client gates on the binary it runs (on-disk capability cache, a probe per new binary);
   * `false` passes every option as asked.
   */
  capabilities?: OptionGate | false;
  /**
   * The codex versions this client accepts, as a semver range (`">=0.165.0"`). The first turn
   * asks the binary's `--version` and rejects with `UnsupportedError` naming the installed and
   * the required version before anything else runs.
   */
  requireCodex?: string;
  /** What to do when `capabilities` says a flag is unsupported (default `"drop"`). */
  onUnsupported?: UnsupportedPolicy;
  /**
   * Receives warnings: a dropped flag, an app-server answer whose shape the pinned protocol does
   * not describe (drift from a newer CLI, passed through), ... Default: none are printed.
   */
  onWarning?: (message: string) => void;
  /** Receives each line the CLI writes to stderr. */
  onStderr?: (line: string) => void;
  /** Which process adapter to use (default: the current runtime's). */
  runtime?: RuntimeName;
  /** Time between SIGTERM and SIGKILL when a run is stopped (default 2000 ms). */
  killGraceMs?: number;
  /**
   * The longest line of CLI output accepted, in bytes (default 64 MiB). A longer line stops
   * the run with an `OutputLimitError` instead of growing memory without bound.
   */
  maxLineBytes?: number;
  /**
   * A shared app-server connection for `transport: "app-server"` threads (never closed by the
   * client). Without it the client starts one `codex app-server` on first use.
   *
   * @ignore
   */
  appServer?: AppServer;
  /**
   * Run every thread on this lane instead of exec / app-server (for tests and mocks; see
   * `TurnLane` in `@codexkit/sdk/testing`).
   *
   * @ignore
   */
  lane?: TurnLane;
  /** Retry turns that fail on transient causes (HTTP 429/5xx, disconnects); off by default. */
  retry?: RetryOptions;
}

/** Approval policy names the CLI accepts. */
export type ApprovalMode = "never" | "on-request" | "on-failure" | "untrusted";
/** Sandbox modes. */
export type SandboxMode = "read-only" | "workspace-write" | "danger-full-access";
/** Reasoning effort levels. */
export type ModelReasoningEffort =
  | "minimal"
  | "low"
  | "medium"
  | "high"
  | "xhigh"
  | "max"
  | "ultra"
  | "persistent";
/** Cyber access programs (`--cyber-access-program`). */
export type CyberAccessProgram = "standard" | "daybreak_blue" | "daybreak_red";
/** Local model providers for `oss` threads (`--local-provider`). */
export type LocalProvider = "ollama" | "lmstudio";
/** Web search modes. */
export type WebSearchMode = "disabled" | "cached" | "live";
/** How a thread talks to codex. */
export type Transport = "exec" | "app-server";

/**
 * The hooks of an app-server thread (`onApproval`, `onUserInput`, ...), documented as
 * `ApprovalOptions` and `ServerRequestOptions` with `@codexkit/sdk/app-server`.
 *
 * @ignore
 */
export type AppServerHooks = ApprovalOptions & ServerRequestOptions;

/**
 * Options of a thread, fixed for its life. A thread with `transport: "app-server"` also takes
 * the hooks of `ApprovalOptions` and `ServerRequestOptions` (`onApproval`, `onUserInput`, ...;
 * see `@codexkit/sdk/app-server`).
 */
export interface ThreadOptions extends AppServerHooks {
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
  /** Use a local open-source model provider (`--oss`; exec only). */
  oss?: boolean;
  /** Which local provider `oss` uses (`--local-provider`; exec only). */
  localProvider?: LocalProvider;
  /**
   * Run the turns on an existing app-server at this address instead of in the exec child
   * (`--remote <ADDR>`, codex 0.170.0 and later; exec only; gated like other optional flags).
   */
  remote?: string;
  /**
   * The NAME of the environment variable holding `remote`'s WebSocket bearer token
   * (`--remote-auth-token-env`; exec only). The token itself never goes on the command line:
   * put it in that variable (the client's or the thread's `env`).
   */
  remoteAuthTokenEnv?: string;
  /** Config for this thread's turns, merged over the client's by dotted path. */
  config?: CodexConfigObject;
  /** Variables added to (or replacing keys of) the client's child environment (exec only). */
  env?: Record<string, string>;
  /** Retry turns that fail on transient causes (overrides the client's `retry`). */
  retry?: RetryOptions;
  /**
   * The service tier of the thread's model requests (`"flex"`, `"priority"`, ...): the
   * app-server's `serviceTier`, `-c service_tier` on exec.
   */
  serviceTier?: string;
  /** Reasoning summaries the model writes (`-c model_reasoning_summary`). */
  reasoningSummary?: "auto" | "concise" | "detailed" | "none";
  /**
   * Who answers approval requests: `"user"` (the thread's `onApproval`, the default) or
   * `"auto_review"` (codex's own reviewer subagent decides; its verdicts arrive as
   * `approval.review` events). App-server only.
   */
  approvalsReviewer?: "user" | "auto_review";
}

/**
 * A piece of input. `image_url` (an inline `data:` URL; codex 0.171.0 refuses remote ones),
 * `skill` and `mention` need transport `"app-server"`.
 */
export type UserInput =
  | { type: "text"; text: string }
  | { type: "local_image"; path: string }
  | { type: "image_url"; url: string }
  | { type: "skill"; name: string; path: string }
  | { type: "mention"; name: string; path: string };

/** Input of a turn: a prompt, or text and image parts. */
export type Input = string | UserInput[];

/**
 * A schema for structured output: a JSON Schema object, a valibot schema, or the path of a
 * JSON Schema file.
 */
export type OutputSchema = Record<string, unknown> | StandardSchemaLike | string;

/** The slice of a valibot schema (Standard Schema v1) this SDK reads. */
export interface StandardSchemaLike<Output = unknown> {
  /** Standard Schema properties. */
  readonly "~standard": {
    readonly vendor: string;
    readonly validate: (value: unknown) => unknown;
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined;
  };
}

/** The output type of a Standard Schema (`unknown` for anything else). */
export type InferSchemaOutput<S> = S extends {
  readonly "~standard": { readonly types?: { readonly output: infer O } | undefined };
} ? O
  : unknown;

/** Options of one turn. Settings here override the thread's for this turn only. */
export interface TurnOptions {
  /**
   * Structured output: a JSON Schema object, a valibot schema, or a JSON Schema file's path.
   * A valibot schema (or `strictOutput: true`) makes a mismatching answer reject the run;
   * otherwise the mismatch is reported in `outputError` and `finalResponse` keeps the text.
   */
  outputSchema?: OutputSchema;
  /** Reject the run when the answer does not match a JSON Schema `outputSchema`. */
  strictOutput?: boolean;
  /** Cancels the turn; the child is killed and the run rejects with `AbortError`. */
  signal?: AbortSignal;
  /**
   * Run after the turns already running or queued on this thread, in order, instead of
   * rejecting because the thread is busy. Until it starts, `signal` cancels it (an `AbortError`
   * saying it was cancelled while queued); `timeoutMs` counts from its start.
   */
  queue?: boolean;
  /** Limit for the whole turn, in ms; the child is killed and the run rejects with `TimeoutError`. */
  timeoutMs?: number;
  /** Limit without any event, in ms; the child is killed and the run rejects with `IdleTimeoutError`. */
  idleTimeoutMs?: number;
  /** More images for this turn (`--image`). */
  images?: string[];
  /** Also write the final message to this file (`--output-last-message`). */
  outputLastMessage?: string;
  /** Config for this turn, merged over the client's and the thread's by dotted path (exec). */
  config?: CodexConfigObject;
  /** Variables added to the child environment for this turn (exec). */
  env?: Record<string, string>;
  /** Model for this turn. */
  model?: string;
  /** Reasoning effort for this turn (exec). */
  modelReasoningEffort?: ModelReasoningEffort;
  /** Sandbox mode for this turn (exec). */
  sandboxMode?: SandboxMode;
  /** Web search mode for this turn (exec). */
  webSearchMode?: WebSearchMode;
  /** Cyber access program (`--cyber-access-program`, exec). */
  cyberAccessProgram?: CyberAccessProgram;
  /**
   * Tees the turn's raw JSONL as it arrives, line by line: a file path (appended to, each line
   * written through at once, so a crash leaves every complete line) or a stream (written to,
   * released but never closed when the turn ends).
   */
  eventLog?: string | WritableStream<Uint8Array>;
  /**
   * Limit until the first event (exec) or the completed app-server handshake, in ms; the run
   * rejects with `ConnectTimeoutError`.
   */
  connectTimeoutMs?: number;
}

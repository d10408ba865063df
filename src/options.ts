/**
 * Options of `Codex`, `Thread` and a turn. The names match `@openai/codex-sdk` 0.163 where it
 * has them, so code written for it keeps working when only the import changes.
 *
 * Each list of allowed values is written once, here, and its type derived from it. The types
 * are derived through `import()` of this very file rather than `typeof LIST` so that an entry
 * may name the type (`SandboxMode`) without naming the list: `deno doc --lint` accepts a type
 * query through `import()` but not a reference to a symbol the entry does not export.
 *
 * These types import nothing from the transports (`exec/`, `app_server/`, the lanes, retry):
 * the transports import their option-facing types from here and from `options/`.
 *
 * @module
 */
import type { OptionGate, UnsupportedPolicy } from "./options/gates.ts";
import type { ApprovalOptions } from "./options/approvals.ts";
import type { ServerRequestOptions } from "./options/server_requests.ts";
import type { RetryOptions } from "./options/retry.ts";
export type { RetryOptions } from "./options/retry.ts";
import type { ThreadEvent } from "./events.ts";
import type { Tool } from "./tools/tool.ts";

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
  /**
   * Copies codex's stderr to this process's own stderr as it comes, known secrets scrubbed
   * (both transports; off by default). `true` or `{ stderr: true }`; a turn's stdout is its
   * events, so only the commands take `stdout`.
   */
  mirror?: boolean | { stderr?: boolean };
  /** Which process adapter to use (default: the current runtime's). */
  runtime?: RuntimeName;
  /** Time between SIGTERM and SIGKILL when a run is stopped (default 2000 ms). */
  killGraceMs?: number;
  /**
   * After `turn.completed` (or `turn.failed`) the turn resolves at once; codex then gets this
   * long to exit before it is stopped, in the background, with an `onWarning` (default 1000 ms).
   */
  exitGraceMs?: number;
  /**
   * OpenTelemetry spans and metrics for every turn, through `@opentelemetry/api` when it is
   * installed and an SDK is registered (else nothing). No prompt, answer, command or path is
   * recorded unless `recordContent` is true. `false` turns it off. Default: on, no content.
   */
  telemetry?: false | { recordContent?: boolean };
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
  appServer?: AppServerConnection;
  /**
   * Run every thread on this lane instead of exec / app-server (for tests and mocks; see
   * `TurnLane` in `@codexkit/sdk/testing`).
   *
   * @ignore
   */
  lane?: TurnLane;
  /** Retry turns that fail on transient causes (HTTP 429/5xx, disconnects); off by default. */
  retry?: RetryOptions;
  /**
   * Refuse a turn whose model the installed CLI's catalog (`codex debug models --bundled`,
   * read once per client) does not offer, with an `UnsupportedError`, before codex runs.
   */
  checkModel?: boolean;
  /**
   * A reasoning effort the turn's model does not take (per the same catalog): `"coerce"` uses
   * the nearest it takes and warns naming both, `"refuse"` rejects the turn with an
   * `UnsupportedError`. Left out, the effort is passed as asked. A thread's own wins.
   */
  effortFit?: "coerce" | "refuse";
}

/** The approval policies the CLI accepts. */
export const APPROVAL_MODES = ["never", "on-request", "on-failure", "untrusted"] as const;
/** Approval policy names the CLI accepts. */
export type ApprovalMode = (typeof import("./options.ts"))["APPROVAL_MODES"][number];
/** The sandbox modes. */
export const SANDBOX_MODES = ["read-only", "workspace-write", "danger-full-access"] as const;
/** Sandbox modes. */
export type SandboxMode = (typeof import("./options.ts"))["SANDBOX_MODES"][number];
/** The reasoning effort levels. */
export const REASONING_EFFORTS = [
  "minimal",
  "low",
  "medium",
  "high",
  "xhigh",
  "max",
  "ultra",
  "persistent",
] as const;
/** Reasoning effort levels. */
export type ModelReasoningEffort = (typeof import("./options.ts"))["REASONING_EFFORTS"][number];
/** The cyber access programs. */
export const CYBER_ACCESS_PROGRAMS = ["standard", "daybreak_blue", "daybreak_red"] as const;
/** Cyber access programs (`--cyber-access-program`). */
export type CyberAccessProgram = (typeof import("./options.ts"))["CYBER_ACCESS_PROGRAMS"][number];
/** The local model providers. */
export const LOCAL_PROVIDERS = ["ollama", "lmstudio"] as const;
/** Local model providers for `oss` threads (`--local-provider`). */
export type LocalProvider = (typeof import("./options.ts"))["LOCAL_PROVIDERS"][number];
/** The web search modes. */
export const WEB_SEARCH_MODES = ["disabled", "cached", "live"] as const;
/** Web search modes. */
export type WebSearchMode = (typeof import("./options.ts"))["WEB_SEARCH_MODES"][number];
/** The runtimes with a process adapter. */
export const RUNTIME_NAMES = ["deno", "bun", "node"] as const;
/** Which runtime adapter spawns processes. */
export type RuntimeName = (typeof import("./options.ts"))["RUNTIME_NAMES"][number];
/** The reasoning summary settings (the type is written inline in `ThreadOptions`). */
export const REASONING_SUMMARIES = [
  "auto",
  "concise",
  "detailed",
  "none",
] as const satisfies readonly NonNullable<ThreadOptions["reasoningSummary"]>[];
/** Who may review approval requests (the type is written inline in `ThreadOptions`). */
export const APPROVALS_REVIEWERS = ["user", "auto_review"] as const satisfies readonly NonNullable<
  ThreadOptions["approvalsReviewer"]
>[];
/** The history persistence settings (the type is written inline in `ThreadOptions`). */
export const HISTORY_PERSISTENCE = ["save-all", "none"] as const satisfies readonly NonNullable<
  ThreadOptions["historyPersistence"]
>[];
/** What `effortFit` may say (the type is written inline in `CodexOptions`). */
export const EFFORT_FITS = ["coerce", "refuse"] as const satisfies readonly NonNullable<
  CodexOptions["effortFit"]
>[];
/** The ways a thread can talk to codex. */
export const TRANSPORTS = ["exec", "app-server"] as const;
/** How a thread talks to codex. */
export type Transport = (typeof import("./options.ts"))["TRANSPORTS"][number];

/**
 * A connection to a running `codex app-server`: an `AppServer` of `@codexkit/sdk/app-server`,
 * named here by the one method the client checks for, so these options import no transport.
 *
 * @ignore
 */
export interface AppServerConnection {
  /** Sends a request and resolves with its result. */
  call(method: never, ...params: never[]): Promise<unknown>;
}

/** Input of a turn, normalised: the prompt text and image paths. */
export interface NormalizedInput {
  /** Text parts joined with blank lines. */
  prompt: string;
  /** Local image paths, in order. */
  images: string[];
  /**
   * The parts as given, in order, when some have no place in `prompt` and `images` (image
   * URLs, skills, mentions: app-server only).
   */
  parts?: UserInput[];
}

/** Everything a lane needs to run one turn. */
export interface TurnRequest {
  /** The turn's input. */
  input: NormalizedInput;
  /** The thread to continue, or `null` for a new one. */
  threadId: string | null;
  /** Resume the most recent session instead of `threadId` (exec lane). */
  resumeLast?: boolean;
  /** Fork `threadId` into a new thread instead of continuing it. */
  fork?: boolean;
  /** The thread's options. */
  threadOptions: ThreadOptions;
  /** The turn's options; `outputSchema` is already a JSON Schema object. */
  turnOptions: Omit<TurnOptions, "outputSchema"> & { outputSchema?: Record<string, unknown> };
}

/**
 * Runs turns (the `lane` option takes one; see `../lane.ts`). `runTurn` returns the turn's
 * events as a stream of batches (arrays of events, in order; batching keeps the per-event cost
 * off fast CLIs) that ends when the turn ends and errors with a typed error (`TimeoutError`,
 * `AbortError`, `ExitError`, ...) when the run does. Cancelling the stream stops the turn and
 * leaves no process behind.
 */
export interface TurnLane {
  /** Starts a turn. */
  runTurn(request: TurnRequest): ReadableStream<ThreadEvent[]>;
  /** Interrupts the running turn of `threadId` (app-server lane only). */
  interrupt?(threadId: string): Promise<void>;
  /** Adds input to the running turn of `threadId` (app-server lane only). */
  steer?(threadId: string, input: NormalizedInput): Promise<void>;
  /** Known secrets of the client (API key, ...), scrubbed from the errors of its turns. */
  readonly secrets?: readonly string[];
}

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
  /** What to do with an effort the model does not take (overrides the client's `effortFit`). */
  effortFit?: "coerce" | "refuse";
  /** Network access inside the workspace-write sandbox. */
  networkAccessEnabled?: boolean;
  /** Web search mode. */
  webSearchMode?: WebSearchMode;
  /** Shorthand for `webSearchMode` `"live"` / `"disabled"`. */
  webSearchEnabled?: boolean;
  /** Approval policy (exec refuses `"untrusted"`; the app-server asks through `onApproval`). */
  approvalPolicy?: ApprovalMode;
  /**
   * codex's old `--full-auto`: `sandboxMode` `"workspace-write"` and `approvalPolicy`
   * `"on-request"` (codex 0.171.0's exec has no such flag any more; the two settings are sent).
   * Refused beside either of them.
   */
  fullAuto?: boolean;
  /**
   * Runs commands with no sandbox and no approvals (`--dangerously-bypass-approvals-and-sandbox`;
   * the app-server: sandbox `"danger-full-access"`, approvals `"never"`). Only for machines
   * sandboxed from outside, so it takes only the literal `"yes-i-understand"`: `true` is refused.
   * A CLI without the flag refuses the thread, whatever `onUnsupported` says.
   */
  dangerouslyBypassApprovalsAndSandbox?: "yes-i-understand";
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
   * Where the local provider of an `oss` thread listens (exec only): its root URL
   * (`http://127.0.0.1:11434`, normalised to `.../v1`) or its `/v1` URL, handed to codex as
   * `CODEX_OSS_BASE_URL`. A new thread first asks it with a short request: nothing answering
   * is a `CodexError` naming the URL, before codex runs.
   */
  ossBaseUrl?: string;
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
  /**
   * Features of `codex features list` to turn on (`--enable`; the app-server: `features.<name>`
   * in the thread's config). A name the installed CLI does not list (or lists as removed) is
   * refused before anything runs, whatever `onUnsupported` says: codex itself exits on one.
   */
  enable?: string[];
  /** Features to turn off (`--disable`); checked as `enable`. */
  disable?: string[];
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
  /** The model codex's reviews use (`review_model`). */
  reviewModel?: string;
  /** How many tokens of a tool's output the model is shown (`tool_output_token_limit`). */
  toolOutputTokenLimit?: number;
  /** `"none"` keeps prompts out of `$CODEX_HOME/history.jsonl` (`history.persistence`). */
  historyPersistence?: "save-all" | "none";
  /**
   * Who answers approval requests: `"user"` (the thread's `onApproval`, the default) or
   * `"auto_review"` (codex's own reviewer subagent decides; its verdicts arrive as
   * `approval.review` events). App-server only.
   */
  approvalsReviewer?: "user" | "auto_review";
  /** TypeScript functions the model may call (see `tool` in `@codexkit/sdk/tools`). */
  tools?: ToolOption[];
  /** Instructions added for the model (`developer_instructions`; app-server: `thread/start`). */
  developerInstructions?: string;
  /** Replaces codex's built-in base instructions (`model_instructions_file`). */
  baseInstructions?: string;
  /** MCP servers for this thread only, by name (`config.toml` is not touched). */
  mcpServers?: Record<string, McpServerOption>;
}

/**
 * A tool for the `tools` option, made by `tool` (documented with `@codexkit/sdk/tools`).
 *
 * @ignore
 */
export type ToolOption = Tool;

/**
 * An MCP server for the `mcpServers` option (documented as `McpServerConfig` with
 * `@codexkit/sdk/tools`).
 *
 * @ignore
 */
export type McpServerOption = McpServerConfig;

/** What every MCP server of `mcpServers` may say about its tools. */
export interface McpServerTools {
  /** Only these tools of the server are offered (`enabled_tools`). */
  enabledTools?: string[];
  /** These tools of the server are never offered (`disabled_tools`). */
  disabledTools?: string[];
  /**
   * Let codex run the server's tools without asking (`default_tools_approval_mode =
   * "approve"`): `codex exec` cannot ask, so it refuses a tool call that needs approval.
   */
  approveTools?: boolean;
  /**
   * The run fails when the server cannot start, and the turn waits for its tools (`required`;
   * otherwise codex 0.169 starts the turn while the server is still listing them).
   */
  required?: boolean;
}

/**
 * An MCP server codex starts for this thread or turn: a command (stdio), or a streamable HTTP
 * `url`. `env` and `headers` values reach codex through its environment, never its argv.
 */
export type McpServerConfig =
  | McpServerTools & {
    /** The server's command. */
    command: string;
    /** Its arguments. */
    args?: string[];
    /** Variables set for the server (the values are secret-safe: passed by name). */
    env?: Record<string, string>;
    /** Its working directory. */
    cwd?: string;
  }
  | McpServerTools & {
    /** The streamable HTTP endpoint. */
    url: string;
    /** The name of a variable in codex's environment holding the bearer token. */
    bearerTokenEnvVar?: string;
    /** HTTP headers sent with every request (values passed by name, never in argv). */
    headers?: Record<string, string>;
  };

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
  /** Features on for this turn, over the thread's `enable` / `disable` (exec). */
  enable?: string[];
  /** Features off for this turn, over the thread's `enable` / `disable` (exec). */
  disable?: string[];
  /** Config for this turn, merged over the client's and the thread's by dotted path (exec). */
  config?: CodexConfigObject;
  /** Variables added to the child environment for this turn (exec). */
  env?: Record<string, string>;
  /** Model for this turn. */
  model?: string;
  /** Reasoning effort for this turn (exec). */
  modelReasoningEffort?: ModelReasoningEffort;
  /** The model of this turn's reviews (`review_model`; exec). */
  reviewModel?: string;
  /** Tokens of tool output shown to the model in this turn (`tool_output_token_limit`; exec). */
  toolOutputTokenLimit?: number;
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
   * What a failing `eventLog` does (full disk, a path that is a directory, a stream that
   * errors): `"fail"` (default) ends the turn with a `FileSystemError` naming the log and the
   * cause, and stops its process; `"warn"` reports it once through the client's `onWarning`
   * and lets the turn finish unlogged.
   */
  eventLogErrors?: "fail" | "warn";
  /**
   * Limit until the first event (exec) or the completed app-server handshake, in ms; the run
   * rejects with `ConnectTimeoutError`.
   */
  connectTimeoutMs?: number;
  /** More tools for this turn, besides the thread's (exec). */
  tools?: ToolOption[];
  /** More MCP servers for this turn, over the thread's by name (exec). */
  mcpServers?: Record<string, McpServerOption>;
}

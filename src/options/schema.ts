/**
 * One table per options object (`CodexOptions`, `ThreadOptions`, `TurnOptions`; the commands'
 * options in `commands.ts`), and the description of a turn's input. Each row says how the option
 * is checked, which transport honours it and, for a thread option, how a turn's option of the
 * same name applies; the compiler checks that a table has a row for every key of its type. The
 * transport-only lists and the per-turn overrides are derived from the tables.
 *
 * The tables are checked where each object enters: the `Codex` constructor, `startThread` and
 * its siblings, `run` / `runStreamed`, `createAppServerLane`. Every problem is a TypeError naming
 * the option path, the value and what is accepted; unknown keys are errors, with a "did you
 * mean" when close. Code behind these doors does not check again.
 *
 * Why not valibot here: `codex.ts` and `thread.ts` check options synchronously at construction,
 * so this file is loaded by the root entry, which is meant to load no npm package (its import
 * should cost no more than the upstream SDK's). Valibot alone added about 2-4 ms of CPU to every
 * cold `import` of the root (medians of 20-30 fresh processes: Bun 22.8 -> 18.9 ms, Deno
 * 19.7 -> 18.1 ms, Node 140.5 -> 137.7 ms). The checker in `_check.ts` loads nothing and words
 * every problem the same way. Valibot still describes events and protocol, behind other entries.
 *
 * @module
 */
import {
  array,
  boolean,
  type Check,
  checkOptions,
  custom,
  func,
  instance,
  literal,
  nonEmpty,
  number,
  optional,
  picklist,
  record,
  refine,
  show,
  strictObject,
  string,
  union,
  variant,
} from "./_check.ts";
import { flattenConfig } from "../config/toml_literal.ts";
import { REDACTED } from "../redact.ts";
import {
  APPROVAL_MODES,
  APPROVALS_REVIEWERS,
  CYBER_ACCESS_PROGRAMS,
  EFFORT_FITS,
  HISTORY_PERSISTENCE,
  LOCAL_PROVIDERS,
  REASONING_EFFORTS,
  REASONING_SUMMARIES,
  RUNTIME_NAMES,
  SANDBOX_MODES,
  TRANSPORTS,
  WEB_SEARCH_MODES,
} from "../options.ts";
import type { CodexOptions, Input, ThreadOptions, TurnOptions } from "../options.ts";
import { UNSUPPORTED_POLICIES } from "./gates.ts";
import { DEFAULT_APPROVAL_DECISIONS, STATIC_APPROVAL_POLICIES } from "./approvals.ts";
import type { ApprovalOptions } from "./approvals.ts";
import type { ServerRequestOptions } from "./server_requests.ts";

/** Which transport honours an option. */
export type Honoured = "exec" | "app-server" | "both";

/** One option of an options object. */
export interface OptionRow {
  /** How its value is checked. */
  readonly check: Check;
  /** Which transport honours it; set on the other, the thread or turn is refused. */
  readonly transport: Honoured;
}

/**
 * How a turn's option of the same name applies to a thread option: `"replaces"` it for that
 * turn, or `"merges"` over it (`config` by dotted path, `env` by key; see `layers.ts`).
 */
export type TurnLayer = "replaces" | "merges";

/** The thread options a turn's option merges over rather than replaces. */
type Merged = "config" | "env" | "enable" | "disable";

/** A thread option a turn's option of the same name replaces for that turn. */
export type TurnOverride = Exclude<keyof ThreadOptions & keyof TurnOptions, Merged>;

/** A table with a row for every key of `T`: a new option without a row does not compile. */
type Table<T> = { readonly [K in keyof Required<T>]: OptionRow };

/** The thread table: a key a turn also takes must say how the turn's value applies. */
type ThreadTable = {
  readonly [K in keyof Required<ThreadOptions>]:
    & OptionRow
    & (K extends Merged ? { readonly turn: "merges" }
      : K extends keyof TurnOptions ? { readonly turn: "replaces" }
      : { readonly turn?: never });
};

const oneOf = (values: readonly string[]): Check =>
  optional(picklist(values, `expected one of ${values.join(", ")}`));
const text = nonEmpty("expected a non-empty string");
const optText = optional(text);
/** An optional non-empty string. */
export const textCheck: Check = optText;
const flag = optional(boolean("expected true or false"));
/** An optional `true` or `false`. */
export const flagCheck: Check = flag;
const positiveMs = optional(
  number((n) => Number.isFinite(n) && n > 0, "expected a positive number of milliseconds"),
);
const nonNegativeMs = optional(
  number((n) => Number.isFinite(n) && n >= 0, "expected a number of milliseconds >= 0"),
);
/** An optional positive number of milliseconds (long timers take any length). */
export const positiveMsCheck: Check = positiveMs;
/** An optional number of milliseconds, 0 or more. */
export const nonNegativeMsCheck: Check = nonNegativeMs;
const tokens = optional(
  number((n) => Number.isInteger(n) && n >= 1, "expected a positive integer number of tokens"),
);
const texts = optional(array(text, "expected an array of strings"));
// Feature names are one `-c features.<name>` segment (codex 0.171.0: snake_case).
const features = optional(array(
  custom(
    (value) => typeof value === "string" && /^[a-z0-9_]+$/.test(value),
    "expected a feature name",
  ),
  "expected an array of feature names (codex features list)",
));
const env = optional(record(string("expected a string"), "expected an object of string values"));
/** An optional `config` object: plain, and every value one TOML can hold. */
export const configCheck: Check = optional(
  refine(custom(isPlainObject, "expected a plain object"), (value) => {
    try {
      flattenConfig(value as Record<string, unknown>);
    } catch (error) {
      return (error as Error).message.replace(/^Cannot encode config at /, "");
    }
    return undefined;
  }),
);
const config = configCheck;
/** An optional `env` object of string values. */
export const envCheck: Check = env;
const retry = optional(strictObject({
  attempts: optional(number((n) => Number.isInteger(n) && n >= 1, "expected an integer >= 1")),
  baseDelayMs: nonNegativeMs,
  maxDelayMs: nonNegativeMs,
  retryAfterFileChanges: flag,
  shouldRetry: optional(func("expected a function")),
  onRetry: optional(func("expected a function")),
  backoff: optional(func("expected a function")),
}, "expected an object"));
const callback = optional(func("expected a function"));
/** An optional function (a hook). */
export const callbackCheck: Check = callback;
/** An object with a `method` function; `what` names it in the message ("an option gate"). */
export const withMethod = (method: string, what: string): Check =>
  custom(
    (value) =>
      typeof value === "object" && value !== null &&
      typeof (value as Record<string, unknown>)[method] === "function",
    `expected ${what}`,
  );
const both = (check: Check): OptionRow => ({ check, transport: "both" });
const exec = (check: Check): OptionRow => ({ check, transport: "exec" });
// exec never asks the client: a hook there would silently never run.
const appServer = (check: Check): OptionRow => ({ check, transport: "app-server" });

const tools = optional(array(
  withMethod("execute", "a tool made by tool()"),
  "expected an array of tools made by tool()",
));
const serverTools = {
  enabledTools: texts,
  disabledTools: texts,
  approveTools: flag,
  required: flag,
};
const stdioServer = strictObject({
  command: text,
  args: optional(array(string("expected a string"), "expected an array of strings")),
  env,
  cwd: optText,
  ...serverTools,
}, "expected an object");
const httpServer = strictObject({
  url: text,
  bearerTokenEnvVar: optText,
  headers: env,
  ...serverTools,
}, "expected an object");
// Codex splits -c keys on dots, so a name must be one plain segment.
const SERVER_NAME = /^[A-Za-z0-9_-]+$/;
const mcpServers = optional(refine(
  record({
    run: (value) =>
      (typeof value === "object" && value !== null && "url" in value ? httpServer : stdioServer)
        .run(value),
  }, "expected an object of MCP servers by name"),
  (value) => {
    const bad = Object.keys(value as object).find((name) => !SERVER_NAME.test(name));
    return bad === undefined
      ? undefined
      : `${bad}: expected a server name of letters, digits, "_" or "-"`;
  },
));

/** An optional bundle source (see `@codexkit/sdk/bundles`). */
export const bundleCheck: Check = optional(
  withMethod("resolve", "a bundle source (an object with resolve())"),
);
/** An optional `capabilities` option: an option gate, or `false`. */
export const gateCheck: Check = optional(union([
  literal(false, "expected false"),
  withMethod("support", "an option gate"),
], "expected false or an option gate (an object with support())"));
/** An optional `mirror` option; `stdout` only where the caller reads no events from it. */
export function mirrorCheck(stdout: boolean): Check {
  const streams = stdout ? "{ stderr?, stdout? }" : "{ stderr? }";
  return optional(union([
    boolean(""),
    strictObject(stdout ? { stderr: flag, stdout: flag } : { stderr: flag }, ""),
  ], `expected true, false or ${streams} of booleans`));
}
/** An optional `runtime` option. */
export const runtimeCheck: Check = oneOf(RUNTIME_NAMES);

/** The rows of {@linkcode CodexOptions}; a client runs threads on both transports. */
const CODEX_OPTIONS: Table<CodexOptions> = {
  codexPathOverride: both(optText),
  bundle: both(bundleCheck),
  baseUrl: both(optText),
  apiKey: both(optText),
  config: both(config),
  configOverrides: both(optional(array(
    custom(
      (value) => typeof value === "string" && /^[^=]+=/.test(value),
      "expected a key=value string",
    ),
    "expected an array of key=value strings",
  ))),
  env: both(env),
  codexHome: both(optText),
  // No codex app-server takes --profile (0.168.0-0.171.0 refuse it, and a `profile` key in the
  // config): an app-server thread of a client with one is refused (checkClientTransport).
  profile: exec(optText),
  capabilities: exec(gateCheck),
  // The range syntax is checked on the first turn, where the semver parser loads.
  requireCodex: both(optional(custom(
    (value) =>
      typeof value === "string" && /^[\w\s.+*<>=~^|-]+$/.test(value) && /[\d*xX]/.test(value),
    'expected a semver range such as ">=0.165.0"',
  ))),
  onUnsupported: exec(oneOf(UNSUPPORTED_POLICIES)),
  onWarning: both(callback),
  onStderr: both(callback),
  mirror: both(mirrorCheck(false)),
  runtime: both(runtimeCheck),
  killGraceMs: both(nonNegativeMs),
  exitGraceMs: exec(nonNegativeMs),
  telemetry: both(optional(union([
    literal(false, "expected false"),
    strictObject({ recordContent: flag }, "expected { recordContent?: boolean }"),
  ], "expected false or { recordContent?: boolean }"))),
  maxLineBytes: both(optional(number(
    (n) => Number.isInteger(n) && n >= 1,
    "expected a positive integer number of bytes",
  ))),
  appServer: appServer(optional(withMethod("call", "an AppServer connection"))),
  lane: both(optional(withMethod("runTurn", "a turn lane (an object with runTurn())"))),
  retry: both(retry),
  checkModel: both(flag),
  effortFit: both(oneOf(EFFORT_FITS)),
};

/**
 * The name of an environment variable. A token passed here by mistake is refused, and never
 * shown in the message, rather than put in argv.
 */
const envName: Check = {
  run: (value) =>
    typeof value === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value) ? undefined : {
      kind: "invalid",
      path: [],
      value: typeof value === "string" ? REDACTED : value,
      expected:
        "expected the name of an environment variable (the token itself goes in that variable)",
    },
};

/** The rows of the approval hooks ({@linkcode ApprovalOptions}), thread and lane alike. */
const APPROVAL_OPTIONS: Table<ApprovalOptions> = {
  onApproval: appServer(optional(union([
    func("expected a function"),
    picklist(STATIC_APPROVAL_POLICIES, ""),
  ], `expected a function or one of ${STATIC_APPROVAL_POLICIES.join(", ")}`))),
  approvalTimeoutMs: appServer(positiveMs),
  defaultApprovalDecision: appServer(oneOf(DEFAULT_APPROVAL_DECISIONS)),
};

/** The rows of the other server-request hooks ({@linkcode ServerRequestOptions}). */
const SERVER_REQUEST_OPTIONS: Table<ServerRequestOptions> = {
  onUserInput: appServer(callback),
  onElicitation: appServer(callback),
  onToolCall: appServer(callback),
  onTokenRefresh: appServer(callback),
  onAttestation: appServer(callback),
  dynamicTools: appServer(optional(
    array(custom(isObject, "expected a tool object"), "expected an array of tool specs"),
  )),
  serverRequestTimeoutMs: appServer(positiveMs),
};

/** The rows of {@linkcode ThreadOptions}. */
const THREAD_OPTIONS: ThreadTable = {
  model: { ...both(optText), turn: "replaces" },
  sandboxMode: { ...both(oneOf(SANDBOX_MODES)), turn: "replaces" },
  workingDirectory: both(optText),
  skipGitRepoCheck: both(flag),
  modelReasoningEffort: { ...both(oneOf(REASONING_EFFORTS)), turn: "replaces" },
  effortFit: both(oneOf(EFFORT_FITS)),
  networkAccessEnabled: both(flag),
  webSearchMode: { ...both(oneOf(WEB_SEARCH_MODES)), turn: "replaces" },
  webSearchEnabled: both(flag),
  approvalPolicy: both(oneOf(APPROVAL_MODES)),
  fullAuto: both(flag),
  dangerouslyBypassApprovalsAndSandbox: both(optional(literal(
    "yes-i-understand",
    'expected the literal "yes-i-understand" (commands then run with no sandbox and no approvals)',
  ))),
  additionalDirectories: both(texts),
  threadSource: both(optText),
  ephemeral: both(flag),
  transport: both(oneOf(TRANSPORTS)),
  oss: exec(flag),
  localProvider: exec(oneOf(LOCAL_PROVIDERS)),
  ossBaseUrl: exec(optional(custom(
    (value) => typeof value === "string" && /^https?:\/\/[^/\s]+/.test(value),
    "expected an http(s) URL",
  ))),
  remote: exec(optText),
  remoteAuthTokenEnv: exec(optional(envName)),
  config: { ...both(config), turn: "merges" },
  env: { ...exec(env), turn: "merges" },
  enable: { ...both(features), turn: "merges" },
  disable: { ...both(features), turn: "merges" },
  retry: both(retry),
  tools: { ...both(tools), turn: "replaces" },
  developerInstructions: both(optText),
  baseInstructions: both(optText),
  mcpServers: { ...both(mcpServers), turn: "replaces" },
  // thread/start's serviceTier and approvalsReviewer, its config's model_reasoning_summary
  // (exec: -c service_tier, -c model_reasoning_summary; only the app-server has reviewers).
  serviceTier: both(optText),
  reasoningSummary: both(oneOf(REASONING_SUMMARIES)),
  approvalsReviewer: appServer(oneOf(APPROVALS_REVIEWERS)),
  // Config keys of codex 0.171.0 (its config/read schema has review_model; the others are in
  // the binary). `personality` is not here: 0.171.0 lists the feature as removed.
  reviewModel: { ...both(optText), turn: "replaces" },
  toolOutputTokenLimit: { ...both(tokens), turn: "replaces" },
  historyPersistence: both(oneOf(HISTORY_PERSISTENCE)),
  ...APPROVAL_OPTIONS,
  ...SERVER_REQUEST_OPTIONS,
};

/** The rows of {@linkcode TurnOptions}. */
// codex 0.171.0's turn/start takes a model, effort and sandbox (kept for later turns: the
// lane puts the thread's own back after); it has no per-turn web search, config, env or cyber
// program, and the app-server writes no last-message file: those are exec's alone.
const TURN_OPTIONS: Table<TurnOptions> = {
  outputSchema: both(optional(custom(
    (value) => (typeof value === "string" && value.length > 0) || isObject(value),
    "expected a JSON Schema object, a valibot schema or the path of a JSON Schema file",
  ))),
  strictOutput: both(flag),
  signal: both(optional(instance(AbortSignal, "expected an AbortSignal"))),
  timeoutMs: both(positiveMs),
  idleTimeoutMs: both(positiveMs),
  images: both(texts),
  outputLastMessage: exec(optText),
  config: exec(config),
  env: exec(env),
  enable: exec(features),
  disable: exec(features),
  model: both(optText),
  modelReasoningEffort: both(oneOf(REASONING_EFFORTS)),
  sandboxMode: both(oneOf(SANDBOX_MODES)),
  reviewModel: exec(optText),
  toolOutputTokenLimit: exec(tokens),
  webSearchMode: exec(oneOf(WEB_SEARCH_MODES)),
  cyberAccessProgram: exec(oneOf(CYBER_ACCESS_PROGRAMS)),
  eventLog: both(optional(custom(
    (value) =>
      (typeof value === "string" && value.length > 0) ||
      (typeof WritableStream !== "undefined" && value instanceof WritableStream),
    "expected a file path or a WritableStream",
  ))),
  eventLogErrors: both(oneOf(["fail", "warn"])),
  connectTimeoutMs: both(positiveMs),
  // Dynamic tools and MCP servers are declared with thread/start, for the thread's life.
  tools: exec(tools),
  mcpServers: exec(mcpServers),
  // Follow-ups: run after the thread's current turn (both transports).
  queue: both(flag),
};

/** The object check of a table: its rows' checks, unknown keys refused. */
function objectOf(table: Readonly<Record<string, OptionRow>>): Check {
  const shape: Record<string, Check> = {};
  for (const [key, row] of Object.entries(table)) shape[key] = row.check;
  return strictObject(shape, "expected an object");
}

/** The keys of `table` whose row passes `test`, in the table's order. */
function keysWhere<T>(
  table: { readonly [K in keyof T]: OptionRow & { readonly turn?: TurnLayer } },
  test: (row: OptionRow & { readonly turn?: TurnLayer }) => boolean,
): (keyof T & string)[] {
  return (Object.keys(table) as (keyof T & string)[]).filter((key) => test(table[key]));
}

/** The description of {@linkcode CodexOptions}. */
export const codexOptionsSchema: Check = objectOf(CODEX_OPTIONS);
/** The description of {@linkcode ThreadOptions}. */
export const threadOptionsSchema: Check = objectOf(THREAD_OPTIONS);
/** The description of {@linkcode TurnOptions}. */
export const turnOptionsSchema: Check = objectOf(TURN_OPTIONS);

/** Thread options only the app-server honours (the hooks): refused on an exec thread. */
export const APP_SERVER_ONLY_THREAD: readonly (keyof ThreadOptions)[] = keysWhere<ThreadOptions>(
  THREAD_OPTIONS,
  (row) => row.transport === "app-server",
);
/** Thread options only exec honours: refused on an app-server thread. */
export const EXEC_ONLY_THREAD: readonly (keyof ThreadOptions)[] = keysWhere<ThreadOptions>(
  THREAD_OPTIONS,
  (row) => row.transport === "exec",
);
/** Turn options only exec honours: refused on an app-server thread's turn. */
export const EXEC_ONLY_TURN: readonly (keyof TurnOptions)[] = keysWhere<TurnOptions>(
  TURN_OPTIONS,
  (row) => row.transport === "exec",
);
/** The thread options a turn's option of the same name replaces for that turn. */
export const TURN_OVERRIDES: readonly TurnOverride[] = keysWhere<ThreadOptions>(
  THREAD_OPTIONS,
  (row) => row.turn === "replaces",
) as TurnOverride[];

const PART_TYPES = '"text", "local_image", "image_url", "skill" or "mention"';
const PART = `expected a part of type ${PART_TYPES}`;
const named = (type: string): Check =>
  strictObject({
    type: literal(type, `expected "${type}"`),
    name: text,
    path: text,
  }, "expected an object");
const inputPart = variant("type", [
  strictObject({
    type: literal("text", 'expected "text"'),
    text: string("expected a string"),
  }, "expected an object"),
  strictObject({
    type: literal("local_image", 'expected "local_image"'),
    path: text,
  }, "expected an object"),
  // The app-server's own input blocks (codex 0.171.0 `UserInput`): exec has no way to send them.
  strictObject({
    type: literal("image_url", 'expected "image_url"'),
    url: text,
  }, "expected an object"),
  named("skill"),
  named("mention"),
], PART);
// Input parts only the app-server can send.
const APP_SERVER_ONLY_PARTS: readonly string[] = ["image_url", "skill", "mention"];

/** The description of a turn's {@linkcode Input}. */
export const inputSchema: Check = union([
  string("expected a string"),
  array(inputPart, "expected an array"),
], `expected a string or an array of { type: ${PART_TYPES} } parts`);
// The array branch alone, so a bad part is reported by its path rather than as "no branch".
const inputPartsSchema = array(inputPart, "expected an array");

/** Refuses a feature both enabled and disabled in one layer. */
function checkFeatureLists(options: { enable?: string[]; disable?: string[] }, where: string) {
  const both = options.enable?.find((name) => options.disable?.includes(name));
  if (both !== undefined) {
    throw new TypeError(`Cannot use ${where}.enable and .disable: both name ${both}`);
  }
}

/** Checks client options; throws a TypeError naming the first problem. */
export function checkCodexOptions(options: unknown): asserts options is CodexOptions {
  checkOptions(codexOptionsSchema, options, "options");
}

/**
 * Checks thread options, and that the thread's transport can honour them (`laneGiven`: the
 * client runs threads on its own `lane`, which decides for itself).
 */
export function checkThreadOptions(
  options: unknown,
  laneGiven = false,
): asserts options is ThreadOptions {
  checkOptions(threadOptionsSchema, options, "thread options");
  const thread = options as ThreadOptions;
  checkFeatureLists(thread, "thread options");
  if (thread.remoteAuthTokenEnv !== undefined && thread.remote === undefined) {
    throw new TypeError(
      "Cannot use thread options.remoteAuthTokenEnv without remote: it names the token of the remote app-server",
    );
  }
  if (thread.ossBaseUrl !== undefined && !thread.oss) {
    throw new TypeError("Cannot use thread options.ossBaseUrl without oss: true");
  }
  const safety = thread.dangerouslyBypassApprovalsAndSandbox !== undefined
    ? "dangerouslyBypassApprovalsAndSandbox"
    : thread.fullAuto
    ? "fullAuto"
    : undefined;
  if (safety !== undefined) {
    const clash = (["fullAuto", "sandboxMode", "approvalPolicy"] as const).find((key) =>
      key !== safety && thread[key] !== undefined
    );
    if (clash !== undefined) {
      throw new TypeError(
        `Cannot use thread options.${safety} with ${clash}: it sets the sandbox and the approval policy itself`,
      );
    }
  }
  if (laneGiven) return;
  if ((thread.transport ?? "exec") === "exec") {
    for (const key of APP_SERVER_ONLY_THREAD) {
      if (thread[key] !== undefined) {
        throw new TypeError(
          `Cannot use ${key} with transport "exec": codex exec never asks the client; set transport: "app-server"`,
        );
      }
    }
    return;
  }
  for (const key of EXEC_ONLY_THREAD) {
    if (thread[key] !== undefined) throw execOnly(key);
  }
  if (thread.approvalPolicy === "on-failure") {
    // The app-server's AskForApproval has no on-failure (0.169.0).
    throw new TypeError(
      'Cannot use approvalPolicy "on-failure" with transport "app-server": use "on-request", "untrusted" or "never"',
    );
  }
}

/**
 * Checks that a client's own options can be honoured on a thread of `transport`: the client's
 * `profile` would change what an app-server thread does, and no app-server can load one.
 */
export function checkClientTransport(
  client: Pick<CodexOptions, "profile">,
  transport: ThreadOptions["transport"] = "exec",
): void {
  if (transport === "app-server" && client.profile !== undefined) {
    throw new TypeError(
      `Cannot use profile with transport "app-server": codex ${APP_SERVER_CHECKED_VERSION}'s app-server loads no profile (it refuses --profile); use transport "exec", or pass the profile's settings as config`,
    );
  }
}

/** Checks turn options against what the thread's transport can honour. */
export function checkTurnOptions(
  options: unknown,
  transport: ThreadOptions["transport"] = "exec",
  laneGiven = false,
): asserts options is TurnOptions {
  checkOptions(turnOptionsSchema, options, "turn options");
  checkFeatureLists(options as TurnOptions, "turn options");
  if (laneGiven || transport !== "app-server") return;
  for (const key of EXEC_ONLY_TURN) {
    if ((options as TurnOptions)[key] !== undefined) throw execOnly(key);
  }
}

const approvalSchema = objectOf(APPROVAL_OPTIONS);
const serverRequestSchema = objectOf(SERVER_REQUEST_OPTIONS);
/** An optional `serverRequests` object (a connection's or a lane's hooks). */
export const serverRequestsCheck: Check = optional(serverRequestSchema);

/**
 * Checks approval settings given apart from a thread (an app-server lane's `approvals`);
 * `where` is their path ("approvals").
 */
export function checkApprovalOptions(
  options: unknown,
  where = "approvals",
): asserts options is ApprovalOptions {
  checkOptions(approvalSchema, options, where, `${where}.`);
}

/**
 * Checks server-request hooks given apart from a thread (an app-server lane's or connection's
 * `serverRequests`); `where` is their path ("serverRequests").
 */
export function checkServerRequestOptions(
  options: unknown,
  where = "serverRequests",
): asserts options is ServerRequestOptions {
  checkOptions(serverRequestSchema, options, where, `${where}.`);
}

/** Checks a turn's input: well formed and with a prompt (images alone are not one). */
export function checkInput(input: unknown): asserts input is Input {
  checkOptions(Array.isArray(input) ? inputPartsSchema : inputSchema, input, "input");
  const texts = typeof input === "string"
    ? [input]
    : (input as Exclude<Input, string>).flatMap((part) => part.type === "text" ? [part.text] : []);
  if (!texts.some((t) => t.trim().length > 0)) {
    throw new TypeError(
      `Cannot use input: expected a non-empty prompt, got ${
        show(input)
      } (codex needs text; images alone are not a prompt)`,
    );
  }
}

/**
 * The codex whose app-server protocol the exec-only rows were checked against. A test keeps it
 * equal to the generated protocol's version, so a new protocol gets the rows checked again.
 */
export const APP_SERVER_CHECKED_VERSION = "0.171.0";

function execOnly(key: string): TypeError {
  return new TypeError(
    `Cannot use ${key} with transport "app-server": codex ${APP_SERVER_CHECKED_VERSION}'s app-server has no such setting; only transport "exec" supports it`,
  );
}

/** Checks that a turn's input parts can be sent on the thread's transport. */
export function checkInputTransport(
  input: Input,
  transport: ThreadOptions["transport"] = "exec",
  laneGiven = false,
): void {
  if (laneGiven || transport === "app-server" || typeof input === "string") return;
  input.forEach((part, i) => {
    if (APP_SERVER_ONLY_PARTS.includes(part.type)) {
      throw new TypeError(
        `Cannot use input[${i}] of type "${part.type}" with transport "exec": codex exec takes text and local images only; set transport: "app-server"`,
      );
    }
  });
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

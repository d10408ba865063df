/**
 * The one description of every options object (`CodexOptions`, `ThreadOptions`, `TurnOptions`)
 * and of a turn's input, checked where each enters: the `Codex` constructor, `startThread` and
 * its siblings, `run` / `runStreamed`. Every problem is a TypeError naming the option path, the
 * value and what is accepted; unknown keys are errors, with a "did you mean" when close.
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
  strictObject,
  string,
  union,
  variant,
} from "./_check.ts";
import { flattenConfig } from "../config/toml_literal.ts";
import { REDACTED } from "../redact.ts";
import type { CodexOptions, Input, ThreadOptions, TurnOptions } from "../options.ts";

const SANDBOX_MODES = ["read-only", "workspace-write", "danger-full-access"] as const;
const APPROVAL_MODES = ["never", "on-request", "on-failure", "untrusted"] as const;
const EFFORTS = [
  "minimal",
  "low",
  "medium",
  "high",
  "xhigh",
  "max",
  "ultra",
  "persistent",
] as const;
const WEB_SEARCH_MODES = ["disabled", "cached", "live"] as const;
const CYBER_PROGRAMS = ["standard", "daybreak_blue", "daybreak_red"] as const;
const LOCAL_PROVIDERS = ["ollama", "lmstudio"] as const;
const TRANSPORTS = ["exec", "app-server"] as const;
const RUNTIMES = ["deno", "bun", "node"] as const;
const STATIC_APPROVALS = ["accept", "acceptForSession", "decline", "cancel"] as const;

const oneOf = (values: readonly string[]): Check =>
  optional(picklist(values, `expected one of ${values.join(", ")}`));
const text = nonEmpty("expected a non-empty string");
const optText = optional(text);
const flag = optional(boolean("expected true or false"));
const positiveMs = optional(
  number((n) => Number.isFinite(n) && n > 0, "expected a positive number of milliseconds"),
);
const nonNegativeMs = optional(
  number((n) => Number.isFinite(n) && n >= 0, "expected a number of milliseconds >= 0"),
);
const texts = optional(array(text, "expected an array of strings"));
const env = optional(record(string("expected a string"), "expected an object of string values"));
const config = optional(refine(custom(isPlainObject, "expected a plain object"), (value) => {
  try {
    flattenConfig(value as Record<string, unknown>);
  } catch (error) {
    return (error as Error).message.replace(/^Cannot encode config at /, "");
  }
  return undefined;
}));
const retry = optional(strictObject({
  attempts: optional(number((n) => Number.isInteger(n) && n >= 1, "expected an integer >= 1")),
  baseDelayMs: nonNegativeMs,
  maxDelayMs: nonNegativeMs,
  retryAfterFileChanges: flag,
}, "expected an object"));
const callback = optional(func("expected a function"));
const withMethod = (method: string, what: string): Check =>
  custom(
    (value) =>
      typeof value === "object" && value !== null &&
      typeof (value as Record<string, unknown>)[method] === "function",
    `expected ${what}`,
  );

/** The description of {@linkcode CodexOptions}. */
export const codexOptionsSchema: Check = strictObject({
  codexPathOverride: optText,
  bundle: optional(withMethod("resolve", "a bundle source (an object with resolve())")),
  baseUrl: optText,
  apiKey: optText,
  config,
  configOverrides: optional(array(
    custom(
      (value) => typeof value === "string" && /^[^=]+=/.test(value),
      "expected a key=value string",
    ),
    "expected an array of key=value strings",
  )),
  env,
  codexHome: optText,
  profile: optText,
  capabilities: optional(union([
    literal(false, "expected false"),
    withMethod("support", "an option gate"),
  ], "expected false or an option gate (an object with support())")),
  // The range syntax is checked on the first turn, where the semver parser loads.
  requireCodex: optional(custom(
    (value) =>
      typeof value === "string" && /^[\w\s.+*<>=~^|-]+$/.test(value) && /[\d*xX]/.test(value),
    'expected a semver range such as ">=0.165.0"',
  )),
  onUnsupported: oneOf(["drop", "error"]),
  onWarning: callback,
  onStderr: callback,
  runtime: oneOf(RUNTIMES),
  killGraceMs: nonNegativeMs,
  appServer: optional(withMethod("call", "an AppServer connection")),
  lane: optional(withMethod("runTurn", "a turn lane (an object with runTurn())")),
  retry,
  maxLineBytes: optional(number(
    (n) => Number.isInteger(n) && n >= 1,
    "expected a positive integer number of bytes",
  )),
}, "expected an object");

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

/** The description of {@linkcode ThreadOptions}. */
export const threadOptionsSchema: Check = strictObject({
  model: optText,
  sandboxMode: oneOf(SANDBOX_MODES),
  workingDirectory: optText,
  skipGitRepoCheck: flag,
  modelReasoningEffort: oneOf(EFFORTS),
  networkAccessEnabled: flag,
  webSearchMode: oneOf(WEB_SEARCH_MODES),
  webSearchEnabled: flag,
  approvalPolicy: oneOf(APPROVAL_MODES),
  additionalDirectories: texts,
  threadSource: optText,
  ephemeral: flag,
  transport: oneOf(TRANSPORTS),
  oss: flag,
  localProvider: oneOf(LOCAL_PROVIDERS),
  remote: optText,
  remoteAuthTokenEnv: optional(envName),
  config,
  env,
  retry,
  onApproval: optional(union([
    func("expected a function"),
    picklist(STATIC_APPROVALS, `expected one of ${STATIC_APPROVALS.join(", ")}`),
  ], `expected a function or one of ${STATIC_APPROVALS.join(", ")}`)),
  approvalTimeoutMs: positiveMs,
  defaultApprovalDecision: oneOf(["decline", "cancel", "accept"]),
  onUserInput: callback,
  onElicitation: callback,
  onToolCall: callback,
  onTokenRefresh: callback,
  onAttestation: callback,
  dynamicTools: optional(
    array(custom(isObject, "expected a tool object"), "expected an array of tool specs"),
  ),
  serverRequestTimeoutMs: positiveMs,
  // Settings the app-server takes on thread/start (exec: as config).
  serviceTier: optText,
  reasoningSummary: oneOf(["auto", "concise", "detailed", "none"]),
  approvalsReviewer: oneOf(["user", "auto_review"]),
}, "expected an object");

/** The description of {@linkcode TurnOptions}. */
export const turnOptionsSchema: Check = strictObject({
  outputSchema: optional(custom(
    (value) => (typeof value === "string" && value.length > 0) || isObject(value),
    "expected a JSON Schema object, a valibot schema or the path of a JSON Schema file",
  )),
  strictOutput: flag,
  signal: optional(instance(AbortSignal, "expected an AbortSignal")),
  timeoutMs: positiveMs,
  idleTimeoutMs: positiveMs,
  images: texts,
  outputLastMessage: optText,
  config,
  env,
  model: optText,
  modelReasoningEffort: oneOf(EFFORTS),
  sandboxMode: oneOf(SANDBOX_MODES),
  webSearchMode: oneOf(WEB_SEARCH_MODES),
  cyberAccessProgram: oneOf(CYBER_PROGRAMS),
  eventLog: optional(custom(
    (value) =>
      (typeof value === "string" && value.length > 0) ||
      (typeof WritableStream !== "undefined" && value instanceof WritableStream),
    "expected a file path or a WritableStream",
  )),
  connectTimeoutMs: positiveMs,
  // Follow-ups: run after the thread's current turn (both transports).
  queue: flag,
}, "expected an object");

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

/** The description of a turn's {@linkcode Input}. */
export const inputSchema: Check = union([
  string("expected a string"),
  array(inputPart, "expected an array"),
], `expected a string or an array of { type: ${PART_TYPES} } parts`);
// The array branch alone, so a bad part is reported by its path rather than as "no branch".
const inputPartsSchema = array(inputPart, "expected an array");

/** Options that only one transport can honour, with what to say when set on the other. */
// exec never asks: a hook there would silently never run.
const APP_SERVER_ONLY = [
  "onApproval",
  "approvalTimeoutMs",
  "defaultApprovalDecision",
  "onUserInput",
  "onElicitation",
  "onToolCall",
  "onTokenRefresh",
  "onAttestation",
  "dynamicTools",
  "serverRequestTimeoutMs",
  // Only the app-server routes approvals to a reviewer.
  "approvalsReviewer",
] as const;
const EXEC_ONLY_THREAD = [
  "oss",
  "localProvider",
  "env",
  "remote",
  "remoteAuthTokenEnv",
] as const;
/**
 * The codex whose app-server protocol the refusals below were checked against. A test keeps
 * it equal to the generated protocol's version.
 */
export const APP_SERVER_CHECKED_VERSION = "0.171.0";
// Per-turn settings turn/start has no field for (codex 0.171.0; `model`, `modelReasoningEffort`
// and `sandboxMode` it has, and the lane restores the thread's own after the turn).
const EXEC_ONLY_TURN = [
  "config",
  "env",
  "webSearchMode",
  "cyberAccessProgram",
  "outputLastMessage",
] as const;
// Input parts only the app-server can send.
const APP_SERVER_ONLY_PARTS = ["image_url", "skill", "mention"] as const;

/** Checks client options; throws a TypeError naming the first problem. */
export function checkCodexOptions(options: unknown): asserts options is CodexOptions {
  check(codexOptionsSchema, options, "options");
}

/**
 * Checks thread options, and that the thread's transport can honour them (`laneGiven`: the
 * client runs threads on its own `lane`, which decides for itself).
 */
export function checkThreadOptions(
  options: unknown,
  laneGiven = false,
): asserts options is ThreadOptions {
  check(threadOptionsSchema, options, "thread options");
  const thread = options as ThreadOptions;
  if (thread.remoteAuthTokenEnv !== undefined && thread.remote === undefined) {
    throw new TypeError(
      "Cannot use thread options.remoteAuthTokenEnv without remote: it names the token of the remote app-server",
    );
  }
  if (laneGiven) return;
  if ((thread.transport ?? "exec") === "exec") {
    for (const key of APP_SERVER_ONLY) {
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

/** Checks turn options against what the thread's transport can honour. */
export function checkTurnOptions(
  options: unknown,
  transport: ThreadOptions["transport"] = "exec",
  laneGiven = false,
): asserts options is TurnOptions {
  check(turnOptionsSchema, options, "turn options");
  if (laneGiven || transport !== "app-server") return;
  for (const key of EXEC_ONLY_TURN) {
    if ((options as TurnOptions)[key] !== undefined) throw execOnly(key);
  }
}

/** Checks a turn's input: well formed and with a prompt (images alone are not one). */
export function checkInput(input: unknown): asserts input is Input {
  check(Array.isArray(input) ? inputPartsSchema : inputSchema, input, "input");
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
    if ((APP_SERVER_ONLY_PARTS as readonly string[]).includes(part.type)) {
      throw new TypeError(
        `Cannot use input[${i}] of type "${part.type}" with transport "exec": codex exec takes text and local images only; set transport: "app-server"`,
      );
    }
  });
}

function check(schema: Check, value: unknown, name: string): void {
  const failure = schema.run(value);
  if (!failure) return;
  const path = formatPath(name, failure.path);
  if (failure.kind === "unknown") {
    const known = Object.keys(shapeAt(schema, failure.path.slice(0, -1)) ?? {});
    const hint = suggest(String(failure.path.at(-1)), known);
    throw new TypeError(
      `Cannot use ${path}: unknown option${hint ? `; did you mean ${hint}?` : ""}`,
    );
  }
  // A problem names the place inside the value itself ("model_providers.x: TOML has no null").
  if (failure.kind === "problem") throw new TypeError(`Cannot use ${path}.${failure.problem}`);
  throw new TypeError(`Cannot use ${path}: ${failure.expected}, got ${show(failure.value)}`);
}

function formatPath(name: string, keys: readonly unknown[]): string {
  let out = "";
  for (const key of keys) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  if (!out) return name;
  return name === "input" ? `input${out.startsWith("[") ? "" : "."}${out}` : out;
}

/** The keys the object check at `path` describes (none below an array or a variant). */
function shapeAt(
  schema: Check,
  path: readonly unknown[],
): Readonly<Record<string, Check>> | undefined {
  let node: Check | undefined = schema;
  for (const key of path) node = node?.shape?.[String(key)];
  return node?.shape;
}

/** The known key closest to `key`, when it is close enough to be a likely slip. */
export function suggest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = key.toLowerCase();
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    let score = editDistance(lower, other);
    const near = score <= Math.max(2, Math.floor(candidate.length / 3)) ||
      (lower.length >= 4 && (other.startsWith(lower) || lower.startsWith(other)));
    if (!near) continue;
    if (other.startsWith(lower) || lower.startsWith(other)) score = Math.min(score, 1);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/** A value as a message shows it: strings quoted, containers by kind. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) {
    const json = safeJson(value);
    return json && json.length <= 60 ? json : `an array of ${value.length}`;
  }
  if (typeof value === "object" && value !== null) {
    const json = safeJson(value);
    return json && json.length <= 60 ? json : "an object";
  }
  return String(value);
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

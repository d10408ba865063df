/**
 * The one description of every options object (`CodexOptions`, `ThreadOptions`, `TurnOptions`)
 * and of a turn's input, checked where each enters: the `Codex` constructor, `startThread` and
 * its siblings, `run` / `runStreamed`. Every problem is a TypeError naming the option path, the
 * value and what is accepted; unknown keys are errors, with a "did you mean" when close.
 *
 * @module
 */
import * as v from "valibot";
import { flattenConfig } from "../config/toml_literal.ts";
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

const oneOf = <const T extends readonly string[]>(values: T) =>
  v.optional(v.picklist(values, `expected one of ${values.join(", ")}`));
const text = v.pipe(
  v.string("expected a non-empty string"),
  v.minLength(1, "expected a non-empty string"),
);
const optText = v.optional(text);
const flag = v.optional(v.boolean("expected true or false"));
const positiveMs = v.optional(v.pipe(
  v.number("expected a positive number of milliseconds"),
  v.check((n) => Number.isFinite(n) && n > 0, "expected a positive number of milliseconds"),
));
const nonNegativeMs = v.optional(v.pipe(
  v.number("expected a number of milliseconds >= 0"),
  v.check((n) => Number.isFinite(n) && n >= 0, "expected a number of milliseconds >= 0"),
));
const texts = v.optional(v.array(text, "expected an array of strings"));
const env = v.optional(v.record(
  v.string(),
  v.string("expected a string"),
  "expected an object of string values",
));
const config = v.optional(v.pipe(
  v.custom<Record<string, unknown>>(isPlainObject, "expected a plain object"),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    try {
      flattenConfig(dataset.value);
    } catch (error) {
      addIssue({ message: (error as Error).message.replace(/^Cannot encode config at /, "") });
    }
  }),
));
const retry = v.optional(v.strictObject({
  attempts: v.optional(v.pipe(
    v.number("expected an integer >= 1"),
    v.integer("expected an integer >= 1"),
    v.minValue(1, "expected an integer >= 1"),
  )),
  baseDelayMs: nonNegativeMs,
  maxDelayMs: nonNegativeMs,
  retryAfterFileChanges: flag,
}, "expected an object"));
const callback = v.optional(v.function("expected a function"));
const withMethod = (method: string, what: string) =>
  v.custom<object>(
    (value) =>
      typeof value === "object" && value !== null &&
      typeof (value as Record<string, unknown>)[method] === "function",
    `expected ${what}`,
  );

/** The description of {@linkcode CodexOptions}. */
export const codexOptionsSchema = v.strictObject({
  codexPathOverride: optText,
  bundle: v.optional(withMethod("resolve", "a bundle source (an object with resolve())")),
  baseUrl: optText,
  apiKey: optText,
  config,
  configOverrides: v.optional(v.array(
    v.pipe(
      v.string("expected a key=value string"),
      v.regex(/^[^=]+=/, "expected a key=value string"),
    ),
    "expected an array of key=value strings",
  )),
  env,
  codexHome: optText,
  profile: optText,
  capabilities: v.optional(v.union([
    v.literal(false),
    withMethod("support", "an option gate"),
  ], "expected false or an option gate (an object with support())")),
  onUnsupported: oneOf(["drop", "error"] as const),
  onWarning: callback,
  onStderr: callback,
  runtime: oneOf(RUNTIMES),
  killGraceMs: nonNegativeMs,
  appServer: v.optional(withMethod("call", "an AppServer connection")),
  lane: v.optional(withMethod("runTurn", "a turn lane (an object with runTurn())")),
  retry,
  maxLineBytes: v.optional(v.pipe(
    v.number("expected a positive integer number of bytes"),
    v.integer("expected a positive integer number of bytes"),
    v.minValue(1, "expected a positive integer number of bytes"),
  )),
}, "expected an object");

/** The description of {@linkcode ThreadOptions}. */
export const threadOptionsSchema = v.strictObject({
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
  config,
  env,
  retry,
  onApproval: v.optional(v.union([
    v.function(),
    v.picklist(STATIC_APPROVALS),
  ], `expected a function or one of ${STATIC_APPROVALS.join(", ")}`)),
  approvalTimeoutMs: positiveMs,
  defaultApprovalDecision: oneOf(["decline", "cancel", "accept"] as const),
  onUserInput: callback,
  onElicitation: callback,
  onToolCall: callback,
  onTokenRefresh: callback,
  onAttestation: callback,
  dynamicTools: v.optional(
    v.array(
      v.custom<object>(isObject, "expected a tool object"),
      "expected an array of tool specs",
    ),
  ),
  serverRequestTimeoutMs: positiveMs,
}, "expected an object");

/** The description of {@linkcode TurnOptions}. */
export const turnOptionsSchema = v.strictObject({
  outputSchema: v.optional(v.custom<object | string>(
    (value) => (typeof value === "string" && value.length > 0) || isObject(value),
    "expected a JSON Schema object, a valibot schema or the path of a JSON Schema file",
  )),
  strictOutput: flag,
  signal: v.optional(v.instance(AbortSignal, "expected an AbortSignal")),
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
  eventLog: v.optional(v.custom<string | WritableStream<Uint8Array>>(
    (value) =>
      (typeof value === "string" && value.length > 0) ||
      (typeof WritableStream !== "undefined" && value instanceof WritableStream),
    "expected a file path or a WritableStream",
  )),
  connectTimeoutMs: positiveMs,
}, "expected an object");

const inputPart = v.variant("type", [
  v.strictObject({ type: v.literal("text"), text: v.string("expected a string") }),
  v.strictObject({ type: v.literal("local_image"), path: text }),
], 'expected a part of type "text" or "local_image"');

/** The description of a turn's {@linkcode Input}. */
export const inputSchema = v.union([
  v.string(),
  v.array(inputPart),
], 'expected a string or an array of { type: "text" | "local_image" } parts');
// The array branch alone, so a bad part is reported by its path rather than as "no branch".
const inputPartsSchema = v.array(inputPart);

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
] as const;
const EXEC_ONLY_THREAD = ["oss", "localProvider", "env", "threadSource"] as const;
// turn/start's settings stick to later turns (0.169.0), so a one-turn override cannot be said.
const EXEC_ONLY_TURN = [
  "model",
  "config",
  "env",
  "modelReasoningEffort",
  "sandboxMode",
  "webSearchMode",
  "cyberAccessProgram",
  "outputLastMessage",
] as const;

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
  if (laneGiven) return;
  const thread = options as ThreadOptions;
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
    `Cannot use ${key} with transport "app-server": only transport "exec" supports it`,
  );
}

type AnySchema = v.GenericSchema;

function check(schema: AnySchema, value: unknown, name: string): void {
  const result = v.safeParse(schema, value, { abortEarly: true });
  if (result.success) return;
  const issue = result.issues[0];
  const keys = (issue.path ?? []).map((item) => item.key);
  const path = formatPath(name, keys);
  if (issue.type === "strict_object" && issue.expected === "never") {
    const known = knownKeys(schema, keys.slice(0, -1));
    const hint = suggest(String(keys.at(-1)), known);
    throw new TypeError(
      `Cannot use ${path}: unknown option${hint ? `; did you mean ${hint}?` : ""}`,
    );
  }
  const expected = issue.message.startsWith("expected")
    ? issue.message
    : `expected ${issue.expected ?? "something else"}`;
  const inner = /^Cannot use /.test(issue.message) ? issue.message : undefined;
  if (inner) throw new TypeError(inner);
  if (issue.type === "raw_check") {
    throw new TypeError(`Cannot use ${path}.${issue.message}`);
  }
  throw new TypeError(`Cannot use ${path}: ${expected}, got ${show(issue.input)}`);
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

/** The keys the object schema at `path` knows. */
function knownKeys(schema: AnySchema, path: readonly unknown[]): string[] {
  let node: unknown = schema;
  for (const key of path) {
    node = unwrap(node);
    const entries = (node as { entries?: Record<string, unknown> }).entries;
    node = entries?.[String(key)];
  }
  const entries = (unwrap(node) as { entries?: Record<string, unknown> } | undefined)?.entries;
  return entries ? Object.keys(entries) : [];
}

function unwrap(node: unknown): unknown {
  while (node && typeof node === "object" && "wrapped" in node) {
    node = (node as { wrapped: unknown }).wrapped;
  }
  return node;
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

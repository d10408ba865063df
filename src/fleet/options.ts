/**
 * The option tables of the fleet's doors (`ensureFleet`, `connectFleet`, `runFleetWorker`,
 * `Fleet.thread`, `FleetThread.submit`): each is checked with the options' one checker, in its
 * one message form ("Cannot use options.slots: expected a positive integer, got 0"), before a
 * connection is opened or a turn queued. A key no table lists is refused with the nearest known
 * one. Each table has a row per key of its options type, so an option added without a row does
 * not compile. The codex options a worker and a thread take are checked by the client's own
 * rows, so they mean and accept there exactly what they do on one machine.
 *
 * @module
 */
import {
  checkOptions,
  custom,
  instance,
  number,
  optional,
  strictObject,
  string,
} from "../options/_check.ts";
import type { Check, Failure } from "../options/_check.ts";
import {
  callbackCheck,
  codexOptionsSchema,
  nonNegativeMsCheck,
  positiveMsCheck,
  textCheck,
  threadOptionsSchema,
} from "../options/schema.ts";
import { REDACTED } from "../redact.ts";
import type { EnsureFleetOptions, FleetConnectionOptions } from "./engine.ts";
import type {
  ConnectFleetOptions,
  FleetThreadOptions,
  FleetThreadSetup,
  FleetWorkspace,
  SubmitOptions,
} from "./producer.ts";
import type { FleetCodexOptions, FleetWorkerOptions } from "./worker.ts";

/** A check for every key of `T`, optional ones included. */
type Rows<T> = { readonly [K in keyof Required<T>]: Check };

// A turn id, worker id or tenant: one NATS subject token and KV key segment.
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const token = custom(
  (value) => typeof value === "string" && TOKEN.test(value),
  'expected 1-64 letters, digits, "_" or "-"',
);
const positiveInteger = optional(
  number((n) => Number.isInteger(n) && n > 0, "expected a positive integer"),
);
const directory = custom(
  (value) => typeof value === "string" && value !== "",
  "expected a directory path",
);
const signal = optional(instance(AbortSignal, "expected an AbortSignal"));
// A credential is never shown in a message, whatever it is.
const secret: Check = optional({
  run: (value): Failure | undefined =>
    typeof value === "string"
      ? undefined
      : { kind: "invalid", path: [], value: REDACTED, expected: "expected a string" },
});

/** The rows of {@linkcode FleetConnectionOptions}: every door connects. */
const CONNECTION: Rows<FleetConnectionOptions> = {
  servers: custom(
    (value) =>
      (typeof value === "string" && value !== "") ||
      (Array.isArray(value) && value.length > 0 &&
        value.every((server) => typeof server === "string" && server !== "")),
    "expected a URL or a list of URLs",
  ),
  tenant: optional(token),
  name: textCheck,
  credentials: optional(strictObject({
    user: optional(string("expected a string")),
    pass: secret,
    token: secret,
  }, "expected { user?, pass?, token? }")),
};

type Own<T> = Omit<T, keyof FleetConnectionOptions>;

/** The rows {@linkcode EnsureFleetOptions} adds: the engine's bounds. */
const ENSURE: Rows<Own<EnsureFleetOptions>> = {
  ackWaitMs: positiveInteger,
  maxInFlight: positiveInteger,
  maxQueued: positiveInteger,
  maxQueuedBytes: positiveInteger,
  replicas: positiveInteger,
  eventsMaxAgeMs: positiveInteger,
};

/** The rows {@linkcode ConnectFleetOptions} adds. */
const PRODUCER: Rows<Own<ConnectFleetOptions>> = {
  submitTimeoutMs: positiveInteger,
};

const CLIENT = codexOptionsSchema.shape!;

/** The client options a worker's codex takes, each checked by the client's own row. */
const WORKER_CODEX_ROWS: Rows<FleetCodexOptions> = {
  codexPathOverride: CLIENT.codexPathOverride,
  bundle: CLIENT.bundle,
  baseUrl: CLIENT.baseUrl,
  apiKey: CLIENT.apiKey,
  config: CLIENT.config,
  configOverrides: CLIENT.configOverrides,
  env: CLIENT.env,
  profile: CLIENT.profile,
  killGraceMs: CLIENT.killGraceMs,
  maxLineBytes: CLIENT.maxLineBytes,
  onStderr: CLIENT.onStderr,
  onWarning: CLIENT.onWarning,
};
const WORKER_CODEX = strictObject(WORKER_CODEX_ROWS, "expected an object of codex options");

/** The rows {@linkcode FleetWorkerOptions} adds. */
const WORKER: Rows<Own<FleetWorkerOptions>> = {
  workerId: token,
  slots: positiveInteger,
  codexHome: directory,
  workRoot: directory,
  // The worker's home is its own option: a home among the codex options is refused by name.
  codex: optional({
    shape: WORKER_CODEX.shape,
    run: (value) =>
      typeof value === "object" && value !== null && "codexHome" in value
        ? {
          kind: "problem",
          path: [],
          value,
          problem: "codexHome: the worker's home is options.codexHome",
        }
        : WORKER_CODEX.run(value),
  }),
  signal,
  drainMs: nonNegativeMsCheck,
  turnTimeoutMs: positiveMsCheck,
  onMetric: callbackCheck,
};

const THREAD_ROWS = threadOptionsSchema.shape!;

/** The thread options a fleet turn carries to its worker, checked by the client's own rows. */
const THREAD: Rows<FleetThreadOptions> = {
  model: THREAD_ROWS.model,
  sandboxMode: THREAD_ROWS.sandboxMode,
  skipGitRepoCheck: THREAD_ROWS.skipGitRepoCheck,
  modelReasoningEffort: THREAD_ROWS.modelReasoningEffort,
  networkAccessEnabled: THREAD_ROWS.networkAccessEnabled,
  webSearchMode: THREAD_ROWS.webSearchMode,
  webSearchEnabled: THREAD_ROWS.webSearchEnabled,
  approvalPolicy: THREAD_ROWS.approvalPolicy,
  config: THREAD_ROWS.config,
};

const WORKSPACE: Rows<FleetWorkspace> = {
  remote: custom(
    (value) => typeof value === "string" && value !== "",
    "expected a repository URL or path",
  ),
  branch: custom(
    (value) => typeof value === "string" && /^[A-Za-z0-9._/-]+$/.test(value),
    "expected a branch name",
  ),
  ref: optional(string("expected a string")),
};

/** The rows of {@linkcode FleetThreadSetup}. */
const SETUP: Rows<FleetThreadSetup> = {
  threadOptions: optional(strictObject(THREAD, "expected an object")),
  workspace: optional(strictObject(WORKSPACE, "expected { remote, branch, ref? }")),
};

const SUBMIT: Rows<SubmitOptions> = {
  turnId: optional(token),
  signal,
  maxAttempts: optional(number(
    (n) => Number.isInteger(n) && n >= 1 && n <= 100,
    "expected an integer from 1 to 100",
  )),
};

const schemas = {
  ensure: strictObject({ ...CONNECTION, ...ENSURE }, "expected an object with servers"),
  producer: strictObject({ ...CONNECTION, ...PRODUCER }, "expected an object with servers"),
  worker: strictObject({ ...CONNECTION, ...WORKER }, "expected an object with servers"),
  setup: strictObject(SETUP, "expected { threadOptions?, workspace? }"),
  submit: strictObject(SUBMIT, "expected an object"),
};

/**
 * Checks the options of a fleet door; throws a TypeError naming the first bad one. `where` is
 * their path in the message (`"options"`, or `"setup"` for `Fleet.thread`'s second argument).
 */
export function checkFleetOptions(
  door: keyof typeof schemas,
  options: unknown,
  where = "options",
): void {
  checkOptions(schemas[door], options, where, `${where}.`);
}

/** A turn id, worker id or tenant given on its own (`Fleet.turn(id)`); returns it. */
export function checkToken(value: unknown, where: string): string {
  checkOptions(token, value, where);
  return value as string;
}

/** A thread key: any non-empty string of at most 512 characters. */
export function checkThreadKey(key: unknown): void {
  checkOptions(
    custom(
      (value) => typeof value === "string" && value !== "" && value.length <= 512,
      "expected a non-empty string of at most 512 characters",
    ),
    key,
    "key",
  );
}

/** A fleet turn's input: a non-empty prompt. */
export function checkPrompt(input: unknown): void {
  checkOptions(
    custom((value) => typeof value === "string" && value !== "", "expected a non-empty string"),
    input,
    "input",
  );
}

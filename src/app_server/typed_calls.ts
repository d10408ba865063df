/**
 * The app-server methods, typed from the generated protocol (`./protocol/`, made from the
 * pinned CLI's own JSON Schema): every client request's params, checked strictly before
 * sending, and its result, checked on arrival only as far as the SDK reads it (the rest is
 * drift, reported and passed through). The schemas load on the first typed call, not with this
 * module. Unknown fields pass through both ways. The short names below are
 * the ones the lane uses; each is the generated type of the same shape.
 *
 * @module
 */
import { CodexError, RpcError, UnsupportedError } from "../errors.ts";
import type { CodexErrorOptions } from "../errors.ts";
import type { P } from "./_wire.ts";
import { PROTOCOL_CLI_VERSION } from "./protocol/methods.ts";
import { reliedProblems } from "./relied_fields.ts";
import { describeIssues } from "./wire_issues.ts";
import type { WireIssue } from "./wire_issues.ts";

/** A result or params object that did not match what the SDK expects of the protocol. */
export class AppServerProtocolError extends CodexError {
  /** The method involved. */
  readonly method: string;
  /** What did not match, one line per problem. */
  readonly issues: readonly string[];

  /** Creates the error. */
  constructor(
    message: string,
    options: CodexErrorOptions & { method: string; issues: readonly string[] },
  ) {
    super(message, options);
    this.name = "AppServerProtocolError";
    this.method = options.method;
    this.issues = options.issues;
  }
}

/** Fields a newer CLI adds; kept as they came. */
export interface Extra {
  /** Any other wire field. */
  [field: string]: unknown;
}

/** Every client request: its params and result (generated). */
export type AppServerMethods = P.ClientRequests;
/** The name of a client request. */
export type AppServerMethod = keyof AppServerMethods;
/** A method's params, with room for fields a newer CLI accepts. */
export type AppServerParams<M extends AppServerMethod> = WithExtra<AppServerMethods[M]["params"]>;
/** A method's result. */
export type AppServerResult<M extends AppServerMethod> = AppServerMethods[M]["result"];
/** `T` plus any other field (for object types; `undefined` stays as it is). */
export type WithExtra<T> = T extends undefined ? T : T extends object ? T & Extra : T;

/** Result of `initialize`. */
export type InitializeResult = P.InitializeResponse;
/** One input part of a turn. */
export type WireUserInput = P.UserInput;
/** A thread as the app-server describes it. */
export type AppServerThreadInfo = P.Thread;
/** What made a turn fail or stop. */
export type TurnErrorInfo = P.TurnError;
/** A turn as the app-server describes it. */
export type AppServerTurnInfo = P.Turn;

/** Thread settings shared by start, resume and fork (what the lane maps options onto). */
export interface ThreadSettingsParams extends Extra {
  /** Model slug. */
  model?: string | null;
  /** Working directory. */
  cwd?: string | null;
  /** Approval policy. */
  approvalPolicy?: P.AskForApproval | null;
  /** Sandbox mode. */
  sandbox?: P.SandboxMode | null;
  /** Config overrides (dotted keys). */
  config?: { [key: string]: unknown } | null;
  /** Write no rollout (start and fork only). */
  ephemeral?: boolean;
}

/** Result of `thread/start` (resume and fork answer the same shape). */
export type ThreadOpenResult =
  | P.ThreadStartResponse
  | P.ThreadResumeResponse
  | P.ThreadForkResponse;
/** Result of `thread/list`. */
export type ThreadListResult = P.ThreadListResponse;
/** Params naming one thread. */
export type ThreadIdParams = P.ThreadArchiveParams;
/** Result carrying one thread. */
export type ThreadResult = P.ThreadReadResponse;
/** Result of `turn/start`. */
export type TurnStartResult = P.TurnStartResponse;
/** Result of `turn/steer`. */
export type TurnSteerResult = P.TurnSteerResponse;
/** Result of `config/read`. */
export type ConfigReadResult = P.ConfigReadResponse;
/** Result of the config writes. */
export type ConfigWriteResult = P.ConfigWriteResponse;
/** Params of `account/read`. */
export type AccountReadParams = P.GetAccountParams;
/** Result of `account/read`. */
export type AccountReadResult = P.GetAccountResponse;
/** Result of `command/exec`. */
export type CommandExecResult = P.CommandExecResponse;

type Schemas = typeof import("./wire_schemas.ts");
let schemas: Promise<Schemas> | undefined;

/** The generated schemas, loaded on first use. */
export function protocolSchemas(): Promise<Schemas> {
  schemas ??= import("./wire_schemas.ts");
  return schemas;
}

/** How {@linkcode checkParams} and {@linkcode checkResult} report. */
export interface WireCheckOptions {
  /** Scrubs known secrets from a message before it is thrown or reported. */
  redact?: (text: string) => string;
  /** Gets each drift report (a result shape the pinned protocol does not describe). */
  onDrift?: (message: string) => void;
  /** What was already reported (method and paths), so each drift is reported once. */
  reported?: Set<string>;
  /** The server's version, for the drift report. */
  version?: string;
}

/**
 * Checks the params of a client request; throws a TypeError naming each bad field, what the
 * protocol expects there and what it got. Methods this SDK's protocol does not list pass
 * unchecked.
 */
export async function checkParams(
  method: string,
  params: unknown,
  options: WireCheckOptions = {},
): Promise<void> {
  const { CLIENT_REQUEST_SCHEMAS } = await protocolSchemas();
  const { safeParse } = await import("valibot");
  const entry = Object.hasOwn(CLIENT_REQUEST_SCHEMAS, method)
    ? CLIENT_REQUEST_SCHEMAS[method]
    : undefined;
  if (!entry) return;
  const result = safeParse(entry.params, params);
  if (result.success) return;
  const redact = options.redact ?? ((text: string) => text);
  throw new TypeError(
    redact(`Cannot call ${method}: ${describeIssues(result.issues as WireIssue[]).join("; ")}`),
  );
}

/**
 * Checks the result of a client request and returns it unchanged (unknown fields kept). Only
 * the fields the SDK reads (`RELIED_FIELDS` in `relied_fields.ts`) can fail it, with
 * {@linkcode AppServerProtocolError}; any other difference from the pinned protocol is drift
 * from a newer (or older) CLI: reported once to `onDrift` and passed through.
 */
export async function checkResult(
  method: string,
  value: unknown,
  options: WireCheckOptions = {},
): Promise<unknown> {
  const redact = options.redact ?? ((text: string) => text);
  const problems = reliedProblems(method, value).map(redact);
  if (problems.length > 0) {
    throw new AppServerProtocolError(
      `The app-server answered ${method} without what the SDK reads: ${problems.join("; ")}`,
      { method, issues: problems },
    );
  }
  const { CLIENT_REQUEST_SCHEMAS } = await protocolSchemas();
  const { safeParse } = await import("valibot");
  const entry = Object.hasOwn(CLIENT_REQUEST_SCHEMAS, method)
    ? CLIENT_REQUEST_SCHEMAS[method]
    : undefined;
  if (!entry) return value;
  const result = safeParse(entry.result, value);
  if (result.success) return value;
  const issues = result.issues as WireIssue[];
  // One report per method and place (array positions folded), however often it recurs.
  const key = `${method} ${
    issues.map((issue) => issue.path?.map((p) => typeof p.key === "number" ? "*" : p.key).join("."))
      .join(" ")
  }`;
  if (options.reported?.has(key)) return value;
  options.reported?.add(key);
  options.onDrift?.(redact(
    `codex${options.version ? ` ${options.version}` : ""} answered ${method} with a shape the ` +
      `SDK's protocol (codex ${PROTOCOL_CLI_VERSION}) does not describe; passed through ` +
      `unchanged: ${describeIssues(issues).join("; ")}`,
  ));
  return value;
}

/**
 * Whether an error answer means the server does not know `method` (an older CLI): code -32601,
 * or the "unknown variant `method`" the 0.x servers answer with.
 */
export function isUnknownMethodError(error: unknown, method: string): boolean {
  if (!(error instanceof RpcError)) return false;
  if (error.code === -32601) return true;
  return error.message.includes(`unknown variant \`${method}\``);
}

/** The `UnsupportedError` for a method the connected server lacks. */
export function unsupportedMethod(
  method: string,
  version: string | undefined,
  cause?: unknown,
): UnsupportedError {
  return new UnsupportedError(
    `The connected app-server${version ? ` (${version})` : ""} does not support ${method}`,
    { feature: `app-server.${method}`, version, cause },
  );
}

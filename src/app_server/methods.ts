/**
 * The app-server methods this SDK types, with the valibot schemas that check their params
 * before sending and their results on arrival. Names and fields are the wire's (camelCase, as
 * the app-server spells them). Only what the SDK reads is required; every other field passes
 * through untouched. `tests/app_server_schema_test.ts` compares this table with the schema the
 * pinned CLI generates.
 *
 * @module
 */
import * as v from "valibot";
import { CodexError } from "../errors.ts";
import type { CodexErrorOptions } from "../errors.ts";

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

/** Who is connecting, sent in `initialize`. */
export interface ClientInfo {
  /** Client name (shows up in the server's user agent). */
  name: string;
  /** Display title. */
  title?: string | null;
  /** Client version. */
  version: string;
}

/** Capabilities declared in `initialize`. */
export interface InitializeCapabilities extends Extra {
  /** Opt into experimental methods and fields. */
  experimentalApi?: boolean;
  /** Notification methods the server should not send on this connection. */
  optOutNotificationMethods?: string[] | null;
}

/** Params of `initialize`. */
export interface InitializeParams extends Extra {
  /** Who is connecting. */
  clientInfo: ClientInfo;
  /** What the client supports. */
  capabilities?: InitializeCapabilities | null;
}

/** Result of `initialize`. */
export interface InitializeResult extends Extra {
  /** The server's user agent (carries its version). */
  userAgent: string;
  /** The server's CODEX_HOME. */
  codexHome: string;
  /** `"unix"` or `"windows"`. */
  platformFamily: string;
  /** `"linux"`, `"macos"`, `"windows"`. */
  platformOs: string;
}

/** Approval policy of a thread (`granular` objects pass through). */
export type AskForApproval = "untrusted" | "on-request" | "never" | Extra;
/** Sandbox mode of a thread. */
export type SandboxModeWire = "read-only" | "workspace-write" | "danger-full-access";
/** Where a turn stands. */
export type TurnStatus = "completed" | "interrupted" | "failed" | "inProgress";

/** One input part of a turn. */
export type WireUserInput =
  | { type: "text"; text: string }
  | { type: "localImage"; path: string }
  | { type: "image"; url: string }
  | { type: string; [field: string]: unknown };

/** A thread as the app-server describes it. */
export interface AppServerThreadInfo extends Extra {
  /** The thread id (same id as `thread.started` in the exec lane). */
  id: string;
  /** Rollout file path, when persisted. */
  path?: string | null;
  /** First user message, usually. */
  preview?: string;
  /** Turns, when loaded. */
  turns?: AppServerTurnInfo[];
}

/** What made a turn fail or stop. */
export interface TurnErrorInfo extends Extra {
  /** Codex's own message. */
  message: string;
}

/** A turn as the app-server describes it. */
export interface AppServerTurnInfo extends Extra {
  /** Turn id. */
  id: string;
  /** Where it stands. */
  status: TurnStatus;
  /** Why it failed or stopped. */
  error?: TurnErrorInfo | null;
  /** Items (often empty until loaded). */
  items: unknown[];
}

/** Thread settings shared by start, resume and fork. */
export interface ThreadSettings extends Extra {
  /** Model slug. */
  model?: string | null;
  /** Working directory. */
  cwd?: string | null;
  /** Approval policy. */
  approvalPolicy?: AskForApproval | null;
  /** Sandbox mode. */
  sandbox?: SandboxModeWire | null;
  /** Config overrides (dotted keys). */
  config?: Record<string, unknown> | null;
  /** Write no rollout (start and fork only; resume has no such field in 0.169.0). */
  ephemeral?: boolean | null;
}

/** Params of `thread/start`. */
export type ThreadStartParams = ThreadSettings;
/** Params of `thread/resume`. */
export interface ThreadResumeParams extends ThreadSettings {
  /** The thread to resume. */
  threadId: string;
}
/** Params of `thread/fork`. */
export interface ThreadForkParams extends ThreadSettings {
  /** The thread to fork. */
  threadId: string;
}
/** Result of `thread/start`, `thread/resume`, `thread/fork`. */
export interface ThreadOpenResult extends Extra {
  /** The thread. */
  thread: AppServerThreadInfo;
  /** Model in use. */
  model: string;
  /** Working directory in use. */
  cwd: string;
}
/** Params of `thread/list`. */
export interface ThreadListParams extends Extra {
  /** Page cursor. */
  cursor?: string | null;
  /** Page size. */
  limit?: number | null;
  /** List archived threads instead. */
  archived?: boolean | null;
}
/** Result of `thread/list`. */
export interface ThreadListResult extends Extra {
  /** The threads. */
  data: AppServerThreadInfo[];
  /** Next page's cursor. */
  nextCursor?: string | null;
}
/** Params naming one thread. */
export interface ThreadIdParams extends Extra {
  /** The thread. */
  threadId: string;
}
/** Params of `thread/read`. */
export interface ThreadReadParams extends ThreadIdParams {
  /** Load its turns too. */
  includeTurns?: boolean;
}
/** Result carrying one thread. */
export interface ThreadResult extends Extra {
  /** The thread. */
  thread: AppServerThreadInfo;
}
/** Params of `thread/revert` (0.169.0 has no `thread/rollback`; this is its successor). */
export interface ThreadRevertParams extends ThreadIdParams {
  /** This turn and every later one leave the history. */
  beforeTurnId: string;
}
/** Params of `thread/name/set`. */
export interface ThreadSetNameParams extends ThreadIdParams {
  /** The new name. */
  name: string;
}
/** Params of `turn/start`. */
export interface TurnStartParams extends Extra {
  /** The thread. */
  threadId: string;
  /** The input. */
  input: WireUserInput[];
  /** JSON Schema for the final message. */
  outputSchema?: unknown;
  /** Model for this and later turns. */
  model?: string | null;
  /** Working directory for this and later turns. */
  cwd?: string | null;
  /** Approval policy for this and later turns. */
  approvalPolicy?: AskForApproval | null;
}
/** Result of `turn/start`. */
export interface TurnStartResult extends Extra {
  /** The turn that started. */
  turn: AppServerTurnInfo;
}
/** Params of `turn/interrupt`. */
export interface TurnInterruptParams extends Extra {
  /** The thread. */
  threadId: string;
  /** The running turn. */
  turnId: string;
}
/** Params of `turn/steer`. */
export interface TurnSteerParams extends Extra {
  /** The thread. */
  threadId: string;
  /** The running turn; the request fails when another one runs. */
  expectedTurnId: string;
  /** Input added to the running turn. */
  input: WireUserInput[];
}
/** Result of `turn/steer`. */
export interface TurnSteerResult extends Extra {
  /** The turn that got the input. */
  turnId: string;
}
/** Params of the paged list methods. */
export interface PageParams extends Extra {
  /** Page cursor. */
  cursor?: string | null;
  /** Page size. */
  limit?: number | null;
}
/** A page of entries. */
export interface DataResult extends Extra {
  /** The entries. */
  data: Extra[];
  /** Next page's cursor. */
  nextCursor?: string | null;
}
/** Params of `config/read`. */
export interface ConfigReadParams extends Extra {
  /** Resolve project config for this directory. */
  cwd?: string | null;
  /** Include each config layer. */
  includeLayers?: boolean;
}
/** Result of `config/read`. */
export interface ConfigReadResult extends Extra {
  /** The effective config. */
  config: Extra;
  /** Where each value came from. */
  origins: Extra;
}
/** Params of `config/value/write`. */
export interface ConfigValueWriteParams extends Extra {
  /** Dotted key. */
  keyPath: string;
  /** The value. */
  value: unknown;
  /** `"replace"` or `"upsert"`. */
  mergeStrategy: "replace" | "upsert";
  /** File to write (default: the user's config.toml). */
  filePath?: string | null;
}
/** Params of `config/batchWrite`. */
export interface ConfigBatchWriteParams extends Extra {
  /** The edits. */
  edits: { keyPath: string; value: unknown; mergeStrategy: "replace" | "upsert" }[];
  /** File to write (default: the user's config.toml). */
  filePath?: string | null;
}
/** Result of the config writes. */
export interface ConfigWriteResult extends Extra {
  /** The file written. */
  filePath: string;
  /** `"ok"` or `"okOverridden"`. */
  status: string;
  /** Version for optimistic concurrency. */
  version: string;
}
/** Params of `account/read`. */
export interface AccountReadParams extends Extra {
  /** Refresh the token first. */
  refreshToken?: boolean;
}
/** Result of `account/read` (the login status). */
export interface AccountReadResult extends Extra {
  /** The account, or `null` when not logged in. */
  account?: Extra | null;
  /** Whether the provider needs an OpenAI login. */
  requiresOpenaiAuth: boolean;
}
/** Params of `skills/list`. */
export interface SkillsListParams extends Extra {
  /** Directories to list skills for. */
  cwds?: string[];
  /** Re-read from disk. */
  forceReload?: boolean;
}
/** Params of `command/exec` (runs a command in the server's sandbox, outside any thread). */
export interface CommandExecParams extends Extra {
  /** argv. */
  command: string[];
  /** Working directory. */
  cwd?: string | null;
  /** Time limit. */
  timeoutMs?: number | null;
}
/** Result of `command/exec`. */
export interface CommandExecResult extends Extra {
  /** Exit code. */
  exitCode: number;
  /** Captured stdout. */
  stdout: string;
  /** Captured stderr. */
  stderr: string;
}
/** An empty result. */
export type EmptyResult = Extra;

/** Every typed method: its params and result. */
export interface AppServerMethods {
  /** Handshake (sent by `AppServer` itself). */
  "initialize": { params: InitializeParams; result: InitializeResult };
  /** Start a thread. */
  "thread/start": { params: ThreadStartParams; result: ThreadOpenResult };
  /** Load a saved thread. */
  "thread/resume": { params: ThreadResumeParams; result: ThreadOpenResult };
  /** Copy a thread into a new one. */
  "thread/fork": { params: ThreadForkParams; result: ThreadOpenResult };
  /** List saved threads. */
  "thread/list": { params: ThreadListParams; result: ThreadListResult };
  /** Read one thread. */
  "thread/read": { params: ThreadReadParams; result: ThreadResult };
  /** Archive a thread. */
  "thread/archive": { params: ThreadIdParams; result: EmptyResult };
  /** Unarchive a thread. */
  "thread/unarchive": { params: ThreadIdParams; result: ThreadResult };
  /** Drop turns from the history (the rollback of 0.169.0). */
  "thread/revert": { params: ThreadRevertParams; result: ThreadResult };
  /** Name a thread. */
  "thread/name/set": { params: ThreadSetNameParams; result: EmptyResult };
  /** Start a turn. */
  "turn/start": { params: TurnStartParams; result: TurnStartResult };
  /** Interrupt the running turn. */
  "turn/interrupt": { params: TurnInterruptParams; result: EmptyResult };
  /** Add input to the running turn. */
  "turn/steer": { params: TurnSteerParams; result: TurnSteerResult };
  /** List models. */
  "model/list": { params: PageParams; result: DataResult };
  /** Read the effective config. */
  "config/read": { params: ConfigReadParams; result: ConfigReadResult };
  /** Write one config value. */
  "config/value/write": { params: ConfigValueWriteParams; result: ConfigWriteResult };
  /** Write several config values. */
  "config/batchWrite": { params: ConfigBatchWriteParams; result: ConfigWriteResult };
  /** Read the account (login status). */
  "account/read": { params: AccountReadParams; result: AccountReadResult };
  /** Status of the MCP servers. */
  "mcpServerStatus/list": { params: PageParams; result: DataResult };
  /** List skills. */
  "skills/list": { params: SkillsListParams; result: DataResult };
  /** Run a command in the server's sandbox. */
  "command/exec": { params: CommandExecParams; result: CommandExecResult };
}

/** The name of a typed method. */
export type AppServerMethod = keyof AppServerMethods;

const str = v.string();
const optStr = v.nullish(v.string());
const askForApproval = v.union([
  v.picklist(["untrusted", "on-request", "never"]),
  v.looseObject({}),
]);
const sandboxMode = v.picklist(["read-only", "workspace-write", "danger-full-access"]);
const turnStatus = v.picklist(["completed", "interrupted", "failed", "inProgress"]);
const turnInfo = v.looseObject({
  id: str,
  status: turnStatus,
  error: v.nullish(v.looseObject({ message: str })),
  items: v.array(v.unknown()),
});
const threadInfo = v.looseObject({
  id: str,
  path: optStr,
  preview: v.optional(str),
  turns: v.optional(v.array(turnInfo)),
});
const userInput = v.looseObject({ type: str });
const settings = {
  model: optStr,
  cwd: optStr,
  approvalPolicy: v.nullish(askForApproval),
  sandbox: v.nullish(sandboxMode),
  config: v.nullish(v.record(v.string(), v.unknown())),
};
const newThreadSettings = { ...settings, ephemeral: v.nullish(v.boolean()) };
const threadOpen = v.looseObject({ thread: threadInfo, model: str, cwd: str });
const threadId = v.looseObject({ threadId: str });
const threadResult = v.looseObject({ thread: threadInfo });
const empty = v.looseObject({});
const page = v.looseObject({ cursor: optStr, limit: v.nullish(v.number()) });
const data = v.looseObject({ data: v.array(v.looseObject({})), nextCursor: optStr });
const mergeStrategy = v.picklist(["replace", "upsert"]);
const configWrite = v.looseObject({ filePath: str, status: str, version: str });

/** A method's schemas. */
interface MethodSchemas {
  /** Checks params before sending. */
  params: v.BaseSchema<unknown, unknown, v.BaseIssue<unknown>>;
  /** Checks the result on arrival. */
  result: v.BaseSchema<unknown, unknown, v.BaseIssue<unknown>>;
}

/** The schemas of every typed method (read by the conformance test). */
export const METHOD_SCHEMAS: Readonly<Record<AppServerMethod, MethodSchemas>> = {
  "initialize": {
    params: v.looseObject({
      clientInfo: v.looseObject({ name: str, title: optStr, version: str }),
      capabilities: v.nullish(
        v.looseObject({
          experimentalApi: v.optional(v.boolean()),
          optOutNotificationMethods: v.nullish(v.array(str)),
        }),
      ),
    }),
    result: v.looseObject({ userAgent: str, codexHome: str, platformFamily: str, platformOs: str }),
  },
  "thread/start": { params: v.looseObject(newThreadSettings), result: threadOpen },
  "thread/resume": { params: v.looseObject({ ...settings, threadId: str }), result: threadOpen },
  "thread/fork": {
    params: v.looseObject({ ...newThreadSettings, threadId: str }),
    result: threadOpen,
  },
  "thread/list": {
    params: v.looseObject({
      cursor: optStr,
      limit: v.nullish(v.number()),
      archived: v.nullish(v.boolean()),
    }),
    result: v.looseObject({ data: v.array(threadInfo), nextCursor: optStr }),
  },
  "thread/read": {
    params: v.looseObject({ threadId: str, includeTurns: v.optional(v.boolean()) }),
    result: threadResult,
  },
  "thread/archive": { params: threadId, result: empty },
  "thread/unarchive": { params: threadId, result: threadResult },
  "thread/revert": {
    params: v.looseObject({ threadId: str, beforeTurnId: str }),
    result: threadResult,
  },
  "thread/name/set": { params: v.looseObject({ threadId: str, name: str }), result: empty },
  "turn/start": {
    params: v.looseObject({
      threadId: str,
      input: v.array(userInput),
      outputSchema: v.optional(v.unknown()),
      model: optStr,
      cwd: optStr,
      approvalPolicy: v.nullish(askForApproval),
    }),
    result: v.looseObject({ turn: turnInfo }),
  },
  "turn/interrupt": { params: v.looseObject({ threadId: str, turnId: str }), result: empty },
  "turn/steer": {
    params: v.looseObject({ threadId: str, expectedTurnId: str, input: v.array(userInput) }),
    result: v.looseObject({ turnId: str }),
  },
  "model/list": { params: page, result: data },
  "config/read": {
    params: v.looseObject({ cwd: optStr, includeLayers: v.optional(v.boolean()) }),
    result: v.looseObject({ config: v.looseObject({}), origins: v.looseObject({}) }),
  },
  "config/value/write": {
    params: v.looseObject({
      keyPath: str,
      value: v.unknown(),
      mergeStrategy,
      filePath: optStr,
    }),
    result: configWrite,
  },
  "config/batchWrite": {
    params: v.looseObject({
      edits: v.array(v.looseObject({ keyPath: str, value: v.unknown(), mergeStrategy })),
      filePath: optStr,
    }),
    result: configWrite,
  },
  "account/read": {
    params: v.looseObject({ refreshToken: v.optional(v.boolean()) }),
    result: v.looseObject({
      account: v.nullish(v.looseObject({})),
      requiresOpenaiAuth: v.boolean(),
    }),
  },
  "mcpServerStatus/list": { params: page, result: data },
  "skills/list": {
    params: v.looseObject({ cwds: v.optional(v.array(str)), forceReload: v.optional(v.boolean()) }),
    result: v.looseObject({ data: v.array(v.looseObject({})) }),
  },
  "command/exec": {
    params: v.looseObject({
      command: v.array(str),
      cwd: optStr,
      timeoutMs: v.nullish(v.number()),
    }),
    result: v.looseObject({ exitCode: v.number(), stdout: str, stderr: str }),
  },
};

/** Whether `method` is one the SDK types. */
export function isTypedMethod(method: string): method is AppServerMethod {
  return Object.hasOwn(METHOD_SCHEMAS, method);
}

function issueLines(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => {
    const path = issue.path?.map((p) => String(p.key)).join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/** Checks the params of a typed method; throws a TypeError naming the bad fields. */
export function checkParams(method: AppServerMethod, params: unknown): void {
  const result = v.safeParse(METHOD_SCHEMAS[method].params, params ?? {});
  if (result.success) return;
  throw new TypeError(`Cannot call ${method}: ${issueLines(result.issues).join("; ")}`);
}

/**
 * Checks the result of a typed method and returns it unchanged (unknown fields kept);
 * throws {@linkcode AppServerProtocolError} when a field the SDK reads is missing or wrong.
 */
export function checkResult<M extends AppServerMethod>(
  method: M,
  value: unknown,
): AppServerMethods[M]["result"] {
  const result = v.safeParse(METHOD_SCHEMAS[method].result, value);
  if (result.success) return value as AppServerMethods[M]["result"];
  const issues = issueLines(result.issues);
  throw new AppServerProtocolError(
    `The app-server answered ${method} with an unexpected result: ${issues.join("; ")}`,
    { method, issues },
  );
}

/**
 * Conversations managed from the client: list, read, archive, name and revert threads, list the
 * loaded ones, read models, the account, the config and MCP server status, all over an
 * app-server connection (`Codex` starts one when needed). When no app-server can be started,
 * listing and reading threads fall back to the session files under CODEX_HOME; the other
 * operations need the server and say so.
 *
 * What can be undone: `revertThread` drops the last turns from the thread's saved history only;
 * files the agent changed stay changed. {@linkcode applyTurnDiff} applies a turn's unified diff
 * (`diff.updated`) to a git working tree, or takes it back out (`reverse: true`) when the tree
 * has not moved on since.
 *
 * @module
 */
import { checkLabels, threadsLabelled } from "./thread_labels.ts";
import process from "node:process";
import { CodexError, UnsupportedError } from "../errors.ts";
import { findSession, listSessions } from "../home/sessions.ts";
import type { SessionSummary } from "../home/sessions.ts";
import { runToEnd } from "../process/run_to_end.ts";
import { spawnerFor } from "../process/spawner.ts";
import { stopError } from "../process/stop_error.ts";
import type { Spawner } from "../runtime/mod.ts";
import type { AppServer } from "./app_server.ts";
import type * as P from "./protocol/types.ts";
import { snakeStatus, toThreadItem } from "./notifications.ts";
import type { ThreadItem, UnknownThreadItem } from "../events.ts";

/** One saved thread. */
export interface ThreadSummary {
  /** The thread id (what `resumeThread` takes). */
  id: string;
  /** The name given with `setThreadName`, when any. */
  name: string | null;
  /** The first user message, usually. */
  preview: string;
  /** Working directory of the thread, when known. */
  cwd: string | null;
  /** When it started. */
  createdAt: Date;
  /** When it last changed. */
  updatedAt: Date;
  /** Its rollout file, when saved. */
  path: string | null;
  /** CLI version that wrote it, when known. */
  cliVersion: string | null;
  /**
   * The app-server's whole record, as it came (absent when read from the session files); typed
   * as `Thread` in `@codexkit/sdk/app-server`.
   */
  raw?: Readonly<Record<string, unknown>>;
}

/** A page of threads. */
export interface ThreadPage {
  /** The threads, newest first. */
  threads: ThreadSummary[];
  /** Pass as `cursor` for the next page; `null` on the last. */
  nextCursor: string | null;
  /** Where they came from: the app-server, or the session files (no app-server available). */
  source: "app-server" | "sessions";
}

/**
 * Every kind of client a thread can come from (`ThreadSourceKind` of the app-server protocol,
 * the same ten values on codex 0.140.0 to 0.171.0): `"cli"` and `"vscode"` (interactive; the
 * app-server records its own threads as `"vscode"`), `"exec"` (`codex exec`, the default
 * transport), `"appServer"` (codex as an MCP server), `"subAgent"` (any sub-agent) and its
 * kinds, and `"unknown"`.
 */
export const THREAD_SOURCE_KINDS: readonly ThreadSourceKind[] = Object.freeze(
  [
    "cli",
    "vscode",
    "exec",
    "appServer",
    "subAgent",
    "subAgentReview",
    "subAgentCompact",
    "subAgentThreadSpawn",
    "subAgentOther",
    "unknown",
  ] as const satisfies readonly P.ThreadSourceKind[],
);

/** One kind of client a thread can come from; see {@linkcode THREAD_SOURCE_KINDS}. */
export type ThreadSourceKind =
  | "cli"
  | "vscode"
  | "exec"
  | "appServer"
  | "subAgent"
  | "subAgentReview"
  | "subAgentCompact"
  | "subAgentThreadSpawn"
  | "subAgentOther"
  | "unknown";

// A protocol regenerated with a new kind fails to compile here until the list names it.
type _EveryKindListed = [P.ThreadSourceKind] extends [ThreadSourceKind] ? true : never;
const _everyKindListed: _EveryKindListed = true;

/** Options of `listThreads`. */
export interface ListThreadsOptions {
  /** Only threads started in this directory (or these). */
  cwd?: string | string[];
  /**
   * Only threads from these kinds of client. Default: every kind (codex's `thread/list` alone
   * lists interactive ones only, which would leave out the threads of `codex exec`).
   */
  sourceKinds?: readonly ThreadSourceKind[];
  /** List archived threads instead of the others. */
  archived?: boolean;
  /** Page size. */
  limit?: number;
  /** A `nextCursor` from an earlier page. */
  cursor?: string;
  /**
   * Only threads carrying every one of these labels (`setLabels`; needs the app-server and
   * codex 0.163+, whose thread attachments hold them).
   */
  labels?: Record<string, string>;
}

/** A thread with its turns. */
export interface ThreadDetails extends ThreadSummary {
  /** Its turns (empty unless asked for with `turns: true`). */
  turns: SavedTurn[];
}

/** One turn of a saved thread. */
export interface SavedTurn {
  /** The turn id. */
  id: string;
  /** How it ended, or `"in_progress"`. */
  status: "completed" | "interrupted" | "failed" | "in_progress";
  /**
   * Its items in the shapes of the turn events (`item.completed`); the user's own messages are
   * left out, as in a live turn (they are in `raw`).
   */
  items: (ThreadItem | UnknownThreadItem)[];
  /** Why it failed or stopped, when it did. */
  error: string | null;
  /** When it started, when recorded. */
  startedAt: Date | null;
  /** When it ended, when recorded. */
  completedAt: Date | null;
  /** How long it took in ms, when recorded. */
  durationMs: number | null;
  /** The app-server's record, as it came; typed as `Turn` in `@codexkit/sdk/app-server`. */
  raw: Readonly<Record<string, unknown>>;
}

/** A model on offer (`model/list`). Fields a newer CLI adds pass through. */
export interface ModelInfo {
  /** The id to pass as `model`. */
  id: string;
  /** The model slug. */
  model: string;
  /** A name to show. */
  displayName: string;
  /** What it is good at. */
  description: string;
  /** Whether it is the default model. */
  isDefault: boolean;
  /** Whether it is left out of pickers (listed with `includeHidden`). */
  hidden: boolean;
  /** The reasoning effort used when none is set. */
  defaultReasoningEffort: string;
  /** The efforts it accepts, each with a description. */
  supportedReasoningEfforts: { reasoningEffort: string; description: string }[];
  /** Any other wire field (the full wire type is `Model` in `@codexkit/sdk/app-server`). */
  [key: string]: unknown;
}

/** The account: how codex logs in, the plan, and the rate limits when the login has them. */
export interface AccountInfo {
  /**
   * The login, `null` when logged out: `type` is `"apiKey"`, `"chatgpt"` (with `email`,
   * `planType`), `"amazonBedrock"`, `"gcp"`, or what a newer CLI adds.
   */
  account: {
    /** The login mode. */
    type: string;
    /** The ChatGPT account's email, when known. */
    email?: string | null;
    /** The ChatGPT plan (`"plus"`, `"pro"`, `"team"`, ...). */
    planType?: string;
    /** Any other wire field. */
    [key: string]: unknown;
  } | null;
  /** Whether the model provider needs an OpenAI login. */
  requiresOpenaiAuth: boolean;
  /** The rate-limit snapshot; `null` when the login has none (API keys, logged out). */
  rateLimits: RateLimits | null;
}

/**
 * Rate limits of a ChatGPT login. Fields a newer CLI adds pass through; the full wire type is
 * `RateLimitSnapshot` in `@codexkit/sdk/app-server`.
 */
export interface RateLimits {
  /** The short window (percent used, window length in minutes, reset as Unix seconds). */
  primary?:
    | { usedPercent: number; windowDurationMins?: number | null; resetsAt?: number | null }
    | null;
  /** The long window, same fields. */
  secondary?: {
    usedPercent: number;
    windowDurationMins?: number | null;
    resetsAt?: number | null;
  } | null;
  /** Credits, when the plan has them. */
  credits?: { hasCredits: boolean; unlimited: boolean; balance?: string | null } | null;
  /** The plan. */
  planType?: string | null;
  /** Any other wire field. */
  [key: string]: unknown;
}

/** The effective config (`config/read`). */
export interface EffectiveConfig {
  /** The merged config, as `config.toml` keys. */
  config: Record<string, unknown>;
  /** Where each dotted key's value came from: the layer (`name.type`, e.g. `"user"`) and its version. */
  origins: Record<string, { name: { type: string; [key: string]: unknown }; version: string }>;
  /** The layers, when asked for with `includeLayers`. */
  layers?: Record<string, unknown>[] | null;
  /** Any other wire field (the full wire type is `ConfigReadResponse` in `@codexkit/sdk/app-server`). */
  [key: string]: unknown;
}

/** What a config write did. */
export interface ConfigWritten {
  /** The file written. */
  filePath: string;
  /** `"ok"`, or `"okOverridden"` when another layer still overrides the value. */
  status: "ok" | "okOverridden";
  /** The file's new version (pass as `expectedVersion` to the next write). */
  version: string;
  /** What overrides it, with `okOverridden`. */
  overriddenMetadata?: { message: string; effectiveValue: unknown; [key: string]: unknown } | null;
  /** Any other wire field. */
  [key: string]: unknown;
}

/** An MCP server's status (`mcpServerStatus/list`). Fields a newer CLI adds pass through. */
export interface McpServerState {
  /** Its name in the config. */
  name: string;
  /** Its login state (`"unsupported"`, `"notLoggedIn"`, `"bearerToken"`, `"oAuth"`). */
  authStatus: string;
  /** Its tools, by name. */
  tools: Record<string, unknown>;
  /** Its resources. */
  resources: unknown[];
  /** Its resource templates. */
  resourceTemplates: unknown[];
  /** Any other wire field (the full wire type is `McpServerStatus` in `@codexkit/sdk/app-server`). */
  [key: string]: unknown;
}

/** Options of the config writes. */
export interface ConfigWriteOptions {
  /** `"replace"` (default) or `"upsert"` (merge tables). */
  mergeStrategy?: "replace" | "upsert";
  /** File to write (default: the user's config.toml). */
  filePath?: string;
  /** Fail unless the file is still at this version (from an earlier read or write). */
  expectedVersion?: string;
}

/** The config calls. */
export interface ConfigAccess {
  /** The effective config and where each value came from. */
  read(options?: { cwd?: string; includeLayers?: boolean }): Promise<EffectiveConfig>;
  /** Writes one value at a dotted key path. */
  write(
    keyPath: string,
    value: unknown,
    options?: ConfigWriteOptions,
  ): Promise<ConfigWritten>;
  /** Writes several values at once. */
  batchWrite(
    edits: { keyPath: string; value: unknown; mergeStrategy?: "replace" | "upsert" }[],
    options?: Omit<ConfigWriteOptions, "mergeStrategy">,
  ): Promise<ConfigWritten>;
}

/** The MCP server calls. */
export interface McpAccess {
  /** Status of every configured MCP server (tools, resources, auth). */
  status(): Promise<McpServerState[]>;
  /** Re-reads the MCP server config. */
  reload(): Promise<void>;
}

/** What {@linkcode Conversations} needs from its client. */
export interface ConversationsContext {
  /** The app-server connection, started when needed. */
  connection(): Promise<AppServer>;
  /** The CODEX_HOME whose session files the fallback reads. */
  codexHome(): Promise<string>;
}

function summaryOf(thread: P.Thread): ThreadSummary {
  return {
    id: thread.id,
    name: thread.name ?? null,
    preview: thread.preview,
    cwd: typeof thread.cwd === "string" ? thread.cwd : null,
    createdAt: new Date(thread.createdAt * 1000),
    updatedAt: new Date(thread.updatedAt * 1000),
    path: thread.path ?? null,
    cliVersion: thread.cliVersion ?? null,
    raw: thread,
  };
}

function dateOf(seconds: number | null | undefined): Date | null {
  return typeof seconds === "number" ? new Date(seconds * 1000) : null;
}

function savedTurn(turn: P.Turn): SavedTurn {
  return {
    id: turn.id,
    status: snakeStatus(turn.status) as SavedTurn["status"],
    items: (turn.items ?? []).map(toThreadItem).filter((item) => item !== null),
    error: turn.error?.message ?? null,
    startedAt: dateOf(turn.startedAt),
    completedAt: dateOf(turn.completedAt),
    durationMs: turn.durationMs ?? null,
    raw: turn,
  };
}

function detailsOf(thread: P.Thread): ThreadDetails {
  return { ...summaryOf(thread), turns: (thread.turns ?? []).map(savedTurn) };
}

function summaryOfSession(session: SessionSummary): ThreadSummary {
  return {
    id: session.threadId,
    name: null,
    preview: session.firstUserMessage ?? "",
    cwd: session.cwd ?? null,
    createdAt: session.startedAt,
    updatedAt: session.modifiedAt,
    path: session.path,
    cliVersion: session.cliVersion ?? null,
  };
}

function checkId(what: string, id: unknown): string {
  if (typeof id !== "string" || id.length === 0) {
    throw new TypeError(`Cannot ${what}: the thread id must be a non-empty string`);
  }
  return id;
}

function checkCount(what: string, name: string, value: unknown): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) > 0)) {
    throw new TypeError(
      `Cannot ${what}: ${name} must be a positive integer, got ${JSON.stringify(value)}`,
    );
  }
}

function checkSourceKinds(kinds: unknown): readonly ThreadSourceKind[] {
  if (kinds === undefined) return THREAD_SOURCE_KINDS;
  if (
    !Array.isArray(kinds) || kinds.length === 0 ||
    !kinds.every((kind) => THREAD_SOURCE_KINDS.includes(kind))
  ) {
    throw new TypeError(
      `Cannot list threads: sourceKinds must be a non-empty array of ${
        THREAD_SOURCE_KINDS.map((k) => JSON.stringify(k)).join(", ")
      }, got ${JSON.stringify(kinds)}`,
    );
  }
  return kinds;
}

/**
 * The kinds a rollout's `session_meta.source` matches, as codex's `thread/list` filters them
 * (0.169.0): `"mcp"` is the `appServer` kind, a sub-agent matches `subAgent` and its own kind,
 * and a missing source is codex's default, `"vscode"`.
 */
export function sourceKindsOf(source: unknown): ThreadSourceKind[] {
  if (source === undefined) return ["vscode"];
  if (source === "cli" || source === "vscode" || source === "exec") return [source];
  if (source === "mcp") return ["appServer"];
  const sub = typeof source === "object" && source !== null
    ? (source as { subagent?: unknown }).subagent
    : undefined;
  if (sub === undefined) return ["unknown"];
  const own: ThreadSourceKind | undefined = sub === "review"
    ? "subAgentReview"
    : sub === "compact"
    ? "subAgentCompact"
    : typeof sub === "object" && sub !== null && "thread_spawn" in sub
    ? "subAgentThreadSpawn"
    : typeof sub === "object" && sub !== null && "other" in sub
    ? "subAgentOther"
    : undefined;
  return own ? ["subAgent", own] : ["subAgent"];
}

/** Whether an error means "this thread is not loaded on the server" (resume it first). */
function notLoaded(error: unknown): boolean {
  return error instanceof Error && /thread not (found|loaded)/i.test(error.message);
}

/**
 * Thread management and account, model, config and MCP calls over an app-server connection.
 * `Codex` exposes these as its own methods; use this class directly with any connection.
 *
 * @example List the last threads of a directory
 * ```ts ignore
 * import { Conversations } from "@codexkit/sdk/app-server";
 * const conversations = new Conversations({ connection: async () => server, codexHome: async () => home });
 * const { threads } = await conversations.listThreads({ cwd: "/repo", limit: 10 });
 * ```
 */
export class Conversations {
  #context: ConversationsContext;

  /** Wraps a context. */
  constructor(context: ConversationsContext) {
    this.#context = context;
  }

  /**
   * Lists saved threads of every kind of client unless `sourceKinds` narrows them (app-server
   * `thread/list`; else the session files, `cwd`/`limit`/`sourceKinds` only).
   */
  async listThreads(options: ListThreadsOptions = {}): Promise<ThreadPage> {
    checkCount("list threads", "limit", options.limit);
    const sourceKinds = checkSourceKinds(options.sourceKinds);
    if (options.labels !== undefined) checkLabels("list threads", options.labels);
    let server: AppServer;
    try {
      server = await this.#context.connection();
    } catch (error) {
      if (error instanceof TypeError) throw error;
      return await this.#listSessions(options, sourceKinds, error);
    }
    const labelled = options.labels === undefined
      ? undefined
      : await threadsLabelled(server, options.labels, options.archived);
    if (labelled?.size === 0) return { threads: [], nextCursor: null, source: "app-server" };
    const result = await server.call("thread/list", {
      sourceKinds: [...sourceKinds],
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.archived !== undefined ? { archived: options.archived } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
      // The server takes at most 100 ids (0.171.0); beyond that the page is filtered here.
      ...(labelled && labelled.size <= 100 ? { includedThreadIds: [...labelled] } : {}),
    });
    const data = labelled ? result.data.filter((t) => labelled.has(t.id)) : result.data;
    return {
      threads: data.map(summaryOf),
      nextCursor: result.nextCursor ?? null,
      source: "app-server",
    };
  }

  async #listSessions(
    options: ListThreadsOptions,
    sourceKinds: readonly ThreadSourceKind[],
    cause: unknown,
  ): Promise<ThreadPage> {
    if (options.labels !== undefined) {
      throw new UnsupportedError(
        "Listing threads by label needs the app-server, which could not start",
        { feature: "app-server.thread/attachmentOwner/list", cause },
      );
    }
    if (options.archived || options.cursor !== undefined) {
      throw new UnsupportedError(
        "Listing archived threads or pages needs the app-server, which could not start",
        { feature: "app-server.thread/list", cause },
      );
    }
    const home = await this.#context.codexHome();
    const cwds = options.cwd === undefined ? undefined : [options.cwd].flat();
    const every = sourceKinds.length === THREAD_SOURCE_KINDS.length;
    let sessions = await listSessions(home, cwds || !every ? {} : { limit: options.limit });
    if (cwds) sessions = sessions.filter((s) => s.cwd !== undefined && cwds.includes(s.cwd));
    if (!every) {
      sessions = sessions.filter((s) =>
        sourceKindsOf(s.source).some((kind) => sourceKinds.includes(kind))
      );
    }
    if (options.limit !== undefined) sessions = sessions.slice(0, options.limit);
    return { threads: sessions.map(summaryOfSession), nextCursor: null, source: "sessions" };
  }

  /** Reads one thread, with its turns when `turns` is true. */
  async readThread(id: string, options: { turns?: boolean } = {}): Promise<ThreadDetails> {
    checkId("read a thread", id);
    let server: AppServer;
    try {
      server = await this.#context.connection();
    } catch (error) {
      if (error instanceof TypeError) throw error;
      if (options.turns) {
        throw new UnsupportedError("Reading a thread's turns needs the app-server", {
          feature: "app-server.thread/read",
          cause: error,
        });
      }
      const session = await findSession(await this.#context.codexHome(), id);
      if (!session) throw new CodexError(`No saved session for thread ${id}`, { cause: error });
      return { ...summaryOfSession(session), turns: [] };
    }
    const { thread } = await server.call("thread/read", {
      threadId: id,
      includeTurns: options.turns === true,
    });
    return detailsOf(thread);
  }

  /** Archives a thread (it leaves the default listing; `archived: true` lists it). */
  async archiveThread(id: string): Promise<void> {
    checkId("archive a thread", id);
    await (await this.#server()).call("thread/archive", { threadId: id });
  }

  /** Brings an archived thread back. */
  async unarchiveThread(id: string): Promise<ThreadSummary> {
    checkId("unarchive a thread", id);
    const { thread } = await (await this.#server()).call("thread/unarchive", { threadId: id });
    return summaryOf(thread);
  }

  /** Names a thread. */
  async setThreadName(id: string, name: string): Promise<void> {
    checkId("name a thread", id);
    if (typeof name !== "string") {
      throw new TypeError("Cannot name a thread: name must be a string");
    }
    await (await this.#server()).call("thread/name/set", { threadId: id, name });
  }

  /**
   * Drops the last `turns` turns (default 1) from the thread's saved history. Files the agent
   * changed in them are NOT restored (see {@linkcode applyTurnDiff}).
   */
  async revertThread(id: string, options: { turns?: number } = {}): Promise<ThreadDetails> {
    checkId("revert a thread", id);
    checkCount("revert a thread", "turns", options.turns);
    const count = options.turns ?? 1;
    const server = await this.#server();
    const { thread } = await server.call("thread/read", { threadId: id, includeTurns: true });
    const turns = thread.turns ?? [];
    if (count > turns.length) {
      throw new RangeError(
        `Cannot revert ${count} turns of thread ${id}: it has ${turns.length}`,
      );
    }
    const beforeTurnId = turns[turns.length - count].id;
    const revert = () => server.call("thread/revert", { threadId: id, beforeTurnId });
    let result: P.ThreadRevertResponse;
    try {
      result = await revert();
    } catch (error) {
      if (!notLoaded(error)) throw error;
      // thread/revert works on loaded threads: load it, then try again.
      await server.call("thread/resume", { threadId: id });
      result = await revert();
    }
    const read = await server.call("thread/read", { threadId: id, includeTurns: true });
    return { ...summaryOf(result.thread), turns: detailsOf(read.thread).turns };
  }

  /** The ids of the threads loaded in the server's memory. */
  async loadedThreads(): Promise<string[]> {
    const server = await this.#server();
    const ids: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await server.call("thread/loaded/list", cursor ? { cursor } : {});
      ids.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  /** Every model the server offers, with its default and supported reasoning efforts. */
  async models(options: { includeHidden?: boolean } = {}): Promise<ModelInfo[]> {
    const server = await this.#server();
    const models: ModelInfo[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await server.call("model/list", {
        ...(cursor ? { cursor } : {}),
        ...(options.includeHidden ? { includeHidden: true } : {}),
      });
      models.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return models;
  }

  /** The login mode, plan and rate limits. */
  async account(): Promise<AccountInfo> {
    const server = await this.#server();
    const read = await server.call("account/read", {});
    let rateLimits: RateLimits | null = null;
    if (read.account?.type === "chatgpt") {
      rateLimits = (await server.call("account/rateLimits/read")).rateLimits;
    }
    return {
      account: read.account ?? null,
      requiresOpenaiAuth: read.requiresOpenaiAuth,
      rateLimits,
    };
  }

  /** The config calls (`config/read`, `config/value/write`, `config/batchWrite`). */
  get config(): ConfigAccess {
    return {
      read: async (options = {}) => await (await this.#server()).call("config/read", options),
      write: async (keyPath, value, options = {}) =>
        await (await this.#server()).call("config/value/write", {
          keyPath,
          value,
          mergeStrategy: options.mergeStrategy ?? "replace",
          ...(options.filePath !== undefined ? { filePath: options.filePath } : {}),
          ...(options.expectedVersion !== undefined
            ? { expectedVersion: options.expectedVersion }
            : {}),
        }),
      batchWrite: async (edits, options = {}) =>
        await (await this.#server()).call("config/batchWrite", {
          edits: edits.map((e) => ({ ...e, mergeStrategy: e.mergeStrategy ?? "replace" })),
          ...(options.filePath !== undefined ? { filePath: options.filePath } : {}),
          ...(options.expectedVersion !== undefined
            ? { expectedVersion: options.expectedVersion }
            : {}),
        }),
    };
  }

  /** The MCP server calls (`mcpServerStatus/list`, `config/mcpServer/reload`). */
  get mcp(): McpAccess {
    return {
      status: async () => {
        const server = await this.#server();
        const out: McpServerState[] = [];
        let cursor: string | null | undefined;
        do {
          const page = await server.call("mcpServerStatus/list", cursor ? { cursor } : {});
          out.push(...page.data);
          cursor = page.nextCursor;
        } while (cursor);
        return out;
      },
      reload: async () => {
        await (await this.#server()).call("config/mcpServer/reload");
      },
    };
  }

  #server(): Promise<AppServer> {
    return this.#context.connection();
  }
}

export { defaultCodexHome } from "../home/layout.ts";

/** Options of {@linkcode applyTurnDiff}. */
export interface ApplyDiffOptions {
  /** The git working tree to apply it in. */
  cwd: string;
  /** Take the diff back out instead (undo a turn's changes). */
  reverse?: boolean;
  /** Only check that it would apply; change nothing. */
  check?: boolean;
  /** Spawns git (default: the runtime's adapter). */
  spawner?: Spawner;
}

/**
 * Applies a turn's unified diff (the `diff` of its last `diff.updated` event) to a git working
 * tree with `git apply`, or takes it back out with `reverse: true`. All or nothing: when any
 * hunk does not fit (the tree moved on), nothing changes and this rejects with the reason.
 * (`codex apply` applies Codex Cloud task diffs, not local turns.)
 */
export async function applyTurnDiff(diff: string, options: ApplyDiffOptions): Promise<void> {
  if (typeof diff !== "string" || diff.trim() === "") {
    throw new TypeError("Cannot apply a diff: diff must be a non-empty unified diff");
  }
  if (typeof options?.cwd !== "string" || options.cwd === "") {
    throw new TypeError("Cannot apply a diff: options.cwd must be a directory");
  }
  const args = ["apply", "--whitespace=nowarn"];
  if (options.reverse) args.push("--reverse");
  if (options.check) args.push("--check");
  args.push("-");
  const result = await runToEnd("git", args, {
    spawner: spawnerFor(options),
    cwd: options.cwd,
    stdin: diff.endsWith("\n") ? diff : `${diff}\n`,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? options.cwd },
    // git apply prints a line per hunk at most; a bound keeps a runaway from filling memory.
    maxOutputBytes: 1 << 20,
  });
  const subject = `git apply${options.reverse ? " --reverse" : ""}`;
  if (result.stopped) throw stopError(result.stopped, { subject, stderrTail: result.stderr });
  if (result.exitCode !== 0) {
    throw new CodexError(`${subject} failed: ${result.stderr.trim() || "no output"}`);
  }
}

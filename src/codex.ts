/**
 * The client: holds the options, finds the binary once, and hands out threads.
 *
 * @module
 */
import type { ResolvedBinary } from "./binary/resolve.ts";
import type { ClientContext } from "./lanes/client_context.ts";
import type { TurnLane } from "./lanes/lane.ts";
import type { CodexOptions, ThreadOptions } from "./options.ts";
import { checkRuntime } from "./runtime/detect.ts";
import { Thread } from "./thread.ts";
import type { LaneSource, ThreadStart } from "./thread.ts";
import { checkClientTransport, checkCodexOptions, checkThreadOptions } from "./options/schema.ts";
import type { AppServer } from "./app_server/app_server.ts";
import type * as Talk from "./app_server/conversations.ts";
import type {
  AccountAccess,
  ModelsAccess,
  ThreadsAccess,
} from "./app_server/conversation_access.ts";
import type { AccountLoginAccess } from "./app_server/account_login.ts";
import type { AttachmentsAccess, SkillsAccess } from "./app_server/attachments.ts";

// The conversation calls' shapes are documented with the app-server entry, so the root's docs
// (what an exec turn needs) name them without listing them.
/** @ignore */
export type Threads = ThreadsAccess;
/** @ignore */
export type Models = ModelsAccess;
/** @ignore */
export type Account = AccountAccess & AccountLoginAccess;
/** @ignore */
export type Attachments = AttachmentsAccess;
/** @ignore */
export type Skills = SkillsAccess;
/** @ignore */
export type Config = Talk.ConfigAccess;
/** @ignore */
export type Mcp = Talk.McpAccess;

/** A lane that holds resources (an app-server process) until closed. */
interface ClosableLane extends TurnLane {
  close(): Promise<void>;
  connection(): Promise<AppServer>;
}

/**
 * Drives the codex CLI. Options are fixed at construction; each thread runs its turns through
 * `codex exec --json` (default) or a shared `codex app-server` (`transport: "app-server"`).
 *
 * @example A turn
 * ```ts ignore
 * import { Codex } from "@codexkit/sdk";
 * const codex = new Codex();
 * const thread = codex.startThread({ skipGitRepoCheck: true });
 * const turn = await thread.run("Say hello");
 * console.log(turn.finalResponse, turn.usage);
 * ```
 */
export class Codex implements AsyncDisposable {
  #options: Readonly<CodexOptions>;
  // Resolved on the first turn (or conversation call) and handed down to every lane.
  #context: Promise<ClientContext> | undefined;
  #exec: Promise<TurnLane> | undefined;
  #appServer: Promise<ClosableLane> | undefined;
  #talk: Promise<Talk.Conversations> | undefined;

  /**
   * Creates a client. Throws a TypeError naming the option, the value and what is accepted
   * when an option is malformed or unknown.
   */
  constructor(options: CodexOptions = {}) {
    checkCodexOptions(options);
    this.#options = Object.freeze({ ...options });
    checkRuntime(options.runtime);
  }

  /**
   * The codex binary this client runs, resolved on first use and remembered: override ->
   * `CODEX_PATH` -> bundle -> npm platform package -> PATH. Rejects with
   * `BinaryNotFoundError` listing every place searched (and tries again on the next call).
   * A binary from a pinned bundle is checked again on every call, so before every spawn: a
   * few `stat` calls while it is unchanged, a hash when it changed.
   */
  async binary(): Promise<ResolvedBinary> {
    return await (await this.#clientContext()).binary();
  }

  /** Starts a new thread. */
  startThread(options: ThreadOptions = {}): Thread {
    return this.#thread(options, { kind: "new" });
  }

  /** Continues the thread with id `id` (sessions live under `CODEX_HOME/sessions`). */
  resumeThread(id: string, options: ThreadOptions = {}): Thread {
    checkThreadId(id, "resume");
    return this.#thread(options, { kind: "resume", id });
  }

  /**
   * Continues the most recent session (`codex exec resume --last`; the CLI picks among the
   * sessions recorded for the working directory).
   */
  resumeLastThread(options: ThreadOptions = {}): Thread {
    if (options?.transport === "app-server" && this.#options.lane === undefined) {
      throw new TypeError(
        'Cannot resume the last thread with transport "app-server": pass its id to resumeThread',
      );
    }
    return this.#thread(options, { kind: "last" });
  }

  /** Starts a new thread that begins as a copy of thread `id` (`codex exec fork`). */
  forkThread(id: string, options: ThreadOptions = {}): Thread {
    checkThreadId(id, "fork");
    return this.#thread(options, { kind: "fork", id });
  }

  /**
   * Saved threads: `list`, `read`, `archive`, `unarchive`, `setName`, `revert`, `loaded` (over
   * the app-server; `list` reads the session files when none can start). The shapes are
   * documented with `@codexkit/sdk/app-server`.
   */
  get threads(): Threads {
    const c = () => this.#conversations();
    return {
      list: async (o) => await (await c()).listThreads(o),
      read: async (id, o) => await (await c()).readThread(id, o),
      archive: async (id) => await (await c()).archiveThread(id),
      unarchive: async (id) => await (await c()).unarchiveThread(id),
      setName: async (id, name) => await (await c()).setThreadName(id, name),
      revert: async (id, o) => await (await c()).revertThread(id, o),
      loaded: async () => await (await c()).loadedThreads(),
      labels: async (id) => {
        checkThreadId(id, "read thread labels");
        const { readLabels } = await import("./app_server/thread_labels.ts");
        return await readLabels(await this.#connection(), id);
      },
      setLabels: async (id, labels) => {
        checkThreadId(id, "label a thread");
        const { checkLabels, updateLabels } = await import("./app_server/thread_labels.ts");
        checkLabels("label a thread", labels, true);
        return await updateLabels(await this.#connection(), id, labels);
      },
    };
  }
  /** The models on offer: `codex.models.list()`, with default and supported efforts. */
  get models(): Models {
    const c = () => this.#conversations();
    return { list: async (o) => await (await c()).models(o) };
  }
  /**
   * Login mode, plan and rate limits (`codex.account.read()`), and logging in and out over the
   * app-server: `loginWithChatGpt()` (browser), `loginWithDeviceCode()`, `loginWithTokens()`,
   * `loginWithApiKey()`, `logout()`.
   */
  get account(): Account {
    const c = () => this.#conversations();
    // The login code loads with the first login call, not with the root entry.
    const login = async () =>
      (await import("./app_server/account_login.ts")).accountLogin(await this.#connection());
    return {
      read: async () => await (await c()).account(),
      loginWithApiKey: async (key, o) => await (await login()).loginWithApiKey(key, o),
      loginWithChatGpt: async () => await (await login()).loginWithChatGpt(),
      loginWithDeviceCode: async () => await (await login()).loginWithDeviceCode(),
      loginWithTokens: async (t, o) => await (await login()).loginWithTokens(t, o),
      logout: async () => await (await login()).logout(),
    };
  }
  /** The effective config, and writes to config.toml (over the app-server). */
  get config(): Config {
    const c = () => this.#conversations();
    return {
      read: async (o) => await (await c()).config.read(o),
      write: async (k, v, o) => await (await c()).config.write(k, v, o),
      batchWrite: async (e, o) => await (await c()).config.batchWrite(e, o),
    };
  }
  /** MCP server status and reload (over the app-server). */
  get mcp(): Mcp {
    const c = () => this.#conversations();
    return {
      status: async () => await (await c()).mcp.status(),
      reload: async () => await (await c()).mcp.reload(),
    };
  }

  /**
   * Attachments codex keeps with a thread, free-form and never sent to the model (over the
   * app-server): `codex.attachments.add(threadId, { attachmentType, identityKey, payload })`.
   */
  get attachments(): Attachments {
    const a = async () =>
      (await import("./app_server/attachments.ts")).attachmentsAccess(() => this.#connection());
    return {
      add: async (id, attachment) => await (await a()).add(id, attachment),
      list: async (id, o) => await (await a()).list(id, o),
      remove: async (id, key) => await (await a()).remove(id, key),
      owners: async (key, o) => await (await a()).owners(key, o),
    };
  }
  /** The skills codex offers, and turning one on or off (over the app-server). */
  get skills(): Skills {
    const a = async () =>
      (await import("./app_server/attachments.ts")).skillsAccess(() => this.#connection());
    return {
      list: async (o) => await (await a()).list(o),
      setEnabled: async (skill, enabled) => await (await a()).setEnabled(skill, enabled),
    };
  }

  async #connection(): Promise<AppServer> {
    return await (await this.#appServerLane()).connection();
  }

  #conversations(): Promise<Talk.Conversations> {
    this.#talk ??= Promise.all([import("./app_server/conversations.ts"), this.#clientContext()])
      .then((
        [{ Conversations, defaultCodexHome }, context],
      ) =>
        new Conversations({
          connection: async () => await (await this.#appServerLane()).connection(),
          codexHome: async () =>
            (await context.codexHome()) ?? defaultCodexHome(this.#options.env ?? process.env),
        })
      );
    return this.#talk;
  }

  /**
   * Stops the shared app-server, if one was started, and waits for the stop of any exec codex
   * still exiting after its turn ended (at most `exitGraceMs` + `killGraceMs`).
   */
  async close(): Promise<void> {
    const lane = this.#appServer;
    this.#appServer = undefined;
    if (lane) await (await lane.catch(() => undefined))?.close();
    // A background probe confirming a known snapshot, and the stop of a codex that outlived its
    // turn, end with the client, not after it.
    const context = this.#context;
    if (context) await (await context.catch(() => undefined))?.settled();
  }

  /** Same as {@linkcode Codex.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #thread(options: ThreadOptions, start: ThreadStart): Thread {
    const given = this.#options.lane;
    checkThreadOptions(options, given !== undefined);
    if (given === undefined) checkClientTransport(this.#options, options.transport);
    const telemetry = this.#options.telemetry ?? {};
    if (given) return new Thread(given, options, start, true, telemetry);
    const appServer = (options.transport ?? "exec") === "app-server";
    const load = appServer ? () => this.#appServerLane() : () => this.#execLane();
    const retrying = (options.retry ?? this.#options.retry) !== undefined;
    const fitting = this.#options.checkModel === true ||
      (options.effortFit ?? this.#options.effortFit) !== undefined;
    const checked = fitting
      ? () =>
        Promise.all([import("./model_fit.ts"), load(), this.#clientContext()]).then((
          [m, inner, context],
        ) => m.withModelFit(inner, this.#options, () => context.models()))
      : load;
    let lane: Promise<TurnLane> | undefined;
    const source: LaneSource = {
      control: appServer,
      // The lane's code loads with the thread's first turn; retry wraps it when asked.
      load: () =>
        lane ??= (retrying
          ? Promise.all([import("./lanes/retry.ts"), checked()]).then(([m, inner]) =>
            m.withRetry(inner, this.#options.retry)
          )
          : checked()).catch((error) => {
            lane = undefined;
            throw error;
          }),
    };
    return new Thread(source, options, start, false, telemetry);
  }

  #clientContext(): Promise<ClientContext> {
    this.#context ??= import("./lanes/client_context.ts").then((m) =>
      m.createClientContext(this.#options)
    );
    return this.#context;
  }

  #execLane(): Promise<TurnLane> {
    this.#exec ??= Promise.all([import("./exec/lane.ts"), this.#clientContext()]).then((
      [{ ExecLane }, context],
    ) => new ExecLane(context));
    return this.#exec;
  }

  #appServerLane(): Promise<ClosableLane> {
    this.#appServer ??= Promise.all([
      import("./app_server/lane_for_codex.ts"),
      this.#clientContext(),
    ]).then(([{ startAppServerLane }, context]) => startAppServerLane(context)).catch(
      (error) => {
        // A server that could not start is tried again by the next turn.
        this.#appServer = undefined;
        throw error;
      },
    );
    return this.#appServer;
  }
}

function checkThreadId(id: unknown, what: string): void {
  if (typeof id !== "string" || id.trim().length === 0) {
    throw new TypeError(
      `Cannot ${what}: expected a non-empty thread id, got ${
        typeof id === "string" ? JSON.stringify(id) : String(id)
      }`,
    );
  }
}

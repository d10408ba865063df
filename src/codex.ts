/**
 * The client: holds the options, finds the binary once, and hands out threads.
 *
 * @module
 */
import { resolveCodexBinary } from "./binary/resolve.ts";
import type { ResolvedBinary } from "./binary/resolve.ts";
import type { ExecLane } from "./exec/lane.ts";
import type { OptionGate } from "./exec/gates.ts";
import type { InstalledGate } from "../capabilities/installed_gate.ts";
import type { TurnLane } from "./lane.ts";
import type { CodexOptions, ThreadOptions } from "./options.ts";
import { checkRuntime } from "./runtime/detect.ts";
import type { Spawner } from "./runtime/mod.ts";
import { Thread } from "./thread.ts";
import type { ThreadStart } from "./thread.ts";
import { checkCodexOptions, checkThreadOptions } from "./options/schema.ts";
import { lazyLane } from "./lazy_lane.ts";
import type { AppServer } from "./app_server/app_server.ts";
import type * as Talk from "./conversations.ts";
import type { AccountAccess, ModelsAccess, ThreadsAccess } from "./conversation_access.ts";
import { attachmentsAccess, skillsAccess } from "./attachments.ts";
import { accountLogin } from "./account_login.ts";
import type { AccountLoginAccess } from "./account_login.ts";
import { checkLabels, readLabels, updateLabels } from "./thread_labels.ts";
import type { AttachmentsAccess, SkillsAccess } from "./attachments.ts";

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
  // The process adapters load with the first lane that spawns.
  #spawner: Promise<Spawner> | undefined;
  #versionChecks = new Map<string, Promise<void>>();
  #binary: Promise<ResolvedBinary> | undefined;
  #home: Promise<string | undefined> | undefined;
  // The exec lane's code loads on the first turn (and its secrets are known from then on).
  #exec: TurnLane;
  #execLoaded: Promise<ExecLane> | undefined;
  #execLane: ExecLane | undefined;
  #appServer: Promise<ClosableLane> | undefined;
  #gateOf: Promise<InstalledGate> | undefined;
  #talk: Promise<Talk.Conversations> | undefined;

  /**
   * Creates a client. Throws a TypeError naming the option, the value and what is accepted
   * when an option is malformed or unknown.
   */
  constructor(options: CodexOptions = {}) {
    checkCodexOptions(options);
    this.#options = Object.freeze({ ...options });
    checkRuntime(options.runtime);
    this.#exec = lazyLane(() => this.#loadExec(), {
      control: false,
      secrets: () => this.#execLane?.secrets,
    });
  }

  /**
   * The codex binary this client runs, resolved on first use and remembered: override ->
   * `CODEX_PATH` -> bundle -> npm platform package -> PATH. Rejects with
   * `BinaryNotFoundError` listing every place searched (and tries again on the next call).
   * A binary from a pinned bundle is checked again on every call, so before every spawn: a
   * few `stat` calls while it is unchanged, a hash when it changed.
   */
  binary(): Promise<ResolvedBinary> {
    this.#binary ??= resolveCodexBinary({
      override: this.#options.codexPathOverride,
      bundle: this.#options.bundle,
      env: this.#options.env ?? process.env,
    }).then(async (resolved) => {
      await this.#checkVersion(resolved.path);
      // A bundled binary swapped after the first turn must not run unchecked on the next.
      if (resolved.source === "bundle") this.#binary = undefined;
      return resolved;
    }).catch((error) => {
      this.#binary = undefined;
      throw error;
    });
    return this.#binary;
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
        return await readLabels(await this.#connection(), id);
      },
      setLabels: async (id, labels) => {
        checkThreadId(id, "label a thread");
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
    const login = async () => accountLogin(await this.#connection());
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
    return attachmentsAccess(() => this.#connection());
  }
  /** The skills codex offers, and turning one on or off (over the app-server). */
  get skills(): Skills {
    return skillsAccess(() => this.#connection());
  }

  async #connection(): Promise<AppServer> {
    return await (await (this.#appServer ??= this.#startAppServer())).connection();
  }

  #conversations(): Promise<Talk.Conversations> {
    this.#talk ??= import("./conversations.ts").then(({ Conversations, defaultCodexHome }) =>
      new Conversations({
        connection: async () =>
          await (await (this.#appServer ??= this.#startAppServer())).connection(),
        codexHome: async () =>
          (await this.#codexHome()) ?? defaultCodexHome(this.#options.env ?? process.env),
      })
    );
    return this.#talk;
  }

  /** Stops the shared app-server, if one was started. Exec runs need no closing. */
  async close(): Promise<void> {
    const lane = this.#appServer;
    this.#appServer = undefined;
    if (lane) await (await lane).close();
    // A background probe confirming a known snapshot ends with the client, not after it.
    const gateOf = this.#gateOf;
    if (gateOf) await (await gateOf).settled();
  }

  /** Same as {@linkcode Codex.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #thread(options: ThreadOptions, start: ThreadStart): Thread {
    const lane = this.#options.lane;
    checkThreadOptions(options, lane !== undefined);
    if (lane) return new Thread(lane, options, start, true);
    const retry = (inner: TurnLane): TurnLane => {
      if ((options.retry ?? this.#options.retry) === undefined) return inner;
      let wrapped: Promise<TurnLane> | undefined;
      const load = () =>
        wrapped ??= import("./retry.ts").then((m) => m.withRetry(inner, this.#options.retry));
      return lazyLane(load, {
        control: inner.interrupt !== undefined,
        secrets: () => inner.secrets,
      });
    };
    if ((options.transport ?? "exec") === "exec") {
      return new Thread(retry(this.#exec), options, start);
    }
    return new Thread(retry(this.#lazyAppServer()), options, start);
  }

  /** A lane that loads and starts the app-server on its first turn. */
  #lazyAppServer(): TurnLane {
    return lazyLane(async () => {
      // The exec lane's module knows the client's secrets; errors of this lane need them too.
      await this.#loadExec();
      return await (this.#appServer ??= this.#startAppServer());
    }, { control: true, secrets: () => this.#execLane?.secrets });
  }

  /** `requireCodex` against the binary's `--version`, once per binary path. */
  #checkVersion(path: string): Promise<void> {
    const range = this.#options.requireCodex;
    if (range === undefined) return Promise.resolve();
    let checked = this.#versionChecks.get(path);
    if (!checked) {
      checked = (async () => {
        const { requireCodexVersion } = await import("../capabilities/require.ts");
        await requireCodexVersion(path, range, { spawner: await this.#clientSpawner() });
      })();
      this.#versionChecks.set(path, checked);
      // A failure is not remembered: the next turn asks again.
      checked.catch(() => this.#versionChecks.delete(path));
    }
    return checked;
  }

  #clientSpawner(): Promise<Spawner> {
    this.#spawner ??= import("./process/spawner.ts").then((m) =>
      m.spawnerFor({ runtime: this.#options.runtime })
    );
    return this.#spawner;
  }

  #loadExec(): Promise<ExecLane> {
    this.#execLoaded ??= Promise.all([import("./exec/lane.ts"), this.#clientSpawner()]).then((
      [{ ExecLane }, spawner],
    ) =>
      this.#execLane = new ExecLane({
        options: this.#options,
        spawner,
        binary: () => this.binary(),
        codexHome: () => this.#codexHome(),
        gate: () => this.#gate(),
      })
    );
    return this.#execLoaded;
  }

  async #startAppServer(): Promise<ClosableLane> {
    const { startAppServerLane } = await import("./app_server/lane_for_codex.ts");
    return startAppServerLane({
      options: this.#options,
      spawner: await this.#clientSpawner(),
      binary: () => this.binary(),
      codexHome: () => this.#codexHome(),
    });
  }

  /** `capabilities` as given, or (left out) the installed binary's gate, loaded on first use. */
  async #gate(): Promise<OptionGate | undefined> {
    const given = this.#options.capabilities;
    if (given !== undefined) return given === false ? undefined : given;
    const onWarning = this.#options.onWarning;
    this.#gateOf ??= import("../capabilities/installed_gate.ts").then((m) =>
      m.installedGate({ onWarning })
    );
    return (await this.#gateOf)(await this.binary());
  }

  #codexHome(): Promise<string | undefined> {
    const home = this.#options.codexHome;
    if (home === undefined) return Promise.resolve(undefined);
    // Loaded on first use: a client without codexHome never needs the home helpers.
    this.#home ??= import("./home/layout.ts").then((m) => m.ensureCodexHome(home)).catch(
      (error) => {
        this.#home = undefined;
        throw error;
      },
    );
    return this.#home;
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

/**
 * What every codex child of one client shares, resolved for the client and handed down: the
 * process seam, the binary, CODEX_HOME, the capability gate, the user's own shell-environment
 * exclusions and the client's secrets. The lanes and the conversations receive this object
 * and never call back into the client: data flows one way, options -> context -> argv ->
 * process -> events.
 *
 * Loaded with the client's first turn (or its first conversation call), never with the root
 * entry. A step that fails is not remembered: the next turn asks again.
 *
 * @module
 */
import process from "node:process";
import { allSettled } from "../process/settle.ts";
import { resolveCodexBinary } from "../binary/resolve.ts";
import type { ResolvedBinary } from "../binary/resolve.ts";
import { buildConfigArgs } from "../exec/args.ts";
import { configuredShellEnvExclude } from "../home/config_toml.ts";
import { defaultCodexHome, ensureCodexHome } from "../home/layout.ts";
import type { CodexOptions } from "../options.ts";
import type { OptionGate } from "../options/gates.ts";
import { spawnerFor } from "../process/spawner.ts";
import { Redactor } from "../redact.ts";
import type { Spawner } from "../runtime/mod.ts";
import type { InstalledGate } from "../../capabilities/installed_gate.ts";
import type { FitModel } from "../model_fit.ts";

/** What a turn runs with, resolved for it from the client's context. */
export interface ResolvedClient {
  /** The binary to spawn. */
  binary: ResolvedBinary;
  /** The client's CODEX_HOME (created), or `undefined` for codex's own default. */
  codexHome: string | undefined;
  /** The gate of optional flags, or `undefined` when gating is off. */
  gate: OptionGate | undefined;
  /** The `shell_environment_policy.exclude` list the home's files keep, when they keep one. */
  configuredExclude: string[] | undefined;
}

/** Options of {@linkcode ClientContext.resolve}. */
export interface ResolveOptions {
  /** Also resolve the capability gate (exec turns gate flags; the app-server does not). */
  gate?: boolean;
}

/** What a lane needs of its client: the shape {@linkcode ClientContext} has. */
export interface TurnContext {
  /** The client's options, frozen. */
  readonly options: Readonly<CodexOptions>;
  /** The process seam every child of the client is spawned through. */
  readonly spawner: Spawner;
  /** What the client knows to be secret. */
  readonly secrets: readonly string[];
  /** Everything a turn needs before its argv can be built. */
  resolve(options?: ResolveOptions): Promise<ResolvedClient>;
  /** Takes work that outlives a turn (stopping a codex that lingers), for `settled()`. */
  track?(work: Promise<void>): void;
}

/** One client's shared context; see the module doc. */
export class ClientContext implements TurnContext {
  /** The client's options, frozen. */
  readonly options: Readonly<CodexOptions>;
  /** The process seam every child of the client is spawned through. */
  readonly spawner: Spawner;
  /** What the client knows to be secret (its API key, secret-looking config values). */
  readonly secrets: readonly string[];
  #binary: Promise<ResolvedBinary> | undefined;
  #home: Promise<string | undefined> | undefined;
  #gateOf: Promise<InstalledGate> | undefined;
  #versionChecks = new Map<string, Promise<void>>();
  #models: Promise<{ models: readonly FitModel[]; version?: string }> | undefined;
  // Stops of codex processes that outlived their turn.
  #background = new Set<Promise<void>>();

  /** Creates the context of a client whose options were checked at its door. */
  constructor(options: Readonly<CodexOptions>, spawner: Spawner) {
    this.options = options;
    this.spawner = spawner;
    this.secrets = Redactor.from({ apiKey: options.apiKey, args: buildConfigArgs(options) })
      .secrets;
  }

  /**
   * The binary, resolved once and remembered (a failure is not). A binary from a pinned
   * bundle is resolved again on every call, so before every spawn: a few `stat` calls while
   * it is unchanged, a hash when it changed. `requireCodex` is checked once per path.
   */
  binary(): Promise<ResolvedBinary> {
    this.#binary ??= resolveCodexBinary({
      override: this.options.codexPathOverride,
      bundle: this.options.bundle,
      env: this.options.env ?? process.env,
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

  /** The client's CODEX_HOME, created when missing; `undefined` when the option is left out. */
  codexHome(): Promise<string | undefined> {
    const home = this.options.codexHome;
    if (home === undefined) return Promise.resolve(undefined);
    this.#home ??= ensureCodexHome(home).catch((error) => {
      this.#home = undefined;
      throw error;
    });
    return this.#home;
  }

  /**
   * Everything a turn needs before its argv can be built. Every step is waited for before a
   * failure is reported, so nothing is still writing (CODEX_HOME) when the caller cleans up.
   */
  async resolve(options: ResolveOptions = {}): Promise<ResolvedClient> {
    const [binary, codexHome] = await allSettled([this.binary(), this.codexHome()]);
    const [gate, configuredExclude] = await allSettled([
      options.gate ? this.#gate(binary) : undefined,
      configuredShellEnvExclude(
        codexHome ?? defaultCodexHome(this.options.env ?? process.env),
        this.options.profile,
      ),
    ]);
    return { binary, codexHome, gate, configuredExclude };
  }

  /**
   * The model catalog of the client's binary (`codex debug models --bundled`), read once per
   * client (a failure is not remembered), with the version its gate knows.
   */
  models(): Promise<{ models: readonly FitModel[]; version?: string }> {
    this.#models ??= this.resolve({ gate: true }).then(async ({ binary, codexHome, gate }) => {
      const { debugModels } = await import("../commands/debug.ts");
      const models = await debugModels({
        codexPathOverride: binary.path,
        codexHome,
        env: this.options.env,
        config: this.options.config,
        runtime: this.options.runtime,
        capabilities: false,
        secrets: [...this.secrets],
      });
      return { models, version: gate?.version };
    }).catch((error) => {
      this.#models = undefined;
      throw error;
    });
    return this.#models;
  }

  /** Takes work that outlives a turn (stopping a codex that lingers); see `settled()`. */
  track(work: Promise<void>): void {
    this.#background.add(work);
    void work.finally(() => this.#background.delete(work));
  }

  /**
   * Settles when nothing of the context runs in the background: a confirming probe, and the
   * stop of every codex that outlived its turn (at most `exitGraceMs` + `killGraceMs` each).
   */
  async settled(): Promise<void> {
    const gateOf = this.#gateOf;
    if (gateOf) await (await gateOf).settled();
    while (this.#background.size > 0) await Promise.all(this.#background);
  }

  /** `capabilities` as given, or (left out) the installed binary's gate, loaded on first use. */
  async #gate(binary: ResolvedBinary): Promise<OptionGate | undefined> {
    const given = this.options.capabilities;
    if (given !== undefined) return given === false ? undefined : given;
    const onWarning = this.options.onWarning;
    this.#gateOf ??= import("../../capabilities/installed_gate.ts").then((m) =>
      m.installedGate({ onWarning })
    );
    return await (await this.#gateOf)(binary);
  }

  /** `requireCodex` against the binary's `--version`, once per binary path. */
  #checkVersion(path: string): Promise<void> {
    const range = this.options.requireCodex;
    if (range === undefined) return Promise.resolve();
    let checked = this.#versionChecks.get(path);
    if (!checked) {
      checked = import("../../capabilities/require.ts").then(async ({ requireCodexVersion }) => {
        await requireCodexVersion(path, range, { spawner: this.spawner });
      });
      this.#versionChecks.set(path, checked);
      // A failure is not remembered: the next turn asks again.
      checked.catch(() => this.#versionChecks.delete(path));
    }
    return checked;
  }
}

/** The context of a client, with the process seam its `runtime` option names. */
export function createClientContext(options: Readonly<CodexOptions>): ClientContext {
  return new ClientContext(options, spawnerFor({ runtime: options.runtime }));
}

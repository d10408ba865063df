/**
 * Settings come in three layers: the client, the thread, the turn; the later layer wins. One
 * pure function resolves them, and both lanes build what they send from its result: the exec
 * lane its argv, the app-server lane its `thread/start` settings. Which turn options replace a
 * thread setting is read from the thread table (`schema.ts`).
 *
 * @module
 */
import { flattenConfigEntries } from "../config/toml_literal.ts";
import type {
  CodexConfigObject,
  CodexOptions,
  ThreadOptions,
  TurnOptions,
  WebSearchMode,
} from "../options.ts";
import { TURN_OVERRIDES } from "./schema.ts";
import type { TurnOverride } from "./schema.ts";

/** The turn options that are the turn's own: none of them layers over a thread setting. */
export type TurnOwnSettings = Omit<TurnOptions, keyof ThreadOptions | "outputSchema">;

/** What one turn runs with, after the layers are applied. */
export interface ResolvedSettings {
  /**
   * The thread's options with the turn's overrides (model, effort, sandbox, web search; see
   * `TURN_OVERRIDES`), without `config` and `env`.
   */
  thread: ThreadOptions;
  /** The turn's own settings (`cyberAccessProgram`, `outputLastMessage`, ...), as given. */
  turn: TurnOwnSettings;
  /**
   * The config of all three layers as one flat object keyed by dotted path (a later layer's
   * path replaces an earlier one's value), or `undefined` when no layer sets any.
   */
  config: CodexConfigObject | undefined;
  /** The thread's and the turn's `env` merged key by key (laid over the client's env). */
  env: Record<string, string> | undefined;
}

/**
 * Resolves client -> thread -> turn. `config` objects merge by flattened dotted path (so
 * `{ features: { a: true } }` and `{ "features.a": false }` name the same setting); `env`
 * merges key by key. The client's `env` is the base environment and is not part of the
 * result; `model` and the other overridable settings take the turn's value when it has one.
 *
 * @example Resolve the layers of a turn
 * ```ts
 * import { resolveLayers } from "./layers.ts";
 * const settings = resolveLayers(
 *   { config: { features: { a: true } } },
 *   { model: "a", config: { "features.b": true } },
 *   { model: "b", config: { "features.a": false } },
 * );
 * settings.thread.model; // "b"
 * settings.config; // { "features.a": false, "features.b": true }
 * ```
 */
export function resolveLayers(
  client: Pick<CodexOptions, "config">,
  thread: ThreadOptions,
  turn: Pick<TurnOptions, "config" | "env" | "enable" | "disable" | TurnOverride> & TurnOwnSettings,
): ResolvedSettings {
  const effective: Record<string, unknown> = { ...thread };
  // codex's `--full-auto`, gone from exec by 0.140.0, is what it set: a turn may still override.
  if (thread.fullAuto) {
    effective.sandboxMode ??= "workspace-write";
    effective.approvalPolicy ??= "on-request";
  }
  delete effective.fullAuto;
  if (thread.dangerouslyBypassApprovalsAndSandbox !== undefined && turn.sandboxMode !== undefined) {
    throw new TypeError(
      "Cannot use turn options.sandboxMode on a thread with dangerouslyBypassApprovalsAndSandbox: it has no sandbox",
    );
  }
  for (const key of TURN_OVERRIDES) if (turn[key] !== undefined) effective[key] = turn[key];
  // A per-turn web search mode beats the thread's boolean shorthand as well.
  if (turn.webSearchMode !== undefined) delete effective.webSearchEnabled;
  // A turn's tools join the thread's; its MCP servers replace the thread's of the same name.
  if (turn.tools) effective.tools = [...(thread.tools ?? []), ...turn.tools];
  if (turn.mcpServers) effective.mcpServers = { ...thread.mcpServers, ...turn.mcpServers };
  // A turn's features join the thread's; a feature the turn names leaves the other list.
  if (turn.enable || turn.disable) {
    const on = turn.enable ?? [];
    const off = turn.disable ?? [];
    const enable = [...(thread.enable ?? []).filter((f) => !off.includes(f)), ...on];
    const disable = [...(thread.disable ?? []).filter((f) => !on.includes(f)), ...off];
    effective.enable = [...new Set(enable)];
    effective.disable = [...new Set(disable)];
  }
  delete effective.config;
  delete effective.env;

  const own: Record<string, unknown> = { ...turn };
  for (const key of [...TURN_OVERRIDES, "config", "env", "enable", "disable", "outputSchema"]) {
    delete own[key];
  }

  let config: CodexConfigObject | undefined;
  for (const layer of [client.config, thread.config, turn.config]) {
    if (layer === undefined) continue;
    config ??= {};
    for (const [path, value] of flattenConfigEntries(layer)) {
      config[path] = value as CodexConfigObject[string];
    }
  }
  const env = thread.env === undefined && turn.env === undefined
    ? undefined
    : { ...thread.env, ...turn.env };
  return { thread: effective as ThreadOptions, turn: own as TurnOwnSettings, config, env };
}

/** The web search mode a thread asks for: `webSearchMode`, else `webSearchEnabled` as live/disabled. */
export function webSearchMode(thread: ThreadOptions): WebSearchMode | undefined {
  if (thread.webSearchMode !== undefined) return thread.webSearchMode;
  if (thread.webSearchEnabled === undefined) return undefined;
  return thread.webSearchEnabled ? "live" : "disabled";
}

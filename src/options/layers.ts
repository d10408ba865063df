/**
 * Settings come in three layers: the client, the thread, the turn; the later layer wins. One
 * pure function resolves them before a lane builds its argv, so both lanes agree on what a
 * turn runs with.
 *
 * @module
 */
import { flattenConfigEntries } from "../config/toml_literal.ts";
import type {
  CodexConfigObject,
  CodexOptions,
  CyberAccessProgram,
  ThreadOptions,
  TurnOptions,
} from "../options.ts";

/** What one turn runs with, after the layers are applied. */
export interface ResolvedSettings {
  /** The thread's options with the turn's overrides (model, effort, sandbox, web search). */
  thread: ThreadOptions;
  /** The turn's cyber access program. */
  cyberAccessProgram: CyberAccessProgram | undefined;
  /**
   * The config of all three layers as one flat object keyed by dotted path (a later layer's
   * path replaces an earlier one's value), or `undefined` when no layer sets any.
   */
  config: CodexConfigObject | undefined;
  /** The thread's and the turn's `env` merged key by key (laid over the client's env). */
  env: Record<string, string> | undefined;
}

/** The turn options that override a thread setting of the same name for one turn. */
const TURN_OVERRIDES = ["model", "modelReasoningEffort", "sandboxMode", "webSearchMode"] as const;

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
  turn: Pick<
    TurnOptions,
    | "config"
    | "env"
    | "cyberAccessProgram"
    | "tools"
    | "mcpServers"
    | (typeof TURN_OVERRIDES)[number]
  >,
): ResolvedSettings {
  const effective: Record<string, unknown> = { ...thread };
  for (const key of TURN_OVERRIDES) if (turn[key] !== undefined) effective[key] = turn[key];
  // A per-turn web search mode beats the thread's boolean shorthand as well.
  if (turn.webSearchMode !== undefined) delete effective.webSearchEnabled;
  // A turn's tools join the thread's; its MCP servers replace the thread's of the same name.
  if (turn.tools) effective.tools = [...(thread.tools ?? []), ...turn.tools];
  if (turn.mcpServers) effective.mcpServers = { ...thread.mcpServers, ...turn.mcpServers };
  delete effective.config;
  delete effective.env;

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
  return {
    thread: effective as ThreadOptions,
    cyberAccessProgram: turn.cyberAccessProgram,
    config,
    env,
  };
}

/**
 * The small interface through which the argv builder asks whether the installed CLI supports
 * an optional flag. `@codexkit/sdk/capabilities` builds one from a probed snapshot; without
 * one, every option is passed as asked.
 *
 * @module
 */

/**
 * The name of a version-dependent CLI surface: `exec.<long-flag>` (listed by `codex exec
 * --help`), `exec.resume` / `exec.fork` / `exec.review` (the subcommand exists),
 * `exec.resume.<long-flag>` / `exec.fork.<long-flag>` (listed by that subcommand's help),
 * `config.<key>` (a config key), `app-server.<method>` and `command.<sub>` (a top-level
 * subcommand).
 */
export type GatedOption =
  | `exec.${string}`
  | `config.${string}`
  | `app-server.${string}`
  | `command.${string}`;

/** What a gate knows of one option. */
export type GateAnswer = "supported" | "unsupported" | "unknown";

/** Answers which optional CLI surfaces the installed binary supports. */
export interface OptionGate {
  /** The CLI version the answers are about, when known (for messages). */
  readonly version?: string;
  /** Whether `option` may be passed; `"unknown"` is treated as supported. */
  support(option: GatedOption): GateAnswer;
  /** Whether `option` accepts `value` (an enum value such as a reasoning effort). */
  supportValue?(option: GatedOption, value: string): GateAnswer;
  /** True when the answers come from a known snapshot because probing failed. */
  readonly fallback?: boolean;
}

/** What the argv builder does with an option the gate says is unsupported. */
export type UnsupportedPolicy = "drop" | "error";

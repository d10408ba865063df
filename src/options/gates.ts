/**
 * The small interface through which the argv builder asks whether the installed CLI supports
 * an optional flag, subcommand or config value. `@codexkit/sdk/capabilities` answers it from a
 * probed snapshot; a client builds one on its first turn unless `capabilities: false`.
 *
 * @module
 */

/**
 * An optional CLI surface, by one dotted naming scheme:
 * - `exec.<long-flag>`: `codex exec --help` lists `--<long-flag>` (`exec.output-schema`);
 * - `exec.resume`, `exec.fork`, `exec.review`: that subcommand of `codex exec` exists;
 * - `exec.<sub>.<long-flag>`: that subcommand's help lists the flag (`exec.resume.last`);
 * - `config.<key>`: a config key or value that depends on the version
 *   (`config.approval_policy`, `config.features.<feature>`);
 * - `app-server.<flag-or-sub>`: `codex app-server --help` lists it;
 * - `command.<sub>`: `codex --help` lists the top-level subcommand (`command.mcp`).
 */
export type GatedOption =
  | `exec.${string}`
  | `config.${string}`
  | `app-server.${string}`
  | `command.${string}`;

/** The answers a gate gives, in order. */
export const GATE_ANSWERS = ["supported", "unsupported", "unknown"] as const;
/** What a gate knows of one option. */
// Derived through `import()`, as in `../options.ts`: the entries name the type, not the list.
export type GateAnswer = (typeof import("./gates.ts"))["GATE_ANSWERS"][number];

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

/** What the argv builder may do with an option the gate says is unsupported. */
export const UNSUPPORTED_POLICIES = ["drop", "error"] as const;
/** What the argv builder does with an option the gate says is unsupported. */
export type UnsupportedPolicy = (typeof import("./gates.ts"))["UNSUPPORTED_POLICIES"][number];

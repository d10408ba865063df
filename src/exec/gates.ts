/**
 * The small interface through which the argv builder asks whether the installed CLI supports
 * an optional flag. `@codexkit/sdk/capabilities` builds one from a probed snapshot; without
 * one, every option is passed as asked.
 *
 * @module
 */

/** The optional CLI surfaces the exec argv builder gates. */
export type GatedOption =
  | "exec.json"
  | "exec.output-schema"
  | "exec.add-dir"
  | "exec.ephemeral"
  | "exec.image"
  | "exec.output-last-message"
  | "exec.profile"
  | "exec.oss"
  | "exec.local-provider"
  | "exec.skip-git-repo-check"
  | "exec.sandbox"
  | "exec.cd"
  | "exec.resume"
  | "exec.resume.last"
  | "exec.fork"
  | "config.web_search"
  | "config.approval_policy"
  | "config.model_reasoning_effort"
  | "config.sandbox_workspace_write.network_access";

/** What a gate knows of one option. */
export type GateAnswer = "supported" | "unsupported" | "unknown";

/** Answers which optional CLI surfaces the installed binary supports. */
export interface OptionGate {
  /** The CLI version the answers are about, when known (for messages). */
  readonly version?: string;
  /** Whether `option` may be passed; `"unknown"` is treated as supported. */
  support(option: GatedOption): GateAnswer;
}

/** What the argv builder does with an option the gate says is unsupported. */
export type UnsupportedPolicy = "drop" | "error";

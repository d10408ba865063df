/**
 * The exec lane's gate, built from a snapshot: which optional flags, subcommands and config
 * keys the probed CLI takes. Pure.
 *
 * @module
 */
import type { GateAnswer, GatedOption, OptionGate } from "../src/options/gates.ts";
import { answerOption, listedValues, versionLabel } from "./guard.ts";
import type { GuardResult } from "./guard.ts";
import { applyOverrides } from "./overrides.ts";
import type { CapabilityOverrides } from "./overrides.ts";
import type { CapabilitySnapshot } from "./types.ts";

/** An {@linkcode OptionGate} that also explains itself. */
export interface SnapshotGate extends OptionGate {
  /** The answer with an operator-facing note. */
  explain(option: GatedOption): GuardResult;
  /**
   * Whether `value` is accepted for `option` (`"config.approval_policy"`, `"untrusted"`):
   * `unsupported` when the CLI lists its values and this is not one of them.
   */
  supportValue(option: GatedOption, value: string): GateAnswer;
  /** {@linkcode SnapshotGate.supportValue} with an operator-facing note. */
  explainValue(option: GatedOption, value: string): GuardResult;
  /** True when the snapshot is a committed one standing in for a failed probe. */
  readonly fallback: boolean;
}

/** Options of {@linkcode gateFromSnapshot}. */
export interface GateOptions {
  /**
   * The snapshot is a committed one used because probing the binary failed: the gate says so
   * in `fallback` and in every note.
   */
  fallback?: boolean;
}

/**
 * The options the SDK's argv builders gate today, for tables and listings (`codexkit probe`).
 * The gate answers any other dotted name too.
 * @example List every answer
 * ```ts ignore
 * for (const option of GATED_OPTIONS) console.log(option, gate.explain(option).note);
 * ```
 */
export const GATED_OPTIONS: readonly GatedOption[] = [
  "exec.json",
  "exec.output-schema",
  "exec.add-dir",
  "exec.ephemeral",
  "exec.image",
  "exec.output-last-message",
  "exec.profile",
  "exec.oss",
  "exec.local-provider",
  "exec.skip-git-repo-check",
  "exec.sandbox",
  "exec.cd",
  "exec.thread-source",
  "exec.cyber-access-program",
  "exec.trust",
  "exec.resume",
  "exec.resume.last",
  "exec.resume.output-schema",
  "exec.fork",
  "exec.review",
  "config.web_search",
  "config.approval_policy",
  "config.model_reasoning_effort",
  "config.sandbox_workspace_write.network_access",
];

/**
 * Builds the exec lane's gate from `snapshot` with `overrides` applied on top (their
 * `options` force single answers). Every dotted option name is answered generically from the
 * probed help pages and features ({@linkcode answerOption}); option values from the values the
 * help lists ({@linkcode listedValues}): `supportValue("config.approval_policy", "untrusted")`
 * is `unsupported` when the CLI's `--ask-for-approval` does not list it. Config keys no probe
 * can see answer `unknown`.
 *
 * @example Gate the exec lane
 * ```ts
 * import { gateFromSnapshot, knownSnapshot } from "@codexkit/sdk/capabilities";
 * const gate = gateFromSnapshot(knownSnapshot("0.169.0")!);
 * gate.support("exec.fork"); // "supported"
 * gate.supportValue("config.approval_policy", "untrusted"); // "unsupported"
 * ```
 */
export function gateFromSnapshot(
  snapshot: CapabilitySnapshot,
  overrides?: CapabilityOverrides,
  options: GateOptions = {},
): SnapshotGate {
  const snap = applyOverrides(snapshot, overrides);
  const forced = overrides?.options ?? {};
  const fallback = options.fallback === true;
  const who = fallback
    ? `${versionLabel(snap)} (known snapshot; probing the binary failed)`
    : versionLabel(snap);
  const explain = (option: GatedOption): GuardResult => {
    checkName(option);
    const force = forced[option];
    if (force) return { status: force, note: `${who}: ${option} forced to ${force} by overrides` };
    return answerOption(snap, option, who);
  };
  const explainValue = (option: GatedOption, value: string): GuardResult => {
    const base = explain(option);
    if (base.status !== "supported" || forced[option]) return base;
    const values = listedValues(snap, option);
    if (!values) {
      return { status: "unknown", note: `${who}: the values of ${option} are not listed` };
    }
    return values.includes(value)
      ? { status: "supported", note: `${who}: ${option} accepts "${value}"` }
      : {
        status: "unsupported",
        note: `${who}: ${option} does not accept "${value}" (accepted: ${values.join(", ")})`,
      };
  };
  return {
    version: snap.version?.semver,
    fallback,
    support: (option: GatedOption): GateAnswer => explain(option).status,
    explain,
    supportValue: (option: GatedOption, value: string): GateAnswer =>
      explainValue(option, value).status,
    explainValue,
  };
}

const NAME = /^(exec|config|app-server|command)\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function checkName(option: string): void {
  if (typeof option !== "string" || !NAME.test(option)) {
    throw new TypeError(
      `Cannot gate option ${
        JSON.stringify(option)
      }: expected a dotted name starting with exec., config., app-server. or command.`,
    );
  }
}

/**
 * The exec lane's gate, built from a snapshot: which optional flags, subcommands and config
 * keys the probed CLI takes. Pure.
 *
 * @module
 */
import type { GateAnswer, GatedOption, OptionGate } from "../src/exec/gates.ts";
import { findFlag } from "./parse_help.ts";
import { guardCommand, guardFlag, versionLabel } from "./guard.ts";
import type { GuardResult } from "./guard.ts";
import { applyOverrides } from "./overrides.ts";
import type { CapabilityOverrides } from "./overrides.ts";
import type { CapabilitySnapshot } from "./types.ts";

/** An {@linkcode OptionGate} that also explains itself and checks option values. */
export interface SnapshotGate extends OptionGate {
  /** The answer with an operator-facing note. */
  explain(option: GatedOption): GuardResult;
  /**
   * Whether `value` is accepted for `option` (`"config.approval_policy"`, `"untrusted"`):
   * `unsupported` when the CLI lists its values and this is not one of them.
   */
  explainValue(option: GatedOption, value: string): GuardResult;
  /** {@linkcode SnapshotGate.explainValue}'s answer alone. */
  supportValue(option: GatedOption, value: string): GateAnswer;
}

const EXEC = "codex exec";

// Each exec option and the help page + flag that proves it.
const FLAG_OPTIONS: Partial<Record<GatedOption, [path: string, flag: string]>> = {
  "exec.json": [EXEC, "--json"],
  "exec.output-schema": [EXEC, "--output-schema"],
  "exec.add-dir": [EXEC, "--add-dir"],
  "exec.ephemeral": [EXEC, "--ephemeral"],
  "exec.image": [EXEC, "--image"],
  "exec.output-last-message": [EXEC, "-o"],
  "exec.profile": [EXEC, "--profile"],
  "exec.oss": [EXEC, "--oss"],
  "exec.local-provider": [EXEC, "--local-provider"],
  "exec.skip-git-repo-check": [EXEC, "--skip-git-repo-check"],
  "exec.sandbox": [EXEC, "--sandbox"],
  "exec.cd": [EXEC, "--cd"],
  "exec.resume.last": [`${EXEC} resume`, "--last"],
};

/**

 * Every option the gate answers, for tables and listings.
 * @example List every answer
 * ```ts ignore
 * for (const option of GATED_OPTIONS) console.log(option, gate.explain(option).note);
 * ```
 */
export const GATED_OPTIONS: readonly GatedOption[] = [
  ...(Object.keys(FLAG_OPTIONS) as GatedOption[]),
  "exec.resume",
  "exec.fork",
  "config.web_search",
  "config.approval_policy",
  "config.model_reasoning_effort",
  "config.sandbox_workspace_write.network_access",
];

/**
 * Builds the exec lane's gate from `snapshot` with `overrides` applied on top (their
 * `options` force single answers). Flags and subcommands are read from the probed help
 * pages; `config.web_search` from the top-level `--search` flag or the `web_search_*`
 * features; `config.approval_policy` from the top-level `-a` flag, whose listed values also
 * decide {@linkcode SnapshotGate.explainValue} (0.169.0 lists `on-request` and `never`: exec
 * refuses `untrusted`). Config keys no probe can see answer `unknown`.
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
): SnapshotGate {
  const snap = applyOverrides(snapshot, overrides);
  const forced = overrides?.options ?? {};
  const who = versionLabel(snap);
  const explain = (option: GatedOption): GuardResult => {
    const force = forced[option];
    if (force) return { status: force, note: `${who}: ${option} forced to ${force} by overrides` };
    return answer(snap, option, who);
  };
  return {
    version: snap.version?.semver,
    support: (option: GatedOption): GateAnswer => explain(option).status,
    explain,
    supportValue: (option: GatedOption, value: string): GateAnswer =>
      explainValue(option, value).status,
    explainValue,
  };

  function explainValue(option: GatedOption, value: string): GuardResult {
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
  }
}

function answer(snap: CapabilitySnapshot, option: GatedOption, who: string): GuardResult {
  const flag = FLAG_OPTIONS[option];
  if (flag) return guardFlag(snap, flag[0], flag[1], who);
  switch (option) {
    case "exec.resume":
      return guardCommand(snap, `${EXEC} resume`, who);
    case "exec.fork":
      return guardCommand(snap, `${EXEC} fork`, who);
    case "config.approval_policy":
      return guardFlag(snap, "codex", "--ask-for-approval", who);
    case "config.web_search": {
      const search = guardFlag(snap, "codex", "--search", who);
      if (search.status === "supported") return search;
      const row = snap.features?.find((f) => /^web_search/.test(f.name) && f.stage !== "removed");
      if (row) return { status: "supported", note: `${who}: feature ${row.name} is ${row.stage}` };
      return search;
    }
    default:
      return { status: "unknown", note: `${who}: no probe step shows whether ${option} is read` };
  }
}

function listedValues(snap: CapabilitySnapshot, option: GatedOption): string[] | undefined {
  if (option === "config.approval_policy") return findFlag(snap.commands["codex"], "-a")?.values;
  if (option === "exec.sandbox") return findFlag(snap.commands[EXEC], "-s")?.values;
  return undefined;
}

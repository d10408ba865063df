/**
 * `codexkit probe [binary]`: the capability table of a codex binary.
 *
 * @module
 */
import { GATED_OPTIONS, gateFromSnapshot, probeCapabilities } from "../../capabilities/mod.ts";
import type { CapabilitySnapshot, GuardResult } from "../../capabilities/mod.ts";
import { resolveCodexBinary } from "../binary/resolve.ts";
import type { CliIo } from "./io.ts";

/** Options of {@linkcode probe}, as parsed from the command line. */
export interface ProbeCommand {
  binary?: string;
  json: boolean;
  timeoutMs?: number;
}

/** Runs `probe`. Exit code 1 when the binary did not even tell its version. */
export async function probe(command: ProbeCommand, io: CliIo): Promise<number> {
  const binary = command.binary ?? (await resolveCodexBinary({ env: io.env })).path;
  const snapshot = await probeCapabilities(binary, { timeoutMs: command.timeoutMs });
  const gates = gateAnswers(snapshot);
  if (command.json) {
    io.out(`${JSON.stringify({ binary, snapshot, gates }, null, 2)}\n`);
  } else {
    io.out(formatCapabilityTable(binary, snapshot, gates));
  }
  return snapshot.version ? 0 : 1;
}

/** Every gated option's answer for `snapshot`. Pure. */
export function gateAnswers(snapshot: CapabilitySnapshot): Record<string, GuardResult> {
  const gate = gateFromSnapshot(snapshot);
  return Object.fromEntries(GATED_OPTIONS.map((option) => [option, gate.explain(option)]));
}

/** The human-readable capability table. Pure. */
export function formatCapabilityTable(
  binary: string,
  snapshot: CapabilitySnapshot,
  gates: Record<string, GuardResult>,
): string {
  const lines: string[] = [];
  lines.push(`binary    ${binary}`);
  lines.push(
    `version   ${
      snapshot.version ? `${snapshot.version.semver} (${snapshot.version.channel})` : "unknown"
    }`,
  );
  if (snapshot.features) {
    const byStage = new Map<string, number>();
    for (const f of snapshot.features) byStage.set(f.stage, (byStage.get(f.stage) ?? 0) + 1);
    const stages = [...byStage].map(([stage, n]) => `${stage} ${n}`).join(", ");
    const on = snapshot.features.filter((f) => f.enabled === true).length;
    lines.push(`features  ${snapshot.features.length} (${stages}); ${on} enabled`);
  } else {
    lines.push("features  unknown");
  }
  lines.push(`commands  ${Object.keys(snapshot.commands).join(", ") || "none"}`);
  lines.push(
    `gaps      ${
      snapshot.gaps.length === 0
        ? "none"
        : snapshot.gaps.map((g) => `${g.step}: ${g.reason}`).join("; ")
    }`,
  );
  lines.push("");
  const width = Math.max(...Object.keys(gates).map((k) => k.length));
  lines.push(`${"option".padEnd(width)}  ${"status".padEnd(11)}  note`);
  for (const [option, answer] of Object.entries(gates)) {
    lines.push(`${option.padEnd(width)}  ${answer.status.padEnd(11)}  ${answer.note}`);
  }
  return `${lines.join("\n")}\n`;
}

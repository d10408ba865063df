/**
 * `codexkit probe [binary]`: the capability table of a codex binary.
 *
 * @module
 */
import { access, stat } from "node:fs/promises";
import { constants } from "node:fs";
import { resolve } from "node:path";
import process from "node:process";
import { GATED_OPTIONS, gateFromSnapshot, probeCapabilities } from "../../capabilities/mod.ts";
import type { CapabilitySnapshot, GuardResult } from "../../capabilities/mod.ts";
import { resolveCodexBinary } from "../binary/resolve.ts";
import { parseOptions, UsageError } from "./args.ts";
import type { CliCommand } from "./command.ts";
import type { CliIo } from "./io.ts";
import { colorEnabled, makeStyle } from "./style.ts";
import type { Style } from "./style.ts";

/** Options of {@linkcode probe}, as parsed from the command line. */
export interface ProbeCommand {
  binary?: string;
  json: boolean;
  timeoutMs?: number;
}

/** `probe` in the command table. */
export const probeCommand: CliCommand = {
  usage: "probe [binary]",
  summary: "what a codex binary supports",
  help: `codexkit probe [binary] [options]

Probes a codex binary (default: the one the SDK would resolve) and prints what it supports:
version, features, and the options the SDK gates on.

Options:
  --json            print the capability snapshot and gate answers as JSON
  --timeout MS      time limit of each probe step (default 5000)
`,
  run: (argv, io) => probe(parseProbe(argv), io),
};

/** Parses the arguments of `probe`. Throws a UsageError. Pure. */
export function parseProbe(argv: readonly string[]): ProbeCommand {
  const { values, positionals } = parseOptions(argv, {
    json: { type: "boolean" },
    timeout: { type: "string" },
  }, "probe");
  if (positionals.length > 1) {
    throw new UsageError(`takes at most one binary, got ${positionals.length}`, "probe");
  }
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      throw new UsageError(
        `--timeout must be a positive number of milliseconds, not "${values.timeout}"`,
        "probe",
      );
    }
  }
  return { binary: positionals[0], json: values.json === true, timeoutMs };
}

/** Runs `probe`. Exit code 1 when the binary is missing or did not even tell its version. */
export async function probe(command: ProbeCommand, io: CliIo): Promise<number> {
  const binary = command.binary !== undefined
    ? resolve(command.binary)
    : (await resolveCodexBinary({ env: io.env })).path;
  // Every probe step would fail alike on a file that is not there: say it once instead.
  const missing = await notRunnable(binary);
  if (missing) {
    const style = makeStyle(colorEnabled(io.env, io.errIsTTY));
    io.err(`${style.bold(style.red("codexkit:"))} cannot probe ${binary}: ${missing}\n`);
    return 1;
  }
  const snapshot = await probeCapabilities(binary, { timeoutMs: command.timeoutMs });
  const gates = gateAnswers(snapshot);
  if (command.json) {
    io.out(`${JSON.stringify({ binary, snapshot, gates }, null, 2)}\n`);
  } else {
    io.out(
      formatCapabilityTable(binary, snapshot, gates, makeStyle(colorEnabled(io.env, io.outIsTTY))),
    );
  }
  return snapshot.version ? 0 : 1;
}

/** Why `path` cannot be run, or `undefined` when it is an executable file. */
async function notRunnable(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return "not a file";
    if (process.platform !== "win32") await access(path, constants.X_OK);
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return "no such file";
    if (code === "EACCES") return "not executable";
    return (error as Error).message;
  }
}

/** Every gated option's answer for `snapshot`. Pure. */
export function gateAnswers(snapshot: CapabilitySnapshot): Record<string, GuardResult> {
  const gate = gateFromSnapshot(snapshot);
  return Object.fromEntries(GATED_OPTIONS.map((option) => [option, gate.explain(option)]));
}

/** The human-readable capability table; `style` colours the status column. Pure. */
export function formatCapabilityTable(
  binary: string,
  snapshot: CapabilitySnapshot,
  gates: Record<string, GuardResult>,
  style: Style = makeStyle(false),
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
  // steps failing for one reason are listed once
  const byReason = new Map<string, string[]>();
  for (const g of snapshot.gaps) byReason.set(g.reason, [...byReason.get(g.reason) ?? [], g.step]);
  lines.push(`gaps      ${byReason.size === 0 ? "none" : ""}`.trimEnd());
  for (const [reason, steps] of byReason) {
    lines.push(`  - ${style.yellow(steps.join(", "))}: ${reason}`);
  }
  lines.push("");
  const width = Math.max(...Object.keys(gates).map((k) => k.length));
  lines.push(style.bold(`${"option".padEnd(width)}  ${"status".padEnd(11)}  note`));
  const paint = { supported: style.green, unsupported: style.red, unknown: style.yellow };
  for (const [option, answer] of Object.entries(gates)) {
    const status = paint[answer.status](answer.status.padEnd(11));
    lines.push(`${option.padEnd(width)}  ${status}  ${answer.note}`);
  }
  return `${lines.join("\n")}\n`;
}

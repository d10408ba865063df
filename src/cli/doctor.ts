/**
 * `codexkit doctor`: which codex the SDK finds and how, its version, login status, and the
 * capabilities it lacks.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { GATED_OPTIONS, gateFromSnapshot, probeCapabilities } from "../../capabilities/mod.ts";
import { bundleSource } from "../../bundles/mod.ts";
import { resolveCodexBinary } from "../binary/resolve.ts";
import type { ResolvedBinary } from "../binary/resolve.ts";
import { CodexError } from "../errors.ts";
import { authStatus } from "../home/auth.ts";
import type { AuthStatus } from "../home/auth.ts";
import type { CliIo } from "./io.ts";

/** Options of {@linkcode doctor}, as parsed from the command line. */
export interface DoctorCommand {
  binary?: string;
  bundleRoot?: string;
  bundleVersion?: string;
  json: boolean;
}

/** What `codex login status` said, without any part of a key. */
export interface LoginStatus {
  state: "logged-out" | "api-key" | "chatgpt" | "logged-in" | "unknown";
  /** One line for the report. */
  summary: string;
}

/** The doctor's findings. */
export interface DoctorReport {
  binary: { path: string; via: string; pathDirs: string[] } | { error: string };
  version: string | null;
  auth: LoginStatus & { codexHome: string };
  /** Probe steps that failed and gated options the CLI does not support. */
  gaps: string[];
  /** Gated options no probe step can decide. */
  unknown: string[];
}

const LOGIN_TIMEOUT_MS = 10_000;

/** Runs `doctor`. Exit code 1 when no usable binary was found. */
export async function doctor(command: DoctorCommand, io: CliIo): Promise<number> {
  const codexHome = io.env.CODEX_HOME ?? join(homedir(), ".codex");
  let resolved: ResolvedBinary;
  try {
    resolved = await resolveCodexBinary({
      override: command.binary,
      bundle: command.bundleRoot !== undefined
        ? bundleSource({ root: command.bundleRoot, version: command.bundleVersion as string })
        : undefined,
      env: io.env,
    });
  } catch (error) {
    if (!(error instanceof CodexError) && !(error instanceof TypeError)) throw error;
    const report: DoctorReport = {
      binary: { error: error.message },
      version: null,
      auth: { state: "unknown", summary: "not checked (no binary)", codexHome },
      gaps: [],
      unknown: [],
    };
    io.out(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
    return 1;
  }
  const [snapshot, auth] = await Promise.all([
    probeCapabilities(resolved.path),
    loginStatus(resolved, io.env, codexHome),
  ]);
  const gate = gateFromSnapshot(snapshot);
  const answers = GATED_OPTIONS.map((option) => [option, gate.explain(option)] as const);
  const gaps = [
    ...snapshot.gaps.map((g) => `probe ${g.step}: ${g.reason}`),
    ...answers.filter(([, a]) => a.status === "unsupported").map(([o, a]) => `${o}: ${a.note}`),
  ];
  const unknown = answers.filter(([, a]) => a.status === "unknown").map(([o]) => o);
  const report: DoctorReport = {
    binary: { path: resolved.path, via: resolved.source, pathDirs: resolved.pathDirs },
    version: snapshot.version?.semver ?? null,
    auth: { ...auth, codexHome },
    gaps,
    unknown,
  };
  io.out(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
  return snapshot.version ? 0 : 1;
}

/**
 * The report line for a login status (the reading itself is `parseAuthStatus` of the homes
 * layer); no part of a key reaches it. Pure.
 */
export function summarizeAuth(status: AuthStatus): LoginStatus {
  switch (status.kind) {
    case "logged_out":
      return { state: "logged-out", summary: "not logged in" };
    case "api_key":
      return { state: "api-key", summary: "API key configured" };
    case "chatgpt":
      return {
        state: "chatgpt",
        summary: status.plan ? `logged in with ChatGPT (${status.plan})` : "logged in with ChatGPT",
      };
    case "other":
      return { state: "logged-in", summary: `logged in (${status.method})` };
    case "error":
      return { state: "unknown", summary: `cannot read the login: ${status.message}` };
    case "unknown":
      return { state: "unknown", summary: `unrecognised output (exit ${status.exitCode})` };
  }
}

/** The text report. Pure. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines: string[] = [];
  if ("error" in report.binary) {
    lines.push(`binary   NOT FOUND`);
    lines.push(...report.binary.error.split("\n").map((l) => `         ${l}`));
  } else {
    lines.push(`binary   ${report.binary.path}`);
    lines.push(`via      ${report.binary.via}`);
    if (report.binary.pathDirs.length > 0) {
      lines.push(`PATH+    ${report.binary.pathDirs.join(", ")}`);
    }
  }
  lines.push(`version  ${report.version ?? "unknown"}`);
  lines.push(`auth     ${report.auth.summary} (CODEX_HOME ${report.auth.codexHome})`);
  if (report.gaps.length === 0) {
    lines.push("gaps     none");
  } else {
    lines.push(`gaps     ${report.gaps.length}`);
    for (const gap of report.gaps) lines.push(`  - ${gap}`);
  }
  if (report.unknown.length > 0) {
    lines.push(`unknown  ${report.unknown.join(", ")} (not probeable)`);
  }
  return `${lines.join("\n")}\n`;
}

async function loginStatus(
  resolved: ResolvedBinary,
  env: Record<string, string | undefined>,
  codexHome: string,
): Promise<LoginStatus> {
  // The user's own home on purpose (that is the login being reported), and never created here.
  if (!existsSync(codexHome)) {
    return { state: "logged-out", summary: "not logged in (no CODEX_HOME yet)" };
  }
  try {
    return summarizeAuth(
      await authStatus(codexHome, {
        codexPath: resolved.path,
        env,
        disable: ["plugins"],
        config: { analytics: { enabled: false } },
        signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
      }),
    );
  } catch (error) {
    return { state: "unknown", summary: `cannot run login status: ${(error as Error).message}` };
  }
}

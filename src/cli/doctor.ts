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
import { parseOptions, UsageError } from "./args.ts";
import type { CliCommand } from "./command.ts";
import type { CliIo } from "./io.ts";
import { colorEnabled, makeStyle } from "./style.ts";
import type { Style } from "./style.ts";

/** Options of {@linkcode doctor}, as parsed from the command line. */
export interface DoctorCommand {
  binary?: string;
  bundleRoot?: string;
  bundleVersion?: string;
  json: boolean;
}

/** What `codex login status` said, without any part of a key. */
export interface LoginStatus {
  /** The `kind` of the library's {@linkcode AuthStatus}, spelled the same. */
  state: AuthStatus["kind"];
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

/** `doctor` in the command table. */
export const doctorCommand: CliCommand = {
  usage: "doctor",
  summary: "which codex the SDK finds, its login and gaps",
  help: `codexkit doctor [options]

Reports which codex binary the SDK finds and through which step, its version, the login
status of CODEX_HOME (the key itself is never printed), and the capabilities it lacks.
In --json, auth.state is spelled as the library's authStatus() kind: logged_out, api_key,
chatgpt, other, error or unknown.

Options:
  --binary PATH     check this binary instead of resolving one
  --bundle DIR      resolve from a pinned bundle (needs --version)
  --version V       the bundle version to resolve
  --json            print the report as JSON
`,
  run: (argv, io) => doctor(parseDoctor(argv), io),
};

/** Parses the arguments of `doctor`. Throws a UsageError. Pure. */
export function parseDoctor(argv: readonly string[]): DoctorCommand {
  const { values, positionals } = parseOptions(argv, {
    binary: { type: "string" },
    bundle: { type: "string" },
    version: { type: "string" },
    json: { type: "boolean" },
  }, "doctor");
  if (positionals.length > 0) {
    throw new UsageError(`takes no arguments, got "${positionals[0]}"`, "doctor");
  }
  if ((values.bundle === undefined) !== (values.version === undefined)) {
    throw new UsageError("--bundle and --version go together", "doctor");
  }
  return {
    binary: values.binary as string | undefined,
    bundleRoot: values.bundle as string | undefined,
    bundleVersion: values.version as string | undefined,
    json: values.json === true,
  };
}

/** Runs `doctor`. Exit code 1 when no usable binary was found. */
export async function doctor(command: DoctorCommand, io: CliIo): Promise<number> {
  const style = makeStyle(colorEnabled(io.env, io.outIsTTY));
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
    io.out(
      command.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report, style),
    );
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
  io.out(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report, style));
  return snapshot.version ? 0 : 1;
}

/**
 * The report line for a login status (the reading itself is `parseAuthStatus` of the homes
 * layer); no part of a key reaches it. Pure.
 */
export function summarizeAuth(status: AuthStatus): LoginStatus {
  switch (status.kind) {
    case "logged_out":
      return { state: "logged_out", summary: "not logged in" };
    case "api_key":
      return { state: "api_key", summary: "API key configured" };
    case "chatgpt":
      return {
        state: "chatgpt",
        summary: status.plan ? `logged in with ChatGPT (${status.plan})` : "logged in with ChatGPT",
      };
    case "other":
      return { state: "other", summary: `logged in (${status.method})` };
    case "error":
      return { state: "error", summary: `cannot read the login: ${status.message}` };
    case "unknown":
      return { state: "unknown", summary: `unrecognised output (exit ${status.exitCode})` };
  }
}

/** The text report; `style` colours what is missing. Pure. */
export function formatDoctorReport(report: DoctorReport, style: Style = makeStyle(false)): string {
  const lines: string[] = [];
  if ("error" in report.binary) {
    lines.push(`binary   ${style.red("NOT FOUND")}`);
    lines.push(...report.binary.error.split("\n").map((l) => `         ${l}`));
  } else {
    lines.push(`binary   ${report.binary.path}`);
    lines.push(`via      ${report.binary.via}`);
    if (report.binary.pathDirs.length > 0) {
      lines.push(`PATH+    ${report.binary.pathDirs.join(", ")}`);
    }
  }
  lines.push(`version  ${report.version ?? style.yellow("unknown")}`);
  lines.push(`auth     ${report.auth.summary} (CODEX_HOME ${report.auth.codexHome})`);
  if (report.gaps.length === 0) {
    lines.push("gaps     none");
  } else {
    lines.push(`gaps     ${style.yellow(String(report.gaps.length))}`);
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
    return { state: "logged_out", summary: "not logged in (no CODEX_HOME yet)" };
  }
  try {
    return summarizeAuth(
      await authStatus(codexHome, {
        codexPathOverride: resolved.path,
        env,
        disable: ["plugins"],
        config: { analytics: { enabled: false } },
        signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
      }),
    );
  } catch (error) {
    return { state: "error", summary: `cannot run login status: ${(error as Error).message}` };
  }
}

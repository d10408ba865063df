/**
 * Runs one short codex command against a CODEX_HOME to its end (the process stages'
 * `runToEnd`): CODEX_HOME goes into the child's environment only, output is collected (bounded)
 * and secrets are redacted before any text leaves this file.
 *
 * @module
 */
import process from "node:process";
import { resolveCodexBinary } from "../binary/resolve.ts";
import { buildExecEnv, codexGlobalArgs } from "../exec/args.ts";
import { runToEnd } from "../process/run_to_end.ts";
import { spawnerFor } from "../process/spawner.ts";
import { stopError } from "../process/stop_error.ts";
import type { Spawner } from "../runtime/mod.ts";
import type { CodexConfigObject } from "../options.ts";
import { redactText } from "../redact.ts";
import { storedSecrets } from "./auth_file.ts";
import { ensureCodexHome } from "./layout.ts";

/** Options every auth command takes. */
export interface CodexCliOptions {
  /** The codex binary (default: the SDK's resolution chain: `CODEX_PATH`, npm package, PATH). */
  codexPathOverride?: string;
  /**
   * The child's base environment (default: this process's). `CODEX_HOME` is always replaced
   * by the home passed in; nothing is written back to this process's environment.
   */
  env?: Record<string, string | undefined>;
  /** Config overrides, passed as `--config key=<TOML literal>` (e.g. `{ analytics: { enabled: false } }`). */
  config?: Record<string, unknown>;
  /** Features to turn off (`--disable <name>`), e.g. `["plugins"]`. */
  disable?: readonly string[];
  /** Cancels the command; the child (and its process group) is ended. */
  signal?: AbortSignal;
}

/** What a finished command gave back, secrets already removed. */
export interface CliResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** The command line, for errors. */
  command: string[];
}

/** Per-run settings of {@linkcode runCodexCli}. */
export interface CliRun {
  /** Text written to stdin, which is then closed; stdin is closed at once without it. */
  stdin?: string;
  /** Strings that must never leave, besides those in the home's auth.json: redacted. */
  secrets?: readonly string[];
  /** Called with the (redacted) text of both streams so far, each time either grows. */
  onOutput?: (stdout: string, stderr: string) => void;
  /** Spawns the child (default: the runtime's adapter). */
  spawner?: Spawner;
}

// Characters kept of each stream (the end: where codex says what happened).
const OUTPUT_LIMIT = 64 * 1024;

/** Builds `<sub...> [-c k=v ...] [--disable f ...] <rest...>`; pure. */
export function cliArgs(
  subcommand: readonly string[],
  options: Pick<CodexCliOptions, "config" | "disable">,
  rest: readonly string[],
): string[] {
  for (const feature of options.disable ?? []) {
    if (typeof feature !== "string" || !/^[A-Za-z0-9_.-]+$/.test(feature)) {
      throw new TypeError("Cannot run codex: options.disable must list feature names");
    }
  }
  // The values are checked as TOML literals where they are encoded.
  const config = options.config as CodexConfigObject | undefined;
  return [...subcommand, ...codexGlobalArgs({ config, disable: options.disable }), ...rest];
}

/** Runs `codex <args>` with `CODEX_HOME=home` in the child's environment only. */
export async function runCodexCli(
  home: string,
  args: readonly string[],
  options: CodexCliOptions,
  run: CliRun = {},
): Promise<CliResult> {
  const subject = `codex ${args.join(" ")}`;
  if (options.signal?.aborted) {
    throw stopError({ kind: "abort", reason: options.signal.reason }, { subject });
  }
  const codexHome = await ensureCodexHome(home);
  // Whatever credentials the home already holds are secrets too, whatever the command.
  const secrets = [...(run.secrets ?? []), ...await storedSecrets(codexHome)];
  const baseEnv = options.env ?? process.env;
  const binary = await resolveCodexBinary({ override: options.codexPathOverride, env: baseEnv });
  const env = buildExecEnv({ base: baseEnv, codexHome, pathDirs: binary.pathDirs });
  const command = [binary.path, ...args];
  // Only the kept tail is scrubbed; a secret cut at its start is removed too.
  const clean = (text: string) =>
    redactText(text, secrets, { cutStart: text.length >= OUTPUT_LIMIT });
  const onOutput = run.onOutput;
  const result = await runToEnd(binary.path, args, {
    spawner: spawnerFor(run),
    env,
    stdin: run.stdin,
    signal: options.signal,
    killGraceMs: 500,
    tailChars: OUTPUT_LIMIT,
    // A throwing output callback ends the command at once, and the call rejects with it.
    onOutput: onOutput && ((stdout, stderr) => onOutput(clean(stdout), clean(stderr))),
  });
  const stdout = clean(result.stdout);
  const stderr = clean(result.stderr);
  if (result.stopped) {
    throw stopError(result.stopped, { subject, command, stderrTail: stderr, secrets });
  }
  return { code: result.exitCode, signal: result.signal, stdout, stderr, command };
}

/**
 * Runs one short codex command against a CODEX_HOME through the runtime seam: CODEX_HOME goes
 * into the child's environment only, output is collected (bounded) and secrets are redacted
 * before any text leaves this file.
 *
 * @module
 */
import process from "node:process";
import { resolveCodexBinary } from "../binary/resolve.ts";
import { flattenConfig } from "../config/toml_literal.ts";
import { buildExecEnv } from "../exec/args.ts";
import { AbortError } from "../errors.ts";
import { getSpawner, terminate, writeStdin } from "../runtime/mod.ts";
import { redactText } from "../redact.ts";
import { storedSecrets } from "./auth_file.ts";
import { ensureCodexHome } from "./layout.ts";

/** Options every auth command takes. */
export interface CodexCliOptions {
  /** The codex binary (default: the SDK's resolution chain: `CODEX_PATH`, npm package, PATH). */
  codexPath?: string;
  /**
   * The child's base environment (default: this process's). `CODEX_HOME` is always replaced
   * by the home passed in; nothing is written back to this process's environment.
   */
  env?: Record<string, string | undefined>;
  /** Config overrides, passed as `-c key=<TOML literal>` (e.g. `{ analytics: { enabled: false } }`). */
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
}

const OUTPUT_LIMIT = 64 * 1024;
const OUTPUT_DRAIN_MS = 200;

/** Builds `<sub...> [-c k=v ...] [--disable f ...] <rest...>`; pure. */
export function cliArgs(
  subcommand: readonly string[],
  options: Pick<CodexCliOptions, "config" | "disable">,
  rest: readonly string[],
): string[] {
  const args = [...subcommand];
  for (const pair of flattenConfig(options.config ?? {})) args.push("-c", pair);
  for (const feature of options.disable ?? []) {
    if (typeof feature !== "string" || !/^[A-Za-z0-9_.-]+$/.test(feature)) {
      throw new TypeError("Cannot run codex: options.disable must list feature names");
    }
    args.push("--disable", feature);
  }
  return [...args, ...rest];
}

/** Runs `codex <args>` with `CODEX_HOME=home` in the child's environment only. */
export async function runCodexCli(
  home: string,
  args: readonly string[],
  options: CodexCliOptions,
  run: CliRun = {},
): Promise<CliResult> {
  if (options.signal?.aborted) throw abortError(args, options.signal);
  const codexHome = await ensureCodexHome(home);
  // Whatever credentials the home already holds are secrets too, whatever the command.
  const secrets = [...(run.secrets ?? []), ...await storedSecrets(codexHome)];
  const baseEnv = options.env ?? process.env;
  const binary = await resolveCodexBinary({ override: options.codexPath, env: baseEnv });
  const env = buildExecEnv({ base: baseEnv, codexHome, pathDirs: binary.pathDirs });
  const command = [binary.path, ...args];
  const child = await getSpawner().spawn(binary.path, args, {
    env,
    stdin: run.stdin === undefined ? "null" : "piped",
  });
  let stdout = "";
  let stderr = "";
  const report = () => run.onOutput?.(stdout, stderr);
  const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
  const onAbort = () => void terminate(child, 500);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const feed = writeStdin(child, run.stdin);
    const outputs = Promise.all([
      collect(child.stdout, readers, (text) => {
        stdout = bounded(redactText(stdout + text, secrets));
        report();
      }),
      collect(child.stderr, readers, (text) => {
        stderr = bounded(redactText(stderr + text, secrets));
        report();
      }),
    ]);
    let failed: { error: unknown } | undefined;
    outputs.catch((error) => failed ??= { error });
    // A throwing output callback ends the command at once.
    const status = await Promise.race([child.exited, outputs.then(() => child.exited)]);
    // The command ends when codex exits: a background process holding its pipes gets a short
    // drain, then the pipes are let go (and `terminate` below ends the process).
    await within(Promise.all([outputs, feed]), OUTPUT_DRAIN_MS);
    if (failed) throw failed.error;
    if (options.signal?.aborted) throw abortError(args, options.signal);
    return { code: status.code, signal: status.signal, stdout, stderr, command };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    // Every exit path (a throwing callback included) leaves no process behind.
    await terminate(child, 500);
    for (const reader of readers) await reader.cancel().catch(() => {});
  }
}

function abortError(args: readonly string[], signal: AbortSignal): AbortError {
  return new AbortError(`codex ${args.join(" ")} was cancelled`, { cause: signal.reason });
}

async function collect(
  stream: ReadableStream<Uint8Array>,
  readers: ReadableStreamDefaultReader<Uint8Array>[],
  onText: (text: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  readers.push(reader);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      if (text) onText(text);
    }
    const rest = decoder.decode();
    if (rest) onText(rest);
  } finally {
    reader.releaseLock();
  }
}

/** Waits for `promise` at most `ms` (never rejects). */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    promise.catch(() => {}),
    new Promise((resolve) => timer = setTimeout(resolve, ms)),
  ]);
  clearTimeout(timer);
}

function bounded(text: string): string {
  return text.length > OUTPUT_LIMIT ? text.slice(-OUTPUT_LIMIT) : text;
}

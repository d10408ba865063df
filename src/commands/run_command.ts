/**
 * One runner for one-shot codex commands: the same binary resolution, home, environment,
 * redaction, timeouts, process-group stop and typed errors as a turn, for any subcommand.
 *
 * @module
 */
import { CodexError } from "../errors.ts";
import type { ExitError } from "../errors.ts";
import { runToEnd } from "../process/run_to_end.ts";
import { exitError as exitErrorOf, stopError } from "../process/stop_error.ts";
import { redactText } from "../redact.ts";
import { COMMAND_OPTIONS, prepareCommand } from "./_prepare.ts";
import {
  boolean,
  type Check,
  checkOptions,
  looseObject,
  number,
  optional,
  string,
} from "../options/_check.ts";
import type { CodexCommandOptions, PreparedCommand } from "./_prepare.ts";
import { mirrorCheck } from "../options/schema.ts";
import { outputMirror } from "../process/mirror.ts";

export type { CodexCommandOptions } from "./_prepare.ts";

/** Options of {@linkcode runCodexCommand}. */
export interface RunCommandOptions extends CodexCommandOptions {
  /** Text written to the child's stdin, which is then closed (closed at once without it). */
  stdin?: string;
  /** Throw an `ExitError` when the command exits non-zero (default `false`). */
  check?: boolean;
  /**
   * Most bytes kept per output stream (default 16 MiB). A command that prints more is stopped
   * and the call rejects: a cut-off output would parse into wrong data.
   */
  maxOutputBytes?: number;
  /**
   * Copies the command's stderr (`true`), or the streams named, to this process's own as they
   * come, known secrets scrubbed; the result still holds them. Off by default.
   */
  mirror?: boolean | { stderr?: boolean; stdout?: boolean };
}

/** What a finished command gave back, secrets already removed. */
export interface CommandResult {
  /** Exit code, or `null` when a signal ended it. */
  exitCode: number | null;
  /** The signal that ended it, or `null`. */
  signal: string | null;
  /** Everything it printed on stdout. */
  stdout: string;
  /** Everything it printed on stderr. */
  stderr: string;
  /** Wall time from spawn to exit, in ms. */
  durationMs: number;
  /** The command line that ran (redacted). */
  command: string[];
}

/**
 * Runs `codex [-c k=v ...] [--enable f] [--disable f] <args...>` and collects its output.
 * The first word of `args` is gated as `command.<word>` (see `capabilities`). Resolves even
 * on a non-zero exit unless `check` is set; rejects with `TimeoutError`, `AbortError`,
 * `SpawnError`, `BinaryNotFoundError` or `UnsupportedError`. Secrets (the API key, `secrets`)
 * never reach argv, output or errors.
 *
 * @example Any subcommand
 * ```ts ignore
 * import { runCodexCommand } from "@codexkit/sdk/commands";
 * const { exitCode, stdout } = await runCodexCommand(["features", "list"], {
 *   codexHome: "/tmp/codex-home",
 *   disable: ["plugins"],
 *   config: { analytics: { enabled: false } },
 * });
 * ```
 */
export async function runCodexCommand(
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) {
    throw new TypeError("Cannot run codex: args must be an array of strings");
  }
  checkRunOptions(options);
  const sub = args.length > 0 && !args[0].startsWith("-") ? [args[0]] : [];
  if (options.signal?.aborted) throw aborted(["codex", ...args], options.signal.reason);
  const prepared = await prepareCommand(sub, args, options);
  return await runPrepared(prepared, options);
}

const runOptionsSchema = looseObject(
  {
    ...COMMAND_OPTIONS,
    stdin: optional(string("expected a string")),
    check: optional(boolean("expected true or false")),
    maxOutputBytes: optional(
      number((n) => Number.isInteger(n) && n > 0, "expected a positive integer number of bytes"),
    ),
    mirror: mirrorCheck(true),
  } satisfies { readonly [K in keyof Required<RunCommandOptions>]: Check },
  "expected an object",
);

/** Checks the options of a run; a TypeError names the option path. */
export function checkRunOptions(options: RunCommandOptions, where = "options"): void {
  checkOptions(runOptionsSchema, options, where, `${where}.`);
}

/** Spawns a prepared command and collects its output under every limit. */
export async function runPrepared(
  prepared: PreparedCommand,
  options: RunCommandOptions,
): Promise<CommandResult> {
  const { secrets, display } = prepared;
  const subject = `codex ${commandWords(display)}`;
  if (options.signal?.aborted) throw aborted(display, options.signal.reason);
  const mirror = outputMirror(options.mirror, secrets);
  const result = await runToEnd(prepared.binary.path, prepared.args, {
    spawner: prepared.spawner,
    cwd: options.cwd,
    env: prepared.env,
    stdin: options.stdin,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    killGraceMs: options.killGraceMs,
    maxOutputBytes: options.maxOutputBytes,
    onOutput: mirror,
  });
  mirror?.(result.stdout, result.stderr, true);
  const clean = (text: string) => redactText(text, secrets);
  const done: CommandResult = {
    exitCode: result.exitCode,
    signal: result.signal,
    stdout: clean(result.stdout),
    stderr: clean(result.stderr),
    durationMs: result.durationMs,
    command: display,
  };
  if (result.stopped) {
    throw stopError(result.stopped, {
      subject,
      command: display,
      stderrTail: done.stderr,
      secrets,
    });
  }
  if (options.check && (done.exitCode !== 0 || done.signal !== null)) throw exitError(done);
  return done;
}

/** The `ExitError` of a finished command, with its stderr tail. */
export function exitError(result: CommandResult): ExitError {
  return exitErrorOf({ code: result.exitCode, signal: result.signal }, {
    subject: `codex ${commandWords(result.command)}`,
    command: result.command,
    stderrTail: result.stderr,
  });
}

function aborted(command: readonly string[], reason: unknown): CodexError {
  return stopError({ kind: "abort", reason }, {
    subject: `codex ${commandWords(command)}`,
    command,
  });
}

/**
 * Runs `codex <args>` after gating the subcommand named by `words` (e.g. `["mcp"]`). For the
 * typed wrappers; options are checked here, at their door.
 */
export async function runSubcommand(
  words: readonly string[],
  args: readonly string[],
  options: RunCommandOptions,
): Promise<CommandResult> {
  checkRunOptions(options);
  if (options.signal?.aborted) throw aborted(["codex", ...args], options.signal.reason);
  const prepared = await prepareCommand(words, args, options);
  return await runPrepared(prepared, options);
}

/** Parses a command's JSON output; a parse failure names the command and quotes the start. */
export function parseJsonOutput(result: CommandResult): unknown {
  try {
    return JSON.parse(result.stdout);
  } catch (error) {
    const words = commandWords(result.command, 3);
    throw new CodexError(
      `codex ${words} printed output that is not JSON: ${
        JSON.stringify(result.stdout.slice(0, 200))
      }`,
      { cause: error, command: result.command, stderrTail: result.stderr },
    );
  }
}

const GLOBAL_WITH_VALUE = new Set(["-c", "--config", "--enable", "--disable"]);

/** The first `count` words of the subcommand in a command line, past the global flags. */
export function commandWords(command: readonly string[], count = 2): string {
  const rest = command.slice(1);
  let at = 0;
  while (at < rest.length && GLOBAL_WITH_VALUE.has(rest[at])) at += 2;
  return rest.slice(at, at + count).join(" ");
}

/**
 * Dispatches a `codexkit` command line through the command table. Errors become one-line
 * messages and exit codes: 2 for usage and bad options, 1 for everything else.
 *
 * @module
 */
import { CodexError } from "../errors.ts";
import { UsageError } from "./args.ts";
import { bundleCommand } from "./bundle_add.ts";
import type { CliCommand } from "./command.ts";
import { doctorCommand } from "./doctor.ts";
import { driftCommand } from "./drift_command.ts";
import { overviewText } from "./help.ts";
import type { CliIo } from "./io.ts";
import { probeCommand } from "./probe.ts";
import { colorEnabled, makeStyle } from "./style.ts";
import { CODEXKIT_VERSION } from "./version.ts";

/** Every command, by the name typed after `codexkit`; the overview lists them in this order. */
export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  bundle: bundleCommand,
  probe: probeCommand,
  doctor: doctorCommand,
  drift: driftCommand,
};

/** Runs one command line; resolves with the exit code. Never rejects. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const style = makeStyle(colorEnabled(io.env, io.errIsTTY));
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const prefix = style.bold(style.red("codexkit:"));
    if (error instanceof UsageError) {
      const where = error.command === undefined ? "codexkit" : `codexkit ${error.command}`;
      io.err(`${prefix} ${error.message}\n${style.dim(`Run "${where} --help" for usage.`)}\n`);
      return 2;
    }
    if (error instanceof TypeError) {
      io.err(`${prefix} ${error.message}\n`);
      return 2;
    }
    if (error instanceof CodexError) {
      io.err(`${prefix} ${error.name}: ${withCauses(error)}\n`);
      return 1;
    }
    io.err(`${prefix} unexpected failure: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h") {
    io.out(overviewText(COMMANDS));
    return 0;
  }
  if (first === "--version" || first === "-V") {
    io.out(`codexkit ${CODEXKIT_VERSION}\n`);
    return 0;
  }
  if (first === "help") {
    if (rest.length === 0) {
      io.out(overviewText(COMMANDS));
      return 0;
    }
    io.out(lookup(rest[0], "no help for").help);
    return 0;
  }
  const command = lookup(first, "unknown command");
  // `--help` anywhere before `--` asks for the page, whatever else is on the line
  const own = rest.indexOf("--") === -1 ? rest : rest.slice(0, rest.indexOf("--"));
  if (own.includes("--help") || own.includes("-h")) {
    io.out(command.help);
    return 0;
  }
  return await command.run(rest, io);
}

function lookup(name: string, what: string): CliCommand {
  if (Object.hasOwn(COMMANDS, name)) return COMMANDS[name];
  if (name.startsWith("-")) throw new UsageError(`unknown option ${name}`);
  const near = Object.keys(COMMANDS).find((known) => editDistance(known, name) <= 2);
  const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
  throw new UsageError(`${what} "${name}"${hint}`);
}

/**
 * The message followed by the messages of its causes that it does not already contain, so a
 * "Cannot reach the registry" says why (`connect ECONNREFUSED 127.0.0.1:9`). Credentials in
 * URLs are masked.
 */
export function withCauses(error: Error): string {
  const mask = (text: string) => text.replace(/\/\/[^/@\s]+@/g, "//***@");
  let text = mask(error.message);
  let cause = error.cause;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    const own = mask(cause.message.trim());
    if (own && !text.includes(own)) text += `: ${own}`;
    cause = cause.cause;
  }
  return text;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

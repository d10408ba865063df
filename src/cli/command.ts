/**
 * The shape of one `codexkit` command. `run.ts` lists them in one table; adding a command is a
 * file exporting one of these and a line in that table.
 *
 * @module
 */
import type { CliIo } from "./io.ts";

/** One top-level command of `codexkit`. */
export interface CliCommand {
  /** Its synopsis without options or the leading `codexkit` (`probe [binary]`). */
  usage: string;
  /** What it does, one short line for the overview. */
  summary: string;
  /** Its page for `codexkit help <name>` and `--help`. */
  help: string;
  /**
   * Runs it with the arguments after its name; resolves with the exit code. Throws a
   * UsageError for a bad command line and a TypeError for a bad option value.
   */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/**
 * Dispatches a `codexkit` command line. Errors become one-line messages and exit codes:
 * 2 for usage and bad options, 1 for everything else.
 *
 * @module
 */
import { CodexError } from "../errors.ts";
import { parseCliArgs, UsageError } from "./args.ts";
import { bundleAdd } from "./bundle_add.ts";
import { doctor } from "./doctor.ts";
import { helpText } from "./help.ts";
import type { CliIo } from "./io.ts";
import { probe } from "./probe.ts";

/** Runs one command line; resolves with the exit code. Never rejects. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseCliArgs(argv);
    switch (command.command) {
      case "help":
        io.out(helpText(command.topic));
        return 0;
      case "bundle-add":
        return await bundleAdd(command, io);
      case "probe":
        return await probe(command, io);
      case "doctor":
        return await doctor(command, io);
      case "drift":
        return await (await import("./drift.ts")).drift(command, io);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`codexkit: ${error.message}\n\n${helpText()}`);
      return 2;
    }
    if (error instanceof TypeError) {
      io.err(`codexkit: ${error.message}\n`);
      return 2;
    }
    if (error instanceof CodexError) {
      io.err(`codexkit: ${error.name}: ${error.message}\n`);
      return 1;
    }
    io.err(`codexkit: unexpected failure: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

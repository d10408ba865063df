/**
 * `drift` in the command table. The report itself lives in `drift.ts`, loaded only when the
 * command runs: it pulls in the recorded snapshots of every known release.
 *
 * @module
 */
import { parseOptions, UsageError } from "./args.ts";
import type { CliCommand } from "./command.ts";
import type { DriftCommand } from "./drift.ts";

/** `drift` in the command table. */
export const driftCommand: CliCommand = {
  usage: "drift <from> <to> | --installed",
  summary: "what changed between two codex releases",
  help: `codexkit drift <from> <to> [options]
codexkit drift --installed [options]

Reports what changed between two codex releases: flags per help page, subcommands, features,
and the app-server's methods, notifications and params fields. <from> and <to> are versions
(0.163.0) or paths to binaries. A version the SDK has a recorded snapshot of is read from it;
any other is fetched from the npm registry into a cache (about 170 MB each) and probed.
--installed compares the newest recorded snapshot with the codex the SDK resolves.

Options:
  --fetch           fetch and probe versions even when a recorded snapshot exists
  --registry URL    npm registry to fetch from instead of npm's configuration
  --cache DIR       where fetched releases are kept (default: the OS cache dir)
  --json            print the report as JSON
`,
  run: async (argv, io) => (await import("./drift.ts")).drift(parseDrift(argv), io),
};

/** Parses the arguments of `drift`. Throws a UsageError. Pure. */
export function parseDrift(argv: readonly string[]): DriftCommand {
  const { values, positionals } = parseOptions(argv, {
    installed: { type: "boolean" },
    fetch: { type: "boolean" },
    json: { type: "boolean" },
    registry: { type: "string" },
    cache: { type: "string" },
  }, "drift");
  const installed = values.installed === true;
  if (installed ? positionals.length !== 0 : positionals.length !== 2) {
    throw new UsageError("drift takes two versions (or binaries), or --installed alone", "drift");
  }
  return {
    from: positionals[0],
    to: positionals[1],
    installed,
    fetch: values.fetch === true,
    json: values.json === true,
    registry: values.registry as string | undefined,
    cacheDir: values.cache as string | undefined,
  };
}

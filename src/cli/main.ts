#!/usr/bin/env node
/**
 * `codexkit` command line: `bundle add`, `probe`, `doctor`. Runs unchanged on Deno, Bun and
 * Node 24:
 *
 * ```sh
 * deno run -A src/cli/main.ts bundle add 0.169.0 --root ./codex-bundle
 * bun src/cli/main.ts probe --json
 * node src/cli/main.ts doctor
 * ```
 *
 * @module
 */
import process from "node:process";
import { runCli } from "./run.ts";

// The entry is the one place that reads argv and writes the process's own streams.
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  env: process.env,
});

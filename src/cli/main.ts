#!/usr/bin/env node
/**
 * `codexkit` command line: `bundle add`, `probe`, `doctor`. Runs unchanged on Deno, Bun and
 * Node 24:
 *
 * ```sh
 * codexkit --help                                  # the npm package's bin
 * deno run -A jsr:@codexkit/sdk/cli bundle add latest
 * bun src/cli/main.ts probe --json
 * node src/cli/main.ts doctor
 * ```
 *
 * @module
 */
import process from "node:process";
import { runCli } from "./dispatch.ts";

// The entry is the one place that reads argv and writes the process's own streams.
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  env: process.env,
  outIsTTY: process.stdout.isTTY === true,
  errIsTTY: process.stderr.isTTY === true,
  columns: process.stderr.columns,
});

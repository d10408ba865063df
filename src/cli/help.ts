/**
 * The overview page of `codexkit`, built from the command table so it never lists a command
 * that does not exist. Pure.
 *
 * @module
 */
import type { CliCommand } from "./command.ts";

/** The text of `codexkit --help`. */
export function overviewText(commands: Readonly<Record<string, CliCommand>>): string {
  const rows: [string, string][] = [
    ...Object.values(commands).map((c) => [c.usage, c.summary] as [string, string]),
    ["help <command>", "the page of one command, with its options"],
  ];
  const width = Math.max(...rows.map(([usage]) => usage.length));
  return `codexkit: tools for apps that drive the codex CLI

Usage: codexkit <command> [options]

Commands:
${rows.map(([usage, summary]) => `  ${usage.padEnd(width)}  ${summary}`).join("\n")}

Options:
  --help, -h     this page (after a command: that command's page)
  --version, -V  the version of codexkit

On Deno: deno run -A jsr:@codexkit/sdk/cli <command>. Colour only on a terminal; NO_COLOR=1
turns it off.
`;
}

/**
 * Parser for clap-style help pages (`codex exec --help`). Pure and forgiving: it reads what it
 * recognises and ignores the rest, so a reworded description never breaks it.
 *
 * @module
 */
import type { CommandInfo, Flag, Subcommand } from "./types.ts";

/** A parsed help page. */
export interface HelpParse extends CommandInfo {
  /** The command path from the first `Usage:` line (`["codex", "exec", "resume"]`). */
  usagePath: string[];
}

type Section = "none" | "commands" | "options" | "other";

/**
 * Parses a help page (long `--help` or short `-h` form): the usage path, the options with
 * their short aliases, value placeholders and listed values, and the subcommands with aliases.
 *
 * @example Parse a help page
 * ```ts
 * import { parseHelp } from "@codexkit/sdk/capabilities";
 * parseHelp("Usage: codex exec [OPTIONS]\n\nOptions:\n      --json\n").flags[0].long; // "--json"
 * ```
 */
export function parseHelp(text: string): HelpParse {
  const lines = text.split(/\r?\n/);
  const flags: Flag[] = [];
  const subcommands: Subcommand[] = [];
  let usagePath: string[] = [];
  let section: Section = "none";
  let current: Flag | undefined;
  let lastCommand: Subcommand | undefined;
  let inPossibleValues = false;

  for (const line of lines) {
    const usage = /^Usage:\s+(.*)$/.exec(line);
    if (usage) {
      if (usagePath.length === 0) usagePath = commandWords(usage[1]);
      section = "other";
      continue;
    }
    const heading = /^([A-Z][A-Za-z ]*):\s*$/.exec(line);
    if (heading) {
      const title = heading[1].toLowerCase();
      section = title === "commands" ? "commands" : title === "options" ? "options" : "other";
      current = undefined;
      continue;
    }
    if (section === "commands") {
      const cmd = /^ {1,4}([a-z0-9][a-z0-9-]*)(?:\s{2,}(.*))?$/.exec(line);
      if (cmd) {
        lastCommand = cmd[1] === "help" ? undefined : { name: cmd[1], aliases: [] };
        if (lastCommand) subcommands.push(lastCommand);
      }
      // A long description wraps, and the alias list may sit on the continuation line.
      const aliases = /\[aliases?: ([^\]]+)\]/.exec(line)?.[1];
      if (aliases && lastCommand) {
        lastCommand.aliases.push(...aliases.split(",").map((a) => a.trim()).filter(Boolean));
      }
      continue;
    }
    if (section !== "options") continue;
    const head = /^ {1,8}(-[^\s].*)$/.exec(line);
    if (head) {
      current = parseFlagHead(head[1].split(/\s{2,}/)[0]);
      inPossibleValues = false;
      if (current) {
        flags.push(current);
        readValues(current, head[1]);
      }
      continue;
    }
    if (!current) continue;
    if (/^\s+Possible values:\s*$/.test(line)) {
      inPossibleValues = true;
      continue;
    }
    const item = inPossibleValues ? /^\s+- ([^\s:]+)(?::|\s*$)/.exec(line) : null;
    if (item) {
      (current.values ??= []).push(item[1]);
      continue;
    }
    readValues(current, line);
  }
  return { usagePath, flags, subcommands };
}

function commandWords(usage: string): string[] {
  const words: string[] = [];
  for (const word of usage.trim().split(/\s+/)) {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(word)) break;
    words.push(word);
  }
  return words;
}

function parseFlagHead(head: string): Flag | undefined {
  const flag: Flag = { takesValue: false };
  for (const part of head.split(/,\s*/)) {
    const m = /^(--?[A-Za-z0-9?][A-Za-z0-9_-]*)(?:[ =]?(<[^>]+>|\[[^\]]+\]))?(\.\.\.)?/.exec(
      part.trim(),
    );
    if (!m) continue;
    if (m[1].startsWith("--")) flag.long = m[1];
    else flag.short = m[1];
    if (m[2]) {
      flag.takesValue = true;
      flag.valueName = m[2].slice(1, -1);
    }
    if (m[3]) flag.repeatable = true;
  }
  return flag.long || flag.short ? flag : undefined;
}

function readValues(flag: Flag, text: string): void {
  const listed = /\[possible values: ([^\]]+)\]/.exec(text);
  if (!listed) return;
  const values = listed[1].split(",").map((v) => v.trim()).filter(Boolean);
  flag.values = [...(flag.values ?? []), ...values];
}

/** Finds a flag by long (`"--json"`) or short (`"-o"`) spelling. */
export function findFlag(info: CommandInfo | undefined, spelling: string): Flag | undefined {
  return info?.flags.find((f) => f.long === spelling || f.short === spelling);
}

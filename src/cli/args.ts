/**
 * Option parsing for `codexkit` commands: argv in, values and positionals out. Pure. Our own
 * small parser, so that every mistake reads as one line of ours naming the command.
 *
 * @module
 */

/** What the command line got wrong; `command` names the help page that explains it. */
export class UsageError extends Error {
  /** The command whose usage was wrong (`"bundle add"`), or `undefined` for the top level. */
  readonly command: string | undefined;
  /** Creates the error. */
  constructor(message: string, command?: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** The options a command accepts, by long name. */
export type OptionSpec = Record<
  string,
  { type: "string" | "boolean"; multiple?: boolean; short?: string }
>;

/** Parsed options: strings, string lists (`multiple`), or `true` for booleans. */
export interface ParsedOptions {
  /** Option values by long name; absent when not given. */
  values: Record<string, string | string[] | true | undefined>;
  /** Arguments that are not options, in order. */
  positionals: string[];
}

/**
 * Parses `argv` against `spec`. Accepts `--name value`, `--name=value`, `-x` shorts and `--`
 * (everything after it is positional). Throws a UsageError naming `command` for an unknown
 * option, a missing value or a value given to a flag. Pure.
 */
export function parseOptions(
  argv: readonly string[],
  spec: OptionSpec,
  command: string,
): ParsedOptions {
  const values: ParsedOptions["values"] = {};
  const positionals: string[] = [];
  const shorts = new Map(
    Object.entries(spec).flatMap(([name, o]) => o.short ? [[o.short, name] as const] : []),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
      if (!Object.hasOwn(spec, name)) throw new UsageError(`unknown option --${name}`, command);
    } else {
      name = arg.length === 2 ? shorts.get(arg.slice(1)) : undefined;
      if (name === undefined) throw new UsageError(`unknown option ${arg}`, command);
    }
    const option = spec[name];
    if (option.type === "boolean") {
      if (inline !== undefined) {
        throw new UsageError(`option --${name} takes no value (got "${inline}")`, command);
      }
      values[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("-") && next !== "-")) {
        throw new UsageError(`option --${name} needs a value`, command);
      }
      value = next;
      i++;
    }
    if (option.multiple) {
      values[name] = [...(values[name] as string[] | undefined ?? []), value];
    } else {
      values[name] = value;
    }
  }
  return { values, positionals };
}

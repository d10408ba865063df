/**
 * Command-line parsing for `codexkit`: argv in, one command out. Pure (node:util parseArgs).
 *
 * @module
 */
import { parseArgs } from "node:util";

/** A parsed command line. */
export type CliCommand =
  | { command: "help"; topic?: string }
  | {
    command: "bundle-add";
    version: string;
    root: string;
    platforms: string[];
    registry?: string;
    json: boolean;
  }
  | { command: "probe"; binary?: string; json: boolean; timeoutMs?: number }
  | {
    command: "doctor";
    binary?: string;
    bundleRoot?: string;
    bundleVersion?: string;
    json: boolean;
  }
  | {
    command: "drift";
    from?: string;
    to?: string;
    installed: boolean;
    fetch: boolean;
    json: boolean;
    registry?: string;
    cacheDir?: string;
  };

/** What the command line got wrong, for the usage message. */
export class UsageError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Default bundle root of `bundle add`, relative to the working directory. */
export const DEFAULT_BUNDLE_ROOT = "codex-bundle";

/** Parses `argv` (without the runtime and script). Throws a UsageError for bad input. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [first, ...rest] = argv;
  if (first === undefined || first === "help" || first === "--help" || first === "-h") {
    return { command: "help", topic: first === "help" ? rest[0] : undefined };
  }
  switch (first) {
    case "bundle":
      return parseBundle(rest);
    case "probe":
      return parseProbe(rest);
    case "doctor":
      return parseDoctor(rest);
    case "drift":
      return parseDrift(rest);
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(first)}`);
  }
}

function parseBundle(argv: readonly string[]): CliCommand {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    return { command: "help", topic: "bundle" };
  }
  if (sub !== "add") throw new UsageError(`Unknown bundle command ${JSON.stringify(sub)}`);
  const { values, positionals } = strict(rest, {
    root: { type: "string" },
    platform: { type: "string", multiple: true },
    registry: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return { command: "help", topic: "bundle" };
  if (positionals.length !== 1) throw new UsageError("bundle add takes exactly one version");
  const platforms = (values.platform as string[] | undefined ?? []).flatMap((p) => p.split(","))
    .filter(Boolean);
  return {
    command: "bundle-add",
    version: positionals[0],
    root: (values.root as string | undefined) ?? DEFAULT_BUNDLE_ROOT,
    platforms,
    registry: values.registry as string | undefined,
    json: values.json === true,
  };
}

function parseProbe(argv: readonly string[]): CliCommand {
  const { values, positionals } = strict(argv, {
    json: { type: "boolean" },
    timeout: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return { command: "help", topic: "probe" };
  if (positionals.length > 1) throw new UsageError("probe takes at most one binary");
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      throw new UsageError(`--timeout must be a positive number of ms, not ${values.timeout}`);
    }
  }
  return { command: "probe", binary: positionals[0], json: values.json === true, timeoutMs };
}

function parseDoctor(argv: readonly string[]): CliCommand {
  const { values, positionals } = strict(argv, {
    binary: { type: "string" },
    bundle: { type: "string" },
    version: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return { command: "help", topic: "doctor" };
  if (positionals.length > 0) throw new UsageError("doctor takes no positional arguments");
  if ((values.bundle === undefined) !== (values.version === undefined)) {
    throw new UsageError("doctor needs --bundle and --version together");
  }
  return {
    command: "doctor",
    binary: values.binary as string | undefined,
    bundleRoot: values.bundle as string | undefined,
    bundleVersion: values.version as string | undefined,
    json: values.json === true,
  };
}

function parseDrift(argv: readonly string[]): CliCommand {
  const { values, positionals } = strict(argv, {
    installed: { type: "boolean" },
    fetch: { type: "boolean" },
    json: { type: "boolean" },
    registry: { type: "string" },
    cache: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return { command: "help", topic: "drift" };
  const installed = values.installed === true;
  if (installed ? positionals.length !== 0 : positionals.length !== 2) {
    throw new UsageError("drift takes two versions (or binaries), or --installed alone");
  }
  return {
    command: "drift",
    from: positionals[0],
    to: positionals[1],
    installed,
    fetch: values.fetch === true,
    json: values.json === true,
    registry: values.registry as string | undefined,
    cacheDir: values.cache as string | undefined,
  };
}

type OptionSpec = Record<
  string,
  { type: "string" | "boolean"; multiple?: boolean; short?: string }
>;

function strict(argv: readonly string[], options: OptionSpec) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

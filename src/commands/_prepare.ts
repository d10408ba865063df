/**
 * What every one-shot codex command shares before it spawns: the options check, the binary,
 * CODEX_HOME, the child's environment, the global `-c` / `--enable` / `--disable` flags, the
 * redacted command line, the secrets to scrub, and the capability gate for the subcommand.
 *
 * @module
 */
import { allSettled } from "../process/settle.ts";
import process from "node:process";
import { resolveCodexBinary } from "../binary/resolve.ts";
import type { ResolvedBinary } from "../binary/resolve.ts";
import { UnsupportedError } from "../errors.ts";
import { clientEnv, codexGlobalArgs, redactArgs } from "../exec/args.ts";
import type { GatedOption, OptionGate } from "../options/gates.ts";
import { ensureCodexHome } from "../home/layout.ts";
import { redactText } from "../redact.ts";
import {
  array,
  type Check,
  checkOptions,
  custom,
  instance,
  looseObject,
  nonEmpty,
  number,
  optional,
  string,
} from "../options/_check.ts";
import { bundleCheck, configCheck, envCheck, gateCheck, runtimeCheck } from "../options/schema.ts";
import type { BundleSource, CodexConfigObject } from "../options.ts";
import { runToEnd } from "../process/run_to_end.ts";
import { spawnerFor } from "../process/spawner.ts";
import type { RuntimeName, Spawner } from "../runtime/mod.ts";

/** Options every codex command takes. */
export interface CodexCommandOptions {
  /** The codex binary; when set nothing else is searched. */
  codexPathOverride?: string;
  /** A pinned bundle to run (see `@codexkit/sdk/bundles`). */
  bundle?: BundleSource;
  /** `CODEX_HOME` of the child (created when missing). Default: what the environment says. */
  codexHome?: string;
  /** The child's whole base environment (default: this process's). Never written back. */
  env?: Record<string, string>;
  /** API key, put in the child's environment as `CODEX_API_KEY`; never in argv or errors. */
  apiKey?: string;
  /** Nested config, passed as `-c key=<TOML>` pairs before the subcommand. */
  config?: CodexConfigObject;
  /** Features to turn on for this call (`--enable <name>`). */
  enable?: readonly string[];
  /** Features to turn off for this call (`--disable <name>`), e.g. `["plugins"]`. */
  disable?: readonly string[];
  /** Working directory of the child. */
  cwd?: string;
  /** Limit for the whole command, in ms; the child's process group is stopped on expiry. */
  timeoutMs?: number;
  /** Cancels the command; the child's process group is stopped. */
  signal?: AbortSignal;
  /** Which runtime adapter spawns the child (default: the detected one). */
  runtime?: RuntimeName;
  /** SIGTERM -> SIGKILL grace when the child is stopped, in ms (default 2000). */
  killGraceMs?: number;
  /**
   * How the subcommand is gated before spawning: an `OptionGate` (asked for
   * `command.<sub>`), `false` for no gating, or unset to read `codex <sub> --help` of the
   * installed binary once per binary and subcommand.
   */
  capabilities?: OptionGate | false;
  /** More strings to scrub from output and errors (the API key always is). */
  secrets?: readonly string[];
}

/** A command ready to spawn. */
export interface PreparedCommand {
  /** The spawner. */
  spawner: Spawner;
  /** The binary. */
  binary: ResolvedBinary;
  /** Arguments after the binary: global flags, then the caller's. */
  args: string[];
  /** The command line as errors may quote it. */
  display: string[];
  /** The child's environment. */
  env: Record<string, string>;
  /** Strings to scrub from anything that leaves. */
  secrets: string[];
}

const text = nonEmpty("expected a non-empty string");
const ms = number(
  (n) => n >= 0 && n < 2 ** 31,
  "expected a number of milliseconds >= 0 (below 2^31)",
);
const anyMs = number(
  (n) => Number.isFinite(n) && n >= 0,
  "expected a number of milliseconds >= 0",
);
const features = array(
  custom((f) => typeof f === "string" && /^[A-Za-z0-9_.-]+$/.test(f), "expected a feature name"),
  "expected an array of feature names (letters, digits, _ . -)",
);

/**
 * The rows of {@linkcode CodexCommandOptions}: a command's own options (`stdin`, `limit`, ...)
 * are checked by that command, so keys this table lacks are left alone.
 */
export const COMMAND_OPTIONS: { readonly [K in keyof Required<CodexCommandOptions>]: Check } = {
  codexPathOverride: optional(text),
  bundle: bundleCheck,
  codexHome: optional(text),
  env: envCheck,
  apiKey: optional(text),
  config: configCheck,
  enable: optional(features),
  disable: optional(features),
  cwd: optional(text),
  // A timeout of any size is honoured (long timers); the kill grace is one plain timer.
  timeoutMs: optional(anyMs),
  signal: optional(instance(AbortSignal, "expected an AbortSignal")),
  runtime: runtimeCheck,
  killGraceMs: optional(ms),
  capabilities: gateCheck,
  secrets: optional(array(string("expected a string"), "expected an array of strings")),
};

const commandOptionsSchema = looseObject(COMMAND_OPTIONS, "expected an object");

/**
 * Checks command options at the door with the options' one checker: a TypeError names the
 * option path ("Cannot use options.codexHome: expected ..., got ...").
 */
export function checkCommandOptions(options: CodexCommandOptions, where = "options"): void {
  checkOptions(commandOptionsSchema, options, where, `${where}.`);
}

/** The global flags: `-c` pairs, `--enable`, `--disable`. Pure. */
export function globalArgs(
  options: Pick<CodexCommandOptions, "config" | "enable" | "disable">,
): string[] {
  return codexGlobalArgs(options);
}

/**
 * Resolves everything a command needs, gates `subcommand` (the words that name it, e.g.
 * `["mcp"]` or `["exec", "review"]`) and returns the command ready to spawn.
 */
export async function prepareCommand(
  subcommand: readonly string[],
  args: readonly string[],
  options: CodexCommandOptions,
): Promise<PreparedCommand> {
  const spawner = spawnerFor(options);
  const baseEnv = options.env ?? process.env as Record<string, string>;
  const [binary, codexHome] = await allSettled([
    resolveCodexBinary({
      override: options.codexPathOverride,
      bundle: options.bundle,
      env: baseEnv,
    }),
    options.codexHome === undefined ? undefined : ensureCodexHome(options.codexHome),
  ]);
  const env = clientEnv({ env: options.env, apiKey: options.apiKey }, binary, codexHome);
  const secrets = [...(options.secrets ?? [])];
  if (options.apiKey !== undefined) secrets.push(options.apiKey);
  const full = [...globalArgs(options), ...args];
  const prepared: PreparedCommand = {
    spawner,
    binary,
    args: full,
    display: [binary.path, ...redactArgs(full)].map((a) => redactText(a, secrets)),
    env,
    secrets,
  };
  if (subcommand.length > 0) await gateSubcommand(subcommand, prepared, options);
  return prepared;
}

/** The gate name of a subcommand: `exec review` -> `exec.review`, else `command.<first>`. */
export function gateName(subcommand: readonly string[]): GatedOption {
  if (subcommand[0] === "exec" && subcommand.length > 1) {
    return `exec.${subcommand[1]}` as GatedOption;
  }
  return `command.${subcommand[0]}` as GatedOption;
}

async function gateSubcommand(
  subcommand: readonly string[],
  prepared: PreparedCommand,
  options: CodexCommandOptions,
): Promise<void> {
  const gate = options.capabilities;
  if (gate === false) return;
  const name = gateName(subcommand);
  const words = name.startsWith("exec.") ? subcommand.slice(0, 2) : subcommand.slice(0, 1);
  // A gate that cannot tell (a hidden command whose page it never read) defers to the page.
  let answer = gate ? gate.support(name) : "unknown";
  if (answer === "unknown") answer = await probeSubcommand(words, prepared);
  if (answer !== "unsupported") return;
  const version = gate && gate.version ? `codex ${gate.version}` : "the installed codex";
  throw new UnsupportedError(`${version} has no \`codex ${words.join(" ")}\` command`, {
    feature: name,
    version: gate ? gate.version : undefined,
  });
}

const probes = new Map<string, Promise<"supported" | "unsupported" | "unknown">>();

/**
 * Whether `codex <words> --help` describes that command. An unknown top-level word is taken
 * as a prompt for the interactive CLI (0.169.0), and `--help` then prints the root page, so
 * the usage line is what tells them apart. Remembered per binary and command.
 */
function probeSubcommand(
  words: readonly string[],
  prepared: PreparedCommand,
): Promise<"supported" | "unsupported" | "unknown"> {
  const key = `${prepared.binary.path}\0${words.join(" ")}`;
  let answer = probes.get(key);
  if (!answer) {
    answer = (async () => {
      const help = await runToEnd(prepared.binary.path, [...words, "--help"], {
        spawner: prepared.spawner,
        env: prepared.env,
        // A help page is a few KB; more is not one.
        maxOutputBytes: 1 << 20,
      });
      if (help.stopped || help.exitCode !== 0) return "unknown";
      return parseHelpUsage(help.stdout, words) ? "supported" : "unsupported";
    })().catch(() => "unknown" as const);
    probes.set(key, answer);
  }
  return answer;
}

/** True when a help page's usage line names `<program> <words>`. Pure. */
export function parseHelpUsage(help: string, words: readonly string[]): boolean {
  const wanted = words.join(" ");
  return help.split("\n").some((line) => {
    // The program name is whatever the binary calls itself; the words after it matter.
    const match = /^Usage:\s+\S+\s+(.*)$/.exec(line.trim());
    if (!match) return false;
    const usage = match[1];
    return usage === wanted || usage.startsWith(`${wanted} `);
  });
}

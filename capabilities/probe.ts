/**
 * The probe: asks a codex binary what it supports, all steps at once, and turns the answers
 * into a {@linkcode CapabilitySnapshot}. A step that fails leaves a gap, never an exception.
 *
 * @module
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { AbortError } from "../src/errors.ts";
import type { Spawner } from "../src/runtime/mod.ts";
import { fingerprintBinary } from "./fingerprint.ts";
import { parseFeaturesList } from "./parse_features.ts";
import { parseHelp } from "./parse_help.ts";
import { runCommand } from "./_run.ts";
import type { RunOutcome } from "./_run.ts";
import { parseVersion } from "./semver.ts";
import { SNAPSHOT_SCHEMA_VERSION } from "./types.ts";
import type {
  CapabilitySnapshot,
  CommandInfo,
  Feature,
  Fingerprint,
  Gap,
  VersionInfo,
} from "./types.ts";

/**

 * Per-step time limit unless the caller says otherwise, in milliseconds.
 * @example Give slow machines longer
 * ```ts ignore
 * await probeCapabilities(binary, { timeoutMs: 2 * DEFAULT_PROBE_TIMEOUT_MS });
 * ```
 */
export const DEFAULT_PROBE_TIMEOUT_MS = 5000;

/**
 * Arguments put before every probe command so that codex stays on this machine (seen on
 * 0.169.0: without them it looks up github.com and chatgpt.com hosts).
 */
export const PROBE_SAFETY_ARGS: readonly string[] = [
  "--disable",
  "plugins",
  "-c",
  "analytics.enabled=false",
];

/** Features whose `enabled` column the safety args distort; recorded as `null`. */
export const FEATURES_FORCED_BY_PROBE: readonly string[] = ["plugins"];

/**
 * The help pages probed by default, by command path: the ones the exec gate reads. Every
 * extra page is one more process on the same cores, so others (`"codex app-server"`,
 * `"codex login"`, `"codex exec review"`) are probed only when asked via `commands`.
 */
export const PROBED_COMMANDS: readonly string[] = [
  "codex",
  "codex exec",
  "codex exec resume",
  "codex exec fork",
];

/** Options of {@linkcode probeCapabilities}. */
export interface ProbeOptions {
  /** Time limit of each step, in ms (default {@linkcode DEFAULT_PROBE_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Stops every step; the probe then rejects with an `AbortError`. */
  signal?: AbortSignal;
  /** Also hash the binary's content into the fingerprint (slow for a 300 MB binary). */
  hash?: boolean;
  /** Extra environment for the probed binary (on top of a minimal one with a fresh CODEX_HOME). */
  env?: Record<string, string>;
  /** Help pages to read (default {@linkcode PROBED_COMMANDS}); each path starts with `codex`. */
  commands?: readonly string[];
  /** The process seam to use (tests pass a fake); the runtime's own by default. */
  spawner?: Spawner;
}

/**
 * Probes `binary` in parallel: `--version`, `features list` and the help pages in
 * `options.commands` (default {@linkcode PROBED_COMMANDS}), plus its fingerprint. Each step has its own time limit; a
 * failed, timed-out or unparsable step becomes an entry in `gaps`. Runs with a fresh temp
 * `CODEX_HOME`, a private `TMPDIR` and {@linkcode PROBE_SAFETY_ARGS}; removes them after.
 *
 * @example Probe a binary
 * ```ts ignore
 * const snapshot = await probeCapabilities("/usr/local/bin/codex", { timeoutMs: 3000 });
 * for (const gap of snapshot.gaps) console.warn(`${gap.step}: ${gap.reason}`);
 * ```
 */
export async function probeCapabilities(
  binary: string,
  options: ProbeOptions = {},
): Promise<CapabilitySnapshot> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError(
      `Cannot probe: option timeoutMs must be a positive number, got ${timeoutMs}`,
    );
  }
  if (typeof binary !== "string" || binary === "") {
    throw new TypeError("Cannot probe: argument binary must be a non-empty path");
  }
  const commands = options.commands ?? PROBED_COMMANDS;
  for (const path of commands) {
    if (!/^codex( [a-z0-9][a-z0-9-]*)*$/.test(path)) {
      throw new TypeError(`Cannot probe: option commands has an invalid command path "${path}"`);
    }
  }
  throwIfAborted(options.signal);
  const collectedAt = new Date().toISOString();
  return await inScratch(options, timeoutMs, async (run) => {
    const gaps: Gap[] = [];
    const [versionOut, featuresOut, helpOuts, fingerprint] = await Promise.all([
      run(["--version"]),
      run(["features", "list"]),
      Promise.all(commands.map((path) => run([...path.split(" ").slice(1), "--help"]))),
      fingerprintBinary(binary, { hash: options.hash }).catch((error: unknown) => {
        gaps.push({
          step: "fingerprint",
          reason: `Cannot read ${binary}: ${message(error)}`,
          transient: true,
        });
        return undefined;
      }),
    ]);
    throwIfAborted(options.signal);
    const snapshot: CapabilitySnapshot = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      source: "probe",
      collectedAt,
      version: null,
      features: null,
      commands: {},
      gaps,
    };
    readVersion(versionOut, snapshot);
    readFeatures(featuresOut, snapshot);
    commands.forEach((path, i) => readHelp(path, helpOuts[i], snapshot));
    if (fingerprint) snapshot.fingerprint = fingerprint as Fingerprint;
    return snapshot;
  }, binary);
}

/** What {@linkcode probeVersion} learnt: the version, or why there is none. */
export interface VersionProbe {
  /** The version `--version` printed, or `null`. */
  version: VersionInfo | null;
  /** Why there is no version (empty when there is one). */
  gaps: Gap[];
}

/**
 * Runs only `codex --version` (one process, about 5 ms for the native binary), with the
 * same isolation as {@linkcode probeCapabilities}: the first turn on a release whose
 * capabilities are committed needs nothing more before codex starts.
 *
 * @example Ask a binary its version
 * ```ts ignore
 * const { version } = await probeVersion("/usr/local/bin/codex");
 * console.log(version?.semver);
 * ```
 */
export async function probeVersion(
  binary: string,
  options: Omit<ProbeOptions, "commands" | "hash"> = {},
): Promise<VersionProbe> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  throwIfAborted(options.signal);
  // `--version` is answered by the argument parser before codex reads or writes its home, so
  // no scratch dir is made: HOME and CODEX_HOME name a path that does not exist (0.169-0.171).
  const nowhere = join(tmpdir(), `codexkit-probe-none-${crypto.randomUUID()}`);
  const out = await runCommand(binary, [...PROBE_SAFETY_ARGS, "--version"], {
    env: probeEnv(nowhere, nowhere, options.env),
    timeoutMs,
    signal: options.signal,
    spawner: options.spawner,
  });
  throwIfAborted(options.signal);
  const snapshot: CapabilitySnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    source: "probe",
    collectedAt: new Date().toISOString(),
    version: null,
    features: null,
    commands: {},
    gaps: [],
  };
  readVersion(out, snapshot);
  return { version: snapshot.version, gaps: snapshot.gaps };
}

/** Runs `fn` with a `run` that spawns `binary` in a fresh home and TMPDIR, removed after. */
async function inScratch<T>(
  options: Omit<ProbeOptions, "commands" | "hash">,
  timeoutMs: number,
  fn: (run: (args: string[]) => Promise<RunOutcome>) => Promise<T>,
  binary: string,
): Promise<T> {
  const scratch = await mkdtemp(join(tmpdir(), "codexkit-probe-"));
  try {
    const home = join(scratch, "home");
    const tmp = join(scratch, "tmp");
    await Promise.all([mkdir(home), mkdir(tmp)]);
    const env = probeEnv(home, tmp, options.env);
    return await fn((args) =>
      runCommand(binary, [...PROBE_SAFETY_ARGS, ...args], {
        env,
        cwd: scratch,
        timeoutMs,
        signal: options.signal,
        spawner: options.spawner,
      })
    );
  } finally {
    await rm(scratch, { recursive: true, force: true }).catch(() => {});
  }
}

function readVersion(out: RunOutcome, snapshot: CapabilitySnapshot): void {
  const text = stepOutput("version", out, snapshot.gaps);
  if (text === undefined) return;
  const version = parseVersion(text);
  if (!version) {
    snapshot.gaps.push({
      step: "version",
      reason: `Cannot parse a version from \`--version\` output: ${excerpt(text)}`,
      transient: false,
    });
    return;
  }
  snapshot.version = version;
}

function readFeatures(out: RunOutcome, snapshot: CapabilitySnapshot): void {
  const text = stepOutput("features", out, snapshot.gaps);
  if (text === undefined) return;
  const { features } = parseFeaturesList(text);
  if (features.length === 0) {
    snapshot.gaps.push({
      step: "features",
      reason: `Cannot find feature rows in \`features list\` output: ${excerpt(text)}`,
      transient: false,
    });
    return;
  }
  snapshot.features = features.map((f): Feature =>
    FEATURES_FORCED_BY_PROBE.includes(f.name) ? { ...f, enabled: null } : f
  );
}

function readHelp(path: string, out: RunOutcome, snapshot: CapabilitySnapshot): void {
  const step = `help:${path}`;
  // clap reports an unknown subcommand on stderr with exit 2.
  if (out.kind === "exited" && out.code !== 0 && /unrecognized subcommand/i.test(out.stderr)) {
    return;
  }
  const text = stepOutput(step, out, snapshot.gaps);
  if (text === undefined) return;
  const help = parseHelp(text);
  const want = path.split(" ");
  const got = help.usagePath;
  if (got.length === 0) {
    snapshot.gaps.push({
      step,
      reason: `Cannot find a Usage line in the help output: ${excerpt(text)}`,
      transient: false,
    });
    return;
  }
  // `codex exec nosuch --help` prints the help of `codex exec` (0.169.0): the command is absent.
  if (got.length < want.length && want.slice(0, got.length).join(" ") === got.join(" ")) return;
  if (got.join(" ") !== path) {
    snapshot.gaps.push({
      step,
      reason: `The help output is for "${got.join(" ")}", not "${path}"`,
      transient: false,
    });
    return;
  }
  const info: CommandInfo = { flags: help.flags, subcommands: help.subcommands };
  snapshot.commands[path] = info;
}

function stepOutput(step: string, out: RunOutcome, gaps: Gap[]): string | undefined {
  switch (out.kind) {
    case "spawn-failed":
      gaps.push({ step, reason: `Cannot start the binary: ${out.message}`, transient: true });
      return undefined;
    case "timeout":
      gaps.push({
        step,
        reason: `No answer within ${out.timeoutMs} ms; the process was killed`,
        transient: true,
      });
      return undefined;
    case "aborted":
      gaps.push({ step, reason: "Aborted by the caller", transient: true });
      return undefined;
    case "overflow":
      gaps.push({
        step,
        reason: `Printed more than ${out.limitBytes} bytes, which no codex answer does; stopped`,
        transient: false,
      });
      return undefined;
    case "exited":
      if (out.code !== 0) {
        const how = out.code === null ? `signal ${out.signal}` : `exit code ${out.code}`;
        const tail = out.stderr.trim() || out.stdout.trim();
        gaps.push({
          step,
          reason: `Ended with ${how}${tail ? `: ${excerpt(tail)}` : ""}`,
          transient: out.code === null,
        });
        return undefined;
      }
      return out.stdout;
  }
}

function probeEnv(
  home: string,
  tmp: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  // Only what a process needs to start; the caller's keys and tokens stay out of the probe.
  for (const key of ["PATH", "SystemRoot", "WINDIR", "LANG"]) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    CODEX_HOME: home,
    TMPDIR: tmp,
    TEMP: tmp,
    TMP: tmp,
    NO_COLOR: "1",
    ...extra,
  };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AbortError("The capability probe was aborted", { cause: signal.reason });
  }
}

function excerpt(text: string): string {
  const oneLine = text.trim().replace(/\s+/g, " ");
  return JSON.stringify(oneLine.length > 120 ? `${oneLine.slice(0, 120)}...` : oneLine);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

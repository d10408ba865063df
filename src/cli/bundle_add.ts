/**
 * `codexkit bundle add <version>`: fetch, verify and pin a codex version into a bundle. On a
 * terminal the download draws a bar redrawn in place; elsewhere it prints plain lines.
 *
 * @module
 */
import { addToBundle, PLATFORM_LABELS } from "../../bundles/mod.ts";
import type { BundleProgress, PlatformLabel } from "../../bundles/mod.ts";
import { parseOptions, UsageError } from "./args.ts";
import type { CliCommand } from "./command.ts";
import type { CliIo } from "./io.ts";
import { colorEnabled, makeStyle } from "./style.ts";
import type { Style } from "./style.ts";

/** Options of {@linkcode bundleAdd}, as parsed from the command line. */
export interface BundleAddCommand {
  version: string;
  root: string;
  platforms: string[];
  registry?: string;
  json: boolean;
}

/** Default bundle root of `bundle add`, relative to the working directory. */
export const DEFAULT_BUNDLE_ROOT = "codex-bundle";

/** `bundle` in the command table. */
export const bundleCommand: CliCommand = {
  usage: "bundle add <version|latest>",
  summary: "pin a codex version into a bundle dir",
  help: `codexkit bundle add <version|latest> [options]

Adds the native codex <version> (or the registry's latest) for each platform to a bundle
directory: <root>/<platform>/<version>/codex[.exe] beside its codex-path/ and
codex-resources/, recorded with its sha256 in <root>/bundle.jsonc. The tarball is checked
against the registry's integrity before anything is unpacked. Concurrent adds to one root
take turns on bundle.jsonc.lock, so none is lost.

The registry is, in order: --registry, npm_config_registry, the project's and the user's
.npmrc, \`npm config get registry\` when npm is installed, else https://registry.npmjs.org/.

Options:
  --root DIR        bundle root (default ./${DEFAULT_BUNDLE_ROOT})
  --platform P      linux-x64, linux-arm64, darwin-x64, darwin-arm64, windows-x64,
                    windows-arm64, or "all"; repeat or comma-separate (default: this machine)
  --registry URL    npm registry to use
  --json            print the result as JSON
`,
  run: (argv, io) => bundleAdd(parseBundleAdd(argv), io),
};

/** Parses the arguments of `bundle` (`add <version> ...`). Throws a UsageError. Pure. */
export function parseBundleAdd(argv: readonly string[]): BundleAddCommand {
  const [sub, ...rest] = argv;
  if (sub === undefined) throw new UsageError('needs a subcommand: "bundle add"', "bundle");
  if (sub !== "add") throw new UsageError(`unknown subcommand "${sub}" (there is: add)`, "bundle");
  const { values, positionals } = parseOptions(rest, {
    root: { type: "string" },
    platform: { type: "string", multiple: true },
    registry: { type: "string" },
    json: { type: "boolean" },
  }, "bundle add");
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "needs a version, such as 0.169.0 or latest"
        : `takes one version, got ${positionals.length}: ${positionals.join(" ")}`,
      "bundle add",
    );
  }
  const platforms = (values.platform as string[] | undefined ?? []).flatMap((p) => p.split(","))
    .filter(Boolean);
  return {
    version: positionals[0],
    root: (values.root as string | undefined) ?? DEFAULT_BUNDLE_ROOT,
    platforms,
    registry: values.registry as string | undefined,
    json: values.json === true,
  };
}

/** Runs `bundle add`; progress goes to stderr, the result to stdout. Returns the exit code. */
export async function bundleAdd(command: BundleAddCommand, io: CliIo): Promise<number> {
  const platforms = command.platforms.includes("all")
    ? [...PLATFORM_LABELS]
    : command.platforms.length > 0
    ? (command.platforms as PlatformLabel[])
    : undefined;
  const started = performance.now();
  const printer = io.errIsTTY
    ? new BarPrinter(io, makeStyle(colorEnabled(io.env, true)))
    : new LinePrinter(io);
  let result;
  try {
    result = await addToBundle({
      root: command.root,
      version: command.version,
      platforms,
      registry: command.registry,
      env: io.env,
      onProgress: (event) => printer.event(event),
    });
  } finally {
    printer.end();
  }
  const seconds = (performance.now() - started) / 1000;
  if (command.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  for (const a of result.added) {
    const state = a.unchanged ? "already pinned" : "added";
    io.out(
      `${a.platform}\t${state}\t${a.binary}\t${
        formatBytes(a.entry.size)
      }\tsha256 ${a.entry.sha256}\n`,
    );
  }
  io.out(`bundle ${result.root} (${seconds.toFixed(1)} s)\n`);
  return 0;
}

/** One line for a progress event (the plain-line printer's words). Pure. */
export function describeProgress(event: BundleProgress): string {
  switch (event.type) {
    case "registry":
      return `registry ${event.url} (from ${REGISTRY_SOURCES[event.source] ?? event.source})`;
    case "latest":
      return `latest is ${event.version}`;
    case "metadata":
      return `${event.platform}: ${event.spec} -> ${event.tarball}`;
    case "download":
      return `${event.platform}: downloaded ${formatBytes(event.receivedBytes)}${
        event.totalBytes ? ` of ${formatBytes(event.totalBytes)}` : ""
      }`;
    case "verified":
      return `${event.platform}: integrity verified (${event.integrity.slice(0, 6)})`;
    case "unpacked":
      return `${event.platform}: unpacked ${event.files} file${event.files === 1 ? "" : "s"}`;
    case "added":
      return `${event.platform}: pinned ${event.binary}`;
    case "unchanged":
      return `${event.platform}: already pinned at ${event.binary}`;
    default:
      return JSON.stringify(event);
  }
}

const REGISTRY_SOURCES: Record<string, string> = {
  option: "--registry",
  env: "npm_config_registry",
  npmrc: ".npmrc",
  "npm-config": "npm config",
  default: "the default; no npm configuration found",
};

/** What the bar shows for one download. */
export interface DownloadState {
  platform: string;
  receivedBytes: number;
  totalBytes?: number;
  /** Time since the download started, in ms. */
  elapsedMs: number;
}

/**
 * One progress line: `linux-x64 [#####-----]  52%  31.4 MB / 60.2 MB  12.1 MB/s  ETA 2s`,
 * cut to `columns`. Without a total it shows bytes and rate only. Pure.
 */
export function renderBar(
  state: DownloadState,
  columns: number,
  style: Style = makeStyle(false),
): string {
  const rate = state.elapsedMs > 0 ? state.receivedBytes / (state.elapsedMs / 1000) : 0;
  const rateText = rate > 0 ? `${formatBytes(rate)}/s` : "";
  if (!state.totalBytes) {
    return fit(`${state.platform} ${formatBytes(state.receivedBytes)}  ${rateText}`, columns);
  }
  const fraction = Math.min(1, state.receivedBytes / state.totalBytes);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const bytes = `${formatBytes(state.receivedBytes)} / ${formatBytes(state.totalBytes)}`;
  const left = state.totalBytes - state.receivedBytes;
  const eta = fraction >= 1 ? "done" : rate > 0 ? `ETA ${formatDuration(left / rate)}` : "ETA --";
  const tail = `${percent}  ${bytes}  ${rateText}  ${eta}`.trimEnd();
  const width = Math.max(10, Math.min(30, columns - state.platform.length - tail.length - 5));
  const filled = Math.round(fraction * width);
  const bar = style.green("█".repeat(filled)) + style.dim("░".repeat(width - filled));
  // the bar is measured without its escape codes
  return columns >= state.platform.length + tail.length + width + 5
    ? `${state.platform} ${bar}  ${tail}`
    : fit(`${state.platform} ${percent}  ${eta}`, columns);
}

/** `bytes` as `1.5 MB`-style text (powers of 1000, as download tools show). Pure. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ["kB", "MB", "GB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `seconds` as `42s`, `3m07s` or `1h02m`. Pure. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

function fit(text: string, columns: number): string {
  return text.length <= columns ? text : text.slice(0, Math.max(0, columns - 1));
}

interface ProgressPrinter {
  event(event: BundleProgress): void;
  end(): void;
}

/** Plain lines for logs and pipes: each step, and a download at every quarter. */
class LinePrinter implements ProgressPrinter {
  #io: CliIo;
  #nextQuarter = new Map<string, number>();
  constructor(io: CliIo) {
    this.#io = io;
  }
  event(event: BundleProgress): void {
    if (event.type === "download") {
      const { platform, receivedBytes, totalBytes } = event;
      const next = this.#nextQuarter.get(platform) ?? 0;
      if (totalBytes !== undefined && receivedBytes >= totalBytes) {
        if (next === Infinity) return; // the last chunk and the end both report it
        this.#nextQuarter.set(platform, Infinity);
      } else {
        const quarter = totalBytes ? Math.floor((receivedBytes / totalBytes) * 4) : 0;
        if (quarter < next) return;
        this.#nextQuarter.set(platform, quarter + 1);
      }
    }
    this.#io.err(`${describeProgress(event)}\n`);
  }
  end(): void {}
}

/** A bar redrawn in place with `\r` while downloading; finished steps stay as lines above it. */
class BarPrinter implements ProgressPrinter {
  #io: CliIo;
  #style: Style;
  #columns: number;
  #started = new Map<string, number>();
  #finished = new Set<string>();
  #drawn = false;
  #lastDraw = 0;
  constructor(io: CliIo, style: Style) {
    this.#io = io;
    this.#style = style;
    this.#columns = Math.max(40, (io.columns ?? 80) - 1);
  }
  event(event: BundleProgress): void {
    if (event.type !== "download") {
      this.#clear();
      const line = describeProgress(event);
      const ok = event.type === "added" || event.type === "verified";
      this.#io.err(`${ok ? this.#style.green("✓") : this.#style.dim("·")} ${line}\n`);
      return;
    }
    if (this.#finished.has(event.platform)) return;
    const now = performance.now();
    const started = this.#started.get(event.platform) ?? now;
    this.#started.set(event.platform, started);
    const done = event.totalBytes !== undefined && event.receivedBytes >= event.totalBytes;
    if (!done && now - this.#lastDraw < 80) return; // at most ~12 redraws a second
    this.#lastDraw = now;
    const line = renderBar({ ...event, elapsedMs: now - started }, this.#columns, this.#style);
    this.#io.err(`\r${line}\x1b[K`);
    this.#drawn = true;
    if (done) {
      this.#finished.add(event.platform);
      this.#io.err("\n");
      this.#drawn = false;
    }
  }
  end(): void {
    this.#clear();
  }
  #clear(): void {
    if (this.#drawn) this.#io.err("\r\x1b[K");
    this.#drawn = false;
  }
}

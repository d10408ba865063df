/**
 * `codexkit drift <from> <to>` and `codexkit drift --installed`: what changed between two codex
 * releases (flags, subcommands, features, app-server methods, notifications and fields).
 * The comparison itself is `compareReleases` in `@codexkit/sdk/capabilities`.
 *
 * @module
 */
import { readAppServerSurface } from "../../capabilities/app_server_surface.ts";
import type { AppServerSurface } from "../../capabilities/app_server_surface.ts";
import { compareReleases, formatDrift } from "../../capabilities/drift.ts";
import type { DriftSide } from "../../capabilities/drift.ts";
import {
  KNOWN_VERSIONS,
  knownAppServerSurface,
  knownSnapshot,
  RECORDED_COMMANDS,
} from "../../capabilities/known.ts";
import { probeCapabilities } from "../../capabilities/probe.ts";
import { defaultReleaseCacheDir, releaseBinary } from "../../capabilities/releases.ts";
import { resolveCodexBinary } from "../binary/resolve.ts";
import { CodexError } from "../errors.ts";
import type { CliIo } from "./io.ts";

/** Options of {@linkcode drift}, as parsed from the command line. */
export interface DriftCommand {
  /** The older side: a version (`0.163.0`) or a path to a binary. */
  from?: string;
  /** The newer side. */
  to?: string;
  /** Compare the installed binary with the newest known snapshot. */
  installed: boolean;
  /** Probe fetched binaries even when a recorded snapshot exists. */
  fetch: boolean;
  /** Print the report as JSON. */
  json: boolean;
  /** npm registry for fetching releases. */
  registry?: string;
  /** Where fetched releases are kept (default: the OS cache dir). */
  cacheDir?: string;
}

/** Runs `drift`. Exit code 0 whether or not anything changed. */
export async function drift(command: DriftCommand, io: CliIo): Promise<number> {
  let from: DriftSide;
  let to: DriftSide;
  if (command.installed) {
    const newest = KNOWN_VERSIONS[KNOWN_VERSIONS.length - 1];
    const installed = (await resolveCodexBinary({ env: io.env })).path;
    from = recorded(newest)!;
    to = await live(installed);
  } else {
    [from, to] = await Promise.all([
      side(command.from!, command, io),
      side(command.to!, command, io),
    ]);
  }
  const report = compareReleases(from, to);
  io.out(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatDrift(report));
  return 0;
}

async function side(spec: string, command: DriftCommand, io: CliIo): Promise<DriftSide> {
  if (spec.includes("/") || spec.includes("\\")) return await live(spec);
  if (!command.fetch) {
    const known = recorded(spec);
    if (known) return known;
  }
  const release = await releaseBinary(spec, {
    dir: command.cacheDir ?? defaultReleaseCacheDir(),
    registry: command.registry,
    env: io.env,
    onProgress: (e) => {
      if (e.type === "metadata") io.err(`fetching ${e.spec}\n`);
    },
  });
  return await live(release.binary);
}

function recorded(version: string): DriftSide | undefined {
  const snapshot = knownSnapshot(version);
  if (!snapshot) return undefined;
  return { snapshot, appServer: knownAppServerSurface(version) };
}

async function live(binary: string): Promise<DriftSide> {
  const [snapshot, appServer] = await Promise.all([
    probeCapabilities(binary, { commands: RECORDED_COMMANDS, timeoutMs: 20_000 }),
    readAppServerSurface(binary).catch((): AppServerSurface | undefined => undefined),
  ]);
  if (!snapshot.version) {
    const why = snapshot.gaps.map((g) => `${g.step}: ${g.reason}`).join("; ");
    throw new CodexError(`Cannot probe ${binary}: ${why}`);
  }
  return { snapshot, appServer };
}

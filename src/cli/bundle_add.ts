/**
 * `codexkit bundle add <version>`: fetch, verify and pin a codex version into a bundle.
 *
 * @module
 */
import { addToBundle, PLATFORM_LABELS } from "../../bundles/mod.ts";
import type { BundleProgress, PlatformLabel } from "../../bundles/mod.ts";
import type { CliIo } from "./io.ts";

/** Options of {@linkcode bundleAdd}, as parsed from the command line. */
export interface BundleAddCommand {
  version: string;
  root: string;
  platforms: string[];
  registry?: string;
  json: boolean;
}

/** Runs `bundle add`; progress goes to stderr, the result to stdout. Returns the exit code. */
export async function bundleAdd(command: BundleAddCommand, io: CliIo): Promise<number> {
  const platforms = command.platforms.includes("all")
    ? [...PLATFORM_LABELS]
    : command.platforms.length > 0
    ? (command.platforms as PlatformLabel[])
    : undefined;
  const started = performance.now();
  const result = await addToBundle({
    root: command.root,
    version: command.version,
    platforms,
    registry: command.registry,
    env: io.env,
    onProgress: (event) => io.err(`${describeProgress(event)}\n`),
  });
  const seconds = (performance.now() - started) / 1000;
  if (command.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  for (const a of result.added) {
    const state = a.unchanged ? "already pinned" : "added";
    io.out(`${a.platform}\t${state}\t${a.binary}\t${mb(a.entry.size)}\tsha256 ${a.entry.sha256}\n`);
  }
  io.out(`bundle ${result.root} (${seconds.toFixed(1)} s)\n`);
  return 0;
}

/** One line for a progress event. Pure. */
export function describeProgress(event: BundleProgress): string {
  switch (event.type) {
    case "registry":
      return `registry ${event.url} (from ${event.source})`;
    case "metadata":
      return `${event.platform}: ${event.spec} -> ${event.tarball}`;
    case "download":
      return `${event.platform}: downloaded ${mb(event.receivedBytes)}${
        event.totalBytes ? ` of ${mb(event.totalBytes)}` : ""
      }`;
    case "verified":
      return `${event.platform}: integrity verified (${event.integrity.slice(0, 6)})`;
    case "unpacked":
      return `${event.platform}: unpacked ${event.files} files`;
    case "added":
      return `${event.platform}: pinned ${event.binary}`;
    case "unchanged":
      return `${event.platform}: already pinned at ${event.binary}`;
    default:
      return JSON.stringify(event);
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

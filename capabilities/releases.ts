/**
 * Released codex CLIs on this machine: fetch a version from the npm registry into a cache
 * directory (with the bundle code, so the registry's integrity is checked), and list the latest
 * stable releases. Used by `codexkit drift` and by the version matrix.
 *
 * @module
 */
import { access, constants } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { addToBundle } from "../bundles/add.ts";
import type { BundleProgress } from "../bundles/add.ts";
import { readBundleManifest } from "../bundles/manifest.ts";
import { currentPlatform, platformInfo } from "../bundles/platform.ts";
import type { PlatformLabel } from "../bundles/platform.ts";
import { discoverRegistry, packumentUrl } from "../bundles/registry.ts";
import { validateVersion } from "../bundles/validate.ts";
import { BundleError } from "../src/errors.ts";
import { compareVersions, parseVersion } from "./semver.ts";
import { userCacheDir } from "../src/fs/cache_dir.ts";

/** Options of {@linkcode releaseBinary} and {@linkcode latestStableReleases}. */
export interface ReleaseOptions {
  /** The cache directory (a bundle root); default {@linkcode defaultReleaseCacheDir}. */
  dir?: string;
  /** The npm registry URL; otherwise the machine's (`npm config get registry`). */
  registry?: string;
  /** The fetch to use; the global one when omitted. */
  fetch?: typeof fetch;
  /** Download progress. */
  onProgress?: (event: BundleProgress) => void;
  /** Environment for registry discovery; the process's when omitted. */
  env?: Record<string, string | undefined>;
}

/** A released codex on disk. */
export interface ReleaseBinary {
  /** The version (`"0.165.0"`). */
  version: string;
  /** Absolute path of the native executable. */
  binary: string;
  /** Directories (holding `rg`) to put first on the child's PATH. */
  pathDirs: string[];
  /** `true` when this call downloaded it, `false` when the cache had it. */
  downloaded: boolean;
}

/**
 * The default cache of released binaries: the OS cache dir plus `codexkit/releases`.
 *
 * @example Where releases are kept
 * ```ts
 * import { defaultReleaseCacheDir } from "@codexkit/sdk/capabilities";
 * defaultReleaseCacheDir(); // e.g. "/home/me/.cache/codexkit/releases"
 * ```
 */
export function defaultReleaseCacheDir(): string {
  return userCacheDir("releases");
}

/**
 * The native binary of codex `version` for this platform, downloaded into the cache on first
 * use (about 170 MB) and reused after. The cache is a bundle root: `<dir>/<platform>/<version>/`.
 *
 * @example Run an older release
 * ```ts ignore
 * const { binary } = await releaseBinary("0.165.0", { dir: ".cache/codex-releases" });
 * ```
 */
export async function releaseBinary(
  version: string,
  options: ReleaseOptions = {},
): Promise<ReleaseBinary> {
  validateVersion(version);
  const platform = requirePlatform();
  const dir = options.dir ?? defaultReleaseCacheDir();
  const cached = await cachedRelease(dir, platform, version);
  if (cached) return cached;
  await addToBundle({
    root: dir,
    version,
    registry: options.registry,
    fetch: options.fetch,
    onProgress: options.onProgress,
    env: options.env,
  });
  const added = await cachedRelease(dir, platform, version);
  if (!added) throw new BundleError(`Cannot find codex ${version} in ${dir} after adding it`);
  return { ...added, downloaded: true };
}

/**
 * The release already in the cache, or `undefined`. It trusts the manifest entry without
 * hashing the binary again (a matrix run starts dozens of processes per release).
 */
async function cachedRelease(
  dir: string,
  platform: PlatformLabel,
  version: string,
): Promise<ReleaseBinary | undefined> {
  const versionDir = join(dir, platform, version);
  const binary = join(versionDir, platformInfo(platform).executable);
  try {
    const manifest = await readBundleManifest(dir);
    if (!manifest?.entries[version]?.[platform]) return undefined;
    await access(binary, constants.X_OK);
  } catch {
    return undefined;
  }
  const pathDir = join(versionDir, "codex-path");
  const hasPathDir = await access(pathDir).then(() => true, () => false);
  return { version, binary, pathDirs: hasPathDir ? [pathDir] : [], downloaded: false };
}

/**
 * The `count` newest stable `@openai/codex` releases on the registry, oldest first.
 *
 * @example The last five releases
 * ```ts ignore
 * await latestStableReleases(5); // ["0.163.0", "0.164.0", "0.165.0", "0.166.0", "0.169.0"]
 * ```
 */
export async function latestStableReleases(
  count: number,
  options: ReleaseOptions = {},
): Promise<string[]> {
  if (!(Number.isInteger(count) && count > 0)) {
    throw new TypeError(`Invalid argument count: ${count}, expected a positive integer`);
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const registry = await discoverRegistry({ registry: options.registry, env: options.env });
  const url = packumentUrl(registry.url);
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: { accept: "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8" },
    });
  } catch (error) {
    throw new BundleError(`Cannot list codex releases from ${registry.url}`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new BundleError(
      `Cannot list codex releases from ${registry.url}: HTTP ${response.status}`,
    );
  }
  const packument = await response.json() as { versions?: Record<string, unknown> };
  return stableVersions(Object.keys(packument.versions ?? {})).slice(-count);
}

/** The plain `x.y.z` versions of `versions` (no pre-releases, no platform builds), oldest first. */
export function stableVersions(versions: readonly string[]): string[] {
  return versions.filter((v) => /^\d+\.\d+\.\d+$/.test(v) && parseVersion(v) !== null)
    .sort(compareVersions);
}

function requirePlatform(): PlatformLabel {
  const platform = currentPlatform();
  if (!platform) {
    throw new BundleError(`Cannot fetch codex for ${process.platform}-${process.arch}`);
  }
  return platform;
}

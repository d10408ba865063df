/**
 * Finds the pinned binary of a bundle: `<root>/<platform>/<version>/codex[.exe]`, and nothing
 * else. There is no fallback to PATH or the environment: an app that ships a bundle wants that
 * exact binary or a clear error.
 *
 * @module
 */
import type { BundleSource } from "../src/options.ts";
// Metadata calls are synchronous: a resolve is about ten of them, each microseconds, and the
// async forms cost a new process the file system thread pool's start (2-3 ms on Node) before the
// first answer. Hashing, the only long read, stays asynchronous.
import { lstatSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve as resolvePath, sep } from "node:path";
import { BundleError } from "../src/errors.ts";
import { statSettled } from "../src/fs/stat_settled.ts";
import { sha256File } from "./_hash.ts";
import { BUNDLE_MANIFEST_FILE, findBundleEntry, readBundleManifest } from "./manifest.ts";
import type { BundleManifest } from "./manifest.ts";
import { currentPlatform, platformInfo } from "./platform.ts";
import type { PlatformLabel } from "./platform.ts";
import { validatePlatform, validateRoot, validateVersion } from "./validate.ts";
import {
  defaultVerifiedDir,
  fileIdentity,
  readVerifiedRecord,
  recordSettled,
  sameIdentity,
  writeVerifiedRecord,
} from "./verified.ts";

/** Name of the directory beside the binary whose tools belong on PATH (`rg`). */
export const BUNDLE_PATH_DIR = "codex-path";
/** Name of the directory beside the binary holding its resources (`bwrap` on Linux). */
export const BUNDLE_RESOURCES_DIR = "codex-resources";

/**
 * Which bundled binary to find.
 *
 * @example Point at a bundle
 * ```ts ignore
 * const where: BundleLocation = { root: "./codex-bundle", version: "0.169.0", platform: "linux-x64" };
 * const { binary } = await resolveBundledBinary(where);
 * ```
 */
export interface BundleLocation {
  /** The bundle root: the directory holding `bundle.jsonc` and one directory per platform. */
  root: string;
  /** The exact pinned version (`0.169.0`). */
  version: string;
  /** The platform label; the current platform when omitted. */
  platform?: PlatformLabel;
  /**
   * Where checksums of verified binaries are remembered across processes, keyed by the file's
   * device, inode, size, mtime and ctime (default: `codexkit/verified` in the user's cache
   * directory); `false` hashes the binary on every resolution, even twice in one process.
   */
  verifiedDir?: string | false;
}

/**
 * A bundled binary that passed every check.
 *
 * @example Spawn with the path dir on PATH
 * ```ts ignore
 * const resolved: ResolvedBundle = await resolveBundledBinary({ root: "./codex-bundle", version: "0.169.0" });
 * const PATH = [resolved.pathDir, process.env.PATH].filter(Boolean).join(":");
 * ```
 */
export interface ResolvedBundle {
  /** Absolute path of the executable. */
  binary: string;
  /** The directory to put on PATH for the child (`rg`), when the bundle has one. */
  pathDir: string | undefined;
  /** The resources directory beside the binary, when the bundle has one. */
  resourcesDir: string | undefined;
  /** The canonical bundle root. */
  root: string;
  /** The platform label that was resolved. */
  platform: PlatformLabel;
  /** The version that was resolved. */
  version: string;
  /**
   * `"sha256"` when the manifest lists this binary and its checksum matched; `"unlisted"` when
   * the bundle has no manifest entry for it (nothing to compare with).
   */
  verified: "sha256" | "unlisted";
}

/**
 * The object the binary chain of the exec lane accepts as its `bundle` step.
 *
 * @example Hand a bundle to a binary chain
 * ```ts ignore
 * const step: BundleBinarySource = bundleSource({ root: "./codex-bundle", version: "0.169.0" });
 * console.log(step.describe(), await step.resolve());
 * ```
 */
export type BundleBinarySource = BundleSource;

// Checksums of binaries already verified in this process, keyed by identity and stat fields, so
// a second resolution of an unchanged 300 MB binary does not hash it again; trusted only once
// the identity had settled when it was read.
const verifiedDigests = new Map<string, { digest: string; seenAtMs: number }>();

interface CheckedLocation {
  root: string;
  version: string;
  platform: PlatformLabel;
  verifiedDir: string | false | undefined;
}

/**
 * Resolves the bundled binary for `version` on `platform`. Validates version and platform before
 * touching the file system (TypeError naming the option), then requires a regular executable
 * file inside the root whose sha256 matches the manifest when the manifest lists it. Every
 * failure is a BundleError naming the path.
 *
 * @example Resolve the pinned binary
 * ```ts ignore
 * try {
 *   const { binary, pathDir } = await resolveBundledBinary({ root: "./codex-bundle", version: "0.169.0" });
 *   console.log(binary, pathDir);
 * } catch (error) {
 *   // BundleError: missing, not executable, outside the root, or checksum mismatch
 *   console.error((error as Error).message);
 * }
 * ```
 */
export async function resolveBundledBinary(options: BundleLocation): Promise<ResolvedBundle> {
  const { root, version, platform, verifiedDir } = checkLocation(options);
  const info = platformInfo(platform);
  const canonicalRoot = canonicalDir(resolvePath(root));
  const dir = join(canonicalRoot, platform, version);
  const binary = join(dir, info.executable);
  const where = `codex ${version} for ${platform}`;

  try {
    lstatSync(binary);
  } catch (error) {
    throw new BundleError(`Cannot find ${where} in the bundle: ${binary} does not exist`, {
      path: binary,
      cause: error,
    });
  }
  let target: string;
  try {
    target = realpathSync(binary);
  } catch (error) {
    throw new BundleError(`Cannot resolve ${where}: ${binary} is a dangling link`, {
      path: binary,
      cause: error,
    });
  }
  if (!isInside(canonicalRoot, target)) {
    throw new BundleError(
      `Cannot use ${where}: ${binary} leads outside the bundle root (${target})`,
      { path: binary },
    );
  }
  // Read before the stat: see statSettled.
  const seenAtMs = Date.now();
  const stats = statSync(target);
  if (!stats.isFile()) {
    throw new BundleError(`Cannot use ${where}: ${binary} is not a regular file`, {
      path: binary,
    });
  }
  if (info.os !== "win32" && (stats.mode & 0o111) === 0) {
    throw new BundleError(`Cannot use ${where}: ${binary} is not executable`, { path: binary });
  }

  const memo = verifiedDir === false ? undefined : verifiedDir ?? defaultVerifiedDir();
  const manifestPath = join(canonicalRoot, BUNDLE_MANIFEST_FILE);
  const binaryId = fileIdentity(stats);
  // Fast path for a new process: this binary and this manifest, both unchanged, were checked.
  const manifestStats = memo === undefined
    ? undefined
    : statSync(manifestPath, { throwIfNoEntry: false });
  const record = manifestStats ? readVerifiedRecord(memo!, target) : undefined;
  const unchanged = record !== undefined && recordSettled(record) &&
    sameIdentity(record.binary, binaryId) &&
    sameIdentity(record.manifest, fileIdentity(manifestStats!));
  const verified = unchanged ? "sha256" : await verifyAgainstManifest();

  async function verifyAgainstManifest(): Promise<ResolvedBundle["verified"]> {
    let manifest: BundleManifest | undefined;
    try {
      manifest = await readBundleManifest(canonicalRoot);
    } catch (error) {
      throw new BundleError(`Cannot verify ${where}: ${(error as Error).message}`, {
        path: manifestPath,
        cause: error,
      });
    }
    const entry = findBundleEntry(manifest, version, platform);
    if (!entry) return "unlisted";
    const mismatch = (actual: string) =>
      new BundleError(
        `Cannot use ${where}: ${binary} does not match bundle.jsonc (expected ${entry.sha256}${
          actual ? `, got ${actual}` : ""
        })`,
        { path: binary },
      );
    if (binaryId.size !== entry.size) {
      throw mismatch(`${binaryId.size} bytes instead of ${entry.size}`);
    }
    const key = `${target}\0${Object.values(binaryId).join("\0")}`;
    const known = memo === undefined ? undefined : verifiedDigests.get(key);
    let digest = known && statSettled(binaryId.ctimeMs, known.seenAtMs) ? known.digest : undefined;
    // A record of this binary still saves the hash when only the manifest changed.
    if (
      digest === undefined && record && sameIdentity(record.binary, binaryId) &&
      statSettled(record.binary.ctimeMs, record.seenAtMs)
    ) {
      digest = record.sha256;
    }
    if (digest !== entry.sha256) digest = await sha256File(target);
    if (digest !== entry.sha256) throw mismatch(digest);
    verifiedDigests.set(key, { digest, seenAtMs });
    // The manifest's identity from before it was read: if it changed since, the next process
    // sees another identity and checks again.
    if (memo !== undefined && manifestStats) {
      await writeVerifiedRecord(memo, target, {
        binary: binaryId,
        manifest: fileIdentity(manifestStats),
        sha256: digest,
        seenAtMs,
      });
    }
    return "sha256";
  }

  return {
    binary,
    pathDir: dirInside(canonicalRoot, join(dir, BUNDLE_PATH_DIR)),
    resourcesDir: dirInside(canonicalRoot, join(dir, BUNDLE_RESOURCES_DIR)),
    root: canonicalRoot,
    platform,
    version,
    verified,
  };
}

/**
 * The bundle as a step of a binary resolution chain: `resolve()` runs
 * {@linkcode resolveBundledBinary} and yields the binary path. Options are validated now.
 *
 * @example A bundle step resolved later
 * ```ts ignore
 * const source = bundleSource({ root: "./codex-bundle", version: "0.169.0" });
 * const binary = await source.resolve();
 * ```
 */
export function bundleSource(options: BundleLocation): BundleBinarySource {
  const location = checkLocation(options);
  return {
    describe: () => `bundle ${join(location.root, location.platform, location.version)}`,
    resolve: async () => {
      const bundle = await resolveBundledBinary(location);
      // The path dir holds rg, which codex expects on its PATH.
      return { path: bundle.binary, pathDirs: bundle.pathDir ? [bundle.pathDir] : [] };
    },
  };
}

function checkLocation(options: BundleLocation): CheckedLocation {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Invalid options: expected { root, version, platform? }");
  }
  const root = validateRoot(options.root);
  const version = validateVersion(options.version);
  let platform: PlatformLabel;
  if (options.platform === undefined) {
    const current = currentPlatform();
    if (current === undefined) {
      throw new BundleError("Cannot pick a bundle platform: codex ships no binary for this one");
    }
    platform = current;
  } else {
    platform = validatePlatform(options.platform);
  }
  const verifiedDir = options.verifiedDir;
  if (
    verifiedDir !== undefined && verifiedDir !== false &&
    (typeof verifiedDir !== "string" || verifiedDir.length === 0 || verifiedDir.includes("\0"))
  ) {
    throw new TypeError(
      `Invalid option verifiedDir: ${JSON.stringify(verifiedDir)} is not a directory path or false`,
    );
  }
  return { root, version, platform, verifiedDir };
}

function canonicalDir(root: string): string {
  let canonical: string;
  try {
    canonical = realpathSync(root);
  } catch (error) {
    throw new BundleError(`Cannot find the bundle root ${root}`, { path: root, cause: error });
  }
  if (!statSync(canonical).isDirectory()) {
    throw new BundleError(`Cannot use the bundle root ${root}: not a directory`, { path: root });
  }
  return canonical;
}

function dirInside(root: string, dir: string): string | undefined {
  try {
    const real = realpathSync(dir);
    return isInside(root, real) && statSync(real).isDirectory() ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `path` lies inside `root`; both canonical. Pure. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && rel.split(sep)[0] !== ".." && !isAbsolute(rel);
}

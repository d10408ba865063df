/**
 * Building a bundle: fetch the platform package of `@openai/codex` from the machine's npm
 * registry, verify the registry's integrity over the downloaded bytes, unpack only the codex
 * files into a temp dir inside the root, move it into place and record it in `bundle.jsonc`.
 * A failure leaves the bundle as it was.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, open, rename, rm, stat, symlink } from "node:fs/promises";
import { dirname, join, posix, resolve as resolvePath } from "node:path";
import { BundleError } from "../src/errors.ts";
import { parseIntegrity } from "./_hash.ts";
import { readTar } from "./_tar.ts";
import {
  BUNDLE_MANIFEST_FILE,
  findBundleEntry,
  readBundleManifest,
  recordBundleEntry,
} from "./manifest.ts";
import type { BundleEntry } from "./manifest.ts";
import { currentPlatform, npmPackageSpec, npmPlatformVersion, platformInfo } from "./platform.ts";
import type { PlatformLabel } from "./platform.ts";
import { withFileLock } from "./_lock.ts";
import {
  causeText,
  discoverRegistry,
  fetchLatestVersion,
  fetchVersionDist,
  redactUrl,
} from "./registry.ts";
import type { RegistrySource } from "./registry.ts";
import { BUNDLE_PATH_DIR, BUNDLE_RESOURCES_DIR, resolveBundledBinary } from "./resolve.ts";
import { validatePlatform, validateRoot, validateVersion } from "./validate.ts";

/**
 * Progress of {@linkcode addToBundle}, one event per step (downloads report every MiB).
 *
 * @example Print download progress
 * ```ts ignore
 * await addToBundle({
 *   root: "./codex-bundle",
 *   version: "0.169.0",
 *   onProgress: (e: BundleProgress) => {
 *     if (e.type === "download") console.error(`${e.platform}: ${e.receivedBytes} bytes`);
 *   },
 * });
 * ```
 */
export type BundleProgress =
  | { type: "registry"; url: string; source: RegistrySource }
  | { type: "latest"; version: string }
  | { type: "metadata"; platform: PlatformLabel; spec: string; tarball: string }
  | { type: "download"; platform: PlatformLabel; receivedBytes: number; totalBytes?: number }
  | { type: "verified"; platform: PlatformLabel; integrity: string }
  | { type: "unpacked"; platform: PlatformLabel; files: number }
  | { type: "added"; platform: PlatformLabel; binary: string; sha256: string; size: number }
  | { type: "unchanged"; platform: PlatformLabel; binary: string };

/**
 * Options of {@linkcode addToBundle}.
 *
 * @example Use a private registry
 * ```ts ignore
 * const options: AddToBundleOptions = {
 *   root: "./codex-bundle",
 *   version: "0.169.0",
 *   registry: "https://npm.internal.example/",
 * };
 * await addToBundle(options);
 * ```
 */
export interface AddToBundleOptions {
  /** The bundle root; created when missing. */
  root: string;
  /** The exact codex version to add (`0.169.0`), or `"latest"` for the registry's latest. */
  version: string;
  /** Platforms to add; the current platform when omitted. */
  platforms?: readonly PlatformLabel[];
  /**
   * The npm registry URL; otherwise `npm_config_registry`, the `.npmrc` files, `npm config get
   * registry`, and the public registry when none of them names one.
   */
  registry?: string;
  /** The fetch to use (a proxy-aware one, a test double); the global fetch when omitted. */
  fetch?: typeof fetch;
  /** Called for each step. */
  onProgress?: (event: BundleProgress) => void;
  /** Environment for registry discovery; the process's when omitted. */
  env?: Record<string, string | undefined>;
  /** Cancels downloads. */
  signal?: AbortSignal;
}

/**
 * One platform's outcome.
 *
 * @example Report what changed
 * ```ts ignore
 * const { added } = await addToBundle({ root: "./codex-bundle", version: "0.169.0" });
 * for (const a of added) console.log(a.platform, a.unchanged ? "already there" : a.entry.sha256);
 * ```
 */
export interface AddedBinary {
  /** The platform this item is about. */
  platform: PlatformLabel;
  /** Path of the executable inside the bundle. */
  binary: string;
  /** The manifest entry now recorded for it. */
  entry: BundleEntry;
  /** `true` when the bundle already held this exact build and nothing was downloaded. */
  unchanged: boolean;
}

/**
 * What {@linkcode addToBundle} did.
 *
 * @example Which registry served it
 * ```ts ignore
 * const result: AddToBundleResult = await addToBundle({ root: "./codex-bundle", version: "0.169.0" });
 * console.log(result.registry);
 * ```
 */
export interface AddToBundleResult {
  /** The bundle root (absolute). */
  root: string;
  /** The version that was added. */
  version: string;
  /** The registry that was used. */
  registry: string;
  /** One item per platform, in the order asked. */
  added: AddedBinary[];
}

// fine enough for a progress bar to move smoothly; printers that want fewer lines skip some
const PROGRESS_STEP = 1 << 20;

/**
 * Adds `version` for each platform to the bundle at `root`. Options are checked before any
 * file or network access (TypeError naming the option). Bad integrity, an unknown version,
 * an unwritable root or a malformed tarball reject with a BundleError and leave the bundle as
 * it was; platforms finished before the failure stay added. Moving a version into place and
 * recording it happen under a lock on the manifest (`bundle.jsonc.lock`), so concurrent adds
 * to one root, from any process, all end up in the manifest.
 *
 * @example Add 0.169.0 for two platforms
 * ```ts ignore
 * const result = await addToBundle({
 *   root: "./codex-bundle",
 *   version: "0.169.0",
 *   platforms: ["linux-x64", "darwin-arm64"],
 *   onProgress: (e) => console.error(e.type, e),
 * });
 * console.log(result.added.map((a) => a.binary));
 * ```
 */
export async function addToBundle(options: AddToBundleOptions): Promise<AddToBundleResult> {
  const root = resolvePath(validateRoot(options.root));
  const wantsLatest = options.version === "latest";
  let version = wantsLatest ? "latest" : validateVersion(options.version);
  const platforms = (options.platforms ?? [requireCurrentPlatform()]).map(validatePlatform);
  if (platforms.length === 0) throw new TypeError("Invalid option platforms: empty list");
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") throw new TypeError("Invalid option fetch: not a function");
  const progress = options.onProgress ?? (() => {});

  const registry = await discoverRegistry({ registry: options.registry, env: options.env });
  // the URL may carry credentials (`https://user:token@host/`): progress shows it without them
  progress({ type: "registry", url: redactUrl(registry.url), source: registry.source });
  if (wantsLatest) {
    const latest = await fetchLatestVersion(registry.url, fetchImpl, options.signal);
    try {
      version = validateVersion(latest);
    } catch {
      throw new BundleError(
        `Cannot add the latest codex: the registry ${redactUrl(registry.url)} names ${
          JSON.stringify(latest)
        }, not an exact version`,
      );
    }
    progress({ type: "latest", version });
  }

  const added: AddedBinary[] = [];
  for (const platform of new Set(platforms)) {
    added.push(
      await addOne({
        root,
        version,
        platform,
        registry: registry.url,
        fetchImpl,
        progress,
        signal: options.signal,
      }),
    );
  }
  return { root, version, registry: registry.url, added };
}

interface AddOne {
  root: string;
  version: string;
  platform: PlatformLabel;
  registry: string;
  fetchImpl: typeof fetch;
  progress: (event: BundleProgress) => void;
  signal: AbortSignal | undefined;
}

async function addOne(job: AddOne): Promise<AddedBinary> {
  const { root, version, platform, progress } = job;
  const info = platformInfo(platform);
  const spec = npmPackageSpec(platform, version);
  const dist = await fetchVersionDist(
    job.registry,
    npmPlatformVersion(platform, version),
    job.fetchImpl,
    job.signal,
  );
  progress({ type: "metadata", platform, spec, tarball: redactUrl(dist.tarball) });
  const integrity = parseIntegrity(dist.integrity);
  if (!integrity) {
    throw new BundleError(
      `Cannot add ${spec}: the registry gives no sha256/384/512 integrity for it`,
    );
  }
  if (!/^https?:$/.test(safeProtocol(dist.tarball))) {
    throw new BundleError(
      `Cannot add ${spec}: tarball URL ${redactUrl(dist.tarball)} is not http(s)`,
    );
  }

  const existing = await unchangedBinary(root, version, platform, dist.integrity as string);
  if (existing) {
    progress({ type: "unchanged", platform, binary: existing.binary });
    return { platform, binary: existing.binary, entry: existing.entry, unchanged: true };
  }

  await mkdir(root, { recursive: true }).catch((error) => {
    throw new BundleError(`Cannot create the bundle root ${root}: ${(error as Error).message}`, {
      path: root,
      cause: error,
    });
  });
  let temp: string;
  try {
    temp = await mkdtemp(join(root, ".bundle-tmp-"));
  } catch (error) {
    throw new BundleError(`Cannot write to the bundle root ${root}: ${(error as Error).message}`, {
      path: root,
      cause: error,
    });
  }
  try {
    const tgz = join(temp, "package.tgz");
    await download(dist.tarball, tgz, integrity.algorithm, job, (digest) => {
      if (digest !== integrity.digest) {
        throw new BundleError(
          `Cannot add ${spec}: the tarball from ${
            redactUrl(dist.tarball)
          } does not match the registry's integrity ${integrity.algorithm}`,
        );
      }
    });
    progress({ type: "verified", platform, integrity: dist.integrity as string });

    const out = join(temp, "out");
    const { sha256, size, files } = await unpack(tgz, out, info.triple, info.executable, spec);
    progress({ type: "unpacked", platform, files });

    const dest = join(root, platform, version);
    const binary = join(dest, info.executable);
    const entry: BundleEntry = {
      sha256,
      size,
      source: { tarball: dist.tarball, integrity: dist.integrity as string, package: spec },
      addedAt: new Date().toISOString(),
    };
    // re-reads the manifest under the lock, so an entry another add wrote meanwhile stays
    await withFileLock(
      join(root, `${BUNDLE_MANIFEST_FILE}.lock`),
      () =>
        place(out, dest, join(temp, "previous"), async () => {
          await recordBundleEntry(root, version, platform, entry);
        }),
    );
    progress({ type: "added", platform, binary, sha256, size });
    return { platform, binary, entry, unchanged: false };
  } catch (error) {
    if (error instanceof BundleError || error instanceof TypeError) throw error;
    throw new BundleError(`Cannot add ${spec} to ${root}: ${(error as Error).message}`, {
      path: root,
      cause: error,
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** The bundled binary when the manifest already records this exact registry build and it verifies. */
async function unchangedBinary(
  root: string,
  version: string,
  platform: PlatformLabel,
  integrity: string,
): Promise<{ binary: string; entry: BundleEntry } | undefined> {
  try {
    const entry = findBundleEntry(await readBundleManifest(root), version, platform);
    if (entry?.source.integrity !== integrity) return undefined;
    const resolved = await resolveBundledBinary({ root, version, platform });
    return resolved.verified === "sha256" ? { binary: resolved.binary, entry } : undefined;
  } catch {
    return undefined;
  }
}

async function download(
  url: string,
  path: string,
  algorithm: string,
  job: AddOne,
  check: (digest: string) => void,
): Promise<void> {
  let response: Response;
  try {
    response = await job.fetchImpl(url, { signal: job.signal });
  } catch (error) {
    throw new BundleError(`Cannot download ${redactUrl(url)}: ${causeText(error)}`, {
      cause: error,
    });
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new BundleError(`Cannot download ${redactUrl(url)}: HTTP ${response.status}`);
  }
  const length = Number(response.headers.get("content-length"));
  const totalBytes = Number.isFinite(length) && length > 0 ? length : undefined;
  const hash = createHash(algorithm);
  const file = await open(path, "wx");
  let receivedBytes = 0;
  let nextReport = 0;
  try {
    for await (const chunk of response.body) {
      hash.update(chunk);
      await file.write(chunk);
      receivedBytes += chunk.length;
      if (receivedBytes >= nextReport) {
        job.progress({ type: "download", platform: job.platform, receivedBytes, totalBytes });
        nextReport = receivedBytes + PROGRESS_STEP;
      }
    }
  } finally {
    await file.close();
  }
  job.progress({ type: "download", platform: job.platform, receivedBytes, totalBytes });
  check(hash.digest("base64"));
}

/**
 * Unpacks from `package/vendor/<triple>/` only: the executable (`bin/codex`), the helpers beside
 * it in `bin/`, the path dir, the resources dir (the Linux sandbox needs its `bwrap`, seen on
 * 0.169.0) and `codex-package.json`. Everything else in the tarball is skipped.
 */
async function unpack(
  tgz: string,
  out: string,
  triple: string,
  executable: string,
  spec: string,
): Promise<{ sha256: string; size: number; files: number }> {
  const prefix = `package/vendor/${triple}/`;
  await mkdir(out);
  let main: { sha256: string; size: number } | undefined;
  let files = 0;
  const gunzip = new DecompressionStream("gzip") as unknown as TransformStream<
    Uint8Array,
    Uint8Array
  >;
  for await (const entry of readTar(fileStream(tgz).pipeThrough(gunzip))) {
    if (!entry.path.startsWith(prefix)) continue;
    const rel = entry.path.slice(prefix.length);
    const target = selectTarget(rel, executable);
    if (target === undefined) continue;
    const dest = join(out, ...target.split("/"));
    if (entry.type === "directory") {
      await mkdir(dest, { recursive: true });
    } else if (entry.type === "symlink") {
      // a link may only point within the part we unpack
      const resolved = posix.normalize(posix.join(posix.dirname(target), entry.linkName));
      if (
        entry.linkName.startsWith("/") || resolved.startsWith("..") ||
        !selectTarget(resolved, executable)
      ) {
        throw new BundleError(
          `Cannot unpack ${spec}: link ${entry.path} points outside the package`,
        );
      }
      await mkdir(dirname(dest), { recursive: true });
      await symlink(entry.linkName, dest);
      files++;
    } else if (entry.type === "file") {
      await mkdir(dirname(dest), { recursive: true });
      const isMain = target === executable;
      const hash = isMain ? createHash("sha256") : undefined;
      const file = await open(dest, "wx");
      try {
        for await (const chunk of entry.body()) {
          hash?.update(chunk);
          await file.write(chunk);
        }
      } finally {
        await file.close();
      }
      // the binary, its helpers from bin/ and the tools in the path dir must run
      const executableBit = isMain || target.startsWith(`${BUNDLE_PATH_DIR}/`) ||
        (!target.includes("/") && target !== "codex-package.json");
      await chmod(dest, executableBit ? 0o755 : (entry.mode & 0o777) | 0o644);
      if (hash) main = { sha256: hash.digest("hex"), size: entry.size };
      files++;
    }
    // hard links and special files are not part of a codex package; skip them
  }
  if (!main) {
    throw new BundleError(`Cannot add ${spec}: the tarball has no ${prefix}bin/${executable}`);
  }
  const { size } = await stat(join(out, executable));
  if (size !== main.size) throw new BundleError(`Cannot add ${spec}: the executable was cut short`);
  return { ...main, files };
}

/**
 * Where a package path (relative to `vendor/<triple>/`) goes in the bundle version dir, or
 * `undefined` when it is not unpacked. Pure.
 */
export function selectTarget(rel: string, executable: string): string | undefined {
  if (rel === "codex-package.json") return rel;
  if (rel.startsWith("bin/")) {
    const name = rel.slice(4);
    if (name === "" || name.includes("/")) return undefined;
    if (
      name === BUNDLE_PATH_DIR || name === BUNDLE_RESOURCES_DIR || name === "codex-package.json"
    ) {
      return undefined;
    }
    return name === executable ? executable : name;
  }
  for (const dir of [BUNDLE_PATH_DIR, BUNDLE_RESOURCES_DIR]) {
    if (rel === dir || rel.startsWith(`${dir}/`)) return rel;
  }
  return undefined;
}

/**
 * Moves the unpacked dir to `dest`, keeping any previous one aside until `commit` (the manifest
 * write) succeeds; on failure the previous state comes back.
 */
async function place(
  out: string,
  dest: string,
  aside: string,
  commit: () => Promise<void>,
): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  let hadPrevious = false;
  try {
    await rename(dest, aside);
    hadPrevious = true;
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
  try {
    await rename(out, dest);
  } catch (error) {
    if (hadPrevious) await rename(aside, dest);
    throw error;
  }
  try {
    await commit();
  } catch (error) {
    await rm(dest, { recursive: true, force: true });
    if (hadPrevious) await rename(aside, dest);
    throw error;
  }
}

function fileStream(path: string): ReadableStream<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      handle ??= await open(path, "r");
      const buffer = new Uint8Array(1 << 20);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) {
        await handle.close();
        handle = undefined;
        controller.close();
      } else {
        controller.enqueue(buffer.subarray(0, bytesRead));
      }
    },
    async cancel() {
      await handle?.close();
      handle = undefined;
    },
  });
}

function requireCurrentPlatform(): PlatformLabel {
  const current = currentPlatform();
  if (!current) throw new BundleError("Cannot pick a platform: codex ships no binary for this one");
  return current;
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return "";
  }
}

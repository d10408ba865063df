/**
 * Building a bundle: fetch the platform package of `@openai/codex` from the machine's npm
 * registry, verify the registry's integrity over the downloaded bytes, unpack only the codex
 * files into a temp dir inside the root, move it into place and record it in `bundle.jsonc`.
 * A failure leaves the bundle as it was.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve as resolvePath } from "node:path";
import { BundleError } from "../src/errors.ts";
import { removeStaleTemps, tempNameFor } from "../src/fs/atomic_write.ts";
import { checkLimitOptions, watchBody, Watchdog } from "./_limits.ts";
import { checkCaOption, chooseCa } from "./_ca.ts";
import { fetchTrusting } from "../src/runtime/tls_fetch.ts";
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
  /**
   * A PEM file of CA certificates the downloads trust besides the system roots (a corporate
   * TLS proxy's). Otherwise `CODEX_CA_CERTIFICATE`, then `SSL_CERT_FILE` from `env`, as codex
   * itself does. Not with `fetch` (a custom fetch does its own TLS; the variables are then
   * not read).
   */
  caCertificate?: string;
  /** Called for each step. */
  onProgress?: (event: BundleProgress) => void;
  /** Environment for registry discovery; the process's when omitted. */
  env?: Record<string, string | undefined>;
  /** Cancels downloads. */
  signal?: AbortSignal;
  /**
   * The most bytes one response may have (default 1 GiB; the 0.169.0 linux-x64 tarball is
   * 167 MB); the unpacked tarball may have four times that. More is a BundleError.
   */
  maxBytes?: number;
  /** How long the registry may send nothing while a response is awaited, in ms (default 60000). */
  idleTimeoutMs?: number;
  /** How long the whole call may take, in ms (default 3600000, an hour). */
  timeoutMs?: number;
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
  const version = wantsLatest ? "latest" : validateVersion(options.version);
  const platforms = (options.platforms ?? [requireCurrentPlatform()]).map(validatePlatform);
  if (platforms.length === 0) throw new TypeError("Invalid option platforms: empty list");
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new TypeError("Invalid option fetch: not a function");
  }
  checkCaOption(options.caCertificate, options.fetch !== undefined);
  const progress = options.onProgress ?? (() => {});
  const limits = checkLimitOptions(options);
  const ca = options.fetch ? undefined : await chooseCa(options.caCertificate, options.env);
  await using trusted = ca ? fetchTrusting(ca.pem) : undefined;
  const fetchImpl = options.fetch ?? trusted?.fetch ?? globalThis.fetch;
  using watchdog = new Watchdog(limits, options.signal);
  try {
    return await addAll(
      options,
      { root, version, wantsLatest, platforms, fetchImpl, progress },
      watchdog,
    );
  } catch (error) {
    // a limit that fired surfaces as itself, not as the aborted read it caused
    throw watchdog.reason ?? error;
  }
}

interface CheckedAdd {
  root: string;
  version: string;
  wantsLatest: boolean;
  platforms: PlatformLabel[];
  fetchImpl: typeof fetch;
  progress: (event: BundleProgress) => void;
}

async function addAll(
  options: AddToBundleOptions,
  checked: CheckedAdd,
  watchdog: Watchdog,
): Promise<AddToBundleResult> {
  const { root, wantsLatest, platforms, fetchImpl, progress } = checked;
  let version = checked.version;
  const registry = await discoverRegistry({ registry: options.registry, env: options.env });
  // the URL may carry credentials (`https://user:token@host/`): progress shows it without them
  progress({ type: "registry", url: redactUrl(registry.url), source: registry.source });
  if (wantsLatest) {
    const latest = await fetchLatestVersion(registry.url, fetchImpl, watchdog);
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
        watchdog,
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
  watchdog: Watchdog;
}

async function addOne(job: AddOne): Promise<AddedBinary> {
  const { root, version, platform, progress } = job;
  const info = platformInfo(platform);
  const spec = npmPackageSpec(platform, version);
  const dist = await fetchVersionDist(
    job.registry,
    npmPlatformVersion(platform, version),
    job.fetchImpl,
    job.watchdog,
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
  // An add killed mid-way leaves its temp dir (hundreds of MB): the next add removes those
  // whose process is gone, as atomic writes do for their temp files.
  await removeStaleTemps(root, undefined, { directories: true, legacyPrefix: ".bundle-tmp-" });
  const temp = join(root, tempNameFor(join(root, "bundle")));
  try {
    await mkdir(temp, { mode: 0o700 });
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
    const { sha256, size, files } = await unpack(tgz, out, info, spec, job.watchdog);
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
    // Options were checked before; a TypeError here is a runtime's (a broken stream), not ours.
    if (error instanceof BundleError) throw error;
    throw new BundleError(`Cannot add ${spec} to ${root}: ${causeText(error)}`, {
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
  const { watchdog } = job;
  const where = redactUrl(url);
  let response: Response;
  try {
    watchdog.waiting(where);
    response = await watchdog.race(job.fetchImpl(url, { signal: watchdog.signal }));
  } catch (error) {
    throw new BundleError(`Cannot download ${where}: ${causeText(error)}`, { cause: error });
  } finally {
    watchdog.resting();
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new BundleError(`Cannot download ${where}: HTTP ${response.status}`);
  }
  const length = Number(response.headers.get("content-length"));
  const totalBytes = Number.isFinite(length) && length > 0 ? length : undefined;
  if (totalBytes !== undefined && totalBytes > watchdog.limits.maxBytes) {
    await response.body.cancel();
    throw new BundleError(
      `Cannot download ${where}: it has ${totalBytes} bytes, more than ${watchdog.limits.maxBytes} (option maxBytes)`,
    );
  }
  const hash = createHash(algorithm);
  const file = await open(path, "wx", 0o600);
  let receivedBytes = 0;
  let nextReport = 0;
  try {
    for await (const chunk of watchBody(response.body, watchdog, where)) {
      hash.update(chunk);
      await file.write(chunk).catch((error: unknown) => {
        throw new BundleError(`Cannot write the download to ${path}: ${causeText(error)}`, {
          path,
          cause: error,
        });
      });
      receivedBytes += chunk.length;
      if (receivedBytes >= nextReport) {
        job.progress({ type: "download", platform: job.platform, receivedBytes, totalBytes });
        nextReport = receivedBytes + PROGRESS_STEP;
      }
    }
  } catch (error) {
    if (error instanceof BundleError) throw error;
    throw new BundleError(
      `Cannot download ${where}: the transfer broke after ${receivedBytes} bytes (${
        causeText(error) || "no reason given"
      })`,
      { cause: error },
    );
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
 *
 * npm tarballs hold no links, so a link entry anywhere is refused: one written first could
 * carry a later entry out of the bundle. Every directory on the way to a file is one this call
 * created (a name that exists already is refused), and files are created exclusively, so
 * nothing is ever written through a link. Files keep the tarball's mode plus owner read (and
 * owner execute for the binary), created under the process's umask: never wider.
 */
async function unpack(
  tgz: string,
  out: string,
  info: { triple: string; executable: string },
  spec: string,
  watchdog: Watchdog,
): Promise<{ sha256: string; size: number; files: number }> {
  const { executable } = info;
  const prefix = `package/vendor/${info.triple}/`;
  await mkdir(out);
  const made = new Set<string>([""]);
  let main: { sha256: string; size: number } | undefined;
  let files = 0;
  const gunzip = new DecompressionStream("gzip") as unknown as TransformStream<
    Uint8Array,
    Uint8Array
  >;
  const tar = fileStream(tgz).pipeThrough(gunzip).pipeThrough(
    byteCap(UNPACKED_FACTOR * watchdog.limits.maxBytes, spec),
  );
  try {
    for await (const entry of readTar(tar)) {
      watchdog.signal.throwIfAborted();
      if (entry.type === "symlink" || entry.type === "hardlink") {
        throw new BundleError(
          `Cannot unpack ${spec}: entry ${entry.path} is a ${
            entry.type === "symlink" ? "symbolic" : "hard"
          } link (to ${JSON.stringify(entry.linkName)}); npm packages hold no links`,
        );
      }
      if (!entry.path.startsWith(prefix)) continue;
      const target = selectTarget(entry.path.slice(prefix.length), executable);
      if (target === undefined) continue;
      if (entry.type === "directory") {
        await makeDirs(out, target, made, spec, entry.mode);
      } else if (entry.type === "file") {
        await makeDirs(out, parentOf(target), made, spec);
        const isMain = target === executable;
        const hash = isMain ? createHash("sha256") : undefined;
        const mode = (entry.mode & 0o777) | 0o400 | (isMain ? 0o100 : 0);
        const dest = join(out, ...target.split("/"));
        const file = await open(dest, "wx", mode).catch((error: unknown) => {
          if ((error as { code?: string }).code !== "EEXIST") throw error;
          throw new BundleError(`Cannot unpack ${spec}: entry ${entry.path} comes twice`);
        });
        try {
          for await (const chunk of entry.body()) {
            hash?.update(chunk);
            await file.write(chunk);
          }
        } finally {
          await file.close();
        }
        if (hash) main = { sha256: hash.digest("hex"), size: entry.size };
        files++;
      }
      // devices and fifos are not part of a codex package; skip them
    }
  } catch (error) {
    if (error instanceof BundleError) throw error;
    const code = (error as { code?: unknown }).code;
    // a file system error has a code (ENOSPC); anything else is the gzip stream's
    const why = typeof code === "string" && code.startsWith("E")
      ? causeText(error)
      : `the tarball is not valid gzip (${causeText(error) || "corrupt or cut short"})`;
    throw new BundleError(`Cannot unpack ${spec}: ${why}`, { cause: error });
  }
  if (!main) {
    throw new BundleError(`Cannot add ${spec}: the tarball has no ${prefix}bin/${executable}`);
  }
  const { size } = await stat(join(out, executable));
  if (size !== main.size) throw new BundleError(`Cannot add ${spec}: the executable was cut short`);
  return { ...main, files };
}

// The unpacked tarball may be this many times `maxBytes` (a binary compresses about 2:1).
const UNPACKED_FACTOR = 4;

/** Errors the stream once more than `limit` bytes passed (a gzip bomb). */
function byteCap(limit: number, spec: string): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  return new TransformStream({
    transform(chunk, controller) {
      total += chunk.length;
      if (total > limit) {
        throw new BundleError(
          `Cannot unpack ${spec}: it unpacks to more than ${limit} bytes (${UNPACKED_FACTOR} times option maxBytes)`,
        );
      }
      controller.enqueue(chunk);
    },
  });
}

function parentOf(rel: string): string {
  const slash = rel.lastIndexOf("/");
  return slash === -1 ? "" : rel.slice(0, slash);
}

/**
 * Creates `rel` under `out` one level at a time. A level this call did not create is refused:
 * it is a file entry's name, and writing below it would mean writing through something else.
 */
async function makeDirs(
  out: string,
  rel: string,
  made: Set<string>,
  spec: string,
  mode?: number,
): Promise<void> {
  let at = "";
  for (const part of rel === "" ? [] : rel.split("/")) {
    at = at === "" ? part : `${at}/${part}`;
    if (made.has(at)) continue;
    try {
      // owner rwx: later entries are written into it
      await mkdir(join(out, ...at.split("/")), {
        mode: at === rel && mode !== undefined ? (mode & 0o777) | 0o700 : 0o777,
      });
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
      throw new BundleError(`Cannot unpack ${spec}: ${at} is both a file and a directory`);
    }
    made.add(at);
  }
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

/**
 * The on-disk cache: one JSON file per binary, named by a hash of its canonical path, written
 * atomically and validated on every read. Anything odd about a file makes it a miss.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { lstat, mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import * as v from "valibot";
import { writeFileAtomic } from "../src/fs/atomic_write.ts";
import { sameFingerprint } from "./fingerprint.ts";
import { issueLines, SnapshotSchema } from "./schema.ts";
import { SNAPSHOT_SCHEMA_VERSION } from "./types.ts";
import type { CapabilitySnapshot, Fingerprint } from "./types.ts";
import { userCacheDir } from "../src/fs/cache_dir.ts";

/** Marks a cache file as ours. */
export const CACHE_FILE_KIND = "codexkit.capabilities";

// A snapshot is ~40 KB; a much larger file is not one of ours.
const MAX_CACHE_BYTES = 4 << 20;

/** The result of {@linkcode readCacheFile}. */
export type CacheRead =
  | { status: "hit"; snapshot: CapabilitySnapshot; path: string }
  | { status: "missing"; path: string }
  | { status: "ignored"; reason: string; path: string };

/**
 * The default cache directory: `$XDG_CACHE_HOME` or `~/.cache` on Linux and other Unixes,
 * `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows; plus `codexkit/capabilities`.
 *
 * @example Where the cache lives
 * ```ts
 * import { defaultCacheDir } from "@codexkit/sdk/capabilities";
 * defaultCacheDir(); // e.g. "/home/me/.cache/codexkit/capabilities"
 * ```
 */
export function defaultCacheDir(): string {
  return userCacheDir("capabilities");
}

/** The cache file name for a canonical binary path: a hash, so no path text leaks into names. */
export function cacheFileName(canonicalPath: string): string {
  return `${createHash("sha256").update(canonicalPath).digest("hex").slice(0, 32)}.json`;
}

/**
 * Reads the entry for `fingerprint.path` from `dir`, opening only a regular file and never
 * blocking (a FIFO there is ignored, not waited on). A symlink, a non-regular or oversized
 * file, text that is not JSON (truncated, corrupt), another schema version, a shape that does
 * not validate, or a fingerprint that no longer matches all give `"ignored"` with the reason.
 *
 * @example Read a cache entry
 * ```ts ignore
 * const fp = await fingerprintBinary("/usr/local/bin/codex");
 * const read = await readCacheFile(defaultCacheDir(), fp);
 * if (read.status === "ignored") console.warn(read.reason);
 * ```
 */
export async function readCacheFile(dir: string, fingerprint: Fingerprint): Promise<CacheRead> {
  const path = join(dir, cacheFileName(fingerprint.path));
  let text: string;
  try {
    // A FIFO or device at the path would block a plain open (for ever, with no writer): look
    // first, then open without blocking and check again on the open file, which cannot change.
    const seen = await lstat(path);
    if (seen.isSymbolicLink()) return { status: "ignored", reason: "is a symlink", path };
    if (!seen.isFile()) return { status: "ignored", reason: "not a regular file", path };
    // O_NOFOLLOW closes the race a separate lstat would leave open (absent on Windows).
    const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
    const file = await open(path, flags);
    try {
      const info = await file.stat();
      if (!info.isFile()) return { status: "ignored", reason: "not a regular file", path };
      if (info.size > MAX_CACHE_BYTES) return { status: "ignored", reason: "file too large", path };
      text = await file.readFile("utf8");
    } finally {
      await file.close();
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT") return { status: "missing", path };
    if (code === "ELOOP" || code === "EMLINK") {
      return { status: "ignored", reason: "is a symlink", path };
    }
    return { status: "ignored", reason: `cannot read: ${code ?? String(error)}`, path };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { status: "ignored", reason: "not JSON (corrupt or truncated)", path };
  }
  const head = data as { kind?: unknown; schemaVersion?: unknown; snapshot?: unknown } | null;
  if (head?.kind !== CACHE_FILE_KIND) {
    return { status: "ignored", reason: "not a cache file", path };
  }
  if (head.schemaVersion !== SNAPSHOT_SCHEMA_VERSION) {
    return {
      status: "ignored",
      reason: `schema version ${JSON.stringify(head.schemaVersion)}`,
      path,
    };
  }
  const parsed = v.safeParse(SnapshotSchema, head.snapshot);
  if (!parsed.success) {
    return { status: "ignored", reason: `invalid: ${issueLines(parsed.issues).join("; ")}`, path };
  }
  const snapshot = parsed.output;
  if (!snapshot.fingerprint || !sameFingerprint(snapshot.fingerprint, fingerprint)) {
    return { status: "ignored", reason: "fingerprint does not match the binary", path };
  }
  return { status: "hit", snapshot: { ...snapshot, source: "cache" }, path };
}

/**
 * Writes `snapshot` (which must carry a fingerprint) into `dir`, atomically; concurrent
 * writers leave one complete file. Returns the file path.
 *
 * @example Store a probe
 * ```ts ignore
 * await writeCacheFile(defaultCacheDir(), await probeCapabilities("/usr/local/bin/codex"));
 * ```
 */
export async function writeCacheFile(dir: string, snapshot: CapabilitySnapshot): Promise<string> {
  if (!snapshot.fingerprint) {
    throw new TypeError("Cannot cache a snapshot without a fingerprint");
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, cacheFileName(snapshot.fingerprint.path));
  const body = { kind: CACHE_FILE_KIND, schemaVersion: SNAPSHOT_SCHEMA_VERSION, snapshot };
  await writeFileAtomic(path, JSON.stringify(body), 0o600);
  return path;
}

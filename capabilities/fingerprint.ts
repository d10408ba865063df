/**
 * The identity of a binary file: canonical path, size, mtime, ctime, inode and device, and, when
 * asked, a content hash. Size and mtime alone miss a replaced binary whose mtime was restored
 * (package managers and `touch -r` do that); the inode and ctime catch it.
 *
 * @module
 */
import { sha256File } from "../src/fs/sha256_file.ts";
import { statSettled } from "../src/fs/stat_settled.ts";
import { realpath, stat } from "node:fs/promises";
import type { Fingerprint } from "./types.ts";

/** Options of {@linkcode fingerprintBinary}. */
export interface FingerprintOptions {
  /** Also hash the content with SHA-256 (reads the whole file: ~300 MB for codex 0.169.0). */
  hash?: boolean;
}

/**
 * Reads the fingerprint of `binary`. Rejects when the file cannot be resolved or read; a
 * zero or missing mtime is reported as `null` (some virtual file systems do not keep one).
 *
 * @example Notice an upgrade in place
 * ```ts ignore
 * const { path, size, mtimeMs } = await fingerprintBinary("/usr/local/bin/codex");
 * ```
 */
export async function fingerprintBinary(
  binary: string,
  options: FingerprintOptions = {},
): Promise<Fingerprint> {
  const path = await realpath(binary);
  const seenAtMs = Date.now();
  const info = await stat(path);
  const fingerprint: Fingerprint = {
    path,
    size: info.size,
    mtimeMs: time(info.mtimeMs),
    ctimeMs: time(info.ctimeMs),
    ino: Number(info.ino),
    dev: Number(info.dev),
    seenAtMs,
  };
  // Deno reports ctime in whole seconds: a stat read within the ctime's own tick cannot tell a
  // same-size rewrite with the mtime restored from the original, so its content is hashed, and
  // a later lookup compares hashes (see src/fs/stat_settled.ts).
  if (options.hash || !statSettled(fingerprint.ctimeMs, seenAtMs)) {
    fingerprint.sha256 = await sha256File(path);
  }
  return fingerprint;
}

function time(ms: number): number | null {
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/**
 * Whether `cached` (recorded with a snapshot) still describes the file `now` was read from.
 * Path, size, mtime, ctime, inode and device must all agree; a field `now` has and `cached`
 * lacks (an entry from an older SDK) cannot vouch for the file, so it does not match. Content
 * hashes are compared when both carry one; the cache hashes `now` whenever `cached` has a hash.
 */
export function sameFingerprint(cached: Fingerprint, now: Fingerprint): boolean {
  if (cached.path !== now.path || cached.size !== now.size || cached.mtimeMs !== now.mtimeMs) {
    return false;
  }
  if (now.ctimeMs !== undefined && cached.ctimeMs !== now.ctimeMs) return false;
  if (now.ino !== undefined && cached.ino !== now.ino) return false;
  if (now.dev !== undefined && cached.dev !== now.dev) return false;
  // Hashes decide when both sides have one; a side without one was read settled (a stat read
  // within its ctime's tick is always hashed), so its stat fields vouch for it.
  if (now.sha256 !== undefined && cached.sha256 !== undefined) return cached.sha256 === now.sha256;
  return true;
}

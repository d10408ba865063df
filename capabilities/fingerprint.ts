/**
 * The identity of a binary file: canonical path, size, mtime and, when asked, a content hash.
 *
 * @module
 */
import { sha256File } from "../src/fs/sha256_file.ts";
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
  const info = await stat(path);
  const mtimeMs = Number.isFinite(info.mtimeMs) && info.mtimeMs > 0 ? info.mtimeMs : null;
  const fingerprint: Fingerprint = { path, size: info.size, mtimeMs };
  if (options.hash) fingerprint.sha256 = await sha256File(path);
  return fingerprint;
}

/** Whether two fingerprints name the same file content as far as both can tell. */
export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  if (a.path !== b.path || a.size !== b.size || a.mtimeMs !== b.mtimeMs) return false;
  if (a.sha256 !== undefined && b.sha256 !== undefined) return a.sha256 === b.sha256;
  return true;
}

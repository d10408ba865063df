/**
 * Remembered checksums: a bundled binary is hundreds of MB, so hashing it on every resolution
 * costs most of a second per process. Once a binary matched its manifest, a small record keyed
 * by the file's identity (device, inode, size, mtime, ctime) lets a later process skip the hash.
 * Any write, rename over, `touch` or `chmod` changes one of those fields, and then the binary is
 * hashed again, and so is one whose identity was read within a second or two of its last change
 * (a rewrite in that window can leave every field as it was: `src/fs/stat_settled.ts`). The
 * record also holds the manifest's identity: while neither file changed, a
 * resolution needs neither the hash nor a parse of the manifest. Records live in `codexkit/verified/` beside the capability cache; a record that
 * cannot be read or written is a miss, never an error.
 *
 * @module
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { BundleError } from "../src/errors.ts";
import { writeFileAtomic } from "../src/fs/atomic_write.ts";
import { userCacheDir } from "../src/fs/cache_dir.ts";
import { statSettled } from "../src/fs/stat_settled.ts";

/** The stat fields that identify one version of a file's content. */
export interface FileIdentity {
  /** Device id. */
  dev: number;
  /** Inode number. */
  ino: number;
  /** Size in bytes. */
  size: number;
  /** Last content change, ms since the epoch (with sub-ms precision where the OS has it). */
  mtimeMs: number;
  /** Last inode change (also bumped by rename, chmod and link), ms since the epoch. */
  ctimeMs: number;
}

const RECORD_KIND = "codexkit.verified";
// A record is ~300 bytes; a much larger file is not one of ours.
const MAX_RECORD_BYTES = 64 << 10;

/**
 * The default directory of remembered checksums: `codexkit/verified` under `$XDG_CACHE_HOME`
 * (or `~/.cache`), `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows.
 *
 * @example Where records live
 * ```ts ignore
 * defaultVerifiedDir(); // e.g. "/home/me/.cache/codexkit/verified"
 * ```
 */
export function defaultVerifiedDir(): string {
  return userCacheDir("verified");
}

// The record's name only spreads paths over files; the record holds the full path and is used
// only when it matches. A plain FNV-1a (two 32-bit lanes) spares a new process crypto's set-up.
function recordPath(dir: string, canonicalPath: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ canonicalPath.length;
  for (let i = 0; i < canonicalPath.length; i++) {
    const c = canonicalPath.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x811c9dc5 | 1);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
  return join(dir, `${hex(a)}${hex(b)}.json`);
}

/** Whether two identities describe the same version of a file. Pure. */
export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs;
}

/** The identity fields of a `stat` result. */
export function fileIdentity(stats: FileIdentity): FileIdentity {
  const { dev, ino, size, mtimeMs, ctimeMs } = stats;
  return { dev, ino, size, mtimeMs, ctimeMs };
}

/** What a record remembers: the binary and the manifest as they were when the hash matched. */
export interface VerifiedRecord {
  /** The binary's identity when it was hashed. */
  binary: FileIdentity;
  /** The manifest's identity when its entry was compared. */
  manifest: FileIdentity;
  /** The binary's hex sha256 (equal to the manifest's entry then). */
  sha256: string;
  /**
   * The clock (ms since the epoch) just before both identities were read: an identity read
   * before its ctime settled cannot vouch for the content ({@linkcode recordSettled}).
   */
  seenAtMs: number;
}

/** Whether both identities of `record` were read late enough to show any later change. Pure. */
export function recordSettled(record: VerifiedRecord): boolean {
  return statSettled(record.binary.ctimeMs, record.seenAtMs) &&
    statSettled(record.manifest.ctimeMs, record.seenAtMs);
}

function isIdentity(value: unknown): value is FileIdentity {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return ["dev", "ino", "size", "mtimeMs", "ctimeMs"].every((k) => typeof v[k] === "number");
}

/**
 * The record for the binary at `canonicalPath` in `dir`, or `undefined` when there is none or it
 * cannot be read as one. A record path that is not a regular file (a FIFO, a device) is a
 * BundleError naming it, found without blocking.
 */
export function readVerifiedRecord(
  dir: string,
  canonicalPath: string,
): VerifiedRecord | undefined {
  const path = recordPath(dir, canonicalPath);
  let fd: number;
  try {
    // Synchronous for the reason given in resolve.ts: a small file on the warm path. Opened
    // without blocking and without following a link: a FIFO planted at the record's name
    // would otherwise hold the whole event loop in a blocking open.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  let text: string;
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      throw new BundleError(
        `Cannot read the verified-digest record ${path}: not a regular file`,
        { path },
      );
    }
    if (info.size > MAX_RECORD_BYTES) return undefined;
    text = readFileSync(fd, "utf8");
  } catch (error) {
    if (error instanceof BundleError) throw error;
    return undefined;
  } finally {
    closeSync(fd);
  }
  if (text.length > MAX_RECORD_BYTES) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof record !== "object" || record === null) return undefined;
  const r = record as Record<string, unknown>;
  if (r.kind !== RECORD_KIND || r.path !== canonicalPath) return undefined;
  if (typeof r.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(r.sha256)) return undefined;
  if (!isIdentity(r.binary) || !isIdentity(r.manifest)) return undefined;
  // A record from before seenAtMs was kept cannot say whether its identities had settled.
  if (typeof r.seenAtMs !== "number") return undefined;
  return {
    binary: fileIdentity(r.binary),
    manifest: fileIdentity(r.manifest),
    sha256: r.sha256,
    seenAtMs: r.seenAtMs,
  };
}

/**
 * Remembers `record` for the binary at `canonicalPath`. Best effort: a read-only or missing
 * cache directory only means the next process hashes again.
 */
export async function writeVerifiedRecord(
  dir: string,
  canonicalPath: string,
  record: VerifiedRecord,
): Promise<void> {
  const text = JSON.stringify({ kind: RECORD_KIND, path: canonicalPath, ...record });
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(recordPath(dir, canonicalPath), `${text}\n`, 0o600);
  } catch {
    // Best effort: see above.
  }
}

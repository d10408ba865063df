/**
 * Atomic file replacement: write a temp file in the same directory, then rename it over the
 * target, so a reader sees the old file or the new one, never half of one, and two writers
 * racing leave one complete file. Shared by homes, the capability cache and bundle manifests.
 *
 * A writer killed between creating its temp file and the rename (SIGKILL, power loss) leaves
 * the temp file behind, with whatever it held (credentials, for `auth.json`). Temp files are
 * therefore named recognisably, `.codexkit-tmp-<pid>-<random>-<target name>`, created 0600
 * whatever the final mode, and the next write into the directory removes the stale ones.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { chmod, lstat, open, readdir, rename, rm, unlink } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import process from "node:process";

/** The start of every temp file name this module makes. */
export const TEMP_PREFIX = ".codexkit-tmp-";

/** A temp file older than this is stale even when a live process has its pid (pids are reused). */
export const STALE_TEMP_MS: number = 60 * 60 * 1000;

const OUR_TEMP = /^\.codexkit-tmp-(\d+)-[0-9a-f]+-./;
// The naming of earlier versions, `.<target>.<12 hex>.tmp`, without a pid.
const LEGACY_SUFFIX = /^\.[0-9a-f]{12}\.tmp$/;

/** The temp name for a write of `target` by this process. */
export function tempNameFor(target: string): string {
  return `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}-${basename(target)}`;
}

/**
 * Whether `name` (a file in the directory) is a temp file of ours that no write will finish:
 * its owner's pid is not alive, or it is older than {@linkcode STALE_TEMP_MS}. A temp file of
 * the earlier naming for `target` (`.<target>.<12 hex>.tmp`) has no pid and goes by age alone.
 * Pure apart from the `alive` probe.
 */
export function isStaleTemp(
  name: string,
  ageMs: number,
  target?: string,
  alive: (pid: number) => boolean = pidAlive,
): boolean {
  const ours = OUR_TEMP.exec(name);
  if (ours) return ageMs > STALE_TEMP_MS || !alive(Number(ours[1]));
  if (target === undefined || !name.startsWith(`.${target}.`)) return false;
  return LEGACY_SUFFIX.test(name.slice(target.length + 1)) && ageMs > STALE_TEMP_MS;
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
function pidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

/** Options of {@linkcode removeStaleTemps}. */
export interface StaleTempOptions {
  /** Also remove stale temp directories, with what they hold (a bundle's unpack dirs). */
  directories?: boolean;
  /** Names of an earlier naming without a pid (`.bundle-tmp-`), stale by age alone. */
  legacyPrefix?: string;
}

/**
 * Removes the stale temp files of {@linkcode isStaleTemp} from `dir` (those of the earlier
 * naming only for `target`), and with `directories` the stale temp directories too. Best
 * effort: an entry another cleaner removed first, or one that cannot be read, is passed over.
 * Returns the names removed.
 */
export async function removeStaleTemps(
  dir: string,
  target?: string,
  options: StaleTempOptions = {},
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(".")) continue;
    const legacy = options.legacyPrefix !== undefined && name.startsWith(options.legacyPrefix);
    if (!legacy && !name.startsWith(TEMP_PREFIX) && !name.endsWith(".tmp")) continue;
    const path = join(dir, name);
    try {
      const info = await lstat(path);
      const isDir = info.isDirectory();
      if (isDir && !options.directories) continue;
      const ageMs = now - info.mtimeMs;
      if (legacy ? ageMs <= STALE_TEMP_MS : !isStaleTemp(name, ageMs, target)) continue;
      // rm does not follow links inside the directory: only what is in it goes
      await (isDir ? rm(path, { recursive: true, force: true }) : unlink(path));
      removed.push(name);
    } catch {
      // Gone already, or not ours to touch.
    }
  }
  return removed;
}

/**
 * A fault point for tests: when `midWrite` is set, every write stops with the first half of
 * its data in the temp file and waits on it, so a test can kill the writer at that moment
 * instead of hoping a random kill lands inside a write. Left unset outside tests.
 */
export const atomicWriteFaults: { midWrite?: (temp: string) => Promise<void> } = {};

/**
 * Writes `data` to `path` atomically with `mode` (applied after creation too, so the umask
 * cannot widen or narrow it). The temp file is created 0600, removed on every failure path
 * this process lives through, and recognisable by its name for the next writer to remove
 * should this one be killed; each write first removes such stale temp files.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<void> {
  const dir = dirname(path);
  await removeStaleTemps(dir, basename(path));
  const temp = join(dir, tempNameFor(path));
  // "wx": never reuse or follow an existing file at the temp name. 0600 until the rename:
  // the data (credentials, for auth.json) is no one else's to read while it is being written.
  const handle = await open(temp, "wx", 0o600);
  let renamed = false;
  try {
    try {
      const midWrite = atomicWriteFaults.midWrite;
      if (midWrite) {
        const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
        const half = bytes.length >> 1;
        await writeAt(handle, bytes.subarray(0, half), 0);
        await midWrite(temp);
        await writeAt(handle, bytes.subarray(half), half);
      } else await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, mode);
    await rename(temp, path);
    renamed = true;
  } finally {
    if (!renamed) await unlink(temp).catch(() => {});
  }
}

/** Writes all of `bytes` at `position` (a write may take fewer bytes than it was given). */
async function writeAt(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

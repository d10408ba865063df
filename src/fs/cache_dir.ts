/**
 * Where the SDK keeps what it may recompute (capability snapshots, verified checksums, fetched
 * releases): one folder per purpose under the platform's user cache directory.
 *
 * @module
 */
import { homedir, platform } from "node:os";
import { join } from "node:path";
import process from "node:process";

/**
 * `<user cache dir>/codexkit/<name>`: `$XDG_CACHE_HOME` (else `~/.cache`) on Linux,
 * `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows.
 *
 * @example The capability cache's folder
 * ```ts ignore
 * userCacheDir("capabilities"); // e.g. "/home/me/.cache/codexkit/capabilities"
 * ```
 */
export function userCacheDir(name: string): string {
  const env = process.env;
  const os = platform();
  let base: string;
  if (os === "win32") base = env.LOCALAPPDATA || join(homedir(), "AppData", "Local");
  else if (os === "darwin") base = join(homedir(), "Library", "Caches");
  else base = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "codexkit", name);
}

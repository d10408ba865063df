/**
 * Atomic file replacement: write a temp file in the same directory, then rename it over the
 * target, so a reader sees the old file or the new one, never half of one, and two writers
 * racing leave one complete file. Shared by homes, the capability cache and bundle manifests.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { chmod, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to `path` atomically with `mode` (applied after creation too, so the umask
 * cannot widen or narrow it). The temp file is removed on every failure path.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<void> {
  const temp = join(
    dirname(path),
    `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`,
  );
  // "wx": never reuse or follow an existing file at the temp name.
  const handle = await open(temp, "wx", mode);
  let renamed = false;
  try {
    try {
      await handle.writeFile(data);
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

/**
 * Atomic file replacement: write a temp file in the same directory, then rename over.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Replaces `path` with `text` so that readers see the old file or the new one, never a mix:
 * two writers racing leave one complete file. The temp name is unique per call.
 */
export async function writeFileAtomic(path: string, text: string, mode = 0o644): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  const file = await open(temp, "wx", mode);
  let renamed = false;
  try {
    try {
      await file.writeFile(text, "utf8");
    } finally {
      await file.close();
    }
    await rename(temp, path);
    renamed = true;
  } finally {
    if (!renamed) await rm(temp, { force: true }).catch(() => {});
  }
}

/**
 * Hashing files too large to read at once.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";

/** The hex sha256 of a file, read in 1 MiB chunks (codex binaries are hundreds of MB). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  const handle = await open(path, "r");
  try {
    const buffer = new Uint8Array(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

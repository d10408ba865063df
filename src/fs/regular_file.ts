/**
 * Reading a small file the SDK depends on (`auth.json`, `config.toml`) without ever blocking on
 * it: a FIFO or a device at that path would stall a plain read forever (and a synchronous one,
 * the whole event loop). The file is opened non-blocking, checked on the open handle (so the
 * check and the read concern the same file), and refused unless it is a regular file.
 *
 * @module
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { FileSystemError, fileSystemError } from "../errors.ts";

/** Options of {@linkcode readRegularFile}. */
export interface ReadRegularFileOptions {
  /** Refuse a symlink at `path` itself (`O_NOFOLLOW`: the open fails with `ELOOP`). */
  noFollow?: boolean;
  /** The file's role in messages (default `"the file"`), e.g. `"auth.json"`. */
  what?: string;
}

/**
 * The bytes of the regular file at `path`, or `undefined` when there is none (`ENOENT`).
 * Anything else is a {@linkcode FileSystemError} naming the path: a FIFO, socket, device or
 * directory (refused without waiting on it), a symlink with `noFollow` (code `ELOOP`), or a
 * file the system will not open or read.
 *
 * @example Read a config file that may be missing
 * ```ts ignore
 * const bytes = await readRegularFile("/srv/home/config.toml", { what: "config.toml" });
 * const text = bytes === undefined ? "" : new TextDecoder().decode(bytes);
 * ```
 */
export async function readRegularFile(
  path: string,
  options: ReadRegularFileOptions = {},
): Promise<Uint8Array | undefined> {
  const what = options.what ?? "the file";
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
  const flags = constants.O_RDONLY | constants.O_NONBLOCK |
    (options.noFollow ? constants.O_NOFOLLOW : 0);
  let handle;
  try {
    handle = await open(path, flags);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw fileSystemError(what, "open", path, error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new FileSystemError(
        `Cannot read ${what} ${path}: it is ${kindOf(info)}, not a regular file`,
        { path, operation: "read" },
      );
    }
    return new Uint8Array(await handle.readFile());
  } catch (error) {
    if (error instanceof FileSystemError) throw error;
    throw fileSystemError(what, "read", path, error);
  } finally {
    await handle.close().catch(() => {});
  }
}

interface FileKind {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}

function kindOf(info: FileKind): string {
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a FIFO";
  if (info.isSocket()) return "a socket";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  return "not a file";
}

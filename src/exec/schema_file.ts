/**
 * The temp file `--output-schema` reads.
 *
 * @module
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileSystemError } from "../errors.ts";

/** A schema written to a temp file for `--output-schema`; dispose to remove it. */
export interface SchemaFile extends AsyncDisposable {
  /** The file's path. */
  path: string;
  /** Removes the file and its directory. Safe to call more than once. */
  remove(): Promise<void>;
}

/**
 * Writes `jsonSchema` to a fresh temp dir under `parent` (default: the system's temp dir); the
 * caller removes it on every exit path. A temp dir that cannot take it (full, missing, not a
 * directory) is a {@linkcode FileSystemError} naming the path, with nothing left behind.
 */
export async function writeSchemaFile(
  jsonSchema: Record<string, unknown>,
  parent: string = tmpdir(),
): Promise<SchemaFile> {
  const prefix = join(parent, "codexkit-schema-");
  let dir: string;
  try {
    dir = await mkdtemp(prefix);
  } catch (error) {
    throw fileSystemError("the output schema temp dir", "create", `${prefix}XXXXXX`, error);
  }
  const remove = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, "schema.json");
  try {
    await writeFile(path, JSON.stringify(jsonSchema));
  } catch (error) {
    await remove();
    throw fileSystemError("the output schema file", "write", path, error);
  }
  return { path, remove, [Symbol.asyncDispose]: remove };
}

/**
 * The temp files a run reads: the `--output-schema` file, the base instructions file.
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
 * caller removes it on every exit path.
 */
export function writeSchemaFile(
  jsonSchema: Record<string, unknown>,
  parent: string = tmpdir(),
): Promise<SchemaFile> {
  return writeTempFile("schema.json", JSON.stringify(jsonSchema), parent, "the output schema");
}

/**
 * Writes `text` as `name` in a fresh temp dir under `parent` (readable by the owner only); the
 * caller removes it on every exit path. Also holds `baseInstructions` for
 * `model_instructions_file`. A temp dir that cannot take it (full, missing, not a directory)
 * is a {@linkcode FileSystemError} naming the path, with nothing left behind.
 */
export async function writeTempFile(
  name: string,
  text: string,
  parent: string = tmpdir(),
  what: string = `the ${name}`,
): Promise<SchemaFile> {
  const prefix = join(parent, "codexkit-schema-");
  let dir: string;
  try {
    dir = await mkdtemp(prefix);
  } catch (error) {
    throw fileSystemError(`${what} temp dir`, "create", `${prefix}XXXXXX`, error);
  }
  const remove = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, name);
  try {
    await writeFile(path, text, { mode: 0o600 });
  } catch (error) {
    await remove();
    throw fileSystemError(`${what} file`, "write", path, error);
  }
  return { path, remove, [Symbol.asyncDispose]: remove };
}

/**
 * The temp file `--output-schema` reads.
 *
 * @module
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A schema written to a temp file for `--output-schema`; dispose to remove it. */
export interface SchemaFile extends AsyncDisposable {
  /** The file's path. */
  path: string;
  /** Removes the file and its directory. Safe to call more than once. */
  remove(): Promise<void>;
}

/** Writes `jsonSchema` to a fresh temp dir; the caller removes it on every exit path. */
export async function writeSchemaFile(jsonSchema: Record<string, unknown>): Promise<SchemaFile> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-schema-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, "schema.json");
  try {
    await writeFile(path, JSON.stringify(jsonSchema));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove, [Symbol.asyncDispose]: remove };
}

/**
 * The temp files a run reads: the `--output-schema` file, the base instructions file.
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
export function writeSchemaFile(jsonSchema: Record<string, unknown>): Promise<SchemaFile> {
  return writeTempFile("schema.json", JSON.stringify(jsonSchema));
}

/**
 * Writes `text` as `name` in a fresh temp dir (readable by the owner only); the caller removes
 * it on every exit path. Also holds `baseInstructions` for `model_instructions_file`.
 */
export async function writeTempFile(name: string, text: string): Promise<SchemaFile> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-schema-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, name);
  try {
    await writeFile(path, text, { mode: 0o600 });
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove, [Symbol.asyncDispose]: remove };
}

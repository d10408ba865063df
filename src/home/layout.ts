/**
 * CODEX_HOME on disk.
 *
 * @module
 */
import { mkdir, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { CodexError } from "../errors.ts";

/**
 * Makes sure `path` exists as a directory (creating parents) and returns it absolute. A path
 * that exists as a file is an error naming it.
 */
export async function ensureCodexHome(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    await mkdir(absolute, { recursive: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CodexError(`Cannot create CODEX_HOME ${absolute}: ${code ?? String(error)}`, { cause: error });
  }
  const info = await stat(absolute);
  if (!info.isDirectory()) throw new CodexError(`Cannot use CODEX_HOME ${absolute}: not a directory`);
  return absolute;
}

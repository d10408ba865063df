/**
 * The CODEX_HOME directory: creating it on demand and describing what is inside.
 *
 * @module
 */
import { access, constants, mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { CodexHomeError, errnoCode, reasonFor } from "./home_error.ts";

/**
 * Makes sure `path` is an existing, writable directory (creating it and its parents, like
 * `mkdir -p`) and returns its absolute path. The path is created with mode 0700: a home holds
 * credentials.
 *
 * Throws a {@linkcode CodexHomeError} when it (or a parent) is a file, or when a parent cannot
 * be written; its `path` is the exact path the system refused. A TypeError when `path` is not
 * a non-empty string.
 *
 * @example Prepare a home for a child process
 * ```ts ignore
 * import { ensureCodexHome } from "@codexkit/sdk";
 * const home = await ensureCodexHome("./.codex-home");
 * // pass { CODEX_HOME: home } in the child's environment
 * ```
 */
export async function ensureCodexHome(path: string): Promise<string> {
  if (typeof path !== "string" || path.length === 0) {
    throw new TypeError("Cannot prepare CODEX_HOME: path must be a non-empty string");
  }
  const home = resolve(path);
  await makeDirectories(home);
  try {
    await access(home, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = errnoCode(error);
    throw new CodexHomeError(`Cannot use CODEX_HOME ${home}: it is not writable (${code})`, {
      path: home,
      reason: "not-writable",
      code,
      cause: error,
    });
  }
  return home;
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir was seen to spin forever under
 * `/proc`, and walking the levels lets the error name the exact path that failed.
 */
async function makeDirectories(target: string): Promise<void> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    const info = await stat(current).catch((error: unknown) => error as Error);
    if (!(info instanceof Error)) {
      if (!info.isDirectory()) {
        throw new CodexHomeError(
          current === target
            ? `Cannot use CODEX_HOME ${target}: it exists and is not a directory`
            : `Cannot create CODEX_HOME ${target}: ${current} is not a directory`,
          { path: current, reason: "not-a-directory", code: "ENOTDIR" },
        );
      }
      break;
    }
    const code = errnoCode(info);
    // ENOTDIR: some parent is a file; keep walking up to name it.
    if (code !== "ENOENT" && code !== "ENOTDIR") throw homeIoError(target, current, info);
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir, { mode: 0o700 });
    } catch (error) {
      // Another process may have created it in the meantime; that is fine if it is a directory.
      if (errnoCode(error) === "EEXIST" && (await stat(dir)).isDirectory()) continue;
      throw homeIoError(target, dir, error);
    }
  }
}

function homeIoError(target: string, at: string, error: unknown): CodexHomeError {
  const code = errnoCode(error);
  const reason = reasonFor(code);
  const why = reason === "not-writable"
    ? `${at === target ? "it" : dirname(at)} is not writable`
    : reason === "not-a-directory"
    ? `${at} is not a directory`
    : `${at}: ${code ?? String(error)}`;
  return new CodexHomeError(`Cannot create CODEX_HOME ${target}: ${why} (${code})`, {
    path: at,
    reason,
    code,
    cause: error,
  });
}

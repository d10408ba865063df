/**
 * Copying credentials (and only credentials) from a trusted CODEX_HOME into an isolated one.
 *
 * @module
 */
import { lstat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CodexHomeError, errnoCode, readHomeFile, reasonFor } from "./home_error.ts";
import { removeStaleTemps, writeFileAtomic } from "../fs/atomic_write.ts";
import { ensureCodexHome } from "./layout.ts";

/** The files {@linkcode seedAuthFrom} copies: nothing else ever leaves the trusted home. */
export const AUTH_FILES: readonly AuthFileName[] = Object.freeze([
  "auth.json",
  ".credentials.json",
]);

/** A credentials file of a CODEX_HOME. */
export type AuthFileName = "auth.json" | ".credentials.json";

/** Options of {@linkcode seedAuthFrom}. */
export interface SeedAuthOptions {
  /**
   * Files that must exist in the trusted home; a missing one throws a
   * {@linkcode CodexHomeError} (reason `"missing"`) before anything is copied. `true` means
   * `["auth.json"]`. Default: nothing required, missing files are skipped.
   */
  require?: boolean | readonly AuthFileName[];
  /** Replace credentials the target already has (default `false`: they are kept). */
  overwrite?: boolean;
}

/** What {@linkcode seedAuthFrom} did with each file. */
export interface SeedAuthReport {
  /** Absolute path of the target home. */
  target: string;
  /** Files copied into the target (mode 0600). */
  copied: AuthFileName[];
  /** Files the trusted home does not have. */
  skipped: AuthFileName[];
  /** Files the target already had and kept (no `overwrite`). */
  kept: AuthFileName[];
}

/**
 * Copies `auth.json` and `.credentials.json` from `trustedHome` into `target` (created when
 * missing), never history, sessions or databases. Each copy is atomic (temp file + rename in
 * the target directory, the temp file 0600 from creation) and ends with mode 0600; temp files
 * a killed seeding left behind are removed. A symlink as source or target file is
 * refused with a {@linkcode CodexHomeError} (reason `"symlink"`): a link could leak the
 * credentials elsewhere or pull in a file the caller did not mean.
 *
 * @example Give a per-project home the user's login
 * ```ts ignore
 * import { createIsolatedHome, seedAuthFrom } from "@codexkit/sdk/home";
 * import { homedir } from "node:os";
 * import { join } from "node:path";
 * await using home = await createIsolatedHome();
 * const report = await seedAuthFrom(join(homedir(), ".codex"), home.path, { require: true });
 * console.log(report.copied); // ["auth.json"]
 * ```
 */
export async function seedAuthFrom(
  trustedHome: string,
  target: string,
  options: SeedAuthOptions = {},
): Promise<SeedAuthReport> {
  if (typeof trustedHome !== "string" || trustedHome.length === 0) {
    throw new TypeError("Cannot seed auth: trustedHome must be a non-empty string");
  }
  if (typeof target !== "string" || target.length === 0) {
    throw new TypeError("Cannot seed auth: target must be a non-empty string");
  }
  const required = requiredFiles(options.require);
  const source = resolve(trustedHome);
  if (source === resolve(target)) {
    throw new TypeError("Cannot seed auth: trustedHome and target are the same directory");
  }
  // Read every source first: a required file that is missing stops the seeding untouched.
  const contents = new Map<AuthFileName, Uint8Array>();
  const skipped: AuthFileName[] = [];
  for (const name of AUTH_FILES) {
    const data = await readSourceFile(join(source, name));
    if (data === undefined) {
      if (required.includes(name)) {
        throw new CodexHomeError(`Cannot seed auth: ${join(source, name)} does not exist`, {
          path: join(source, name),
          reason: "missing",
          code: "ENOENT",
        });
      }
      skipped.push(name);
    } else contents.set(name, data);
  }
  const home = await ensureCodexHome(target);
  // Credential copies a killed seeding left behind go even when nothing is written this time.
  for (const name of AUTH_FILES) await removeStaleTemps(home, name);
  const report: SeedAuthReport = { target: home, copied: [], skipped, kept: [] };
  for (const [name, data] of contents) {
    const path = join(home, name);
    const existing = await lstat(path).catch(() => undefined);
    if (existing?.isSymbolicLink()) {
      throw new CodexHomeError(`Cannot seed auth: target ${path} is a symlink`, {
        path,
        reason: "symlink",
      });
    }
    if (existing && !existing.isFile()) {
      throw new CodexHomeError(`Cannot seed auth: target ${path} is not a regular file`, {
        path,
        reason: "not-a-directory",
      });
    }
    if (existing && !options.overwrite) {
      report.kept.push(name);
      continue;
    }
    try {
      await writeFileAtomic(path, data, 0o600);
    } catch (error) {
      const code = errnoCode(error);
      throw new CodexHomeError(`Cannot seed auth: cannot write ${path} (${code})`, {
        path,
        reason: reasonFor(code),
        code,
        cause: error,
      });
    }
    report.copied.push(name);
  }
  return report;
}

function requiredFiles(option: SeedAuthOptions["require"]): readonly AuthFileName[] {
  if (option === undefined || option === false) return [];
  if (option === true) return ["auth.json"];
  if (!Array.isArray(option) || option.some((name) => !AUTH_FILES.includes(name))) {
    throw new TypeError(
      `Cannot seed auth: options.require must be a boolean or a list of ${AUTH_FILES.join(", ")}`,
    );
  }
  return option;
}

/** The bytes of a regular file, `undefined` when missing; symlinks and others are refused. */
async function readSourceFile(path: string): Promise<Uint8Array | undefined> {
  try {
    // O_NOFOLLOW: the check and the read concern the same file, not a link swapped in between.
    return await readHomeFile(path, { noFollow: true, what: "source" });
  } catch (error) {
    if (error instanceof CodexHomeError && error.reason === "symlink") {
      throw new CodexHomeError(`Cannot seed auth: source ${path} is a symlink`, {
        path,
        reason: "symlink",
        code: error.code,
      });
    }
    if (error instanceof CodexHomeError) {
      throw new CodexHomeError(`Cannot seed auth: ${error.message}`, {
        path,
        reason: error.reason,
        code: error.code,
        cause: error.cause,
      });
    }
    throw error;
  }
}

/**
 * The error a CODEX_HOME operation throws when the file system says no.
 *
 * @module
 */
import { CodexError, FileSystemError } from "../errors.ts";
import type { CodexErrorOptions } from "../errors.ts";
import { readRegularFile } from "../fs/regular_file.ts";

/** Why a home operation failed, as a stable word rather than an errno string. */
export type CodexHomeErrorReason =
  | "not-a-directory"
  | "not-writable"
  | "symlink"
  | "missing"
  | "io";

/** Fields of {@linkcode CodexHomeError}. */
export interface CodexHomeErrorOptions extends CodexErrorOptions {
  /** The path the operation was about. */
  path: string;
  /** Why it failed. */
  reason: CodexHomeErrorReason;
  /** The system error code (`"EACCES"`, `"ENOTDIR"`, ...), when there was one. */
  code?: string;
}

/**
 * A CODEX_HOME (or a file in it) cannot be created, read or written: the path is a file, a
 * parent is read-only, a file is a symlink, or a required file is missing.
 */
export class CodexHomeError extends CodexError {
  /** The path the operation was about. */
  readonly path: string;
  /** Why it failed. */
  readonly reason: CodexHomeErrorReason;
  /** The system error code, when there was one. */
  readonly code: string | undefined;

  /** Creates the error. */
  constructor(message: string, options: CodexHomeErrorOptions) {
    super(message, options);
    this.name = "CodexHomeError";
    this.path = options.path;
    this.reason = options.reason;
    this.code = options.code;
  }
}

/** The errno code of a Node-style file system error, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Maps an errno code to the reason a {@linkcode CodexHomeError} carries. */
export function reasonFor(code: string | undefined): CodexHomeErrorReason {
  switch (code) {
    case "ENOTDIR":
    case "EEXIST":
      return "not-a-directory";
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return "not-writable";
    case "ENOENT":
      return "missing";
    case "ELOOP":
      return "symlink";
    default:
      return "io";
  }
}

/**
 * The bytes of a small file of a home (`auth.json`, `config.toml`), `undefined` when missing;
 * never blocks on a FIFO or device there. What cannot be read is a {@linkcode CodexHomeError}
 * naming the file: reason `"symlink"` for a link with `noFollow`, `"io"` for a file that is
 * not a regular one.
 */
export async function readHomeFile(
  path: string,
  options: { noFollow?: boolean; what?: string } = {},
): Promise<Uint8Array | undefined> {
  try {
    return await readRegularFile(path, options);
  } catch (error) {
    if (!(error instanceof FileSystemError)) throw error;
    throw new CodexHomeError(error.message, {
      path,
      reason: error.code === undefined ? "io" : reasonFor(error.code),
      code: error.code,
      cause: error,
    });
  }
}

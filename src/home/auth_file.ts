/**
 * A look at `auth.json` that never hands out what is inside it: whether it exists, which auth
 * mode it declares, and whether it parses.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { parse as parseJsonc } from "jsonc-parser";
import type { ParseError } from "jsonc-parser";
import { FileFormatError } from "../errors.ts";
import { readHomeFile } from "./home_error.ts";

// As readFile(path, "utf8") reads: a byte order mark stays in the text.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** What {@linkcode inspectAuthFile} found; holds no secret. */
export interface AuthFileInfo {
  /** Absolute path of `auth.json`. */
  path: string;
  /** Whether the file exists. */
  exists: boolean;
  /** The file's `auth_mode` (`"apikey"`, `"chatgpt"`, ...), when it parses and has one. */
  authMode: string | undefined;
  /** Why the file cannot be used: not JSON or not an object, with line and column. */
  problem: FileFormatError | undefined;
}

/**
 * Checks `CODEX_HOME/auth.json` without changing it. A truncated or non-JSON file is reported
 * in `problem` (a {@linkcode FileFormatError} with line and column whose message quotes none
 * of the file), never thrown.
 *
 * @example Tell a broken login apart from none
 * ```ts ignore
 * import { inspectAuthFile } from "@codexkit/sdk/home";
 * const auth = await inspectAuthFile(home);
 * if (auth.problem) console.error(auth.problem.message); // "... line 1, column 33"
 * ```
 */
export async function inspectAuthFile(home: string): Promise<AuthFileInfo> {
  const path = join(resolve(home), "auth.json");
  const bytes = await readHomeFile(path, { what: "auth.json" });
  if (bytes === undefined) return { path, exists: false, authMode: undefined, problem: undefined };
  const result = checkAuthJson(utf8.decode(bytes), path);
  return { path, exists: true, ...result };
}

/** Parses auth.json text; pure. Never returns or quotes the secrets. */
export function checkAuthJson(
  text: string,
  path = "auth.json",
): { authMode: string | undefined; problem: FileFormatError | undefined } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const { line, column } = errorPosition(text);
    return {
      authMode: undefined,
      problem: new FileFormatError(
        `Cannot parse ${path}: ${
          text.trim().length === 0 ? "the file is empty" : "not valid JSON"
        } at line ${line}, column ${column}`,
        { path, line, column },
      ),
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      authMode: undefined,
      problem: new FileFormatError(`Cannot parse ${path}: not a JSON object`, {
        path,
        line: 1,
        column: 1,
      }),
    };
  }
  const mode = (value as { auth_mode?: unknown }).auth_mode;
  return { authMode: typeof mode === "string" ? mode : undefined, problem: undefined };
}

/** 1-based line and column of the first JSON syntax error (the same on every runtime). */
function errorPosition(text: string): { line: number; column: number } {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
  const offset = errors.length > 0 ? errors[0].offset : text.length;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Every string value of `auth.json` long enough to be a credential, for redaction of CLI
 * output; empty when the file is missing or does not parse. Never leaves this SDK.
 */
export async function storedSecrets(home: string): Promise<string[]> {
  // Not there or not JSON: nothing to redact. Not a regular file (a FIFO): a CodexHomeError,
  // rather than a read, or a codex child, that waits on it forever.
  const bytes = await readHomeFile(join(resolve(home), "auth.json"), { what: "auth.json" });
  if (bytes === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    return [];
  }
  const out: string[] = [];
  const walk = (node: unknown, key: string): void => {
    if (typeof node === "string") {
      if (node.length >= 8 && key !== "auth_mode") out.push(node);
    } else if (Array.isArray(node)) node.forEach((item) => walk(item, key));
    else if (typeof node === "object" && node !== null) {
      for (const [k, v] of Object.entries(node)) walk(v, k);
    }
  };
  walk(value, "");
  return out;
}

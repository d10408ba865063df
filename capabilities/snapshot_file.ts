/**
 * Snapshots and overrides as JSON or JSONC text and files.
 *
 * @module
 */
import { parse as parseJsonc, printParseErrorCode } from "jsonc-parser";
import type { ParseError } from "jsonc-parser";
import { readFile } from "node:fs/promises";
import * as v from "valibot";
import { FileFormatError } from "../src/errors.ts";
import { writeFileAtomic } from "../src/fs/atomic_write.ts";
import type { CapabilityOverrides } from "./overrides.ts";
import { issueLines, OverridesSchema, SnapshotSchema } from "./schema.ts";
import { SNAPSHOT_SCHEMA_VERSION } from "./types.ts";
import type { CapabilitySnapshot } from "./types.ts";

/**
 * Parses a snapshot from JSON or JSONC (comments, trailing commas). Throws a
 * `FileFormatError` naming `path` (default `"<text>"`), with line and column for syntax
 * errors, when the text is not a snapshot of this schema version.
 *
 * @example Read a pinned snapshot with comments
 * ```ts ignore
 * const snapshot = parseSnapshot(await Deno.readTextFile("codex-capabilities.jsonc"));
 * ```
 */
export function parseSnapshot(text: string, path = "<text>"): CapabilitySnapshot {
  const data = parseJsoncText(text, path);
  const schemaVersion = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (schemaVersion !== SNAPSHOT_SCHEMA_VERSION) {
    throw new FileFormatError(
      `Cannot read snapshot ${path}: schema version ${
        JSON.stringify(schemaVersion)
      }, this SDK reads ${SNAPSHOT_SCHEMA_VERSION}`,
      { path },
    );
  }
  const result = v.safeParse(SnapshotSchema, data);
  if (!result.success) {
    throw new FileFormatError(
      `Cannot read snapshot ${path}: ${issueLines(result.issues).join("; ")}`,
      { path },
    );
  }
  return result.output;
}

/**

 * Parses overrides from JSON or JSONC; throws a `FileFormatError` naming `path`.
 * @example Overrides in JSONC
 * ```ts
 * import { parseOverrides } from "@codexkit/sdk/capabilities";
 * parseOverrides('{ "version": "0.169.0", }').version; // "0.169.0"
 * ```
 */
export function parseOverrides(text: string, path = "<text>"): CapabilityOverrides {
  const result = v.safeParse(OverridesSchema, parseJsoncText(text, path));
  if (!result.success) {
    throw new FileFormatError(
      `Cannot read overrides ${path}: ${issueLines(result.issues).join("; ")}`,
      { path },
    );
  }
  return result.output;
}

/**

 * Formats a snapshot as stable, indented JSON (ends with a newline).
 * @example Print a snapshot
 * ```ts ignore
 * console.log(formatSnapshot(snapshot));
 * ```
 */
export function formatSnapshot(snapshot: CapabilitySnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/**

 * Reads a pinned snapshot file (JSON or JSONC); its `source` becomes `"file"`.
 * @example Load a pinned snapshot
 * ```ts ignore
 * const snapshot = await readSnapshotFile("./codex-capabilities.json");
 * ```
 */
export async function readSnapshotFile(path: string): Promise<CapabilitySnapshot> {
  return { ...parseSnapshot(await readFile(path, "utf8"), path), source: "file" };
}

/**

 * Reads an overrides file (JSON or JSONC).
 * @example Load overrides
 * ```ts ignore
 * const gate = gateFromSnapshot(snapshot, await readOverridesFile("./overrides.jsonc"));
 * ```
 */
export async function readOverridesFile(path: string): Promise<CapabilityOverrides> {
  return parseOverrides(await readFile(path, "utf8"), path);
}

/**

 * Writes `snapshot` to `path` as JSON, atomically (temp file + rename).
 * @example Pin today's probe
 * ```ts ignore
 * await writeSnapshotFile("./codex-capabilities.json", await probeCapabilities(binary));
 * ```
 */
export async function writeSnapshotFile(path: string, snapshot: CapabilitySnapshot): Promise<void> {
  await writeFileAtomic(path, formatSnapshot(snapshot));
}

function parseJsoncText(text: string, path: string): unknown {
  const errors: ParseError[] = [];
  const data = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || text.trim() === "") {
    const first = text.trim() === "" ? undefined : errors[0];
    const offset = first?.offset ?? 0;
    const before = text.slice(0, offset).split("\n");
    const line = before.length;
    const column = before[before.length - 1].length + 1;
    const what = first ? printParseErrorCode(first.error) : "empty input";
    throw new FileFormatError(`Cannot parse ${path}: ${what} at line ${line}, column ${column}`, {
      path,
      line,
      column,
    });
  }
  return data;
}

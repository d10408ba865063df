/**
 * The bundle manifest `bundle.jsonc` at a bundle's root: which versions are pinned for which
 * platforms, their checksums and where they came from. Read as JSONC (comments kept when an
 * entry is added), validated with valibot, written atomically (temp file + rename).
 *
 * @module
 */
import { writeFileAtomic } from "../src/fs/atomic_write.ts";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { applyEdits, modify, parse, printParseErrorCode } from "jsonc-parser";
import type { ParseError } from "jsonc-parser";
import * as v from "valibot";
import { FileFormatError } from "../src/errors.ts";
import type { PlatformLabel } from "./platform.ts";

/**
 * File name of the manifest inside a bundle root.
 *
 * @example Path of a bundle's manifest
 * ```ts ignore
 * import { join } from "node:path";
 * const path = join("./codex-bundle", BUNDLE_MANIFEST_FILE); // ./codex-bundle/bundle.jsonc
 * ```
 */
export const BUNDLE_MANIFEST_FILE = "bundle.jsonc";

/** The manifest schema this code reads and writes. */
export const BUNDLE_MANIFEST_SCHEMA_VERSION = 1;

/**
 * Where a bundled binary came from.
 *
 * @example Where a binary came from
 * ```ts ignore
 * const manifest = await readBundleManifest("./codex-bundle");
 * const source: BundleEntrySource | undefined = manifest?.entries["0.169.0"]?.["linux-x64"]?.source;
 * console.log(source?.tarball, source?.integrity);
 * ```
 */
export interface BundleEntrySource {
  /** The registry tarball URL it was unpacked from. */
  tarball: string;
  /** The registry's SRI integrity of that tarball (`sha512-...`), verified before unpacking. */
  integrity: string;
  /** The npm spec of the platform package (`@openai/codex@0.169.0-linux-x64`). */
  package?: string;
}

/**
 * One pinned binary: a version for a platform.
 *
 * @example Checksum of a pinned binary
 * ```ts ignore
 * const manifest = await readBundleManifest("./codex-bundle");
 * const entry: BundleEntry | undefined = manifest?.entries["0.169.0"]?.["linux-x64"];
 * console.log(entry?.sha256, entry?.size);
 * ```
 */
export interface BundleEntry {
  /** Hex sha256 of the executable. */
  sha256: string;
  /** Size of the executable in bytes. */
  size: number;
  /** Where it came from. */
  source: BundleEntrySource;
  /** When it was added (ISO 8601). */
  addedAt: string;
}

/**
 * The whole manifest. Unknown fields are kept as they are.
 *
 * @example Read a manifest
 * ```ts ignore
 * const manifest: BundleManifest | undefined = await readBundleManifest("./codex-bundle");
 * console.log(manifest?.schemaVersion);
 * ```
 */
export interface BundleManifest {
  /** {@linkcode BUNDLE_MANIFEST_SCHEMA_VERSION}. */
  schemaVersion: number;
  /** Entries by version, then by platform label. */
  entries: Record<string, Record<string, BundleEntry>>;
}

const SourceSchema = v.looseObject({
  tarball: v.string(),
  integrity: v.string(),
  package: v.optional(v.string()),
});
const EntrySchema = v.looseObject({
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "sha256 must be 64 lowercase hex digits")),
  size: v.pipe(v.number(), v.integer(), v.minValue(0)),
  source: SourceSchema,
  addedAt: v.string(),
});
const ManifestSchema = v.looseObject({
  schemaVersion: v.number(),
  entries: v.record(v.string(), v.record(v.string(), EntrySchema)),
});

/**
 * Parses manifest text. Throws a FileFormatError (with line and column when known) for text
 * that is not JSONC, does not match the schema, or comes from another schema version.
 */
export function parseBundleManifest(text: string, path: string): BundleManifest {
  const errors: ParseError[] = [];
  const data: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const first = errors[0];
    const { line, column } = lineColumn(text, first.offset);
    throw new FileFormatError(
      `Cannot parse bundle manifest ${path}: ${
        printParseErrorCode(first.error)
      } at ${line}:${column}`,
      { path, line, column },
    );
  }
  const result = v.safeParse(ManifestSchema, data);
  if (!result.success) {
    const issue = result.issues[0];
    const where = issue.path?.map((p) => String(p.key)).join(".") ?? "(root)";
    throw new FileFormatError(`Cannot read bundle manifest ${path}: ${where}: ${issue.message}`, {
      path,
    });
  }
  if (result.output.schemaVersion !== BUNDLE_MANIFEST_SCHEMA_VERSION) {
    throw new FileFormatError(
      `Cannot read bundle manifest ${path}: schemaVersion ${result.output.schemaVersion} is not ${BUNDLE_MANIFEST_SCHEMA_VERSION}`,
      { path },
    );
  }
  return result.output as BundleManifest;
}

/**
 * Reads `<root>/bundle.jsonc`; `undefined` when there is none. Throws a FileFormatError when it
 * exists but cannot be read as a manifest.
 *
 * @example List pinned versions
 * ```ts ignore
 * const manifest = await readBundleManifest("./codex-bundle");
 * console.log(Object.keys(manifest?.entries ?? {}));
 * ```
 */
export async function readBundleManifest(root: string): Promise<BundleManifest | undefined> {
  const path = join(root, BUNDLE_MANIFEST_FILE);
  const text = await readTextOrUndefined(path);
  return text === undefined ? undefined : parseBundleManifest(text, path);
}

/** The entry for `version` on `platform`, if the manifest has one. Pure. */
export function findBundleEntry(
  manifest: BundleManifest | undefined,
  version: string,
  platform: PlatformLabel,
): BundleEntry | undefined {
  const byPlatform = manifest?.entries[version];
  return byPlatform && Object.hasOwn(byPlatform, platform) ? byPlatform[platform] : undefined;
}

/**
 * Sets the entry for `version` on `platform` in `<root>/bundle.jsonc`, creating the file when
 * missing and keeping comments and other entries. The new text is validated, then written to a
 * temp file beside the manifest and renamed over it, so readers never see half a file.
 */
export async function recordBundleEntry(
  root: string,
  version: string,
  platform: PlatformLabel,
  entry: BundleEntry,
): Promise<BundleManifest> {
  const path = join(root, BUNDLE_MANIFEST_FILE);
  const before = await readTextOrUndefined(path);
  let text: string;
  if (before === undefined) {
    const fresh: BundleManifest = {
      schemaVersion: BUNDLE_MANIFEST_SCHEMA_VERSION,
      entries: { [version]: { [platform]: entry } },
    };
    text = `// Pinned codex binaries of this bundle; written by @codexkit/sdk/bundles.\n${
      JSON.stringify(fresh, null, 2)
    }\n`;
  } else {
    parseBundleManifest(before, path); // refuse to rewrite a manifest we cannot read
    const edits = modify(before, ["entries", version, platform], entry, {
      formattingOptions: { insertSpaces: true, tabSize: 2, eol: "\n" },
    });
    text = applyEdits(before, edits);
  }
  const manifest = parseBundleManifest(text, path);
  await writeFileAtomic(path, text);
  return manifest;
}

async function readTextOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw error;
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

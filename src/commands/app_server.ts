/**
 * `codex app-server generate-ts | generate-json-schema`: the app-server protocol's
 * TypeScript bindings and JSON Schemas, written to a directory.
 *
 * @module
 */
import { readdir } from "node:fs/promises";
import { runSubcommand } from "./run_command.ts";
import type { RunCommandOptions } from "./run_command.ts";

/** Options of {@linkcode generateAppServerTs} and {@linkcode generateAppServerJsonSchema}. */
export interface GenerateOptions extends RunCommandOptions {
  /** Include experimental methods and fields (`--experimental`). */
  experimental?: boolean;
}

/** Options of {@linkcode generateAppServerTs}. */
export interface GenerateTsOptions extends GenerateOptions {
  /** A Prettier executable to format the files with (`--prettier`). */
  prettier?: string;
}

/** What a generator wrote. */
export interface GeneratedFiles {
  /** The output directory. */
  out: string;
  /** Every file under it, relative, sorted, with `/` separators. */
  files: string[];
}

/** The argv of a generator. Pure. */
export function generateArgs(
  kind: "generate-ts" | "generate-json-schema",
  out: string,
  options: GenerateTsOptions = {},
): string[] {
  if (typeof out !== "string" || out === "") {
    throw new TypeError(`Cannot run app-server ${kind}: out must be a directory path`);
  }
  const args = ["app-server", kind, "--out", out];
  if (options.experimental) args.push("--experimental");
  if (options.prettier !== undefined) {
    if (kind !== "generate-ts" || typeof options.prettier !== "string") {
      throw new TypeError(
        `Cannot run app-server ${kind}: options.prettier is a path, for generate-ts only`,
      );
    }
    args.push("--prettier", options.prettier);
  }
  return args;
}

/**
 * Writes the protocol's TypeScript bindings to `out` (`codex app-server generate-ts`).
 *
 * @example
 * ```ts ignore
 * import { generateAppServerTs } from "@codexkit/sdk/commands";
 * const { files } = await generateAppServerTs("./protocol");
 * ```
 */
export function generateAppServerTs(
  out: string,
  options: GenerateTsOptions = {},
): Promise<GeneratedFiles> {
  return generate("generate-ts", out, options);
}

/** Writes the protocol's JSON Schemas to `out` (`codex app-server generate-json-schema`). */
export function generateAppServerJsonSchema(
  out: string,
  options: GenerateOptions = {},
): Promise<GeneratedFiles> {
  return generate("generate-json-schema", out, options);
}

async function generate(
  kind: "generate-ts" | "generate-json-schema",
  out: string,
  options: GenerateTsOptions,
): Promise<GeneratedFiles> {
  const args = generateArgs(kind, out, options);
  const { experimental: _e, prettier: _p, ...run } = options;
  await runSubcommand(["app-server"], args, { ...run, check: true });
  const entries = await readdir(out, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => {
    const parent = (e as { parentPath?: string; path?: string }).parentPath ??
      (e as { path?: string }).path ?? out;
    const rel = parent === out ? e.name : `${parent.slice(out.length + 1)}/${e.name}`;
    return rel.replaceAll("\\", "/");
  });
  return { out, files: files.sort() };
}

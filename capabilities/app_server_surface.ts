/**
 * The app-server protocol surface of a codex binary, read from the JSON Schema bundle that
 * `codex app-server generate-json-schema` writes: request methods, server requests and
 * notifications, each with the top-level fields of its params.
 *
 * @module
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { CodexError } from "../src/errors.ts";
import { runCommand } from "./_run.ts";

/** Method or notification name -> the field names of its params, sorted. */
export type MethodFields = Record<string, string[]>;

/** What the app-server of one binary speaks. */
export interface AppServerSurface {
  /** Requests the client sends (`thread/start`). */
  methods: MethodFields;
  /** Requests the server sends the client (approvals). */
  serverRequests: MethodFields;
  /** Notifications the server sends (`turn/completed`). */
  notifications: MethodFields;
  /** Notifications the client sends (`initialized`). */
  clientNotifications: MethodFields;
}

type Json = Record<string, unknown>;

/** The schema files each part of the surface is read from. */
const PARTS: readonly [keyof AppServerSurface, string][] = [
  ["methods", "ClientRequest.json"],
  ["serverRequests", "ServerRequest.json"],
  ["notifications", "ServerNotification.json"],
  ["clientNotifications", "ClientNotification.json"],
];

/**
 * Reads the surface from the parsed top-level schema files (`ClientRequest.json`, ...), by
 * file name. A missing file gives an empty part. Pure.
 *
 * @example Index a generated schema bundle
 * ```ts ignore
 * const surface = appServerSurfaceFromSchemas({ "ClientRequest.json": JSON.parse(text) });
 * surface.methods["thread/start"]; // ["approvalPolicy", "cwd", ...]
 * ```
 */
export function appServerSurfaceFromSchemas(files: Record<string, unknown>): AppServerSurface {
  const surface: AppServerSurface = {
    methods: {},
    serverRequests: {},
    notifications: {},
    clientNotifications: {},
  };
  for (const [part, file] of PARTS) {
    const doc = files[file] as Json | undefined;
    if (!doc) continue;
    const defs = (doc.definitions ?? {}) as Record<string, Json>;
    for (const variant of (doc.oneOf ?? doc.anyOf ?? []) as Json[]) {
      const props = (variant.properties ?? {}) as Record<string, Json>;
      const method = props.method?.enum;
      if (!Array.isArray(method) || typeof method[0] !== "string") continue;
      surface[part][method[0]] = props.params ? fieldsOf(props.params, defs, 0) : [];
    }
  }
  return surface;
}

function fieldsOf(schema: Json, defs: Record<string, Json>, depth: number): string[] {
  if (depth > 8) return [];
  const ref = schema.$ref;
  if (typeof ref === "string") {
    const def = defs[ref.replace(/^#\/definitions\//, "")];
    return def ? fieldsOf(def, defs, depth + 1) : [];
  }
  const names = new Set(Object.keys((schema.properties ?? {}) as Json));
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    for (const sub of (schema[key] ?? []) as Json[]) {
      for (const name of fieldsOf(sub, defs, depth + 1)) names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * Runs `codex app-server generate-json-schema` of `binary` in a temp dir (fresh CODEX_HOME,
 * plugins and analytics off) and reads its surface. Rejects with a CodexError when the binary
 * cannot generate the schema.
 *
 * @example The surface of the installed binary
 * ```ts ignore
 * const surface = await readAppServerSurface("/usr/local/bin/codex");
 * Object.keys(surface.methods).length;
 * ```
 */
export async function readAppServerSurface(
  binary: string,
  options: { timeoutMs?: number } = {},
): Promise<AppServerSurface> {
  const scratch = await mkdtemp(join(tmpdir(), "codexkit-schema-"));
  try {
    const out = join(scratch, "out");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: scratch,
      CODEX_HOME: scratch,
      TMPDIR: scratch,
    };
    const run = await runCommand(binary, [
      "--disable",
      "plugins",
      "-c",
      "analytics.enabled=false",
      "app-server",
      "generate-json-schema",
      "--out",
      out,
    ], { env, cwd: scratch, timeoutMs: options.timeoutMs ?? 30_000 });
    if (run.kind !== "exited" || run.code !== 0) {
      const why = run.kind === "exited"
        ? `exit code ${run.code}: ${run.stderr.trim().slice(-500)}`
        : run.kind;
      throw new CodexError(`Cannot generate the app-server schema of ${binary}: ${why}`);
    }
    const files: Record<string, unknown> = {};
    const names = new Set(await readdir(out));
    for (const [, file] of PARTS) {
      if (names.has(file)) files[file] = JSON.parse(await readFile(join(out, file), "utf8"));
    }
    return appServerSurfaceFromSchemas(files);
  } finally {
    await rm(scratch, { recursive: true, force: true }).catch(() => {});
  }
}

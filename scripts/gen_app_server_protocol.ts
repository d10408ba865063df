/**
 * Generates `src/app_server/protocol/` from the pinned CLI's own description of the app-server
 * protocol (`codex app-server generate-json-schema`): TypeScript types, valibot schemas and the
 * method tables of every client request, server notification and server request.
 *
 *   deno run -A scripts/gen_app_server_protocol.ts [--binary PATH] [--out DIR] [--experimental]
 *
 * `--experimental` adds the methods and fields the CLI marks experimental (the committed output
 * is the stable protocol only). The emitter is a small one of our own: the converters on npm
 * emit types but no valibot, and a second pass over their output would cost more than walking
 * the schema once.
 *
 * @module
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { getSpawner } from "../src/runtime/mod.ts";

type Json = Record<string, unknown>;

/** The pinned binary, relative to the repository root. */
export const PINNED_CODEX =
  "node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex";

/** Responses whose names do not follow `<Name>Params` -> `<Name>Response`. */
const RESPONSE_OF: Readonly<Record<string, string>> = {
  "config/value/write": "ConfigWriteResponse",
  "config/batchWrite": "ConfigWriteResponse",
  "account/gatewayOAuth/read": "GatewayOAuthReadResponse",
  "account/gatewayOAuth/login": "GatewayOAuthLoginResponse",
  "account/gatewayOAuth/cancel": "GatewayOAuthCancelResponse",
  "config/mcpServer/reload": "McpServerRefreshResponse",
  "accountSession/list": "AccountSessionsResponse",
  "windowsSandbox/readiness": "WindowsSandboxReadinessResponse",
  "account/logout": "LogoutAccountResponse",
  "account/securitySetup/read": "GetAccountSecuritySetupResponse",
  "account/rateLimits/read": "GetAccountRateLimitsResponse",
  "account/usage/read": "GetAccountTokenUsageResponse",
  "account/workspaceMessages/read": "GetWorkspaceMessagesResponse",
  "externalAgentConfig/import/readHistories": "ExternalAgentConfigImportHistoriesReadResponse",
  "configRequirements/read": "ConfigRequirementsReadResponse",
};

/** The schema files as the CLI wrote them. */
export interface ProtocolSchema {
  /** Every definition, by name (v1 and v2 bundles merged). */
  definitions: Map<string, Json>;
  /** `ClientRequest.json`, `ServerNotification.json`, `ServerRequest.json`. */
  unions: { client: Json; notifications: Json; serverRequests: Json };
}

/** Runs `codex app-server generate-json-schema` into a temporary directory and reads it. */
export async function readProtocolSchema(
  binary: string,
  experimental = false,
): Promise<ProtocolSchema> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-protocol-"));
  try {
    const args = ["app-server", "generate-json-schema", "--out", dir];
    if (experimental) args.push("--experimental");
    const child = await getSpawner().spawn(binary, args, {
      stdin: "null",
      env: { PATH: "/usr/bin:/bin", HOME: dir, CODEX_HOME: dir },
    });
    const [, stderr, status] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    if (status.code !== 0) throw new Error(`generate-json-schema failed: ${stderr}`);
    const definitions = new Map<string, Json>();
    const bundles = (await readdir(dir)).filter((f) => f.endsWith(".schemas.json")).sort();
    for (const file of bundles) {
      const doc = JSON.parse(await readFile(join(dir, file), "utf8")) as Json;
      for (const [name, def] of Object.entries((doc.definitions ?? {}) as Json)) {
        if (name === "v2") {
          for (const [inner, d] of Object.entries(def as Json)) definitions.set(inner, d as Json);
        } else if (!definitions.has(name)) definitions.set(name, def as Json);
      }
    }
    const read = async (file: string): Promise<Json> =>
      JSON.parse(await readFile(join(dir, file), "utf8")) as Json;
    return {
      definitions,
      unions: {
        client: await read("ClientRequest.json"),
        notifications: await read("ServerNotification.json"),
        serverRequests: await read("ServerRequest.json"),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One method of a union file: its name, params node and (for requests) result type name. */
export interface MethodEntry {
  /** Wire method. */
  method: string;
  /** The params node (a `$ref`, `anyOf [ref, null]` or `{type: "null"}`). */
  params: Json | undefined;
  /** The result definition's name (requests only). */
  result?: string;
}

function refName(ref: string): string {
  return ref.split("/").at(-1)!;
}

/** Lists a union file's methods, with each request's result definition. */
export function methodEntries(
  union: Json,
  definitions: Map<string, Json>,
  requests: boolean,
): MethodEntry[] {
  return (union.oneOf as Json[]).map((variant) => {
    const props = variant.properties as Record<string, Json>;
    const method = (props.method.enum as string[])[0];
    const params = props.params;
    if (!requests) return { method, params };
    const candidates: string[] = [];
    if (RESPONSE_OF[method] !== undefined) candidates.push(RESPONSE_OF[method]);
    const alts = [params, ...((params?.anyOf ?? []) as Json[])];
    for (const node of alts) {
      if (typeof node?.$ref === "string") {
        candidates.push(refName(node.$ref).replace(/^Nullable/, "").replace(/Params$/, "Response"));
      }
    }
    // `remoteControl/status/read` -> `RemoteControlStatusReadResponse`.
    candidates.push(
      method.split("/").map((part) => part[0].toUpperCase() + part.slice(1)).join("") + "Response",
    );
    const result = candidates.find((name) => definitions.has(name));
    if (result === undefined) {
      throw new Error(`No response definition known for ${method}: add it to RESPONSE_OF`);
    }
    return { method, params, result };
  });
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function key(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

function doc(text: unknown, indent: string): string {
  if (typeof text !== "string" || text.trim() === "") return "";
  const lines = text.replaceAll("*/", "*\\/").trim().split("\n");
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${
    lines.map((l) => `${indent} *${l ? ` ${l}` : ""}`).join("\n")
  }\n${indent} */\n`;
}

function types(node: Json): string[] {
  const t = node.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === "string" ? [t] : [];
}

/** The TypeScript type of a schema node. */
function tsType(node: unknown, indent: string): string {
  if (node === true || node === undefined) return "unknown";
  if (node === false) return "never";
  const n = node as Json;
  if (typeof n.$ref === "string") return refName(n.$ref);
  const parts: string[] = [];
  const alts = (n.oneOf ?? n.anyOf) as Json[] | undefined;
  const all = n.allOf as Json[] | undefined;
  const kinds = types(n);
  const objectPart = n.properties !== undefined || kinds.includes("object");
  if (Array.isArray(n.enum)) {
    const values = (n.enum as unknown[]).map((v) => JSON.stringify(v));
    if (kinds.includes("null") && !values.includes("null")) values.push("null");
    return values.join(" | ");
  }
  for (const kind of kinds) {
    if (kind === "string") parts.push("string");
    else if (kind === "integer" || kind === "number") parts.push("number");
    else if (kind === "boolean") parts.push("boolean");
    else if (kind === "null") parts.push("null");
    else if (kind === "array") parts.push(`Array<${tsType(n.items, indent)}>`);
    else if (kind === "object") parts.push(tsObject(n, indent));
  }
  if (kinds.length === 0 && n.properties !== undefined) parts.push(tsObject(n, indent));
  let base = parts.length > 0 ? parts.join(" | ") : "";
  if (alts) {
    const union = alts.map((a) => tsType(a, indent)).join(" | ");
    base = base && objectPart ? `(${base}) & (${union})` : base ? `${base} | ${union}` : union;
  }
  if (all) {
    const inter = all.map((a) => tsType(a, indent)).map((t) => `(${t})`).join(" & ");
    base = base ? `(${base}) & ${inter}` : inter;
  }
  return base || "unknown";
}

function isNullable(node: unknown): boolean {
  const n = node as Json;
  if (types(n).includes("null")) return true;
  const alts = (n?.oneOf ?? n?.anyOf) as Json[] | undefined;
  return alts?.some((a) => types(a).includes("null") && a.properties === undefined) ?? false;
}

function tsObject(n: Json, indent: string): string {
  const props = (n.properties ?? {}) as Record<string, Json>;
  const required = new Set((n.required ?? []) as string[]);
  const inner = `${indent}  `;
  const lines: string[] = [];
  for (const [name, prop] of Object.entries(props)) {
    const opt = required.has(name) ? "" : "?";
    lines.push(
      `${doc(prop.description, inner)}${inner}${key(name)}${opt}: ${tsType(prop, inner)};`,
    );
  }
  const extra = n.additionalProperties;
  if (lines.length === 0) {
    if (extra && typeof extra === "object") return `{ [key: string]: ${tsType(extra, inner)} }`;
    return "{ [key: string]: unknown }";
  }
  if (extra !== undefined && extra !== false) lines.push(`${inner}[key: string]: unknown;`);
  return `{\n${lines.join("\n")}\n${indent}}`;
}

function paramsType(params: Json | undefined): string {
  if (params === undefined || (types(params).length === 1 && types(params)[0] === "null")) {
    return "undefined";
  }
  const t = tsType(params, "  ");
  return isNullable(params) ? `${t.replace(/ \| null$/, "")} | undefined` : t;
}

const SCHEMA_KEYS = new Set([
  "type",
  "enum",
  "properties",
  "required",
  "items",
  "additionalProperties",
  "oneOf",
  "anyOf",
  "allOf",
  "$ref",
]);

/**
 * A schema node with only what validation reads (no descriptions, titles, defaults, formats),
 * `$ref`s reduced to the bare definition name. Property maps keep every name.
 */
export function compactNode(node: unknown): unknown {
  if (typeof node !== "object" || node === null) return node;
  const n = node as Json;
  const out: Json = {};
  for (const [k, value] of Object.entries(n)) {
    if (!SCHEMA_KEYS.has(k)) continue;
    if (k === "$ref") out.$ref = refName(String(value));
    else if (k === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Json).map(([name, prop]) => [name, compactNode(prop)]),
      );
    } else if (k === "items" || k === "additionalProperties") out[k] = compactNode(value);
    else if (k === "oneOf" || k === "anyOf" || k === "allOf") {
      out[k] = (value as unknown[]).map(compactNode);
    } else out[k] = value;
  }
  return out;
}

/**
 * The runtime half of `schemas.ts`: builds a valibot schema from a compact node on first use.
 * Kept as data plus this walker because runtimes that strip types (Node) parse a large file of
 * schema expressions several times slower than a string of JSON.
 */
const SCHEMA_RUNTIME = `type Node = boolean | { [key: string]: unknown };
type Entry = [method: string, params: Node | null, result?: string];
const DATA: { defs: Record<string, Node>; client: Entry[]; notifications: Entry[]; serverRequests: Entry[] } =
  JSON.parse(RAW);
const built = new Map<string, WireSchema>();

function def(name: string): WireSchema {
  let schema = built.get(name);
  if (schema === undefined) {
    const node = Object.hasOwn(DATA.defs, name) ? DATA.defs[name] : undefined;
    if (node === undefined) throw new Error(\`No protocol definition \${name}\`);
    schema = build(node);
    built.set(name, schema);
  }
  return schema;
}

const ref = (name: string): WireSchema => v.lazy(() => def(name));

function kindsOf(n: Record<string, unknown>): string[] {
  return Array.isArray(n.type) ? n.type as string[] : typeof n.type === "string" ? [n.type] : [];
}

function objectOf(n: Record<string, unknown>): WireSchema {
  const props = (n.properties ?? {}) as Record<string, Node>;
  const required = new Set((n.required ?? []) as string[]);
  const names = Object.keys(props);
  if (names.length === 0) {
    const extra = n.additionalProperties;
    if (extra && typeof extra === "object") return v.record(v.string(), build(extra as Node));
    return v.looseObject({});
  }
  const entries: Record<string, WireSchema> = {};
  for (const name of names) {
    const t = build(props[name]);
    entries[name] = required.has(name) ? t : v.optional(t);
  }
  return v.looseObject(entries);
}

function build(node: Node | undefined): WireSchema {
  if (node === true || node === undefined) return v.unknown();
  if (node === false) return v.never();
  const n = node;
  if (typeof n.$ref === "string") return ref(n.$ref);
  const kinds = kindsOf(n);
  if (Array.isArray(n.enum)) {
    const values = n.enum as unknown[];
    const strings = values.filter((x): x is string => typeof x === "string");
    let e: WireSchema = strings.length === values.length
      ? (strings.length === 1 ? v.literal(strings[0]) : v.picklist(strings))
      : v.union(values.map((x) => v.literal(x as string)));
    if (kinds.includes("null") && !values.includes(null)) e = v.nullable(e);
    return e;
  }
  const parts: WireSchema[] = [];
  let nulls = 0;
  for (const kind of kinds) {
    if (kind === "string") parts.push(v.string());
    else if (kind === "integer" || kind === "number") parts.push(v.number());
    else if (kind === "boolean") parts.push(v.boolean());
    else if (kind === "null") {
      parts.push(v.null());
      nulls++;
    } else if (kind === "array") parts.push(v.array(build(n.items as Node)));
    else if (kind === "object") parts.push(objectOf(n));
  }
  if (kinds.length === 0 && n.properties !== undefined) parts.push(objectOf(n));
  let base: WireSchema | undefined;
  if (parts.length === 1) base = parts[0];
  else if (parts.length === 2 && nulls === 1) {
    base = v.nullable(parts.find((_, i) => kinds[i] !== "null")!);
  } else if (parts.length > 1) base = v.union(parts);
  const alts = (n.oneOf ?? n.anyOf) as Node[] | undefined;
  if (alts) {
    const options = alts.map(build);
    const union = options.length === 1 ? options[0] : v.union(options);
    base = base && n.properties !== undefined
      ? v.intersect([base, union])
      : base
      ? v.union([base, union])
      : union;
  }
  const all = n.allOf as Node[] | undefined;
  if (all) {
    const members = all.map(build);
    const inter = members.length === 1 ? members[0] : v.intersect(members);
    base = base ? v.intersect([base, inter]) : inter;
  }
  return base ?? v.unknown();
}

function isNullable(node: Node): boolean {
  if (typeof node !== "object") return false;
  if (kindsOf(node).includes("null")) return true;
  const alts = (node.oneOf ?? node.anyOf) as Node[] | undefined;
  return alts?.some((a) =>
    typeof a === "object" && kindsOf(a).includes("null") && a.properties === undefined
  ) ?? false;
}

function paramsOf(node: Node | null): WireSchema {
  if (node === null || (typeof node === "object" && kindsOf(node).join() === "null")) {
    return v.nullish(v.looseObject({}));
  }
  return isNullable(node) ? v.nullish(build(node)) : build(node);
}

function lazyTable<T>(entries: Entry[], make: (entry: Entry) => T): Readonly<Record<string, T>> {
  const out: Record<string, T> = {};
  for (const entry of entries) {
    let cached: T | undefined;
    Object.defineProperty(out, entry[0], {
      enumerable: true,
      get: () => (cached ??= make(entry)),
    });
  }
  return Object.freeze(out);
}

/** Every definition's schema, by its name (each built on first access). */
export const DEFINITION_SCHEMAS: Readonly<Record<string, WireSchema>> = lazyTable(
  Object.keys(DATA.defs).map((name): Entry => [name, null]),
  ([name]) => def(name),
);

/** The schemas of every client request. */
export const CLIENT_REQUEST_SCHEMAS: Readonly<Record<string, RequestSchemas>> = lazyTable(
  DATA.client,
  ([, params, result]) => ({ params: paramsOf(params), result: ref(result!) }),
);

/** The params schema of every server notification. */
export const SERVER_NOTIFICATION_SCHEMAS: Readonly<Record<string, WireSchema>> = lazyTable(
  DATA.notifications,
  ([, params]) => paramsOf(params),
);

/** The schemas of every server->client request. */
export const SERVER_REQUEST_SCHEMAS: Readonly<Record<string, RequestSchemas>> = lazyTable(
  DATA.serverRequests,
  ([, params, result]) => ({ params: paramsOf(params), result: ref(result!) }),
);
`;

/** Generated files, by name, and the counts they hold. */
export interface GeneratedProtocol {
  /** File name -> text. */
  files: Map<string, string>;
  /** How many client requests, notifications and server requests, and definitions. */
  counts: { clientRequests: number; notifications: number; serverRequests: number; types: number };
}

/** Emits `types.ts`, `schemas.ts` and `methods.ts` for a schema. */
export function emitProtocol(
  schema: ProtocolSchema,
  source: { version: string; experimental: boolean },
): GeneratedProtocol {
  const { definitions } = schema;
  const client = methodEntries(schema.unions.client, definitions, true);
  const notes = methodEntries(schema.unions.notifications, definitions, false);
  const serverRequests = methodEntries(schema.unions.serverRequests, definitions, true);
  const names = [...definitions.keys()].filter((n) =>
    !/^(JSONRPC|ClientRequest$|ServerRequest$|ServerNotification$|ClientNotification$)/.test(n)
  ).sort();
  const flavour = source.experimental ? "stable + experimental" : "stable";
  const header = (what: string): string =>
    `// Generated by scripts/gen_app_server_protocol.ts from codex-cli ${source.version} ` +
    `(app-server generate-json-schema, ${flavour}); regenerate with ` +
    "`deno run -A scripts/gen_app_server_protocol.ts`. Do not edit.\n" +
    `/**\n * ${what}\n *\n * @module\n */\n`;

  // types.ts
  let t = header(
    "Types of every app-server message, generated from the CLI's JSON Schema. Names are the " +
      "schema's; wire fields are camelCase.",
  );
  for (const name of names) {
    const def = definitions.get(name)!;
    t += doc(def.description ?? `The wire shape \`${name}\`.`, "");
    t += `export type ${name} = ${tsType(def, "")};\n\n`;
  }
  const table = (
    title: string,
    name: string,
    entries: MethodEntry[],
    body: (e: MethodEntry) => string,
  ): string =>
    `/** ${title} */\nexport interface ${name} {\n${
      entries.map((e) => `  /** \`${e.method}\`. */\n  ${key(e.method)}: ${body(e)};`).join("\n")
    }\n}\n\n`;
  t += table(
    "Every client request: its params and result.",
    "ClientRequests",
    client,
    (e) => `{ params: ${paramsType(e.params)}; result: ${e.result} }`,
  );
  t += table(
    "Every server notification: its params.",
    "ServerNotifications",
    notes,
    (e) => paramsType(e.params),
  );
  t += table(
    "Every server->client request: its params and the result it expects.",
    "ServerRequests",
    serverRequests,
    (e) => `{ params: ${paramsType(e.params)}; result: ${e.result} }`,
  );

  // schemas.ts
  let s = header(
    "valibot schemas of every app-server message, built on first use from the CLI's JSON Schema " +
      "(kept below as compact JSON). Objects are loose: fields a newer CLI adds pass through.",
  );
  s += 'import * as v from "valibot";\n\n';
  s += "/** A schema of some wire shape. */\nexport type WireSchema = v.GenericSchema<unknown>;\n";
  s += "/** The schemas of a request: params and result. */\n" +
    "export interface RequestSchemas {\n  /** Params. */\n  params: WireSchema;\n" +
    "  /** Result. */\n  result: WireSchema;\n}\n\n";
  const entry = (e: MethodEntry): unknown[] =>
    e.result === undefined
      ? [e.method, e.params === undefined ? null : compactNode(e.params)]
      : [e.method, e.params === undefined ? null : compactNode(e.params), e.result];
  const data = {
    defs: Object.fromEntries(names.map((name) => [name, compactNode(definitions.get(name))])),
    client: client.map(entry),
    notifications: notes.map(entry),
    serverRequests: serverRequests.map(entry),
  };
  s += `const RAW: string = ${JSON.stringify(JSON.stringify(data))};\n\n`;
  s += SCHEMA_RUNTIME;

  // methods.ts
  let m = header(
    "The method names of the app-server protocol (tiny; no schemas), and the CLI they came from.",
  );
  m +=
    `/** The CLI version the protocol was generated from. */\nexport const PROTOCOL_CLI_VERSION: string = ${
      JSON.stringify(source.version)
    };\n\n`;
  const list = (title: string, name: string, entries: MethodEntry[]) =>
    `/** ${title} */\nexport const ${name}: readonly string[] = [\n${
      entries.map((e) => `  ${JSON.stringify(e.method)},`).join("\n")
    }\n];\n\n`;
  m += list("Every client request method.", "CLIENT_REQUEST_METHODS", client);
  m += list("Every server notification method.", "SERVER_NOTIFICATION_METHODS", notes);
  m += list("Every server->client request method.", "SERVER_REQUEST_METHODS", serverRequests);

  return {
    files: new Map([
      ["types.ts", t.trimEnd() + "\n"],
      ["schemas.ts", s.trimEnd() + "\n"],
      ["methods.ts", m.trimEnd() + "\n"],
    ]),
    counts: {
      clientRequests: client.length,
      notifications: notes.length,
      serverRequests: serverRequests.length,
      types: names.length,
    },
  };
}

/** The version a binary reports (`codex --version` -> `codex-cli 0.169.0` -> `0.169.0`). */
export async function binaryVersion(binary: string): Promise<string> {
  const child = await getSpawner().spawn(binary, ["--version"], {
    stdin: "null",
    env: { PATH: "/usr/bin:/bin" },
  });
  const [out] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  return out.trim().split(/\s+/).at(-1) ?? "unknown";
}

/** Reads the binary's schema and returns the generated files. */
export async function generateProtocol(
  binary: string,
  experimental = false,
): Promise<GeneratedProtocol> {
  const [schema, version] = await Promise.all([
    readProtocolSchema(binary, experimental),
    binaryVersion(binary),
  ]);
  return emitProtocol(schema, { version, experimental });
}

async function main(args: string[]): Promise<void> {
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const experimental = args.includes("--experimental");
  const binary = value("--binary") ?? PINNED_CODEX;
  const out = value("--out") ??
    (experimental ? "src/app_server/protocol_experimental" : "src/app_server/protocol");
  const { files, counts } = await generateProtocol(binary, experimental);
  const { mkdir } = await import("node:fs/promises");
  await mkdir(out, { recursive: true });
  for (const [name, text] of files) await writeFile(join(out, name), text);
  console.log(
    `Wrote ${out}: ${counts.clientRequests} client requests, ${counts.notifications} ` +
      `notifications, ${counts.serverRequests} server requests, ${counts.types} types`,
  );
}

if ((import.meta as { main?: boolean }).main) await main(process.argv.slice(2));

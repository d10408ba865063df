/**
 * Generates `src/app_server/protocol/` from the pinned CLI's own description of the app-server
 * protocol (`codex app-server generate-json-schema`): TypeScript types (`types.ts`), the method
 * names (`methods.ts`) and the schema data (`schemas.json`, one definition per line, so a new
 * CLI's changes read as a diff). The data is interpreted by the hand-written
 * `src/app_server/wire_schemas.ts`; nothing generated holds code beyond types and name lists.
 *
 *   node_modules/.bin/deno run -A scripts/gen_app_server_protocol.ts [--binary PATH] [--out DIR] [--experimental]
 *
 * `--experimental` adds the methods and fields the CLI marks experimental (the committed output
 * is the stable protocol only). The emitter is a small one of our own: the converters on npm
 * emit types but no schema data, and a second pass over their output would cost more than
 * walking the schema once.
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
  /** The result definition's name (requests only); `null` when the schema names none. */
  result?: string | null;
}

/**
 * Why a request's result is typed `unknown`: the CLI's schema names no response definition for
 * it. What the live server was seen to answer goes in the generated comment.
 */
const UNTYPED_RESULT_SEEN: Readonly<Record<string, string>> = {
  "modelProvider/default/set":
    "the live 0.171.0 server answers with the `ConfigWriteResponse` shape",
};

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
    // No definition (0.171.0's modelProvider/default/set): typed unknown and passed through,
    // rather than stopping generation for one method.
    const result = candidates.find((name) => definitions.has(name)) ?? null;
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

/** Generated files, by name, and the counts they hold. */
export interface GeneratedProtocol {
  /** File name -> text. */
  files: Map<string, string>;
  /** How many client requests, notifications and server requests, and definitions. */
  counts: { clientRequests: number; notifications: number; serverRequests: number; types: number };
}

/** The type of a request's result in `types.ts`. */
function resultType(e: MethodEntry): string {
  return e.result ?? "unknown";
}

/** The doc line of a method in the `types.ts` tables. */
function methodDoc(e: MethodEntry): string {
  if (e.result !== null) return `\`${e.method}\`.`;
  const seen = UNTYPED_RESULT_SEEN[e.method];
  return `\`${e.method}\`. The CLI's schema names no result: typed \`unknown\` and passed ` +
    `through unchanged${seen ? ` (${seen})` : ""}.`;
}

/** Emits `types.ts`, `schemas.json` and `methods.ts` for a schema. */
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
  const made = `Generated by scripts/gen_app_server_protocol.ts from codex-cli ${source.version} ` +
    `(app-server generate-json-schema, ${flavour}); regenerate with ` +
    "`node_modules/.bin/deno run -A scripts/gen_app_server_protocol.ts`. Do not edit.";
  const header = (what: string): string => `// ${made}\n/**\n * ${what}\n *\n * @module\n */\n`;

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
      entries.map((e) => `  /** ${methodDoc(e)} */\n  ${key(e.method)}: ${body(e)};`).join("\n")
    }\n}\n\n`;
  t += table(
    "Every client request: its params and result.",
    "ClientRequests",
    client,
    (e) => `{ params: ${paramsType(e.params)}; result: ${resultType(e)} }`,
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
    (e) => `{ params: ${paramsType(e.params)}; result: ${resultType(e)} }`,
  );

  // schemas.json
  const entry = (e: MethodEntry): unknown[] =>
    e.result === undefined
      ? [e.method, e.params === undefined ? null : compactNode(e.params)]
      : [e.method, e.params === undefined ? null : compactNode(e.params), e.result];
  const s = protocolJson({
    comment: `${made} Read by src/app_server/wire_schemas.ts.`,
    defs: names.map((name) => [name, compactNode(definitions.get(name))]),
    lists: {
      client: client.map(entry),
      notifications: notes.map(entry),
      serverRequests: serverRequests.map(entry),
    },
  });

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
      ["schemas.json", s],
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

/**
 * The schema data as JSON with one definition and one method per line: a new CLI's changes
 * show as a reviewable diff. `$comment` says what made it.
 */
export function protocolJson(parts: {
  comment: string;
  defs: [name: string, node: unknown][];
  lists: Record<string, unknown[]>;
}): string {
  const lines = [`{`, `  "$comment": ${JSON.stringify(parts.comment)},`, `  "defs": {`];
  lines.push(
    parts.defs.map(([name, node]) => `    ${JSON.stringify(name)}: ${JSON.stringify(node)}`)
      .join(",\n"),
  );
  const lists = Object.entries(parts.lists);
  lines.push(`  },`);
  lists.forEach(([name, items], i) => {
    lines.push(`  ${JSON.stringify(name)}: [`);
    lines.push(items.map((item) => `    ${JSON.stringify(item)}`).join(",\n"));
    lines.push(`  ]${i < lists.length - 1 ? "," : ""}`);
  });
  lines.push(`}`);
  return `${lines.filter((line) => line !== "").join("\n")}\n`;
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

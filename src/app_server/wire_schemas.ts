/**
 * valibot schemas of every app-server message, built on first use from the protocol data that
 * `scripts/gen_app_server_protocol.ts` writes (`./protocol/schemas.json`: the CLI's own JSON
 * Schema, reduced to what validation reads, one definition per line). Objects are loose: fields
 * a newer CLI adds pass through.
 *
 * Kept as data plus this walker because runtimes that strip types (Node) parse a large module of
 * schema expressions several times slower than a JSON file.
 *
 * @module
 */
import * as v from "valibot";
import PROTOCOL from "./protocol/schemas.json" with { type: "json" };

/** A schema of some wire shape. */
export type WireSchema = v.GenericSchema<unknown>;

/** The schemas of a request: params and result. */
export interface RequestSchemas {
  /** Params. */
  params: WireSchema;
  /** Result. */
  result: WireSchema;
}

/** A compact JSON Schema node (`true` is anything, `false` nothing). */
export type SchemaNode = boolean | { [key: string]: unknown };

/**
 * One method: its name, its params node (`null`: no params) and, for requests, the name of its
 * result definition (`null`: the schema names none, so the result is anything).
 */
export type MethodEntry = [method: string, params: SchemaNode | null, result?: string | null];

/** The protocol data: definitions by name and the method lists. */
export interface ProtocolData {
  /** What made the data (the generator writes it; not read). */
  $comment?: string;
  /** Every definition, by name. */
  defs: Record<string, SchemaNode>;
  /** Client requests. */
  client: MethodEntry[];
  /** Server notifications. */
  notifications: MethodEntry[];
  /** Server->client requests. */
  serverRequests: MethodEntry[];
}

/** The schema tables of one protocol. */
export interface WireSchemas {
  /** Every definition's schema, by its name (each built on first access). */
  definitions: Readonly<Record<string, WireSchema>>;
  /** The schemas of every client request. */
  clientRequests: Readonly<Record<string, RequestSchemas>>;
  /** The params schema of every server notification. */
  notifications: Readonly<Record<string, WireSchema>>;
  /** The schemas of every server->client request. */
  serverRequests: Readonly<Record<string, RequestSchemas>>;
}

function kindsOf(node: { [key: string]: unknown }): string[] {
  const t = node.type;
  return Array.isArray(t) ? t as string[] : typeof t === "string" ? [t] : [];
}

function isNullable(node: SchemaNode): boolean {
  if (typeof node !== "object") return false;
  if (kindsOf(node).includes("null")) return true;
  const alts = (node.oneOf ?? node.anyOf) as SchemaNode[] | undefined;
  return alts?.some((a) =>
    typeof a === "object" && kindsOf(a).includes("null") && a.properties === undefined
  ) ?? false;
}

/** An object whose getters build each entry on first access, then keep it. */
function lazyTable<T>(
  names: readonly string[],
  make: (name: string) => T,
): Readonly<Record<string, T>> {
  const out: Record<string, T> = {};
  for (const name of names) {
    let cached: T | undefined;
    Object.defineProperty(out, name, { enumerable: true, get: () => (cached ??= make(name)) });
  }
  return Object.freeze(out);
}

/**
 * Builds the schema tables of `data`. Nothing is built until a table entry is read; a
 * definition is built once, and `$ref`s resolve lazily, so recursive shapes work.
 *
 * @example Check a value against a tiny protocol
 * ```ts
 * import * as v from "valibot";
 * import { buildWireSchemas } from "./wire_schemas.ts";
 * const schemas = buildWireSchemas({
 *   defs: { Pong: { type: "object", properties: { at: { type: "integer" } }, required: ["at"] } },
 *   client: [["ping", null, "Pong"]],
 *   notifications: [],
 *   serverRequests: [],
 * });
 * v.safeParse(schemas.clientRequests.ping.result, { at: 1 }).success; // true
 * ```
 */
export function buildWireSchemas(data: ProtocolData): WireSchemas {
  const built = new Map<string, WireSchema>();

  function def(name: string): WireSchema {
    let schema = built.get(name);
    if (schema === undefined) {
      const node = Object.hasOwn(data.defs, name) ? data.defs[name] : undefined;
      if (node === undefined) throw new Error(`No protocol definition ${name}`);
      schema = build(node);
      built.set(name, schema);
    }
    return schema;
  }

  const ref = (name: string): WireSchema => v.lazy(() => def(name));

  function objectOf(n: { [key: string]: unknown }): WireSchema {
    const props = (n.properties ?? {}) as Record<string, SchemaNode>;
    const required = new Set((n.required ?? []) as string[]);
    const names = Object.keys(props);
    if (names.length === 0) {
      const extra = n.additionalProperties;
      if (extra && typeof extra === "object") {
        return v.record(v.string(), build(extra as SchemaNode));
      }
      return v.looseObject({});
    }
    const entries: Record<string, WireSchema> = {};
    for (const name of names) {
      const t = build(props[name]);
      entries[name] = required.has(name) ? t : v.optional(t);
    }
    return v.looseObject(entries);
  }

  function build(node: SchemaNode | undefined): WireSchema {
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
      } else if (kind === "array") parts.push(v.array(build(n.items as SchemaNode)));
      else if (kind === "object") parts.push(objectOf(n));
    }
    if (kinds.length === 0 && n.properties !== undefined) parts.push(objectOf(n));
    let base: WireSchema | undefined;
    if (parts.length === 1) base = parts[0];
    else if (parts.length === 2 && nulls === 1) {
      base = v.nullable(parts.find((_, i) => kinds[i] !== "null")!);
    } else if (parts.length > 1) base = v.union(parts);
    const alts = (n.oneOf ?? n.anyOf) as SchemaNode[] | undefined;
    if (alts) {
      const options = alts.map(build);
      const union = options.length === 1 ? options[0] : v.union(options);
      base = base && n.properties !== undefined
        ? v.intersect([base, union])
        : base
        ? v.union([base, union])
        : union;
    }
    const all = n.allOf as SchemaNode[] | undefined;
    if (all) {
      const members = all.map(build);
      const inter = members.length === 1 ? members[0] : v.intersect(members);
      base = base ? v.intersect([base, inter]) : inter;
    }
    return base ?? v.unknown();
  }

  function paramsOf(node: SchemaNode | null): WireSchema {
    if (node === null || (typeof node === "object" && kindsOf(node).join() === "null")) {
      return v.nullish(v.looseObject({}));
    }
    return isNullable(node) ? v.nullish(build(node)) : build(node);
  }

  const byName = (entries: readonly MethodEntry[]) => new Map(entries.map((e) => [e[0], e]));
  const requests = (entries: readonly MethodEntry[]) => {
    const map = byName(entries);
    return lazyTable([...map.keys()], (method): RequestSchemas => {
      const [, params, result] = map.get(method)!;
      // A result the schema names no definition for (0.171.0's modelProvider/default/set)
      // passes as it came.
      return { params: paramsOf(params), result: result ? ref(result) : v.unknown() };
    });
  };
  const notes = byName(data.notifications);
  return {
    definitions: lazyTable(Object.keys(data.defs), def),
    clientRequests: requests(data.client),
    notifications: lazyTable([...notes.keys()], (method) => paramsOf(notes.get(method)![1])),
    serverRequests: requests(data.serverRequests),
  };
}

const COMMITTED: WireSchemas = buildWireSchemas(PROTOCOL as unknown as ProtocolData);

/** Every definition's schema of the committed protocol, by its name. */
export const DEFINITION_SCHEMAS: Readonly<Record<string, WireSchema>> = COMMITTED.definitions;
/** The schemas of every client request of the committed protocol. */
export const CLIENT_REQUEST_SCHEMAS: Readonly<Record<string, RequestSchemas>> =
  COMMITTED.clientRequests;
/** The params schema of every server notification of the committed protocol. */
export const SERVER_NOTIFICATION_SCHEMAS: Readonly<Record<string, WireSchema>> =
  COMMITTED.notifications;
/** The schemas of every server->client request of the committed protocol. */
export const SERVER_REQUEST_SCHEMAS: Readonly<Record<string, RequestSchemas>> =
  COMMITTED.serverRequests;

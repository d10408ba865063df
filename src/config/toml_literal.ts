/**
 * TOML literals for `--config key=value`: the CLI parses each value as TOML, so every value
 * is encoded here, once, the same way `config.toml` writing encodes it.
 *
 * @module
 */

/** A value that can be written as a TOML literal. */
export type TomlValue =
  | string
  | number
  | bigint
  | boolean
  | Date
  | TomlValue[]
  | { [key: string]: TomlValue | undefined };

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** Encodes a key: bare when TOML allows it, else a quoted string. */
export function encodeTomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : encodeTomlString(key);
}

/**
 * Encodes `value` as an inline TOML literal. Throws a TypeError naming `keyPath` for what TOML
 * cannot say: `null`, `undefined` (except as an object property, which is skipped, as JSON
 * does), functions, symbols, non-finite numbers, lone surrogates, cycles.
 *
 * @example Encode a value
 * ```ts
 * import { encodeTomlValue } from "./toml_literal.ts";
 * encodeTomlValue({ name: "mock", retries: 0 }, "model_providers.mock");
 * // '{name = "mock", retries = 0}'
 * ```
 */
export function encodeTomlValue(value: unknown, keyPath: string): string {
  return encode(value, keyPath, []);
}

/**
 * Flattens a nested config object into `key.path=<TOML literal>` strings, one per leaf, in
 * insertion order. Nested objects and dotted keys both become unquoted dotted paths
 * (`{ features: { x: false } }` and `{ "features.x": false }` give `features.x=false`): the CLI
 * splits a `--config` key on `.` and takes each segment literally, so a quoted key would name a
 * different setting and be ignored (seen on 0.169.0). Arrays and the objects inside them stay
 * inline. An empty object becomes `key={}`.
 */
export function flattenConfig(config: Record<string, unknown>, prefix = ""): string[] {
  return flattenConfigEntries(config, prefix).map(([path, value]) =>
    `${path}=${encode(value, path, [])}`
  );
}

/**
 * The leaves of a nested config object as `[dotted path, value]` pairs, in insertion order (an
 * empty object is a leaf). Throws a TypeError naming the path for a key the CLI cannot read.
 */
export function flattenConfigEntries(
  config: Record<string, unknown>,
  prefix = "",
): [string, unknown][] {
  const out: [string, unknown][] = [];
  walk(config, prefix, out, []);
  return out;
}

function walk(
  value: Record<string, unknown>,
  prefix: string,
  out: [string, unknown][],
  seen: object[],
): void {
  if (seen.includes(value)) throw new TypeError(`Cannot encode config at ${prefix}: cycle`);
  const entries = Object.entries(value).filter(([, child]) => child !== undefined);
  if (entries.length === 0 && prefix) {
    out.push([prefix, {}]);
    return;
  }
  for (const [key, child] of entries) {
    const where = prefix ? `${prefix}.${key}` : key;
    if (key.split(".").some((segment) => segment.trim().length === 0)) {
      throw new TypeError(`Cannot encode config at ${where || "<root>"}: empty key segment`);
    }
    if (key.includes("=")) {
      throw new TypeError(`Cannot encode config at ${where}: a key cannot contain "="`);
    }
    if (isPlainObject(child)) walk(child, where, out, [...seen, value]);
    else out.push([where, child]);
  }
}

function encode(value: unknown, path: string, seen: object[]): string {
  switch (typeof value) {
    case "string":
      return encodeTomlString(value, path);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      if (value < -(2n ** 63n) || value >= 2n ** 63n) {
        throw new TypeError(
          `Cannot encode config at ${path}: ${value} is outside TOML's 64-bit integers`,
        );
      }
      return value.toString();
    case "number":
      if (!Number.isFinite(value)) {
        throw new TypeError(`Cannot encode config at ${path}: ${value} is not a finite number`);
      }
      return Object.is(value, -0) ? "0" : String(value);
    case "object": {
      if (value === null) throw new TypeError(`Cannot encode config at ${path}: TOML has no null`);
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) {
          throw new TypeError(`Cannot encode config at ${path}: invalid date`);
        }
        return value.toISOString();
      }
      if (seen.includes(value)) throw new TypeError(`Cannot encode config at ${path}: cycle`);
      const inner = [...seen, value];
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => encode(item, `${path}[${i}]`, inner)).join(", ")}]`;
      }
      if (!isPlainObject(value)) {
        throw new TypeError(`Cannot encode config at ${path}: not a plain object`);
      }
      const parts: string[] = [];
      for (const [key, child] of Object.entries(value)) {
        if (child === undefined) continue;
        if (key.length === 0) throw new TypeError(`Cannot encode config at ${path}: empty key`);
        parts.push(`${encodeTomlKey(key)} = ${encode(child, `${path}.${key}`, inner)}`);
      }
      return `{${parts.join(", ")}}`;
    }
    default:
      throw new TypeError(`Cannot encode config at ${path}: ${typeof value} has no TOML form`);
  }
}

/** Encodes a TOML basic string, escaping what TOML requires. */
export function encodeTomlString(text: string, path = "<string>"): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i] + text[i + 1];
        i++;
        continue;
      }
      throw new TypeError(`Cannot encode config at ${path}: lone surrogate in string`);
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      throw new TypeError(`Cannot encode config at ${path}: lone surrogate in string`);
    }
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += "\\\\";
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x08:
        out += "\\b";
        break;
      case 0x0c:
        out += "\\f";
        break;
      default:
        out += c < 0x20 || c === 0x7f ? `\\u${c.toString(16).padStart(4, "0")}` : text[i];
    }
  }
  return out + '"';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

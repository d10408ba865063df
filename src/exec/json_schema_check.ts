/**
 * Checks a value against a plain JSON Schema with `@cfworker/json-schema` (small, no
 * dependencies, the same on Deno, Bun and Node): full draft 2020-12, so `$ref`, `anyOf`,
 * `pattern`, bounds and the rest all count.
 *
 * @module
 */
import { Validator } from "@cfworker/json-schema";
import type { Schema } from "@cfworker/json-schema";

// Errors that only say "something below did not match"; the error below says what.
const WRAPPERS = new Set(["properties", "items", "prefixItems", "$ref", "allOf", "false"]);

/** The problems of `value` against `schema`, one line each (empty when it matches). */
export function checkJsonSchema(schema: Record<string, unknown>, value: unknown): string[] {
  const result = new Validator(schema as Schema, "2020-12", false).validate(value);
  if (result.valid) return [];
  const leaves = result.errors.filter((error) => !WRAPPERS.has(error.keyword));
  return (leaves.length > 0 ? leaves : result.errors).map((error) =>
    `${error.instanceLocation}: ${error.error}`
  );
}

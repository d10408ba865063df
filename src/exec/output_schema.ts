/**
 * Structured output: turns a JSON Schema object or a valibot schema into the JSON Schema the
 * CLI wants (`--output-schema FILE`), and checks the final response against it.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import { SchemaMismatchError } from "../errors.ts";
import type { OutputSchema, StandardSchemaLike } from "../options.ts";
import { checkJsonSchema } from "./json_schema_check.ts";

/** A schema ready for a turn: the JSON Schema to send and how to check the answer. */
export interface PreparedSchema {
  /** The JSON Schema the CLI sends as `text.format.schema`. */
  jsonSchema: Record<string, unknown>;
  /** Parses and checks the final response; throws `SchemaMismatchError`. */
  parse(text: string): unknown;
  /** Whether a mismatch rejects the run (a valibot schema, or `strictOutput`). */
  strict: boolean;
}

function isStandardSchema(schema: OutputSchema): schema is StandardSchemaLike {
  return typeof (schema as Partial<StandardSchemaLike>)["~standard"] === "object";
}

/**
 * Prepares `schema`. A valibot schema is converted with `@valibot/to-json-schema` and checked
 * with valibot itself (so `output` gets its transforms), and a mismatch rejects the run; a
 * plain JSON Schema (an object, or the path of a file holding one) is checked with a small
 * checker covering the subset structured outputs allow, and a mismatch rejects only with
 * `strictOutput`. Throws a TypeError naming `outputSchema` for anything else.
 */
export async function prepareOutputSchema(
  schema: OutputSchema,
  strictOutput = false,
): Promise<PreparedSchema> {
  if (typeof schema === "string") schema = await readSchemaFile(schema);
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw new TypeError(
      "Cannot use outputSchema: expected a JSON Schema object or a valibot schema",
    );
  }
  if (isStandardSchema(schema)) {
    if (schema["~standard"].vendor !== "valibot") {
      throw new TypeError(
        `Cannot use outputSchema: only valibot schemas convert to JSON Schema (got ${
          schema["~standard"].vendor
        })`,
      );
    }
    const jsonSchema = closeObjects(valibotJsonSchema(schema));
    return {
      jsonSchema,
      strict: true,
      parse(text) {
        const value = parseJson(text);
        const result = schema["~standard"].validate(value) as {
          value?: unknown;
          issues?: readonly { message: string; path?: readonly unknown[] }[];
        };
        if (result instanceof Promise) {
          throw new TypeError("Cannot use outputSchema: async valibot schemas are not supported");
        }
        if (result.issues) throw mismatch(text, standardIssues(result.issues));
        return result.value;
      },
    };
  }
  const jsonSchema = schema;
  return {
    jsonSchema,
    strict: strictOutput,
    parse(text) {
      const value = parseJson(text);
      const issues = checkJsonSchema(jsonSchema, value);
      if (issues.length > 0) throw mismatch(text, issues);
      return value;
    },
  };
}

/** Standard Schema issues as lines: `path: message` (or the message alone at the root). */
export function standardIssues(
  issues: readonly { message: string; path?: readonly unknown[] }[],
): string[] {
  return issues.map((issue) => {
    const path = issue.path?.map((p) =>
      typeof p === "object" && p !== null && "key" in p ? String(p.key) : String(p)
    ).join(".");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/** The JSON Schema of a valibot schema, as `@valibot/to-json-schema` converts it. */
export function valibotJsonSchema(schema: StandardSchemaLike): Record<string, unknown> {
  return toJsonSchema(schema as unknown as v.GenericSchema) as Record<string, unknown>;
}

async function readSchemaFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new TypeError(`Cannot use outputSchema: cannot read ${JSON.stringify(path)}`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TypeError(
      `Cannot use outputSchema: ${JSON.stringify(path)} is not JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TypeError(
      `Cannot use outputSchema: ${JSON.stringify(path)} does not hold a JSON Schema object`,
    );
  }
  return parsed as Record<string, unknown>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw mismatch(
      text,
      [`not JSON: ${error instanceof Error ? error.message : String(error)}`],
      error,
    );
  }
}

function mismatch(text: string, issues: string[], cause?: unknown): SchemaMismatchError {
  return new SchemaMismatchError(
    `The final response does not match the output schema: ${issues.slice(0, 5).join("; ")}`,
    { rawText: text, issues, cause },
  );
}

/**
 * Strict structured outputs reject objects that allow extra keys; a valibot `object` strips
 * them anyway, so saying `additionalProperties: false` where the converter said nothing keeps
 * the meaning.
 */
function closeObjects(schema: Record<string, unknown>): Record<string, unknown> {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (typeof node !== "object" || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = visit(value);
    if (out.type === "object" && out.properties && out.additionalProperties === undefined) {
      out.additionalProperties = false;
    }
    return out;
  };
  return visit(schema) as Record<string, unknown>;
}

/**
 * A small JSON Schema checker for the subset structured outputs allow (type, properties,
 * required, additionalProperties, items, enum, const, anyOf, $ref to $defs, nullable types).
 * Enough to tell a caller that an answer does not have the promised shape; no dependency.
 *
 * @module
 */

type Schema = Record<string, unknown>;

/** The problems of `value` against `schema`, one line each (empty when it matches). */
export function checkJsonSchema(schema: Schema, value: unknown): string[] {
  const issues: string[] = [];
  check(schema, value, "$", schema, issues);
  return issues;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(expected: string, actual: string): boolean {
  return expected === actual || (expected === "number" && actual === "integer");
}

function check(schema: Schema, value: unknown, path: string, root: Schema, issues: string[]): void {
  if (typeof schema.$ref === "string") {
    const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(schema.$ref);
    const target = match
      ? (root[match[1]] as Record<string, Schema> | undefined)?.[match[2]]
      : undefined;
    if (!target) {
      issues.push(`${path}: cannot follow ${schema.$ref}`);
      return;
    }
    check(target, value, path, root, issues);
    return;
  }
  if (Array.isArray(schema.anyOf)) {
    const ok = (schema.anyOf as Schema[]).some((s) => {
      const sub: string[] = [];
      check(s, value, path, root, sub);
      return sub.length === 0;
    });
    if (!ok) issues.push(`${path}: matches none of anyOf`);
    return;
  }
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type as string[] : [schema.type as string];
    if (!types.some((t) => matchesType(t, actual))) {
      issues.push(`${path}: expected ${types.join(" or ")}, got ${actual}`);
      return;
    }
  }
  if (
    Array.isArray(schema.enum) &&
    !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))
  ) {
    issues.push(`${path}: not one of ${JSON.stringify(schema.enum)}`);
  }
  if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) {
    issues.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  }
  if (actual === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) {
      if (!(key in object)) issues.push(`${path}.${key}: required`);
    }
    for (const [key, child] of Object.entries(object)) {
      if (properties[key]) check(properties[key], child, `${path}.${key}`, root, issues);
      else if (schema.additionalProperties === false) issues.push(`${path}.${key}: not allowed`);
      else if (
        typeof schema.additionalProperties === "object" && schema.additionalProperties !== null
      ) {
        check(schema.additionalProperties as Schema, child, `${path}.${key}`, root, issues);
      }
    }
  }
  if (actual === "array" && typeof schema.items === "object" && schema.items !== null) {
    (value as unknown[]).forEach((item, i) =>
      check(schema.items as Schema, item, `${path}[${i}]`, root, issues)
    );
  }
}

/**
 * What the SDK itself reads from the results of the app-server methods it calls: the only part
 * of a server's answer that can make a call fail. The rest of an answer is checked against the
 * pinned protocol too, but a mismatch there is drift (a newer CLI changed a shape, as 0.171.0
 * did with a moderated message's `display`) and passes through unchanged.
 *
 * @module
 */
import { describeValue } from "./wire_issues.ts";

/** The kinds a relied-on field may have; a trailing `?` also allows absent or null. */
export type FieldKind =
  | "string"
  | "number"
  | "boolean"
  | "array"
  | "object"
  | "string?"
  | "number?"
  | "array?"
  | "object?";

/** Paths (dot-separated, `*` for every element of an array) and the kind each must have. */
export type ReliedFields = Readonly<Record<string, FieldKind>>;

/** A thread as `Conversations` turns it into a summary and its turns into saved turns. */
function threadFields(prefix: string): Record<string, FieldKind> {
  return {
    [prefix]: "object",
    [`${prefix}.id`]: "string",
    [`${prefix}.createdAt`]: "number",
    [`${prefix}.updatedAt`]: "number",
    [`${prefix}.turns`]: "array?",
    [`${prefix}.turns.*.id`]: "string",
    [`${prefix}.turns.*.items`]: "array?",
  };
}

/**
 * The fields the SDK reads, per method. A method not listed is one the SDK does not read
 * itself (a caller's own `call`): nothing in its answer makes the call fail.
 */
export const RELIED_FIELDS: Readonly<Record<string, ReliedFields>> = {
  "initialize": { userAgent: "string" },
  "thread/start": threadFields("thread"),
  "thread/resume": threadFields("thread"),
  "thread/fork": threadFields("thread"),
  "thread/read": threadFields("thread"),
  "thread/unarchive": threadFields("thread"),
  "thread/revert": threadFields("thread"),
  "thread/list": {
    data: "array",
    "data.*": "object",
    "data.*.id": "string",
    "data.*.createdAt": "number",
    "data.*.updatedAt": "number",
    nextCursor: "string?",
  },
  "thread/loaded/list": { data: "array", "data.*": "string", nextCursor: "string?" },
  "turn/start": { turn: "object", "turn.id": "string" },
  "model/list": { data: "array", nextCursor: "string?" },
  "mcpServerStatus/list": { data: "array", nextCursor: "string?" },
  "account/read": { account: "object?" },
  "account/rateLimits/read": { rateLimits: "object?" },
};

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function matches(value: unknown, kind: FieldKind): boolean {
  const optional = kind.endsWith("?");
  if (optional && (value === undefined || value === null)) return true;
  const base = optional ? kind.slice(0, -1) : kind;
  return kindOf(value) === base;
}

/** Every value at `path` (a `*` segment stands for each element of an array), with its path. */
function valuesAt(root: unknown, path: string): [string, unknown][] {
  let found: [string, unknown][] = [["", root]];
  for (const segment of path.split(".")) {
    const next: [string, unknown][] = [];
    for (const [at, value] of found) {
      const join = (key: string | number) => (at === "" ? String(key) : `${at}.${key}`);
      if (segment === "*") {
        // A missing or mistyped array is reported at its own path, not at its elements.
        if (Array.isArray(value)) value.forEach((element, i) => next.push([join(i), element]));
      } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        next.push([join(segment), (value as Record<string, unknown>)[segment]]);
      }
    }
    found = next;
  }
  return found;
}

/**
 * The problems of `value` as the result of `method`, one line each (`path: expected K,
 * received V`), at most 5; empty when every field the SDK reads is there with its kind.
 *
 * @example A thread without its id
 * ```ts
 * import { reliedProblems } from "./relied_fields.ts";
 * reliedProblems("thread/start", { thread: { id: 7, createdAt: 1, updatedAt: 1 } });
 * // ["thread.id: expected a string, received 7"]
 * ```
 */
export function reliedProblems(method: string, value: unknown): string[] {
  const fields = Object.hasOwn(RELIED_FIELDS, method) ? RELIED_FIELDS[method] : undefined;
  if (fields === undefined) return [];
  const problems: string[] = [];
  if (kindOf(value) !== "object") {
    return [`(root): expected an object, received ${describeValue(value)}`];
  }
  for (const [path, kind] of Object.entries(fields)) {
    for (const [at, found] of valuesAt(value, path)) {
      if (matches(found, kind)) continue;
      const base = kind.replace(/\?$/, "");
      const expected = `${/^[aeiou]/.test(base) ? "an" : "a"} ${base}${
        kind.endsWith("?") ? " or null" : ""
      }`;
      problems.push(`${at}: expected ${expected}, received ${describeValue(found)}`);
      if (problems.length === 5) return problems;
    }
  }
  return problems;
}

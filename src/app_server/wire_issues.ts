/**
 * Turns the issues of a failed wire check into lines a reader can act on: the path, the shape
 * the protocol expects there and what was there instead (bounded). valibot's own message for a
 * union says "Expected Object but received Object" when every variant failed deeper down; the
 * line here names the deepest place a variant got to instead.
 *
 * @module
 */

/** The slice of a valibot issue this module reads. */
export interface WireIssue {
  /** The check that failed (`"union"`, `"object"`, `"string"`, ...). */
  type?: string;
  /** valibot's message. */
  message: string;
  /** What the check expected (`'"show"'`, `"string"`, `"Object"`). */
  expected?: string | null;
  /** The value the check got. */
  input?: unknown;
  /** Where, from the root of the checked value. */
  path?: readonly { key: unknown }[];
  /** The issues of each variant, for a union. */
  issues?: readonly WireIssue[];
}

/** The most lines one check reports. */
const MAX_LINES = 5;
/** Longer strings are described by their length, never shown (they may hold secrets). */
const MAX_SHOWN_STRING = 32;
/** A longer expectation (a union of many shapes) is left out. */
const MAX_EXPECTED = 120;
/** The most keys of an object that are named. */
const MAX_KEYS = 8;

/**
 * A bounded description of a value: strings up to 32 characters, the keys of an object (and
 * its `type`/`mode`/`kind` tag), the length of an array.
 *
 * @example Describe what came instead
 * ```ts
 * import { describeValue } from "./wire_issues.ts";
 * describeValue({ mode: "block", version: 1 }); // 'an object {mode: "block", version}'
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") {
    return value.length <= MAX_SHOWN_STRING
      ? JSON.stringify(value)
      : `a string of ${value.length} characters`;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") {
    const keys = Object.keys(value);
    const shown = keys.slice(0, MAX_KEYS).map((key) => {
      const field = (value as Record<string, unknown>)[key];
      const tag = /^(type|mode|kind)$/.test(key) && typeof field === "string" &&
        field.length <= MAX_SHOWN_STRING;
      return tag ? `${key}: ${JSON.stringify(field)}` : key;
    });
    if (keys.length > MAX_KEYS) shown.push(`... ${keys.length - MAX_KEYS} more`);
    return keys.length === 0 ? "an empty object" : `an object {${shown.join(", ")}}`;
  }
  return typeof value;
}

function keysOf(issue: WireIssue): string[] {
  return issue.path?.map((p) => String(p.key)) ?? [];
}

function pathText(keys: readonly string[]): string {
  return keys.length === 0 ? "(root)" : keys.join(".");
}

/**
 * The deepest mismatch under a union: where its closest variant stopped matching. A variant's
 * issues have paths from the union's own value, so the keys add up on the way down.
 */
function deepest(issue: WireIssue): { keys: string[]; leaf: WireIssue } {
  // Deeper wins; at the same depth, a variant whose tag matched (its leaf is not a literal
  // mismatch) beats one that is the wrong variant altogether.
  const score = (keys: readonly string[], leaf: WireIssue) =>
    keys.length * 2 + (leaf.type === "literal" ? 0 : 1);
  let best = { keys: [] as string[], leaf: issue };
  for (const inner of issue.issues ?? []) {
    const below = deepest(inner);
    const keys = [...keysOf(inner), ...below.keys];
    if (score(keys, below.leaf) > score(best.keys, best.leaf)) best = { keys, leaf: below.leaf };
  }
  return best;
}

/**
 * One line per issue (at most 5): `path: expected X, received Y`. A union that no variant
 * matched is named as such, with the deepest mismatch of its closest variant.
 *
 * @example A moderated message the pinned protocol does not know
 * ```ts
 * import { describeIssues } from "./wire_issues.ts";
 * describeIssues([{
 *   type: "union", message: "Invalid type", expected: "Object", input: { mode: "block" },
 *   path: [{ key: "display" }],
 * }]); // ['display: matches none of the shapes the protocol allows; received an object {mode: "block"}']
 * ```
 */
export function describeIssues(issues: readonly WireIssue[]): string[] {
  const lines = issues.slice(0, MAX_LINES).map((issue) => {
    const keys = keysOf(issue);
    if (issue.type === "union" || (issue.issues?.length ?? 0) > 0) {
      const { keys: below, leaf } = deepest(issue);
      const closest = leaf === issue ? "" : `; closest: ${describeOne(leaf, [...keys, ...below])}`;
      const expected = issue.expected && !/\b(Object|unknown)\b/.test(issue.expected) &&
          issue.expected.length <= MAX_EXPECTED
        ? ` (${issue.expected})`
        : "";
      return `${pathText(keys)}: matches none of the shapes the protocol allows${expected}; ` +
        `received ${describeValue(issue.input)}${closest}`;
    }
    return describeOne(issue, keys);
  });
  if (issues.length > MAX_LINES) lines.push(`... ${issues.length - MAX_LINES} more`);
  return lines;
}

function describeOne(issue: WireIssue, keys: readonly string[]): string {
  const expected = issue.expected ?? issue.message;
  // valibot's issue for a missing key expects the key's own name.
  if (issue.input === undefined && expected === JSON.stringify(keys.at(-1))) {
    return `${pathText(keys)}: missing`;
  }
  return `${pathText(keys)}: expected ${expected}, received ${describeValue(issue.input)}`;
}

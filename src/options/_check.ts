/**
 * The one checker of every options object: a handful of combinators that describe what a value
 * may be, and {@linkcode checkOptions}, which throws the first problem as a TypeError in the one
 * form every door uses ("Cannot use <path>: expected ..., got ..."). It exists so that the
 * options description loads no npm package (see `schema.ts`); it knows only what the
 * descriptions use.
 *
 * @module
 */

/** Where a value failed a {@linkcode Check}, and why. */
export type Failure =
  /** The value at `path` is not what is accepted; `expected` says what is ("expected ..."). */
  | { kind: "invalid"; path: PathKey[]; value: unknown; expected: string }
  /** The last key of `path` is one its object does not describe. */
  | { kind: "unknown"; path: PathKey[]; value: unknown }
  /** The value has the right form but cannot be used; `problem` says why, in full. */
  | { kind: "problem"; path: PathKey[]; value: unknown; problem: string };

/** A step of a {@linkcode Failure}'s path: an object key or an array index. */
export type PathKey = string | number;

/** A description of the values that pass. */
export interface Check {
  /** The first failure in `value`, or undefined when it passes. */
  run(value: unknown): Failure | undefined;
  /** True when `undefined` passes, and an object leaves the key out. */
  readonly optional?: boolean;
  /** For an object check (or an optional one): the keys it describes. */
  readonly shape?: Readonly<Record<string, Check>>;
}

const invalid = (value: unknown, expected: string): Failure => ({
  kind: "invalid",
  path: [],
  value,
  expected,
});

const under = (key: PathKey, failure: Failure): Failure => ({
  ...failure,
  path: [key, ...failure.path],
});

const isObjectLike = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

/** Values for which `test` holds; `expected` says what they are ("expected a function"). */
export function custom(test: (value: unknown) => boolean, expected: string): Check {
  return { run: (value) => test(value) ? undefined : invalid(value, expected) };
}

/** Any string. */
export function string(expected: string): Check {
  return custom((value) => typeof value === "string", expected);
}

/** A string of at least one character. */
export function nonEmpty(expected: string): Check {
  return custom((value) => typeof value === "string" && value.length > 0, expected);
}

/** `true` or `false`. */
export function boolean(expected: string): Check {
  return custom((value) => typeof value === "boolean", expected);
}

/** A number (never NaN) for which `test` holds. */
export function number(test: (n: number) => boolean, expected: string): Check {
  return custom(
    (value) => typeof value === "number" && !Number.isNaN(value) && test(value),
    expected,
  );
}

/** A function. */
export function func(expected: string): Check {
  return custom((value) => typeof value === "function", expected);
}

/** An instance of `type`. */
export function instance(
  type: abstract new (...args: never[]) => unknown,
  expected: string,
): Check {
  return custom((value) => value instanceof type, expected);
}

/** Exactly `literal`. */
export function literal(literal: string | number | boolean, expected: string): Check {
  return custom((value) => value === literal, expected);
}

/** One of `values`. */
export function picklist(values: readonly unknown[], expected: string): Check {
  return custom((value) => values.includes(value), expected);
}

/** `undefined`, or what `check` accepts. */
export function optional(check: Check): Check {
  return {
    run: (value) => value === undefined ? undefined : check.run(value),
    optional: true,
    shape: check.shape,
  };
}

/** What passes `check` and then `explain`, which says what is wrong or returns undefined. */
export function refine(check: Check, explain: (value: unknown) => string | undefined): Check {
  return {
    run(value) {
      const failure = check.run(value);
      if (failure) return failure;
      const problem = explain(value);
      return problem === undefined ? undefined : { kind: "problem", path: [], value, problem };
    },
  };
}

/** What passes any of `checks`; when none does, the failure is the union's own. */
export function union(checks: readonly Check[], expected: string): Check {
  return custom((value) => checks.some((check) => check.run(value) === undefined), expected);
}

/** An array whose every item passes `item`. */
export function array(item: Check, expected: string): Check {
  return {
    run(value) {
      if (!Array.isArray(value)) return invalid(value, expected);
      for (let i = 0; i < value.length; i++) {
        const failure = item.run(value[i]);
        if (failure) return under(i, failure);
      }
      return undefined;
    },
  };
}

/** An object whose own enumerable keys' values all pass `item` (arrays are objects too). */
export function record(item: Check, expected: string): Check {
  return {
    run(value) {
      if (!isObjectLike(value)) return invalid(value, expected);
      for (const key in value) {
        if (!Object.hasOwn(value, key) || ["__proto__", "prototype", "constructor"].includes(key)) {
          continue;
        }
        const failure = item.run(value[key]);
        if (failure) return under(key, failure);
      }
      return undefined;
    },
  };
}

/**
 * An object whose keys named in `shape` pass their checks (as {@linkcode strictObject}), and
 * whose other keys are left to whoever reads them (a command's own options).
 */
export function looseObject(shape: Readonly<Record<string, Check>>, expected: string): Check {
  const strict = strictObject(shape, expected);
  return {
    shape,
    run(value) {
      const failure = strict.run(value);
      return failure?.kind === "unknown" ? undefined : failure;
    },
  };
}

/**
 * An object with exactly the keys of `shape`: each present key (inherited ones too) passes its
 * check in the order `shape` lists them, a key whose check is not optional is present, and then
 * any enumerable key `shape` does not list is a failure of kind "unknown".
 */
export function strictObject(shape: Readonly<Record<string, Check>>, expected: string): Check {
  return {
    shape,
    run(value) {
      if (!isObjectLike(value)) return invalid(value, expected);
      for (const key in shape) {
        if (key in value) {
          const failure = shape[key].run(value[key]);
          if (failure) return under(key, failure);
        } else if (!shape[key].optional) {
          return under(key, invalid(undefined, `expected "${key}"`));
        }
      }
      for (const key in value) {
        if (!Object.hasOwn(shape, key)) return { kind: "unknown", path: [key], value: key };
      }
      return undefined;
    },
  };
}

/**
 * One of `options` (object checks), chosen by the check of their `key`: a value no option's
 * `key` accepts fails at that key, with `expected`.
 */
export function variant(key: string, options: readonly Check[], expected: string): Check {
  return {
    run(value) {
      if (!isObjectLike(value)) return invalid(value, expected);
      const chosen = options.find((option) => option.shape?.[key]?.run(value[key]) === undefined);
      return chosen ? chosen.run(value) : under(key, invalid(value[key], expected));
    },
  };
}

/**
 * Checks `value` against `schema` and throws the first problem as a TypeError: "Cannot use
 * <path>: expected ..., got <value>", "Cannot use <path>: unknown option; did you mean ...?",
 * or "Cannot use <path>.<where>: <problem>". `name` is the path of `value` itself ("options",
 * "input"); the path of a problem inside it starts at the key, as callers write it, after
 * `prefix` (`"options."` where the options are an argument among others).
 */
export function checkOptions(schema: Check, value: unknown, name: string, prefix = ""): void {
  const failure = schema.run(value);
  if (!failure) return;
  const path = failure.path.length > 0 ? prefix + formatPath(name, failure.path) : name;
  if (failure.kind === "unknown") {
    const known = Object.keys(shapeAt(schema, failure.path.slice(0, -1)) ?? {});
    const hint = suggest(String(failure.path.at(-1)), known);
    throw new TypeError(
      `Cannot use ${path}: unknown option${hint ? `; did you mean ${hint}?` : ""}`,
    );
  }
  // A problem names the place inside the value itself ("model_providers.x: TOML has no null").
  if (failure.kind === "problem") throw new TypeError(`Cannot use ${path}.${failure.problem}`);
  throw new TypeError(`Cannot use ${path}: ${failure.expected}, got ${show(failure.value)}`);
}

function formatPath(name: string, keys: readonly unknown[]): string {
  let out = "";
  for (const key of keys) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  if (!out) return name;
  return name === "input" ? `input${out.startsWith("[") ? "" : "."}${out}` : out;
}

/** The keys the object check at `path` describes (none below an array or a variant). */
function shapeAt(
  schema: Check,
  path: readonly unknown[],
): Readonly<Record<string, Check>> | undefined {
  let node: Check | undefined = schema;
  for (const key of path) node = node?.shape?.[String(key)];
  return node?.shape;
}

/** The known key closest to `key`, when it is close enough to be a likely slip. */
export function suggest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = key.toLowerCase();
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    let score = editDistance(lower, other);
    const near = score <= Math.max(2, Math.floor(candidate.length / 3)) ||
      (lower.length >= 4 && (other.startsWith(lower) || lower.startsWith(other)));
    if (!near) continue;
    if (other.startsWith(lower) || lower.startsWith(other)) score = Math.min(score, 1);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/** A value as a message shows it: strings quoted, containers by kind. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) {
    const json = safeJson(value);
    return json && json.length <= 60 ? json : `an array of ${value.length}`;
  }
  if (typeof value === "object" && value !== null) {
    const json = safeJson(value);
    return json && json.length <= 60 ? json : "an object";
  }
  return String(value);
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

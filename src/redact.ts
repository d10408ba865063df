/**
 * The one way every error of every lane removes secrets: known secret strings (the API key,
 * the values of secret-looking `--config` pairs, the values stored in `auth.json`) are replaced
 * by `[redacted]` in every string an error carries, and secret-looking `--config` pairs are
 * masked in a command line before it is quoted.
 *
 * @module
 */

/** The stand-in for a removed secret. */
export const REDACTED = "[redacted]";

/** Secrets shorter than this are replaced only when they are the whole text. */
const MIN_SECRET = 4;

/** Keys whose `--config` values are masked in a quoted command line, and treated as secrets. */
const SECRET_KEY = /(key|token|secret|password|auth|bearer|header|cookie)/i;

/** Where a text may have been cut, so a secret may show only in part there. */
export interface RedactTextOptions {
  /** The text is the tail of something longer: a secret's end at its start is removed too. */
  cutStart?: boolean;
  /** The text is the head of something longer: a secret's start at its end is removed too. */
  cutEnd?: boolean;
}

/**
 * Replaces every occurrence of each secret in `text` with `[redacted]`. Secrets shorter than
 * 4 characters would mangle ordinary text: they are replaced only when they are the whole
 * text. A secret with surrounding blanks is also removed in its trimmed form (the CLI trims
 * what it reads). With `cutStart` / `cutEnd`, a piece of a secret (4 characters or more) left
 * at a cut edge is removed too.
 *
 * @example Scrub a key from CLI output
 * ```ts
 * import { redactText } from "./redact.ts";
 * redactText("401: bad key sk-abc123", ["sk-abc123"]); // "401: bad key [redacted]"
 * ```
 */
export function redactText(
  text: string,
  secrets: readonly string[],
  options: RedactTextOptions = {},
): string {
  let out = text;
  // Longest first: a secret that contains another must go before the shorter one.
  const ordered = secrets.length > 1 ? [...secrets].sort((a, b) => b.length - a.length) : secrets;
  for (const secret of ordered) {
    if (typeof secret !== "string" || secret.length === 0) continue;
    if (secret.length < MIN_SECRET) {
      if (out === secret) out = REDACTED;
      continue;
    }
    for (const form of forms(secret)) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
      if (options.cutStart) out = cutStart(out, form);
      if (options.cutEnd) out = cutEnd(out, form);
    }
  }
  return out;
}

function forms(secret: string): string[] {
  const trimmed = secret.trim();
  return trimmed !== secret && trimmed.length >= MIN_SECRET ? [secret, trimmed] : [secret];
}

/** Removes the longest proper suffix of `secret` (4+ characters) that starts `text`. */
function cutStart(text: string, secret: string): string {
  for (let n = Math.min(secret.length - 1, text.length); n >= MIN_SECRET; n--) {
    if (text.startsWith(secret.slice(-n))) return REDACTED + text.slice(n);
  }
  return text;
}

/** Removes the longest proper prefix of `secret` (4+ characters) that ends `text`. */
function cutEnd(text: string, secret: string): string {
  for (let n = Math.min(secret.length - 1, text.length); n >= MIN_SECRET; n--) {
    if (text.endsWith(secret.slice(0, n))) return text.slice(0, text.length - n) + REDACTED;
  }
  return text;
}

/**
 * Masks `--config key=value` (`-c`) pairs whose key or value names a secret (`key`, `token`,
 * `secret`, `password`, `auth`, `bearer`, `header`, `cookie`) as `key=***`, so a command line
 * can be quoted in an error.
 *
 * @example Mask a header
 * ```ts
 * import { redactArgs } from "./redact.ts";
 * redactArgs(["-c", 'p.http_headers={Authorization="Bearer x"}']); // ["-c", "p.http_headers=***"]
 * ```
 */
export function redactArgs(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    if (!isConfigValue(args, i)) return arg;
    const eq = arg.indexOf("=");
    if (eq === -1) return arg;
    // The key or any key inside an inline-table value may name a secret.
    return SECRET_KEY.test(arg) ? `${arg.slice(0, eq)}=***` : arg;
  });
}

/**
 * The secret values in a command line: for each secret-looking `--config key=value` pair, the
 * value as written, each string literal inside it, and the credential after a `Bearer ` /
 * `Basic ` scheme. These are what the CLI could echo back in an error.
 */
export function configSecrets(args: readonly string[]): string[] {
  const out: string[] = [];
  args.forEach((arg, i) => {
    if (!isConfigValue(args, i) || !SECRET_KEY.test(arg)) return;
    const eq = arg.indexOf("=");
    if (eq === -1) return;
    const value = arg.slice(eq + 1).trim();
    out.push(value);
    for (const match of value.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)) {
      const literal = match[1] ?? match[2] ?? "";
      out.push(literal);
      const scheme = /^(?:bearer|basic|token)\s+(\S+)$/i.exec(literal);
      if (scheme) out.push(scheme[1]);
    }
  });
  return out.filter((s) => s.length >= MIN_SECRET);
}

function isConfigValue(args: readonly string[], i: number): boolean {
  return args[i - 1] === "--config" || args[i - 1] === "-c";
}

/** The known secrets of one client or run. */
export interface RedactorSources {
  /** The client's API key. */
  apiKey?: string;
  /** A command line whose secret-looking `--config` values are secrets. */
  args?: readonly string[];
  /** Other known secrets (the values stored in `auth.json`, ...). */
  secrets?: Iterable<string>;
}

/**
 * A fixed set of known secrets and the ways to remove them. Every error-building path of every
 * lane goes through one: pass {@linkcode Redactor.secrets} as the `secrets` option of an error,
 * or scrub a text or a command line directly.
 *
 * @example Scrub what an error would carry
 * ```ts
 * import { Redactor } from "./redact.ts";
 * const redactor = Redactor.from({ apiKey: "sk-abc123", args: ["-c", 'x.token="t0ps3cret"'] });
 * redactor.command(["codex", "-c", 'x.token="t0ps3cret"']); // ["codex", "-c", "x.token=***"]
 * redactor.text("token t0ps3cret and key sk-abc123"); // "token [redacted] and key [redacted]"
 * ```
 */
export class Redactor {
  /** The secrets, longest first (so a secret that contains another goes first). */
  readonly secrets: readonly string[];

  /** Creates a redactor for `secrets` (empty and duplicate entries are dropped). */
  constructor(secrets: Iterable<string> = []) {
    const unique = new Set<string>();
    for (const s of secrets) if (typeof s === "string" && s.length > 0) unique.add(s);
    this.secrets = Object.freeze([...unique].sort((a, b) => b.length - a.length));
  }

  /** A redactor for an API key, a command line's config secrets and any other known secrets. */
  static from(sources: RedactorSources): Redactor {
    const all: string[] = [];
    if (sources.apiKey !== undefined) all.push(sources.apiKey);
    if (sources.args) all.push(...configSecrets(sources.args));
    if (sources.secrets) all.push(...sources.secrets);
    return new Redactor(all);
  }

  /** A redactor that also knows `more`. */
  with(more: Iterable<string>): Redactor {
    return new Redactor([...this.secrets, ...more]);
  }

  /** `text` with every known secret replaced; see {@linkcode redactText}. */
  text(text: string, options?: RedactTextOptions): string {
    return this.secrets.length === 0 ? text : redactText(text, this.secrets, options);
  }

  /** A command line fit for an error: secret config pairs masked, known secrets replaced. */
  command(argv: readonly string[]): string[] {
    return redactArgs(argv).map((arg) => this.text(arg));
  }
}

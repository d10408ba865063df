/**
 * Removes secrets from text before it reaches an error message.
 *
 * @module
 */

/** The stand-in for a removed secret. */
export const REDACTED = "[redacted]";

/**
 * Replaces every occurrence of each secret (at least 4 characters; shorter ones would mangle
 * ordinary text and are replaced only when they are the whole text) with `[redacted]`.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    if (secret.length < 4) {
      if (out === secret) out = REDACTED;
      continue;
    }
    out = out.split(secret).join(REDACTED);
    // The CLI trims what it reads; a key with surrounding blanks shows up trimmed.
    const trimmed = secret.trim();
    if (trimmed !== secret && trimmed.length >= 4) out = out.split(trimmed).join(REDACTED);
  }
  return out;
}

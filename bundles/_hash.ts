/**
 * Streamed digests: file checksums for the manifest and npm's SRI integrity strings.
 *
 * @module
 */

/** The hash algorithms an SRI string may name that are strong enough to trust. */
export type IntegrityAlgorithm = "sha512" | "sha384" | "sha256";

/** One parsed SRI hash. */
export interface Integrity {
  algorithm: IntegrityAlgorithm;
  /** Base64 digest. */
  digest: string;
}

const STRENGTH: Record<IntegrityAlgorithm, number> = { sha256: 1, sha384: 2, sha512: 3 };

/**
 * The strongest trusted hash of an SRI string (`sha512-...`, several separated by spaces), or
 * `undefined` when it names none (sha1 alone is not trusted). Pure.
 */
export function parseIntegrity(sri: unknown): Integrity | undefined {
  if (typeof sri !== "string") return undefined;
  let best: Integrity | undefined;
  for (const token of sri.trim().split(/\s+/)) {
    const match = /^(sha512|sha384|sha256)-([A-Za-z0-9+/]+={0,2})(?:\?.*)?$/.exec(token);
    if (!match) continue;
    const algorithm = match[1] as IntegrityAlgorithm;
    if (!best || STRENGTH[algorithm] > STRENGTH[best.algorithm]) {
      best = { algorithm, digest: match[2] };
    }
  }
  return best;
}

export { sha256File } from "../src/fs/sha256_file.ts";

/**
 * When a cached snapshot may be reused: a pure decision from the policy, the entry's age and
 * what is known about the binary.
 *
 * @module
 */

/** How a lookup uses the cache. */
export type CachePolicy = "preferCache" | "refresh" | "bypass";

/** What to do: reuse the entry, probe and store, or probe without touching the cache. */
export type CacheDecision = "reuse" | "refresh" | "bypass";

/**

 * A cached entry is reused for this long by default: one day.
 * @example Keep entries for a week
 * ```ts ignore
 * new CapabilityCache({ ttlMs: 7 * DEFAULT_TTL_MS });
 * ```
 */
export const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;

/** How much longer an entry lives when the binary's mtime is unknown. */
export const UNKNOWN_MTIME_TTL_FACTOR = 4;

/** The facts {@linkcode decideCacheUse} weighs. */
export interface CacheFacts {
  /** The caller's policy. */
  policy: CachePolicy;
  /** Age of the cached entry in ms, or `null` when there is none. */
  ageMs: number | null;
  /** Whether the entry's fingerprint matches the binary now (ignored when there is no entry). */
  fingerprintMatches: boolean;
  /** Whether the binary's mtime is known (part of the fingerprint). */
  mtimeKnown: boolean;
  /** Base time to live in ms (default {@linkcode DEFAULT_TTL_MS}). */
  ttlMs?: number;
}

/** A decision and why, for logs. */
export interface CacheVerdict {
  /** What to do. */
  decision: CacheDecision;
  /** Why, in a few words. */
  reason: string;
}

/**
 * The TTL actually applied. Without an mtime the fingerprint can only see size changes, yet the
 * TTL is stretched ({@linkcode UNKNOWN_MTIME_TTL_FACTOR}x) rather than cut: file systems that
 * hide mtimes are mostly read-only images and compiled apps whose binary does not change while
 * they run, so re-probing often would cost spawns and learn nothing. `refresh` stays available.
 *
 * @example Stretch the TTL without mtimes
 * ```ts
 * import { effectiveTtl } from "@codexkit/sdk/capabilities";
 * effectiveTtl(1000, false); // 4000
 * ```
 */
export function effectiveTtl(ttlMs: number, mtimeKnown: boolean): number {
  return mtimeKnown ? ttlMs : ttlMs * UNKNOWN_MTIME_TTL_FACTOR;
}

/**
 * Decides between reusing a cached snapshot, refreshing it, or bypassing the cache:
 * `bypass` and `refresh` policies win outright; otherwise a missing, mismatched, expired or
 * future-dated entry is refreshed and anything else reused.
 *
 * @example Decide on an old entry
 * ```ts
 * import { decideCacheUse } from "@codexkit/sdk/capabilities";
 * decideCacheUse({ policy: "preferCache", ageMs: 10, fingerprintMatches: true, mtimeKnown: true }).decision; // "reuse"
 * ```
 */
export function decideCacheUse(facts: CacheFacts): CacheVerdict {
  if (facts.policy === "bypass") return { decision: "bypass", reason: "policy bypass" };
  if (facts.policy === "refresh") return { decision: "refresh", reason: "policy refresh" };
  if (facts.ageMs === null) return { decision: "refresh", reason: "no cached entry" };
  if (!facts.fingerprintMatches) {
    return { decision: "refresh", reason: "binary changed since the entry was written" };
  }
  if (!Number.isFinite(facts.ageMs) || facts.ageMs < 0) {
    return { decision: "refresh", reason: "entry is dated in the future" };
  }
  const ttl = effectiveTtl(facts.ttlMs ?? DEFAULT_TTL_MS, facts.mtimeKnown);
  if (facts.ageMs > ttl) return { decision: "refresh", reason: `entry older than ${ttl} ms` };
  return { decision: "reuse", reason: "fresh entry for the same binary" };
}

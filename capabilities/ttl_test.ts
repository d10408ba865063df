import { test } from "node:test";
import assert from "node:assert/strict";
import { decideCacheUse, effectiveTtl } from "./ttl.ts";
import type { CacheDecision, CacheFacts } from "./ttl.ts";

test("decideCacheUse picks reuse, refresh or bypass", () => {
  const base: CacheFacts = {
    policy: "preferCache",
    ageMs: 1000,
    fingerprintMatches: true,
    mtimeKnown: true,
    ttlMs: 10_000,
  };
  const table: [Partial<CacheFacts>, CacheDecision, RegExp][] = [
    [{}, "reuse", /fresh/],
    [{ policy: "bypass" }, "bypass", /bypass/],
    [{ policy: "refresh" }, "refresh", /refresh/],
    [{ ageMs: null }, "refresh", /no cached entry/],
    [{ fingerprintMatches: false }, "refresh", /binary changed/],
    [{ ageMs: 10_001 }, "refresh", /older than 10000 ms/],
    [{ ageMs: 10_001, mtimeKnown: false }, "reuse", /fresh/],
    [{ ageMs: 40_001, mtimeKnown: false }, "refresh", /older than 40000 ms/],
    [{ ageMs: -5 }, "refresh", /future/],
    [{ ageMs: Number.NaN }, "refresh", /future/],
  ];
  for (const [change, decision, reason] of table) {
    const verdict = decideCacheUse({ ...base, ...change });
    assert.equal(verdict.decision, decision, JSON.stringify(change));
    assert.match(verdict.reason, reason, JSON.stringify(change));
  }
});

test("effectiveTtl stretches the TTL only when mtime is unknown", () => {
  assert.equal(effectiveTtl(1000, true), 1000);
  assert.equal(effectiveTtl(1000, false), 4000);
});

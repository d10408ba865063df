import { test } from "node:test";
import assert from "node:assert/strict";
import { COARSE_SETTLE_MS, FINE_SETTLE_MS, statSettled } from "./stat_settled.ts";

test("statSettled waits longer after a whole-second ctime than after a finer one", () => {
  const whole = 1_700_000_000_000;
  const fine = whole + 123.456789;
  const table: [number | null | undefined, number, boolean][] = [
    [whole, whole + 999, false],
    [whole, whole + COARSE_SETTLE_MS - 1, false],
    [whole, whole + COARSE_SETTLE_MS, true],
    [fine, fine + FINE_SETTLE_MS - 1, false],
    [fine, fine + FINE_SETTLE_MS, true],
    // a ctime ahead of this clock (another host's) never settles
    [whole, whole - 5_000, false],
    [null, whole, false],
    [undefined, whole, false],
    [0, whole, false],
  ];
  for (const [ctime, seen, want] of table) {
    assert.equal(statSettled(ctime, seen), want, `${ctime} ${seen}`);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_TIMER_DELAY, setLongTimeout, within } from "./long_timer.ts";
import type { TimerClock } from "./long_timer.ts";
import { fakeClock } from "./_fakes.ts";

test("setLongTimeout chains timers for 2**31 ms and fires exactly at the deadline", () => {
  const clock = fakeClock();
  let fired = 0;
  setLongTimeout(() => fired++, 2 ** 31, clock);
  clock.advance(1000);
  assert.equal(fired, 0);
  clock.advance(MAX_TIMER_DELAY - 1000);
  assert.equal(fired, 0, "one step short of 2**31 ms must not fire");
  clock.advance(1);
  assert.equal(fired, 1);
  assert.ok(clock.delays.every((d) => d <= MAX_TIMER_DELAY), `delays ${clock.delays}`);
  clock.advance(10 * MAX_TIMER_DELAY);
  assert.equal(fired, 1, "fires once");
});

test("setLongTimeout waits out a limit of many times the setTimeout maximum", () => {
  const clock = fakeClock();
  let firedAt = -1;
  const limit = 5 * MAX_TIMER_DELAY + 12345;
  setLongTimeout(() => firedAt = clock.now(), limit, clock);
  clock.advance(limit - 1);
  assert.equal(firedAt, -1);
  clock.advance(1);
  assert.equal(firedAt, limit);
});

test("setLongTimeout re-arms when a timer fires before the deadline", () => {
  const clock = fakeClock();
  let fired = 0;
  // A clock that runs longer timers 3 ms early, as rounding can.
  const early: TimerClock = {
    ...clock,
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms > 3 ? ms - 3 : ms),
  };
  setLongTimeout(() => fired++, 100, early);
  clock.advance(97);
  assert.equal(fired, 0);
  clock.advance(3);
  assert.equal(fired, 1);
});

test("setLongTimeout.clear stops a chained timer between steps, and Infinity never fires", () => {
  const clock = fakeClock();
  let fired = 0;
  const timer = setLongTimeout(() => fired++, 3 * MAX_TIMER_DELAY, clock);
  clock.advance(MAX_TIMER_DELAY + 5);
  timer.clear();
  timer.clear();
  clock.advance(5 * MAX_TIMER_DELAY);
  assert.equal(fired, 0);
  setLongTimeout(() => fired++, Infinity, clock);
  clock.advance(100 * MAX_TIMER_DELAY);
  assert.equal(fired, 0);
  assert.equal(clock.delays.length, 2, "an infinite limit arms no timer");
});

test("setLongTimeout with the real clock: a 2**31 ms limit does not fire within a second", async () => {
  let fired = false;
  const timer = setLongTimeout(() => fired = true, 2 ** 31);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  timer.clear();
  assert.equal(fired, false);
});

test("setLongTimeout with the real clock fires a short limit", async () => {
  const fired = await new Promise<boolean>((resolve) => {
    setLongTimeout(() => resolve(true), 5);
  });
  assert.equal(fired, true);
});

test("within says whether the promise settled in time, and never rejects", async () => {
  assert.equal(await within(Promise.reject(new Error("x")), 1000), true);
  assert.equal(await within(new Promise(() => {}), 1), false);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { RunLimits } from "./limits.ts";
import type { StopReason } from "./limits.ts";
import { fakeClock } from "./_fakes.ts";

function rig(options: ConstructorParameters<typeof RunLimits>[0]) {
  const clock = fakeClock();
  const stops: StopReason[] = [];
  const limits = new RunLimits({ ...options, clock }, (reason) => stops.push(reason));
  return { clock, stops, limits };
}

test("RunLimits: the first reason wins and is kept; later ones do nothing", () => {
  const controller = new AbortController();
  const { clock, stops, limits } = rig({ timeoutMs: 100, signal: controller.signal });
  limits.arm();
  clock.advance(100);
  controller.abort("late");
  assert.deepEqual(stops, [{ kind: "timeout", timeoutMs: 100 }]);
  assert.deepEqual(limits.reason, { kind: "timeout", timeoutMs: 100 });
  assert.equal(limits.stop({ kind: "cancel" }), false);
  assert.equal(stops.length, 1);
});

test("RunLimits: a signal that already fired stops the run when armed", () => {
  const controller = new AbortController();
  controller.abort("early");
  const { stops, limits } = rig({ signal: controller.signal, timeoutMs: 5 });
  limits.arm();
  assert.deepEqual(stops, [{ kind: "abort", reason: "early" }]);
});

test("RunLimits: activity re-arms the idle clock; connected stops the connect clock", () => {
  const { clock, stops, limits } = rig({ idleTimeoutMs: 50, connectTimeoutMs: 80 });
  limits.arm();
  clock.advance(40);
  limits.activity();
  limits.connected();
  clock.advance(40);
  assert.deepEqual(stops, [], "neither idle (re-armed at 40) nor connect (cleared) fired");
  clock.advance(10);
  assert.deepEqual(stops, [{ kind: "idle", timeoutMs: 50 }]);
});

test("RunLimits: connect fires when nothing connected in time", () => {
  const { clock, stops, limits } = rig({ connectTimeoutMs: 30, idleTimeoutMs: 1000 });
  limits.arm();
  clock.advance(30);
  assert.deepEqual(stops, [{ kind: "connect", timeoutMs: 30 }]);
});

test("RunLimits: after finish no limit fires and the signal is let go", () => {
  const controller = new AbortController();
  const { clock, stops, limits } = rig({ timeoutMs: 10, signal: controller.signal });
  limits.arm();
  assert.equal(limits.finish(), true);
  clock.advance(1000);
  controller.abort();
  assert.deepEqual(stops, []);
  assert.equal(limits.over, true);
  assert.equal(limits.reason, undefined);
});

test("RunLimits: limits of 2**31 ms and more do not fire early", () => {
  const { clock, stops, limits } = rig({ timeoutMs: 2 ** 31, idleTimeoutMs: 2 ** 32 });
  limits.arm();
  clock.advance(2 ** 31 - 1);
  assert.deepEqual(stops, []);
  clock.advance(1);
  assert.deepEqual(stops, [{ kind: "timeout", timeoutMs: 2 ** 31 }]);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { openTelemetryMetrics } from "./otel.ts";
import type { OtelApiLike } from "./otel.ts";

test("openTelemetryMetrics is undefined when @opentelemetry/api cannot be imported", async () => {
  let importable = true;
  try {
    const specifier = "@opentelemetry/api";
    await import(specifier);
  } catch {
    importable = false;
  }
  if (importable) return;
  assert.equal(await openTelemetryMetrics(), undefined);
});

test("openTelemetryMetrics records counters, histograms with units, and in-flight changes", async () => {
  const calls: string[] = [];
  const api: OtelApiLike = {
    metrics: {
      getMeter: (meter) => ({
        createCounter: (name) => ({
          add: (v, a) => calls.push(`${meter} counter ${name} ${v} ${a?.worker}`),
        }),
        createHistogram: (name, o) => ({
          record: (v) => calls.push(`histogram ${name} ${v} ${o?.unit ?? ""}`),
        }),
        createUpDownCounter: (name) => ({ add: (v) => calls.push(`updown ${name} ${v}`) }),
      }),
    },
  };
  const hook = await openTelemetryMetrics({ api, meterName: "m" });
  assert.ok(hook);
  hook({ name: "turn.committed", value: 1, worker: "w1" });
  hook({ name: "turn.duration_ms", value: 1500, worker: "w1" });
  hook({ name: "snapshot.bytes", value: 4096, worker: "w1" });
  hook({ name: "in_flight", value: 2, worker: "w1" });
  hook({ name: "in_flight", value: 1, worker: "w1" });
  assert.deepEqual(calls, [
    "m counter codex.fleet.turn.committed 1 w1",
    "histogram codex.fleet.turn.duration_ms 1500 ms",
    "histogram codex.fleet.snapshot.bytes 4096 By",
    "updown codex.fleet.in_flight 2",
    "updown codex.fleet.in_flight -1",
  ]);
});

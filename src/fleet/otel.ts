/**
 * OpenTelemetry metrics for the fleet, when `@opentelemetry/api` is importable: a hook for a
 * worker's `onMetric` that records counters and histograms under `codex.fleet.*`. The package is
 * loaded on demand and is not a dependency: without it the hook is `undefined`.
 *
 * @module
 */
import type { FleetMetric } from "./events.ts";

/** The slice of `@opentelemetry/api` used here. */
export interface OtelApiLike {
  /** The global metrics API. */
  metrics: {
    /** Returns a meter. */
    getMeter(name: string): {
      createCounter(name: string, options?: { unit?: string }): {
        add(value: number, attributes?: Record<string, string>): void;
      };
      createHistogram(name: string, options?: { unit?: string }): {
        record(value: number, attributes?: Record<string, string>): void;
      };
      createUpDownCounter(name: string): {
        add(value: number, attributes?: Record<string, string>): void;
      };
    };
  };
}

/** Options of {@linkcode openTelemetryMetrics}. */
export interface OpenTelemetryMetricsOptions {
  /** The meter's name (default `"@codexkit/sdk/fleet"`). */
  meterName?: string;
  /** The API to use instead of importing `@opentelemetry/api` (e.g. a test double). */
  api?: OtelApiLike;
}

const COUNTERS = new Set([
  "turn.committed",
  "turn.failed",
  "turn.cancelled",
  "commit.fenced",
  "redelivery",
  "handed_back",
  "dead_lettered",
  "reannounced",
  "tokens.input",
  "tokens.output",
]);

/**
 * A worker `onMetric` hook that feeds OpenTelemetry, or `undefined` when `@opentelemetry/api`
 * cannot be imported. Counters: turns by outcome, fenced commits, redeliveries, hand-backs,
 * dead letters, tokens; histograms: durations (ms), snapshot bytes, attempts; an up-down counter
 * for turns in flight. Every value carries the `worker` attribute.
 *
 * @example Export a worker's metrics
 * ```ts ignore
 * import { openTelemetryMetrics, runFleetWorker } from "@codexkit/sdk/fleet";
 * const onMetric = await openTelemetryMetrics();
 * await runFleetWorker({ ...options, onMetric });
 * ```
 */
export async function openTelemetryMetrics(
  options: OpenTelemetryMetricsOptions = {},
): Promise<((metric: FleetMetric) => void) | undefined> {
  let api = options.api;
  if (!api) {
    // A variable specifier: the package is optional and no bundler or type checker should
    // insist on it.
    const specifier = "@opentelemetry/api";
    try {
      api = (await import(specifier)) as OtelApiLike;
    } catch {
      return undefined;
    }
  }
  const meter = api.metrics.getMeter(options.meterName ?? "@codexkit/sdk/fleet");
  const counters = new Map<
    string,
    { add(value: number, attributes?: Record<string, string>): void }
  >();
  const histograms = new Map<
    string,
    { record(value: number, attributes?: Record<string, string>): void }
  >();
  const inFlight = meter.createUpDownCounter("codex.fleet.in_flight");
  const last = new Map<string, number>();
  return (metric) => {
    const attributes = { worker: metric.worker };
    const name = `codex.fleet.${metric.name}`;
    if (metric.name === "in_flight") {
      // The worker reports a gauge; an up-down counter takes the change.
      inFlight.add(metric.value - (last.get(metric.worker) ?? 0), attributes);
      last.set(metric.worker, metric.value);
    } else if (COUNTERS.has(metric.name)) {
      let counter = counters.get(name);
      if (!counter) counters.set(name, counter = meter.createCounter(name));
      counter.add(metric.value, attributes);
    } else {
      let histogram = histograms.get(name);
      const unit = metric.name.endsWith("_ms")
        ? "ms"
        : metric.name.endsWith("bytes")
        ? "By"
        : undefined;
      if (!histogram) {
        histograms.set(name, histogram = meter.createHistogram(name, unit ? { unit } : {}));
      }
      histogram.record(metric.value, attributes);
    }
  };
}

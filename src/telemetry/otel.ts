/**
 * The part of `@opentelemetry/api` the SDK uses, spelled out structurally so that neither the
 * package nor its types are needed to build or import the SDK. The package is an optional peer:
 * it is imported on a turn's first use and, when absent, telemetry is off, quietly. Present
 * without a registered SDK, the API itself is a no-op.
 *
 * @module
 */

/** Span and metric attributes. */
export type OtelAttributes = Record<string, string | number | boolean>;

/** A span, as far as the SDK uses it. */
export interface OtelSpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  addEvent(name: string, attributes?: OtelAttributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
  /** False for the no-op span of a host that registered no tracer. */
  isRecording?(): boolean;
}

/** A tracer. */
export interface OtelTracer {
  startSpan(name: string, options?: { attributes?: OtelAttributes }, context?: unknown): OtelSpan;
}

/** A meter's instruments. */
export interface OtelMeter {
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string },
  ): { record(value: number, attributes?: OtelAttributes): void };
  createCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): { add(value: number, attributes?: OtelAttributes): void };
}

/** The API's entry points the SDK uses. */
export interface OtelApi {
  trace: {
    getTracer(name: string, version?: string): OtelTracer;
    setSpan(context: unknown, span: OtelSpan): unknown;
  };
  metrics: { getMeter(name: string, version?: string): OtelMeter };
  context: { active(): unknown };
  SpanStatusCode: { ERROR: number };
}

let loaded: Promise<OtelApi | undefined> | undefined;

/**
 * `@opentelemetry/api`, or undefined when it cannot be imported. Asked once per process;
 * `importer` is for tests.
 */
export function loadOtel(
  importer: () => Promise<unknown> = () => import("@opentelemetry/api"),
): Promise<OtelApi | undefined> {
  loaded ??= importer().then(
    (module) => {
      const api = module as Partial<OtelApi> & { default?: Partial<OtelApi> };
      const found = api.trace ? api : api.default;
      return found?.trace && found.metrics && found.context ? found as OtelApi : undefined;
    },
    () => undefined,
  );
  return loaded;
}

/** Forgets the loaded API (tests only). */
export function resetOtel(): void {
  loaded = undefined;
}

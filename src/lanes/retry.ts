/**
 * The opt-in retry policy: a `TurnLane` decorator that runs a turn again when it failed on a
 * transient cause (HTTP 429 or 5xx reported as `turn.failed`, a stream that disconnected, an
 * app-server that exited), with jittered exponential backoff or the wait the CLI asked for
 * ("try again in 1.5s"), a bounded number of attempts, and a `retry.scheduled` event before
 * each new attempt. It never retries once the agent started changing things (a `file_change`
 * item, or a command that began running) unless `retryAfterFileChanges` is set.
 *
 * A retried turn continues the same thread: the failed attempt stays in the thread's history
 * and the input is sent again. Only the first `thread.started` is passed on.
 *
 * @module
 */
import { AbortError, ConnectionClosedError } from "../errors.ts";
import type { ThreadEvent } from "../events.ts";
import type { TurnLane, TurnRequest } from "./lane.ts";
import type { RetryFailure, RetryOptions } from "../options/retry.ts";

/** Why a failure counts as transient, or `undefined` when it does not. */
export interface TransientCause {
  /** `http_429`, `http_5xx`, `disconnected`, `server_exited`. */
  reason: string;
  /** The wait the CLI asked for, in ms, when it said. */
  retryAfterMs?: number;
}

function statusOf(info: unknown): number | undefined {
  if (typeof info !== "object" || info === null) return undefined;
  for (const value of Object.values(info as Record<string, unknown>)) {
    const code = (value as { httpStatusCode?: unknown } | null)?.httpStatusCode;
    if (typeof code === "number") return code;
  }
  return undefined;
}

/** The wait a message asks for: "try again in 1.5s" / "in 200ms" (what the CLI itself reads). */
export function retryAfterMs(message: string): number | undefined {
  const match = /try again in\s*(\d+(?:\.\d+)?)\s*(ms|s|seconds?)\b/i.exec(message) ??
    /retry[- ]after:?\s*(\d+(?:\.\d+)?)\s*(ms|s|seconds?)?/i.exec(message);
  if (!match) return undefined;
  const value = Number(match[1]);
  return Math.round(match[2]?.toLowerCase() === "ms" ? value : value * 1000);
}

/**
 * Classifies a `turn.failed` error (message and, on the app-server, `codex_error_info`):
 * 429, 5xx, overload and stream disconnects are transient; everything else (bad requests,
 * usage limits, context window, policy) is not.
 */
export function transientTurnFailure(
  error: { message?: unknown; codex_error_info?: unknown },
): TransientCause | undefined {
  const message = typeof error.message === "string" ? error.message : "";
  const info = error.codex_error_info;
  const wait = retryAfterMs(message);
  const withWait = (reason: string): TransientCause =>
    wait === undefined ? { reason } : { reason, retryAfterMs: wait };
  const status = statusOf(info) ?? Number(/\b(429|5\d\d)\b/.exec(message)?.[1] ?? NaN);
  if (status === 429) return withWait("http_429");
  if (status >= 500 && status < 600) return withWait("http_5xx");
  if (info === "serverOverloaded" || info === "internalServerError") return withWait("http_5xx");
  if (info === "rateLimitExceeded") return withWait("http_429");
  if (
    typeof info === "object" && info !== null &&
    ("responseStreamDisconnected" in info || "responseStreamConnectionFailed" in info ||
      "httpConnectionFailed" in info)
  ) return withWait("disconnected");
  if (/too many requests|rate limit/i.test(message) && !/usage limit/i.test(message)) {
    return withWait("http_429");
  }
  if (/high demand|temporar(y|ily)|overloaded|service unavailable|bad gateway/i.test(message)) {
    return withWait("http_5xx");
  }
  if (
    /stream disconnected|connection (reset|closed|refused)|error sending request/i.test(message)
  ) {
    return withWait("disconnected");
  }
  return undefined;
}

/** Whether a lane error (not an event) is transient: the app-server exited or closed. */
export function transientLaneError(error: unknown): TransientCause | undefined {
  if (error instanceof ConnectionClosedError) return { reason: "server_exited" };
  return undefined;
}

/** Whether the event shows the agent changing something (a file change, a command running). */
function changesThings(event: ThreadEvent): boolean {
  if (event.type !== "item.started" && event.type !== "item.completed") return false;
  return event.item.type === "file_change" || event.item.type === "command_execution";
}

/** The delay before attempt `attempt` (2 = first retry): full jitter over exponential backoff. */
export function backoffMs(
  attempt: number,
  options: Required<Pick<RetryOptions, "baseDelayMs" | "maxDelayMs">>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 2));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      return reject(new AbortError("The run was aborted", { cause: signal.reason }));
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortError("The run was aborted", { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Wraps a lane with the retry policy. Each turn uses its thread's `retry` (see
 * {@linkcode RetryOptions}), else `defaults`; without either it runs once, untouched.
 */
export function withRetry(lane: TurnLane, defaults?: RetryOptions): TurnLane {
  return {
    runTurn: (request) => {
      const options = (request.threadOptions as { retry?: RetryOptions }).retry ?? defaults;
      if (options === undefined || (options.attempts ?? 3) <= 1) return lane.runTurn(request);
      return retrying(lane, request, options);
    },
    ...(lane.interrupt ? { interrupt: (threadId) => lane.interrupt!(threadId) } : {}),
    ...(lane.steer ? { steer: (threadId, input) => lane.steer!(threadId, input) } : {}),
    // Read through: the exec lane learns its secrets lazily.
    get secrets() {
      return lane.secrets;
    },
  };
}

function retrying(
  lane: TurnLane,
  first: TurnRequest,
  options: RetryOptions,
): ReadableStream<ThreadEvent[]> {
  const attempts = options.attempts ?? 3;
  const policy = {
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
  };
  const signal = first.turnOptions.signal;
  let reader: ReadableStreamDefaultReader<ThreadEvent[]> | undefined;
  let cancelled = false;

  return new ReadableStream<ThreadEvent[]>({
    async start(controller) {
      let request = first;
      let threadId: string | null = first.threadId;
      let announced = false;
      for (let attempt = 1;; attempt++) {
        let changed = false;
        let failure: TransientCause | undefined;
        let held: ThreadEvent | undefined;
        let thrown: unknown;
        let failed = false;
        reader = lane.runTurn(request).getReader();
        try {
          while (true) {
            const next = await reader.read();
            if (next.done) break;
            const out: ThreadEvent[] = [];
            for (const event of next.value) {
              if (event.type === "thread.started") {
                threadId = event.thread_id;
                if (announced) continue;
                announced = true;
              }
              if (changesThings(event)) changed = true;
              if (event.type === "turn.failed") {
                failed = true;
                failure = (event as { interrupted?: boolean }).interrupted
                  ? undefined
                  : transientTurnFailure(event.error);
                if (failure || options.shouldRetry) {
                  // Held back: shown only if no retry follows.
                  held = event;
                  continue;
                }
              }
              out.push(event);
            }
            if (out.length > 0) controller.enqueue(out);
          }
        } catch (error) {
          thrown = error;
          if (!failed) failure = transientLaneError(error);
        }
        if (cancelled) return;
        const cause = failure;
        const message = held?.type === "turn.failed"
          ? held.error.message
          : thrown instanceof Error
          ? thrown.message
          : String(thrown);
        const seen: RetryFailure = {
          attempt,
          message,
          changedThings: changed,
          ...(cause ? { reason: cause.reason } : {}),
          ...(cause?.retryAfterMs !== undefined ? { retryAfterMs: cause.retryAfterMs } : {}),
          ...(thrown !== undefined ? { error: thrown } : {}),
        };
        let retry: boolean;
        let delay = 0;
        try {
          // A turn that ended well is never retried; the user's rule replaces the built-in one.
          retry = (failed || thrown !== undefined) && attempt < attempts && !(signal?.aborted) &&
            (options.shouldRetry
              ? options.shouldRetry(seen) === true
              : cause !== undefined && (!changed || options.retryAfterFileChanges === true) &&
                (cause.retryAfterMs === undefined || cause.retryAfterMs <= policy.maxDelayMs));
          if (retry) {
            delay = options.backoff?.(attempt + 1, seen) ??
              cause?.retryAfterMs ?? backoffMs(attempt + 1, policy);
            if (!Number.isFinite(delay) || delay < 0) {
              throw new TypeError(
                `Cannot use retry.backoff: expected a number of milliseconds >= 0, got ${delay}`,
              );
            }
          }
        } catch (error) {
          controller.error(error);
          return;
        }
        if (!retry) {
          if (held) controller.enqueue([held]);
          if (thrown !== undefined) controller.error(thrown);
          else controller.close();
          return;
        }
        const scheduled = {
          attempt: attempt + 1,
          maxAttempts: attempts,
          delayMs: delay,
          reason: cause?.reason ?? "policy",
          message,
        };
        controller.enqueue([{
          type: "retry.scheduled",
          attempt: scheduled.attempt,
          max_attempts: attempts,
          delay_ms: delay,
          reason: scheduled.reason,
          message,
        }]);
        try {
          options.onRetry?.(scheduled);
        } catch {
          // An observer that throws does not stop the retry.
        }
        try {
          await sleep(delay, signal);
        } catch (error) {
          controller.error(error);
          return;
        }
        if (cancelled) return;
        // The next attempt continues the thread the first one started.
        request = threadId === null
          ? first
          : { ...first, threadId, fork: false, resumeLast: false };
      }
    },
    async cancel(reason) {
      cancelled = true;
      await reader?.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

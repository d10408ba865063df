/**
 * What a remote turn's event log carries: the SDK's own thread events, each marked with the
 * attempt that produced it, and a few events of the fleet's own. An attempt that was lost or
 * fenced is superseded by the next one: read `attempt` to tell them apart.
 *
 * @module
 */
import type { ThreadEvent } from "../events.ts";
import type { FleetTurnResult } from "./record.ts";

/** A thread event from one attempt. */
export type FleetThreadEvent = ThreadEvent & {
  /** The attempt that produced it (1, 2, ...). */
  attempt: number;
};

/** A worker claimed the turn: attempt `attempt` begins on `worker`. */
export interface FleetAttemptEvent {
  /** Discriminant. */
  type: "fleet.attempt";
  /** The attempt number. */
  attempt: number;
  /** The worker running it. */
  worker: string;
}

/** An attempt failed and the turn goes back to the queue. */
export interface FleetRetryEvent {
  /** Discriminant. */
  type: "fleet.retry";
  /** The attempt that failed. */
  attempt: number;
  /** The worker it failed on. */
  worker: string;
  /** Why (bounded, scrubbed). */
  error: string;
}

/** An attempt finished after another had taken over: its commit was refused. */
export interface FleetFencedEvent {
  /** Discriminant. */
  type: "fleet.fenced";
  /** The refused attempt. */
  attempt: number;
  /** The worker that ran it. */
  worker: string;
}

/** The turn ended; the last event of its log. */
export interface FleetEndEvent {
  /** Discriminant. */
  type: "fleet.end";
  /** The attempt that ended it (0 when no attempt ran, e.g. cancelled while queued). */
  attempt: number;
  /** The outcome. */
  result: FleetTurnResult;
}

/** Any event of a remote turn. */
export type FleetEvent =
  | FleetAttemptEvent
  | FleetRetryEvent
  | FleetFencedEvent
  | FleetEndEvent
  | FleetThreadEvent;

/** A measurement, for the `onMetric` hook of producers and workers. */
export interface FleetMetric {
  /**
   * What was measured:
   * - `turn.duration_ms`, `restore.duration_ms`, `snapshot.duration_ms`, `snapshot.bytes`,
   *   `attempts` (per committed turn), `recovery_ms` (a turn committed after a lost attempt:
   *   from that attempt's claim to the commit), `tokens.input`, `tokens.output`;
   * - counters (value 1): `turn.committed`, `turn.failed`, `turn.cancelled`, `commit.fenced`,
   *   `redelivery`, `handed_back`, `dead_lettered`, `reannounced` (a turn found ended on
   *   redelivery: its end is announced again);
   * - gauges: `in_flight` (this worker's running turns).
   */
  name: string;
  /** The value. */
  value: number;
  /** The worker that measured it. */
  worker: string;
  /** The turn it concerns, when one. */
  turnId?: string;
}

/**
 * The fleet's own errors, on the SDK's base class.
 *
 * @module
 */
import { CodexError } from "../errors.ts";
import type { CodexErrorOptions } from "../errors.ts";

/** Base class of the fleet's errors. */
export class FleetError extends CodexError {
  /** Creates an error. */
  constructor(message: string, options: CodexErrorOptions = {}) {
    super(message, options);
    this.name = "FleetError";
  }
}

/** `submit` found the queue at its bound (`maxQueued` / `maxQueuedBytes`): nothing was queued. */
export class QueueFullError extends FleetError {
  /** The turn that was refused. */
  readonly turnId: string;

  /** Creates an error for `turnId`. */
  constructor(turnId: string, options: CodexErrorOptions = {}) {
    super(`Cannot queue turn ${turnId}: the fleet's queue is full`, options);
    this.name = "QueueFullError";
    this.turnId = turnId;
  }
}

/** A thread's rollout was written by a newer codex than this worker's: it is not restored. */
export class SnapshotVersionError extends FleetError {
  /** The codex version that wrote the rollout. */
  readonly rolloutVersion: string;
  /** This worker's codex version. */
  readonly workerVersion: string;

  /** Creates an error naming both versions. */
  constructor(rolloutVersion: string, workerVersion: string) {
    super(
      `Cannot restore a rollout written by codex ${rolloutVersion} with codex ${workerVersion}: ` +
        "run this thread on a worker at least as new",
    );
    this.name = "SnapshotVersionError";
    this.rolloutVersion = rolloutVersion;
    this.workerVersion = workerVersion;
  }
}

/**
 * The fleet's durable records and the pure decisions taken on them: names of engine objects,
 * subjects and keys; the thread record (one per thread, every write a compare-and-set on its
 * revision, which is also the fencing token of a running attempt) and the turn record.
 *
 * @module
 */

/** Where a snapshot of a thread's rollout lives. */
export interface SnapshotRef {
  /** Object Store key, attempt-scoped and immutable: `<thread>/<turnId>.<attempt>`. */
  key: string;
  /** The rollout's path relative to `sessions/`, e.g. `2026/01/02/rollout-...-<id>.jsonl`. */
  relPath: string;
  /** Size in bytes. */
  bytes: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  /** The newest codex version that wrote to it. */
  cliVersion: string;
}

/** Where a thread's git workspace stands. */
export interface WorkspaceRef {
  /** The repository (a URL or a path git understands). */
  remote: string;
  /** The thread's branch, moved only on commit. */
  branch: string;
  /** The commit the thread's last committed turn left. */
  commit: string;
}

/** The attempt that holds, or last held, the next turn of a thread. */
export interface AttemptState {
  /** Turn id. */
  turnId: string;
  /** Turn number within the thread. */
  turn: number;
  /** Attempts made so far (this one included). */
  attempt: number;
  /** The worker that holds it; `null` once released. */
  worker: string | null;
  /** When it was claimed (ms since the epoch). */
  since: number;
  /** The last attempt's error, bounded and scrubbed. */
  lastError?: string;
}

/** One record per thread. */
export interface ThreadRecord {
  /** Last turn number handed out. */
  queued: number;
  /** Turn id of that last turn (to make numbering idempotent). */
  lastTurnId?: string;
  /** Last turn number that ended (committed, failed or cancelled). */
  done: number;
  /** Numbers handed out whose turn was never queued (the queue was full). */
  skipped?: number[];
  /** Codex's own thread id, once a turn has started it. */
  codexThreadId?: string;
  /** The rollout as the last committed turn left it. */
  snapshot?: SnapshotRef;
  /** The workspace as the last committed turn left it. */
  workspace?: WorkspaceRef;
  /** The attempt on the next turn, while there is one. */
  running?: AttemptState;
  /** Set when a turn used up its attempts: the thread needs someone to look at it. */
  attention?: { turnId: string; turn: number; error: string; at: number };
  /** The outcome of the last turn that ended, to announce it again after a crash. */
  last?: FleetTurnResult;
}

/** How a turn ended. */
export type FleetTurnStatus = "committed" | "failed" | "cancelled";

/** The usage a turn reported. */
export interface FleetUsage {
  /** Input tokens. */
  input_tokens: number;
  /** Of which cached. */
  cached_input_tokens: number;
  /** Output tokens. */
  output_tokens: number;
}

/** The outcome of a remote turn. */
export interface FleetTurnResult {
  /** How it ended. */
  status: FleetTurnStatus;
  /** Turn id. */
  turnId: string;
  /** The thread's key. */
  threadKey: string;
  /** Turn number within the thread. */
  turn: number;
  /** The last agent message (empty unless committed). */
  finalResponse: string;
  /** Usage of the committed attempt, when there was one. */
  usage: FleetUsage | null;
  /** Attempts made. */
  attempts: number;
  /** The worker that ended it, when one did. */
  worker: string | null;
  /** Codex's thread id, when known. */
  codexThreadId: string | null;
  /** Why it failed (bounded, scrubbed). */
  error?: string;
}

/** State of a turn as its record tells it. */
export type TurnRecordStatus = "queued" | "running" | FleetTurnStatus;

/** One record per turn: what a producer, or any process knowing the id, reads. */
export interface TurnRecord {
  /** Turn id. */
  turnId: string;
  /** The thread's key. */
  threadKey: string;
  /** Turn number within the thread. */
  turn: number;
  /** Where it stands. */
  status: TurnRecordStatus;
  /** Attempts allowed. */
  maxAttempts: number;
  /** Attempts made so far. */
  attempts: number;
  /** Set when someone asked to cancel it. */
  cancelRequested?: boolean;
  /** When it was submitted (ms since the epoch). */
  submittedAt: number;
  /** The outcome, once it ended. */
  result?: FleetTurnResult;
}

/** The queued message. */
export interface TurnMessage {
  /** Turn id. */
  turnId: string;
  /** The thread's key. */
  threadKey: string;
  /** Turn number within the thread. */
  turn: number;
  /** The prompt. */
  input: string;
  /** Thread options (checked: nothing secret). */
  threadOptions: Record<string, unknown>;
  /** Attempts allowed. */
  maxAttempts: number;
  /** The workspace to check out, when the thread has one. */
  workspace?: { remote: string; branch: string; ref?: string };
}

/** True once a turn has ended. */
export function isTerminal(status: TurnRecordStatus): status is FleetTurnStatus {
  return status === "committed" || status === "failed" || status === "cancelled";
}

/** The turn number the thread runs next: the one after `done`, passing over skipped numbers. */
export function nextTurn(record: ThreadRecord): number {
  let n = record.done + 1;
  const skipped = new Set(record.skipped ?? []);
  while (skipped.has(n)) n += 1;
  return n;
}

/** What a worker does with a delivered turn, given the thread's record. */
export type Decision =
  | { kind: "ended" }
  | { kind: "wait" }
  | { kind: "exhausted"; attempts: number; lastError: string }
  | { kind: "claim"; attempt: number };

/**
 * Decides what to do with turn `turn` (id `turnId`, `maxAttempts` allowed) of a thread whose
 * record is `record`: already ended (re-announce and ack), not its turn yet (wait), out of
 * attempts (dead-letter), or claim it as attempt n.
 */
export function decide(
  record: ThreadRecord,
  turn: number,
  turnId: string,
  maxAttempts: number,
): Decision {
  if (turn <= record.done || (record.skipped ?? []).includes(turn)) return { kind: "ended" };
  if (turn !== nextTurn(record)) return { kind: "wait" };
  const before = record.running?.turnId === turnId ? record.running.attempt : 0;
  if (before >= maxAttempts) {
    const lastError = record.running?.lastError ??
      `attempt ${before} was lost (worker ${record.running?.worker ?? "?"} stopped answering)`;
    return { kind: "exhausted", attempts: before, lastError };
  }
  return { kind: "claim", attempt: before + 1 };
}

/** The record after claiming attempt `attempt` of `turn` for `worker`. */
export function claimed(
  record: ThreadRecord,
  turn: number,
  turnId: string,
  attempt: number,
  worker: string,
  now: number,
): ThreadRecord {
  return { ...record, running: { turnId, turn, attempt, worker, since: now } };
}

/** The record after `turn` ended; a commit carries the new snapshot and workspace. */
export function ended(
  record: ThreadRecord,
  turn: number,
  commit?: { snapshot?: SnapshotRef; workspace?: WorkspaceRef; codexThreadId?: string },
): ThreadRecord {
  const next: ThreadRecord = { ...record, done: Math.max(record.done, turn) };
  delete next.running;
  const skipped = (record.skipped ?? []).filter((n) => n > turn);
  if (skipped.length) next.skipped = skipped;
  else delete next.skipped;
  if (commit?.snapshot) next.snapshot = commit.snapshot;
  if (commit?.workspace) next.workspace = commit.workspace;
  if (commit?.codexThreadId) next.codexThreadId = commit.codexThreadId;
  return next;
}

/** The record after an attempt failed cleanly: the claim released, the error kept. */
export function released(
  record: ThreadRecord,
  error: string | undefined,
  uncount = false,
): ThreadRecord {
  if (!record.running) return record;
  const running: AttemptState = { ...record.running, worker: null };
  if (uncount) running.attempt = Math.max(0, running.attempt - 1);
  if (error !== undefined) running.lastError = error;
  return { ...record, running };
}

/** A thread key as a subject token and KV key: base64url of its UTF-8 bytes. */
export function encodeKey(key: string): string {
  const bytes = new TextEncoder().encode(key);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

/** Names of the engine objects and subjects of one tenant. */
export interface FleetNames {
  /** The turns stream (work queue). */
  turns: string;
  /** The events stream. */
  events: string;
  /** The dead-letter stream. */
  dead: string;
  /** The KV bucket of thread and turn records. */
  bucket: string;
  /** The Object Store of rollouts. */
  objects: string;
  /** The workers' durable consumer. */
  consumer: string;
  /** The tenant. */
  tenant: string;
}

/** The names for `tenant` (objects shared by tenants are named once; the consumer per tenant). */
export function fleetNames(tenant: string): FleetNames {
  return {
    turns: "CODEX_TURNS",
    events: "CODEX_EVENTS",
    dead: "CODEX_DEAD",
    bucket: "codex-threads",
    objects: "codex-rollouts",
    consumer: `workers-${tenant}`,
    tenant,
  };
}

/** Subject of a queued turn. */
export function turnSubject(tenant: string, threadKey: string): string {
  return `codex.turn.${tenant}.${encodeKey(threadKey)}`;
}

/** Subject of a turn attempt's events (attempt 0: the fleet's own, e.g. a queued cancel). */
export function eventSubject(tenant: string, turnId: string, attempt: number): string {
  return `codex.ev.${tenant}.${turnId}.${attempt}`;
}

/** Subject a turn's cancel request goes to. */
export function cancelSubject(tenant: string, turnId: string): string {
  return `codex.cancel.${tenant}.${turnId}`;
}

/** Subject of a dead-lettered turn. */
export function deadSubject(tenant: string, threadKey: string): string {
  return `codex.dead.${tenant}.${encodeKey(threadKey)}`;
}

/** KV key of a thread record. */
export function threadRecordKey(tenant: string, threadKey: string): string {
  return `thread.${tenant}.${encodeKey(threadKey)}`;
}

/** KV key of a turn record. */
export function turnRecordKey(tenant: string, turnId: string): string {
  return `turn.${tenant}.${turnId}`;
}

/** Object Store key of one attempt's rollout snapshot. */
export function snapshotKey(
  tenant: string,
  threadKey: string,
  turnId: string,
  attempt: number,
): string {
  return `${tenant}/${encodeKey(threadKey)}/${turnId}.${attempt}`;
}

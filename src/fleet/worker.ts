/**
 * A fleet worker: pulls a turn only when one of its slots is free and runs it with the SDK's own
 * `Codex` and `Thread` on the exec transport, in its own CODEX_HOME.
 *
 * Per delivered turn: read the thread record; claim the turn by a compare-and-set (the new
 * revision is the fencing token); keep the lease with in-progress acks every AckWait/3; restore
 * the rollout; run; snapshot the rollout under an attempt-scoped key; commit by a
 * compare-and-set from the token; only then announce the end and ack. A worker that lost its
 * lease (frozen, cut off) finds its commit refused and commits nothing.
 *
 * @module
 */
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import type { JsMsg } from "@nats-io/jetstream";
import { Codex } from "../codex.ts";
import { runCodexCli } from "../home/_codex_cli.ts";
import { parseVersion } from "../../capabilities/semver.ts";
import type { CodexOptions, ThreadOptions } from "../options.ts";
import { Redactor } from "../redact.ts";
import type { ThreadEvent } from "../events.ts";
import { casRecord, isConflict, openEngine, readRecord, updateRecord } from "./engine.ts";
import type { Engine, FleetConnectionOptions } from "./engine.ts";
import type { FleetEvent, FleetMetric } from "./events.ts";
import { checkFleetOptions } from "./options.ts";
import {
  cancelSubject,
  claimed,
  deadSubject,
  decide,
  encodeKey,
  ended,
  eventSubject,
  isTerminal,
  released,
  snapshotKey,
  threadRecordKey,
  turnRecordKey,
} from "./record.ts";
import type {
  FleetTurnResult,
  FleetTurnStatus,
  FleetUsage,
  SnapshotRef,
  ThreadRecord,
  TurnMessage,
  TurnRecord,
  WorkspaceRef,
} from "./record.ts";
import {
  newerVersion,
  readRollout,
  refuseNewer,
  restoreRollout,
  rolloutCliVersion,
  sha256Hex,
} from "./snapshot.ts";
import { checkoutWorkspace, commitWorkspace, moveBranch } from "./workspace.ts";

/** Options of {@linkcode runFleetWorker}. */
export interface FleetWorkerOptions extends FleetConnectionOptions {
  /** This worker's name (a subject token), shown in events and records. */
  workerId: string;
  /** Turns run at once (default 1). */
  slots?: number;
  /** The worker's own CODEX_HOME (created when missing). Only rollout files leave it. */
  codexHome: string;
  /** Where per-attempt working directories are made. */
  workRoot: string;
  /**
   * Options of the worker's `Codex` client (its `codexHome` is the one above). Keys come from
   * here or the worker's own environment; they never travel with a turn.
   */
  codex?: FleetCodexOptions;
  /** Stops pulling when aborted; in-flight turns then finish or are handed back. */
  signal?: AbortSignal;
  /** How long in-flight turns may run on after `signal` before they are handed back (default 0). */
  drainMs?: number;
  /** A turn's own time limit (default none). */
  turnTimeoutMs?: number;
  /** Called with each measurement. */
  onMetric?: (metric: FleetMetric) => void;
}

/**
 * Options of a worker's `Codex` client: the client options that describe the worker's own
 * machine (binary, key, config, environment, process limits). Thread and turn settings travel
 * with each turn instead.
 */
export type FleetCodexOptions = Pick<
  CodexOptions,
  | "codexPathOverride"
  | "bundle"
  | "baseUrl"
  | "apiKey"
  | "config"
  | "configOverrides"
  | "env"
  | "profile"
  | "killGraceMs"
  | "maxLineBytes"
  | "onStderr"
  | "onWarning"
>;

/** What a worker did, returned when it stops. */
export interface FleetWorkerReport {
  /** Turns committed. */
  committed: number;
  /** Turns that ended failed here. */
  failed: number;
  /** Turns that ended cancelled here. */
  cancelled: number;
  /** Attempts whose commit was refused (this worker had lost the turn). */
  fenced: number;
  /** Turns handed back at shutdown. */
  handedBack: number;
}

const SECRET_NAME = /key|token|secret|password|passwd|credential/i;
const ERROR_LIMIT = 2000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function bounded(text: string): string {
  return text.length > ERROR_LIMIT ? `${text.slice(0, ERROR_LIMIT)}...` : text;
}

/** Every string in `value` passed through `redactor` (a deep copy). */
function redactDeep<T>(value: T, redactor: Redactor): T {
  if (typeof value === "string") return redactor.text(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redactor)) as T;
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, redactor);
    return out as T;
  }
  return value;
}

/** How a run of one attempt ended. */
type Outcome =
  | { kind: "completed"; finalResponse: string; usage: FleetUsage | null; threadId: string }
  | { kind: "failed"; error: string }
  | { kind: "cancelled" }
  | { kind: "handed_back" };

/**
 * Runs a fleet worker until `options.signal` aborts: it pulls turns while a slot is free and
 * runs them on the exec transport. Resolves with what it did once in-flight turns have finished
 * or been handed back.
 *
 * @example A worker with two slots
 * ```ts ignore
 * import { runFleetWorker } from "@codexkit/sdk/fleet";
 * const stop = new AbortController();
 * process.once("SIGTERM", () => stop.abort());
 * await runFleetWorker({
 *   servers: "nats://127.0.0.1:4222",
 *   workerId: "w1",
 *   slots: 2,
 *   codexHome: "/var/lib/codex-w1/home",
 *   workRoot: "/var/lib/codex-w1/work",
 *   signal: stop.signal,
 * });
 * ```
 */
export async function runFleetWorker(options: FleetWorkerOptions): Promise<FleetWorkerReport> {
  checkFleetOptions("worker", options);
  const slots = options.slots ?? 1;
  const drainMs = options.drainMs ?? 0;
  const worker = options.workerId;
  const report: FleetWorkerReport = {
    committed: 0,
    failed: 0,
    cancelled: 0,
    fenced: 0,
    handedBack: 0,
  };
  const signal = options.signal ?? new AbortController().signal;
  if (signal.aborted) return report;
  await mkdir(options.codexHome, { recursive: true });
  await mkdir(options.workRoot, { recursive: true });
  const codex = new Codex({ ...options.codex, codexHome: options.codexHome });
  const workerVersion = await codexVersion(codex, options);
  const env = options.codex?.env ?? (process.env as Record<string, string>);
  const secrets = Object.entries(env).filter(([k, v]) =>
    SECRET_NAME.test(k) && typeof v === "string" && v.length >= 8
  )
    .map(([, v]) => v as string);
  const redactor = Redactor.from({
    apiKey: options.codex?.apiKey,
    args: options.codex?.configOverrides,
    secrets,
  });
  const engine = await openEngine(options, `codexkit-worker-${worker}`);
  const { names } = engine;
  const metric = (name: string, value: number, turnId?: string): void => {
    try {
      options.onMetric?.({ name, value, worker, turnId });
    } catch {
      // A metric hook's failure is not the turn's.
    }
  };
  const handBack = new AbortController();
  const inFlight = new Set<Promise<void>>();
  try {
    const consumer = await engine.js.consumers.get(names.turns, names.consumer);
    const ackWaitMs = Math.max(
      1000,
      Math.round(((await consumer.info()).config.ack_wait ?? 30e9) / 1e6),
    );
    const context: AttemptContext = {
      engine,
      codex,
      options,
      worker,
      workerVersion,
      redactor,
      ackWaitMs,
      metric,
      report,
      handBack: handBack.signal,
    };
    const stopped = new Promise<void>((resolve) =>
      signal.addEventListener("abort", () => resolve(), { once: true })
    );
    while (!signal.aborted) {
      if (inFlight.size >= slots) {
        await Promise.race([...inFlight, stopped]);
        continue;
      }
      let msg: JsMsg | null = null;
      try {
        msg = await consumer.next({ expires: 2000 });
      } catch {
        // The server is away (restart, network): try again shortly.
        await Promise.race([sleep(500), stopped]);
        continue;
      }
      if (!msg) continue;
      if (signal.aborted) {
        msg.nak();
        break;
      }
      const task: Promise<void> = handleMessage(context, msg).catch(() => {
        // Whatever went wrong, the message's lease lapses and another worker takes it.
      }).finally(() => {
        inFlight.delete(task);
        metric("in_flight", inFlight.size);
      });
      inFlight.add(task);
      metric("in_flight", inFlight.size);
    }
    if (inFlight.size > 0 && drainMs > 0) {
      await Promise.race([Promise.allSettled([...inFlight]), sleep(drainMs)]);
    }
    handBack.abort();
    await Promise.allSettled([...inFlight]);
  } finally {
    handBack.abort();
    // A server that is away must not hold the shutdown: drain for a while, then close.
    const drained = engine.nc.drain().then(() => true, () => false);
    if (!await Promise.race([drained, sleep(5000).then(() => false)])) {
      await engine.nc.close().catch(() => {});
    }
  }
  return report;
}

async function codexVersion(
  codex: Codex,
  options: FleetWorkerOptions,
): Promise<string | undefined> {
  const binary = await codex.binary();
  if (binary.version && parseVersion(binary.version)) return parseVersion(binary.version)!.semver;
  const result = await runCodexCli(options.codexHome, ["--version"], {
    codexPathOverride: binary.path,
    env: options.codex?.env,
  }).catch(() => undefined);
  return result ? parseVersion(result.stdout)?.semver : undefined;
}

interface AttemptContext {
  engine: Engine;
  codex: Codex;
  options: FleetWorkerOptions;
  worker: string;
  workerVersion: string | undefined;
  redactor: Redactor;
  ackWaitMs: number;
  metric: (name: string, value: number, turnId?: string) => void;
  report: FleetWorkerReport;
  handBack: AbortSignal;
}

function publish(ctx: AttemptContext, turnId: string, attempt: number, event: FleetEvent): void {
  const { engine } = ctx;
  engine.nc.publish(
    eventSubject(engine.names.tenant, turnId, attempt),
    JSON.stringify(redactDeep(event, ctx.redactor)),
  );
}

async function publishEnd(
  ctx: AttemptContext,
  result: FleetTurnResult,
  attempt: number,
): Promise<void> {
  const { engine } = ctx;
  const event: FleetEvent = { type: "fleet.end", attempt, result };
  await engine.js.publish(
    eventSubject(engine.names.tenant, result.turnId, attempt),
    JSON.stringify(redactDeep(event, ctx.redactor)),
  );
}

/** Writes the turn's outcome to its record (unless it already has one) and announces it. */
async function finish(
  ctx: AttemptContext,
  result: FleetTurnResult,
  attempt: number,
  count = true,
): Promise<void> {
  const { kv, names } = ctx.engine;
  await updateRecord<TurnRecord>(kv, turnRecordKey(names.tenant, result.turnId), (current) => {
    if (current && isTerminal(current.status) && current.result) return undefined;
    return {
      turnId: result.turnId,
      threadKey: result.threadKey,
      turn: result.turn,
      maxAttempts: current?.maxAttempts ?? result.attempts,
      submittedAt: current?.submittedAt ?? Date.now(),
      ...current,
      status: result.status,
      attempts: result.attempts,
      result,
    };
  });
  await publishEnd(ctx, result, attempt);
  if (count) ctx.metric(`turn.${result.status}`, 1, result.turnId);
}

function resultOf(
  m: TurnMessage,
  status: FleetTurnStatus,
  fields: Partial<FleetTurnResult> & { attempts: number },
): FleetTurnResult {
  return {
    status,
    turnId: m.turnId,
    threadKey: m.threadKey,
    turn: m.turn,
    finalResponse: "",
    usage: null,
    worker: null,
    codexThreadId: null,
    ...fields,
  };
}

/**
 * CAS from `token` with retries across outages. Returns the new revision, or `undefined` when
 * the record moved on (this attempt was fenced). `landed` recognises our own earlier write that
 * went through before a timeout hid its answer.
 */
async function commitFrom(
  ctx: AttemptContext,
  key: string,
  value: ThreadRecord,
  token: number,
  landed: (current: ThreadRecord) => boolean,
): Promise<number | undefined> {
  const { kv } = ctx.engine;
  const deadline = Date.now() + 120_000;
  for (let i = 0;; i++) {
    try {
      return await casRecord(kv, key, value, token);
    } catch (error) {
      if (!isConflict(error) && Date.now() < deadline) {
        await sleep(Math.min(2000, 200 * (i + 1)));
        continue;
      }
      const current = await readRecord<ThreadRecord>(kv, key).catch(() => undefined);
      if (current && landed(current.value)) return current.revision;
      if (isConflict(error)) return undefined;
      throw error;
    }
  }
}

async function handleMessage(ctx: AttemptContext, msg: JsMsg): Promise<void> {
  const { engine } = ctx;
  const { kv, names } = engine;
  const m = JSON.parse(new TextDecoder().decode(msg.data)) as TurnMessage;
  const threadKey = threadRecordKey(names.tenant, m.threadKey);
  if (msg.info.deliveryCount > 1) ctx.metric("redelivery", 1, m.turnId);
  // Listen for a cancel before reading the records, so none falls between the two.
  const cancel = new AbortController();
  const sub = engine.nc.subscribe(cancelSubject(names.tenant, m.turnId), {
    callback: () => cancel.abort(),
  });
  try {
    const thread = await readRecord<ThreadRecord>(kv, threadKey);
    const turnRecord = await readRecord<TurnRecord>(kv, turnRecordKey(names.tenant, m.turnId));
    if (!thread) {
      // The producer numbers a turn in the thread record before queueing it.
      msg.term();
      return;
    }
    const decision = decide(thread.value, m.turn, m.turnId, m.maxAttempts);
    if (decision.kind === "ended") {
      // Committed before, but the announcement or the ack may not have gone out: repeat them.
      const last = thread.value.last;
      const result = turnRecord?.value.result ??
        (last?.turnId === m.turnId ? last : undefined);
      if (result) await finish(ctx, result, result.attempts, false);
      ctx.metric("reannounced", 1, m.turnId);
      msg.ack();
      return;
    }
    if (decision.kind === "wait") {
      msg.nak(Math.min(2000, 250 * msg.info.deliveryCount));
      return;
    }
    if (decision.kind === "exhausted") {
      await deadLetter(
        ctx,
        msg,
        m,
        thread.value,
        thread.revision,
        decision.attempts,
        decision.lastError,
      );
      return;
    }
    if (turnRecord?.value.status === "cancelled" || turnRecord?.value.cancelRequested) {
      const next = ended(thread.value, m.turn);
      const revision = await commitFrom(
        ctx,
        threadKey,
        next,
        thread.revision,
        (c) => c.done >= m.turn,
      );
      if (revision === undefined) {
        msg.nak(200);
        return;
      }
      await finish(ctx, turnRecord.value.result ?? resultOf(m, "cancelled", { attempts: 0 }), 0);
      ctx.report.cancelled += 1;
      msg.term();
      return;
    }
    const attempt = decision.attempt;
    const claim = claimed(thread.value, m.turn, m.turnId, attempt, ctx.worker, Date.now());
    let token: number;
    try {
      token = await casRecord(kv, threadKey, claim, thread.revision);
    } catch (error) {
      if (!isConflict(error)) throw error;
      msg.nak(200);
      return;
    }
    await runAttempt(ctx, msg, m, claim, token, attempt, cancel.signal, thread.value);
  } finally {
    sub.unsubscribe();
  }
}

async function deadLetter(
  ctx: AttemptContext,
  msg: JsMsg,
  m: TurnMessage,
  record: ThreadRecord,
  revision: number,
  attempts: number,
  lastError: string,
): Promise<void> {
  const { engine } = ctx;
  const { names } = engine;
  const threadKey = threadRecordKey(names.tenant, m.threadKey);
  const result = resultOf(m, "failed", { attempts, error: lastError, worker: ctx.worker });
  const next: ThreadRecord = {
    ...ended(record, m.turn),
    attention: { turnId: m.turnId, turn: m.turn, error: lastError, at: Date.now() },
    last: result,
  };
  const done = await commitFrom(ctx, threadKey, next, revision, (c) => c.done >= m.turn);
  if (done === undefined) {
    msg.nak(200);
    return;
  }
  await engine.js.publish(
    deadSubject(names.tenant, m.threadKey),
    JSON.stringify(
      redactDeep(
        { message: m, attempts, lastError, worker: ctx.worker, at: Date.now() },
        ctx.redactor,
      ),
    ),
  );
  await finish(ctx, result, attempts);
  ctx.report.failed += 1;
  ctx.metric("dead_lettered", 1, m.turnId);
  msg.term();
}

async function runAttempt(
  ctx: AttemptContext,
  msg: JsMsg,
  m: TurnMessage,
  claim: ThreadRecord,
  token: number,
  attempt: number,
  cancelled: AbortSignal,
  before: ThreadRecord,
): Promise<void> {
  const { engine, worker } = ctx;
  const { kv, names } = engine;
  const threadKey = threadRecordKey(names.tenant, m.threadKey);
  const started = Date.now();
  // The lease: in-progress acks every AckWait/3 for as long as the attempt runs.
  const lease = setInterval(() => {
    try {
      msg.working();
    } catch {
      // Disconnected: the next tick tries again; the fence keeps a late commit out.
    }
  }, Math.max(250, Math.floor(ctx.ackWaitMs / 3)));
  const workDir = join(ctx.options.workRoot, `${encodeKey(m.threadKey)}.${m.turnId}.${attempt}`);
  try {
    // Mark the turn running unless it was cancelled meanwhile.
    const marked = await updateRecord<TurnRecord>(
      kv,
      turnRecordKey(names.tenant, m.turnId),
      (current) => {
        if (!current || isTerminal(current.status)) return undefined;
        return { ...current, status: "running", attempts: attempt };
      },
    );
    const cancelledBefore = !marked || marked.value.cancelRequested === true;
    publish(ctx, m.turnId, attempt, { type: "fleet.attempt", attempt, worker });
    let outcome: Outcome;
    let snapshot: SnapshotRef | undefined;
    let workspace: WorkspaceRef | undefined;
    if (cancelledBefore) {
      outcome = { kind: "cancelled" };
    } else {
      const run = await runTurn(ctx, m, attempt, before, workDir, cancelled);
      outcome = run.outcome;
      snapshot = run.snapshot;
      workspace = run.workspace;
    }
    if (outcome.kind === "handed_back") {
      const back = released(claim, undefined, true);
      await commitFrom(ctx, threadKey, back, token, () => false).catch(() => undefined);
      ctx.report.handedBack += 1;
      ctx.metric("handed_back", 1, m.turnId);
      msg.nak();
      return;
    }
    if (outcome.kind === "failed") {
      if (attempt >= m.maxAttempts) {
        const failedRecord = released(claim, outcome.error);
        await deadLetter(ctx, msg, m, failedRecord, token, attempt, outcome.error).catch(() =>
          undefined
        );
        return;
      }
      const back = released(claim, outcome.error);
      const revision = await commitFrom(ctx, threadKey, back, token, () => false);
      if (revision === undefined) return fenced(ctx, m, attempt);
      publish(ctx, m.turnId, attempt, {
        type: "fleet.retry",
        attempt,
        worker,
        error: outcome.error,
      });
      msg.nak(Math.min(5000, 500 * attempt));
      return;
    }
    const base = { attempts: attempt, worker, codexThreadId: claim.codexThreadId ?? null };
    const result = outcome.kind === "cancelled"
      ? resultOf(m, "cancelled", base)
      : resultOf(m, "committed", {
        ...base,
        finalResponse: outcome.finalResponse,
        usage: outcome.usage,
        codexThreadId: outcome.threadId,
      });
    const next: ThreadRecord = {
      ...ended(
        claim,
        m.turn,
        outcome.kind === "completed"
          ? { snapshot, workspace, codexThreadId: outcome.threadId }
          : undefined,
      ),
      last: result,
    };
    const revision = await commitFrom(
      ctx,
      threadKey,
      next,
      token,
      (current) =>
        current.done >= m.turn && current.last?.turnId === m.turnId &&
        current.last.attempts === attempt,
    );
    if (revision === undefined) return fenced(ctx, m, attempt);
    if (outcome.kind === "completed") ctx.metric("turn.committed", 1, m.turnId);
    // Committed: the thread's branch moves only now.
    if (workspace && m.workspace) await moveBranch(workDir, m.workspace.branch, workspace.commit);
    await finish(ctx, result, attempt, outcome.kind === "cancelled");
    if (outcome.kind === "cancelled") {
      ctx.report.cancelled += 1;
      msg.term();
      return;
    }
    ctx.report.committed += 1;
    ctx.metric("attempts", attempt, m.turnId);
    ctx.metric("turn.duration_ms", Date.now() - started, m.turnId);
    if (attempt > 1 && before.running?.turnId === m.turnId) {
      ctx.metric("recovery_ms", Date.now() - before.running.since, m.turnId);
    }
    if (outcome.usage) {
      ctx.metric("tokens.input", outcome.usage.input_tokens, m.turnId);
      ctx.metric("tokens.output", outcome.usage.output_tokens, m.turnId);
    }
    msg.ack();
  } finally {
    clearInterval(lease);
    await rm(workDir, { recursive: true, force: true }).catch(() => {});
  }
}

function fenced(ctx: AttemptContext, m: TurnMessage, attempt: number): void {
  ctx.report.fenced += 1;
  ctx.metric("commit.fenced", 1, m.turnId);
  publish(ctx, m.turnId, attempt, { type: "fleet.fenced", attempt, worker: ctx.worker });
  // No ack: the turn belongs to the attempt that took it over.
}

function allowedThreadOptions(m: TurnMessage, workDir: string): ThreadOptions {
  return {
    skipGitRepoCheck: true,
    ...(m.threadOptions as ThreadOptions),
    workingDirectory: workDir,
  };
}

async function runTurn(
  ctx: AttemptContext,
  m: TurnMessage,
  attempt: number,
  before: ThreadRecord,
  workDir: string,
  cancelled: AbortSignal,
): Promise<{ outcome: Outcome; snapshot?: SnapshotRef; workspace?: WorkspaceRef }> {
  const { engine, codex, options } = ctx;
  const { os, names } = engine;
  const controller = new AbortController();
  const onCancel = () => controller.abort();
  cancelled.addEventListener("abort", onCancel, { once: true });
  ctx.handBack.addEventListener("abort", onCancel, { once: true });
  const why = (): Outcome | undefined =>
    cancelled.aborted
      ? { kind: "cancelled" }
      : ctx.handBack.aborted
      ? { kind: "handed_back" }
      : undefined;
  try {
    if (cancelled.aborted || ctx.handBack.aborted) return { outcome: why()! };
    // Restore.
    const restoreStart = Date.now();
    const snapshot = before.snapshot;
    if (snapshot) {
      const bytes = await os.getBlob(snapshot.key);
      if (!bytes) throw new Error(`Snapshot ${snapshot.key} is missing from the object store`);
      if (sha256Hex(bytes) !== snapshot.sha256) {
        throw new Error(`Snapshot ${snapshot.key} is corrupt (sha256 differs)`);
      }
      refuseNewer(newerVersion(snapshot.cliVersion, rolloutCliVersion(bytes)), ctx.workerVersion);
      await restoreRollout(options.codexHome, snapshot.relPath, bytes);
    }
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    if (m.workspace) {
      await checkoutWorkspace(
        m.workspace.remote,
        before.workspace?.commit ?? m.workspace.ref ?? m.workspace.branch,
        workDir,
      );
    }
    ctx.metric("restore.duration_ms", Date.now() - restoreStart, m.turnId);
    // Run.
    const threadOptions = allowedThreadOptions(m, workDir);
    const thread = before.codexThreadId
      ? codex.resumeThread(before.codexThreadId, threadOptions)
      : codex.startThread(threadOptions);
    let finalResponse = "";
    let usage: FleetUsage | null = null;
    let failure: string | undefined;
    let lastError: string | undefined;
    try {
      const { events } = await thread.runStreamed(m.input, {
        signal: controller.signal,
        ...(options.turnTimeoutMs ? { timeoutMs: options.turnTimeoutMs } : {}),
      });
      for await (const event of events) {
        publish(ctx, m.turnId, attempt, { ...event, attempt } as FleetEvent);
        const e = event as ThreadEvent & Record<string, unknown>;
        if (e.type === "item.completed") {
          const item = e.item as { type?: string; text?: string };
          if (item?.type === "agent_message" && typeof item.text === "string") {
            finalResponse = ctx.redactor.text(item.text);
          }
        } else if (e.type === "turn.completed") {
          const u = e.usage as unknown as Record<string, number> | undefined;
          usage = {
            input_tokens: u?.input_tokens ?? 0,
            cached_input_tokens: u?.cached_input_tokens ?? 0,
            output_tokens: u?.output_tokens ?? 0,
          };
        } else if (e.type === "turn.failed") {
          failure = String((e.error as { message?: string })?.message ?? "turn failed");
        } else if (e.type === "error") {
          lastError = String(e.message ?? "error");
        }
      }
    } catch (error) {
      const reason = why();
      if (reason) return { outcome: reason };
      failure ??= error instanceof Error ? error.message : String(error);
    }
    const reason = why();
    if (reason) return { outcome: reason };
    if (failure === undefined && usage === null) {
      failure = lastError ?? "the turn ended without completing";
    }
    if (failure !== undefined) {
      return { outcome: { kind: "failed", error: bounded(ctx.redactor.text(failure)) } };
    }
    const threadId = thread.id;
    if (!threadId) return { outcome: { kind: "failed", error: "codex reported no thread id" } };
    // Snapshot: an attempt-scoped, immutable key; nothing a late attempt writes is shared.
    const snapStart = Date.now();
    const rollout = await readRollout(options.codexHome, threadId, snapshot?.relPath);
    const key = snapshotKey(names.tenant, m.threadKey, m.turnId, attempt);
    await os.putBlob({ name: key }, rollout.bytes);
    const ref: SnapshotRef = {
      key,
      relPath: rollout.relPath,
      bytes: rollout.bytes.byteLength,
      sha256: sha256Hex(rollout.bytes),
      cliVersion: newerVersion(rolloutCliVersion(rollout.bytes), ctx.workerVersion) ?? "0.0.0",
    };
    let workspace: WorkspaceRef | undefined;
    if (m.workspace) {
      const attemptRef = `refs/codex/attempts/${m.turnId}.${attempt}`;
      const commit = await commitWorkspace(workDir, attemptRef, m.input);
      workspace = { remote: m.workspace.remote, branch: m.workspace.branch, commit };
    }
    ctx.metric("snapshot.duration_ms", Date.now() - snapStart, m.turnId);
    ctx.metric("snapshot.bytes", ref.bytes, m.turnId);
    return {
      outcome: { kind: "completed", finalResponse, usage, threadId },
      snapshot: ref,
      workspace,
    };
  } catch (error) {
    const reason = why();
    if (reason) return { outcome: reason };
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { outcome: { kind: "failed", error: bounded(ctx.redactor.text(text)) } };
  } finally {
    cancelled.removeEventListener("abort", onCancel);
    ctx.handBack.removeEventListener("abort", onCancel);
  }
}

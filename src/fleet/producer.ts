/**
 * The producer side of the fleet: number and queue turns, follow their events, cancel them,
 * and attach again to a turn by its id (after a restart, or from another process).
 *
 * @module
 */
import { AckPolicy, DeliverPolicy } from "@nats-io/jetstream";
import type { Consumer } from "@nats-io/jetstream";
import { FleetError, QueueFullError } from "./errors.ts";
import { casRecord, isConflict, openEngine, readRecord, updateRecord } from "./engine.ts";
import type { Engine, FleetConnectionOptions } from "./engine.ts";
import type { FleetEndEvent, FleetEvent } from "./events.ts";
import { checkFleetOptions, checkPrompt, checkThreadKey, checkToken } from "./options.ts";
import {
  cancelSubject,
  eventSubject,
  isTerminal,
  threadRecordKey,
  turnRecordKey,
  turnSubject,
} from "./record.ts";
import type { FleetTurnResult, ThreadRecord, TurnMessage, TurnRecord } from "./record.ts";
import type {
  ApprovalMode,
  CodexConfigObject,
  ModelReasoningEffort,
  SandboxMode,
  WebSearchMode,
} from "../options.ts";

/** Options of {@linkcode connectFleet}. */
export interface ConnectFleetOptions extends FleetConnectionOptions {
  /** How long `submit` keeps trying to queue across a server outage (default 30000 ms). */
  submitTimeoutMs?: number;
}

/**
 * Thread options a fleet turn may carry: plain data, nothing secret, no paths of the
 * producer's (the worker picks the working directory; keys and environment are the worker's).
 */
export interface FleetThreadOptions {
  /** Model slug. */
  model?: string;
  /** Sandbox mode. */
  sandboxMode?: SandboxMode;
  /** Run outside a git repository (default true on workers: the working directory is fresh). */
  skipGitRepoCheck?: boolean;
  /** Reasoning effort. */
  modelReasoningEffort?: ModelReasoningEffort;
  /** Network access from the sandbox. */
  networkAccessEnabled?: boolean;
  /** Web search mode. */
  webSearchMode?: WebSearchMode;
  /** Web search on or off. */
  webSearchEnabled?: boolean;
  /** Approval policy. */
  approvalPolicy?: ApprovalMode;
  /** Config overrides (never secrets: they travel with the turn). */
  config?: CodexConfigObject;
}

/** A git workspace a fleet thread works in. */
export interface FleetWorkspace {
  /** The repository, as workers reach it (URL or path). */
  remote: string;
  /** The thread's branch: moved to each committed turn's commit. */
  branch: string;
  /** Where the thread's first turn starts (default: the branch). */
  ref?: string;
}

/** Options of {@linkcode Fleet.thread}. */
export interface FleetThreadSetup {
  /** Options of the codex thread on the worker (see {@linkcode FleetThreadOptions}). */
  threadOptions?: FleetThreadOptions;
  /** A git workspace checked out per attempt. */
  workspace?: FleetWorkspace;
}

/** Options of {@linkcode FleetThread.submit}. */
export interface SubmitOptions {
  /** The turn's id (default: a random UUID); submitting the same id again attaches to it. */
  turnId?: string;
  /** Aborting it cancels the turn. */
  signal?: AbortSignal;
  /** Attempts allowed before the turn is dead-lettered (default 3; 1 for turns with outside effects). */
  maxAttempts?: number;
}

/** Queue figures of the fleet. */
export interface FleetStats {
  /** Turns waiting to be delivered. */
  queued: number;
  /** Turns delivered and not yet acknowledged (running, or waiting for their predecessor). */
  inFlight: number;
  /** Deliveries that were redeliveries. */
  redelivered: number;
  /** Messages in the turns stream (queued and in flight). */
  messages: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isQueueFull(error: unknown): boolean {
  return /maximum (messages|bytes)|discard new|message limit/i.test(
    String((error as Error)?.message),
  );
}

/**
 * Connects a producer. The engine objects must exist (see `ensureFleet`).
 *
 * @example Submit a turn and wait for it
 * ```ts ignore
 * import { connectFleet, ensureFleet } from "@codexkit/sdk/fleet";
 * await ensureFleet({ servers: "nats://127.0.0.1:4222" });
 * await using fleet = await connectFleet({ servers: "nats://127.0.0.1:4222" });
 * const turn = await fleet.thread("ticket-42").submit("Summarise the failing test");
 * for await (const event of turn.events) console.log(event.type, event.attempt);
 * console.log((await turn.result).finalResponse);
 * ```
 */
export async function connectFleet(options: ConnectFleetOptions): Promise<Fleet> {
  checkFleetOptions("producer", options);
  const submitTimeoutMs = options.submitTimeoutMs ?? 30_000;
  const engine = await openEngine(options, "codexkit-producer");
  return new Fleet(engine, submitTimeoutMs);
}

/** A connected producer: hands out threads, attaches to turns, reports queue figures. */
export class Fleet implements AsyncDisposable {
  #engine: Engine;
  #submitTimeoutMs: number;

  /** Use {@linkcode connectFleet}. */
  constructor(engine: Engine, submitTimeoutMs: number) {
    this.#engine = engine;
    this.#submitTimeoutMs = submitTimeoutMs;
  }

  /** The thread `key` (any string; one key, one codex thread, whichever worker runs it). */
  thread(key: string, setup: FleetThreadSetup = {}): FleetThread {
    checkThreadKey(key);
    checkFleetOptions("setup", setup, "setup");
    // Copied: what travels is the value at this call, as JSON.
    const threadOptions = JSON.parse(JSON.stringify(setup.threadOptions ?? {}));
    const w = setup.workspace;
    const workspace = w && { remote: w.remote, branch: w.branch, ...(w.ref ? { ref: w.ref } : {}) };
    return new FleetThread(this.#engine, key, threadOptions, workspace, this.#submitTimeoutMs);
  }

  /** Attaches to a turn by id; rejects with `FleetError` when no such turn was submitted. */
  async turn(turnId: string): Promise<RemoteTurn> {
    checkToken(turnId, "turnId");
    const record = await readRecord<TurnRecord>(
      this.#engine.kv,
      turnRecordKey(this.#engine.names.tenant, turnId),
    );
    if (!record) throw new FleetError(`No turn ${turnId} in this fleet`);
    return new RemoteTurn(this.#engine, record.value.threadKey, turnId, record.value.turn);
  }

  /** The thread's record (where it stands, its snapshot, whether it needs attention). */
  async threadRecord(key: string): Promise<ThreadRecord | undefined> {
    return (await readRecord<ThreadRecord>(
      this.#engine.kv,
      threadRecordKey(this.#engine.names.tenant, key),
    ))?.value;
  }

  /** Queue depth, turns in flight and redeliveries, from the workers' consumer. */
  async stats(): Promise<FleetStats> {
    const { jsm, names } = this.#engine;
    const info = await jsm.consumers.info(names.turns, names.consumer);
    const stream = await jsm.streams.info(names.turns);
    return {
      queued: info.num_pending,
      inFlight: info.num_ack_pending,
      redelivered: info.num_redelivered,
      messages: stream.state.messages,
    };
  }

  /** Closes the connection (turns go on running on the workers). */
  async close(): Promise<void> {
    await this.#engine.nc.drain().catch(() => this.#engine.nc.close().catch(() => {}));
  }

  /** Same as {@linkcode Fleet.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A thread of the fleet: its turns run one at a time, in order, on any worker. */
export class FleetThread {
  #engine: Engine;
  #threadOptions: Record<string, unknown>;
  #workspace: FleetWorkspace | undefined;
  #submitTimeoutMs: number;
  /** The thread's key. */
  readonly key: string;

  /** Use {@linkcode Fleet.thread}. */
  constructor(
    engine: Engine,
    key: string,
    threadOptions: Record<string, unknown>,
    workspace: FleetWorkspace | undefined,
    submitTimeoutMs: number,
  ) {
    this.#engine = engine;
    this.key = key;
    this.#threadOptions = threadOptions;
    this.#workspace = workspace;
    this.#submitTimeoutMs = submitTimeoutMs;
  }

  /**
   * Queues a turn. Rejects with `QueueFullError` at once when the queue is at its bound.
   * Submitting a turn id again attaches to the turn already there.
   */
  async submit(input: string, options: SubmitOptions = {}): Promise<RemoteTurn> {
    checkPrompt(input);
    checkFleetOptions("submit", options);
    const turnId = options.turnId ?? crypto.randomUUID();
    const maxAttempts = options.maxAttempts ?? 3;
    const { kv, js, names } = this.#engine;
    const tenant = names.tenant;
    const deadline = Date.now() + this.#submitTimeoutMs;
    const retrying = async <T>(what: () => Promise<T>): Promise<T> => {
      for (let i = 0;; i++) {
        try {
          return await what();
        } catch (error) {
          if (
            isQueueFull(error) || isConflict(error) || error instanceof TypeError ||
            Date.now() > deadline
          ) {
            throw error;
          }
          await sleep(Math.min(1000, 100 * (i + 1)));
        }
      }
    };
    // Number the turn: idempotent through lastTurnId, and a known turn record wins.
    let turn: number;
    const known = await retrying(() => readRecord<TurnRecord>(kv, turnRecordKey(tenant, turnId)));
    if (known) {
      if (known.value.threadKey !== this.key) {
        throw new FleetError(`Turn id ${turnId} belongs to another thread`);
      }
      turn = known.value.turn;
      if (known.value.status !== "queued") return this.#attach(turnId, turn, options.signal);
    } else {
      const written = await retrying(() =>
        updateRecord<ThreadRecord>(kv, threadRecordKey(tenant, this.key), (current) => {
          if (current?.lastTurnId === turnId) return undefined;
          const base: ThreadRecord = current ?? { queued: 0, done: 0 };
          return { ...base, queued: base.queued + 1, lastTurnId: turnId };
        })
      );
      turn = written?.value.queued ??
        (await retrying(() => readRecord<ThreadRecord>(kv, threadRecordKey(tenant, this.key))))!
          .value.queued;
      const record: TurnRecord = {
        turnId,
        threadKey: this.key,
        turn,
        status: "queued",
        maxAttempts,
        attempts: 0,
        submittedAt: Date.now(),
      };
      await retrying(async () => {
        try {
          await casRecord(kv, turnRecordKey(tenant, turnId), record, 0);
        } catch (error) {
          if (!isConflict(error)) throw error;
        }
      });
    }
    const message: TurnMessage = {
      turnId,
      threadKey: this.key,
      turn,
      input,
      threadOptions: this.#threadOptions,
      maxAttempts,
      ...(this.#workspace ? { workspace: this.#workspace } : {}),
    };
    try {
      await retrying(() =>
        js.publish(turnSubject(tenant, this.key), JSON.stringify(message), {
          msgID: turnId,
          timeout: 5000,
        })
      );
    } catch (error) {
      if (!isQueueFull(error)) throw error;
      // Hand the number back, or mark it skipped when a later turn already took the next one.
      await updateRecord<ThreadRecord>(kv, threadRecordKey(tenant, this.key), (current) => {
        if (!current || current.done >= turn) return undefined;
        if (current.queued === turn && current.lastTurnId === turnId) {
          const back: ThreadRecord = { ...current, queued: turn - 1 };
          delete back.lastTurnId;
          return back;
        }
        return { ...current, skipped: [...new Set([...(current.skipped ?? []), turn])] };
      }).catch(() => undefined);
      await kv.delete(turnRecordKey(tenant, turnId)).catch(() => undefined);
      throw new QueueFullError(turnId, { cause: error });
    }
    return this.#attach(turnId, turn, options.signal);
  }

  #attach(turnId: string, turn: number, signal: AbortSignal | undefined): RemoteTurn {
    const remote = new RemoteTurn(this.#engine, this.key, turnId, turn);
    if (signal) {
      const onAbort = () => void remote.cancel().catch(() => {});
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
      void remote.result.finally(() => signal.removeEventListener("abort", onAbort)).catch(
        () => {},
      );
    }
    return remote;
  }
}

/** A turn queued on, or running in, the fleet. */
export class RemoteTurn {
  #engine: Engine;
  #feed: EventFeed | undefined;
  /** The turn's id: enough to attach again (`fleet.turn(id)`) or cancel from anywhere. */
  readonly turnId: string;
  /** The thread's key. */
  readonly threadKey: string;
  /** Turn number within the thread. */
  readonly turn: number;

  /** Use {@linkcode FleetThread.submit} or {@linkcode Fleet.turn}. */
  constructor(engine: Engine, threadKey: string, turnId: string, turn: number) {
    this.#engine = engine;
    this.threadKey = threadKey;
    this.turnId = turnId;
    this.turn = turn;
  }

  #open(): EventFeed {
    this.#feed ??= new EventFeed(this.#engine, this.turnId);
    return this.#feed;
  }

  /**
   * Every event of the turn, from the start, until it ends: the SDK's thread events marked
   * with their attempt, and the fleet's own (`fleet.attempt`, `fleet.retry`, `fleet.fenced`,
   * `fleet.end`). Each iteration replays from the first event.
   */
  get events(): AsyncIterable<FleetEvent> {
    const feed = this.#open();
    return { [Symbol.asyncIterator]: () => feed.iterate() };
  }

  /** The outcome, once the turn has ended. */
  get result(): Promise<FleetTurnResult> {
    return this.#open().result;
  }

  /**
   * Cancels the turn: a queued one ends `cancelled` at once, a running one stops through the
   * SDK's abort signal on its worker. A turn that already ended is left as it is.
   */
  async cancel(): Promise<void> {
    await cancelTurn(this.#engine, this.turnId);
  }

  /** Stops following the turn (the turn itself goes on). */
  close(): void {
    this.#feed?.close();
  }
}

/** Cancels turn `turnId` (any process that knows the id may). */
export async function cancelTurn(engine: Engine, turnId: string): Promise<void> {
  const { kv, nc, js, names } = engine;
  const written = await updateRecord<TurnRecord>(
    kv,
    turnRecordKey(names.tenant, turnId),
    (current) => {
      if (!current || isTerminal(current.status)) return undefined;
      if (current.status === "queued") {
        const result: FleetTurnResult = {
          status: "cancelled",
          turnId,
          threadKey: current.threadKey,
          turn: current.turn,
          finalResponse: "",
          usage: null,
          attempts: current.attempts,
          worker: null,
          codexThreadId: null,
        };
        return { ...current, status: "cancelled", cancelRequested: true, result };
      }
      return { ...current, cancelRequested: true };
    },
  );
  if (written?.value.status === "cancelled" && written.value.result) {
    const end: FleetEndEvent = { type: "fleet.end", attempt: 0, result: written.value.result };
    await js.publish(eventSubject(names.tenant, turnId, 0), JSON.stringify(end));
  }
  nc.publish(cancelSubject(names.tenant, turnId));
  await nc.flush();
}

/**
 * Follows one turn's events through a consumer of our own on the events stream (singular
 * `filter_subject`: an ordered consumer's `filter_subjects` is ignored by nats-server 2.9),
 * starting again after the last event seen when the consumer is lost (a server restart).
 */
class EventFeed {
  #engine: Engine;
  #turnId: string;
  #events: FleetEvent[] = [];
  #waiters = new Set<() => void>();
  #ended = false;
  #closed = false;
  #error: unknown;
  #resolve!: (result: FleetTurnResult) => void;
  #reject!: (error: unknown) => void;
  readonly result: Promise<FleetTurnResult>;

  constructor(engine: Engine, turnId: string) {
    this.#engine = engine;
    this.#turnId = turnId;
    this.result = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // An unobserved result must not crash the host when the feed fails.
    this.result.catch(() => {});
    void this.#run();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#fail(new FleetError(`Stopped following turn ${this.#turnId}`));
  }

  #notify(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  #fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#reject(error);
    this.#notify();
  }

  #push(event: FleetEvent): void {
    if (this.#ended) return;
    this.#events.push(event);
    if (event.type === "fleet.end") {
      this.#ended = true;
      this.#resolve((event as FleetEndEvent).result);
    }
    this.#notify();
  }

  async *iterate(): AsyncGenerator<FleetEvent> {
    let i = 0;
    for (;;) {
      while (i < this.#events.length) yield this.#events[i++];
      if (this.#ended) {
        if (this.#error !== undefined && !this.#closed) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          resolve();
        };
        this.#waiters.add(wake);
      });
    }
  }

  async #consumer(startSeq: number): Promise<Consumer> {
    const { jsm, js, names } = this.#engine;
    const info = await jsm.consumers.add(names.events, {
      filter_subject: eventSubject(names.tenant, this.#turnId, 0).replace(/\.0$/, ".>"),
      ack_policy: AckPolicy.None,
      ...(startSeq > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startSeq }
        : { deliver_policy: DeliverPolicy.All }),
      inactive_threshold: 60_000 * 1_000_000,
      mem_storage: true,
    });
    return await js.consumers.get(names.events, info.name);
  }

  async #run(): Promise<void> {
    const { kv, names } = this.#engine;
    let lastSeq = 0;
    let idle = 0;
    let consumer: Consumer | undefined;
    while (!this.#ended) {
      try {
        consumer ??= await this.#consumer(lastSeq + 1);
        const batch = await consumer.fetch({ max_messages: 256, expires: 2000 });
        let got = 0;
        for await (const msg of batch) {
          got += 1;
          lastSeq = msg.seq;
          this.#push(JSON.parse(new TextDecoder().decode(msg.data)) as FleetEvent);
          if (this.#ended) break;
        }
        idle = got === 0 ? idle + 1 : 0;
        // The event log is kept for a while only; the turn record knows the outcome for good.
        if (idle > 0 && idle % 5 === 0) {
          const record = await readRecord<TurnRecord>(
            kv,
            turnRecordKey(names.tenant, this.#turnId),
          );
          if (record && isTerminal(record.value.status) && record.value.result) {
            // Let events already in the stream arrive first.
            if (idle >= 10) {
              this.#push({
                type: "fleet.end",
                attempt: record.value.result.attempts,
                result: record.value.result,
              });
            }
          }
        }
      } catch {
        if (this.#ended) break;
        consumer = undefined;
        await sleep(500);
      }
    }
    if (consumer) await consumer.delete().catch(() => {});
  }
}

/**
 * A conversation with the agent: one or more turns, one at a time.
 *
 * @module
 */
import { stat } from "node:fs/promises";
import {
  AbortError,
  CodexError,
  ExitError,
  RpcError,
  SchemaMismatchError,
  ThreadNotFoundError,
} from "./errors.ts";
import type { ThreadEvent } from "./events.ts";
import { mayBeThreadOrTurnType } from "./events.ts";
import type { NormalizedInput, TurnLane, TurnRequest } from "./lanes/lane.ts";
import type {
  InferSchemaOutput,
  Input,
  StandardSchemaLike,
  ThreadOptions,
  TurnOptions,
} from "./options.ts";
import { checkInput, checkInputTransport, checkTurnOptions } from "./options/schema.ts";
import type { PreparedSchema } from "./exec/output_schema.ts";
import { flattenBatches } from "./lanes/flatten.ts";
import { collectTurn } from "./turn.ts";
import type { Turn } from "./turn.ts";
import type { TurnTelemetry, TurnTelemetryStart } from "./telemetry/turn_telemetry.ts";

/** The result of {@linkcode Thread.runStreamed}. */
export interface StreamedTurn {
  /** The turn's events, as they happen. Leaving the loop early stops the turn. */
  events: AsyncGenerator<ThreadEvent>;
}

/** Alias of {@linkcode StreamedTurn}, as upstream names it. */
export type RunStreamedResult = StreamedTurn;

/** How a thread begins: new, resumed by id, the most recent session, or forked from another. */
export type ThreadStart =
  | { kind: "new" }
  | { kind: "resume"; id: string }
  | { kind: "last" }
  | { kind: "fork"; id: string };

/** Normalises input (already checked): text parts joined by blank lines, image paths in order. */
export function normalizeInput(input: Input): NormalizedInput {
  if (typeof input === "string") return { prompt: input, images: [] };
  const texts: string[] = [];
  const images: string[] = [];
  let other = false;
  for (const part of input) {
    if (part.type === "text") texts.push(part.text);
    else if (part.type === "local_image") images.push(part.path);
    else other = true;
  }
  const normalized: NormalizedInput = { prompt: texts.join("\n\n"), images };
  if (other) normalized.parts = input.map((part) => ({ ...part }));
  return normalized;
}

/**
 * Where a thread gets its lane: loaded with its first turn (the lanes are most of the SDK's
 * code), and whether that lane takes `interrupt` and `steer`.
 */
export interface LaneSource {
  /** The lane, loaded on first use. */
  load(): Promise<TurnLane>;
  /** The lane supports `interrupt` and `steer`. */
  control: boolean;
}

/**
 * A thread of conversation. Get one from `Codex.startThread`, `resumeThread`,
 * `resumeLastThread` or `forkThread`; its id is known once its first turn has started.
 */
export class Thread {
  #source: LaneSource;
  // The lane once a turn has loaded it: a run's errors are scrubbed of its secrets.
  #lane: TurnLane | undefined;
  #options: ThreadOptions;
  #id: string | null;
  #start: ThreadStart;
  // Turns running or waiting their turn (`queue: true`), and the end of the last of them.
  #pending = 0;
  #tail: Promise<void> = Promise.resolve();
  #laneGiven: boolean;
  #telemetry: false | { recordContent?: boolean };

  /**
   * @internal Threads come from a `Codex` client, which has checked `options`. `laneGiven`:
   * the client runs threads on a lane of its own, which decides what it honours. `telemetry`:
   * the client's `telemetry` option.
   */
  constructor(
    lane: TurnLane | LaneSource,
    options: ThreadOptions,
    start: ThreadStart,
    laneGiven = false,
    telemetry: false | { recordContent?: boolean } = {},
  ) {
    this.#telemetry = telemetry;
    if ("load" in lane && typeof lane.load === "function") {
      this.#source = lane;
    } else {
      const given = lane as TurnLane;
      this.#lane = given;
      this.#source = { load: () => Promise.resolve(given), control: given.interrupt !== undefined };
    }
    this.#laneGiven = laneGiven;
    this.#options = Object.freeze({ ...options });
    this.#start = start;
    this.#id = start.kind === "resume" ? start.id : null;
  }

  /** The thread's id: set once the first turn has started (at once for a resumed thread). */
  get id(): string | null {
    return this.#id;
  }

  /**
   * Runs a turn and streams its events. The stream ends when the turn does; it throws the
   * run's typed error (`TimeoutError`, `AbortError`, `ExitError`, ...). Leaving the loop
   * early stops the turn and its process.
   */
  async runStreamed(input: Input, turnOptions: TurnOptions = {}): Promise<StreamedTurn> {
    const { events } = await this.#open(input, turnOptions);
    return { events };
  }

  /**
   * Runs a turn to its end. Rejects with `TurnFailedError` on `turn.failed` or on a fatal
   * `error` event with no completed turn. With an `outputSchema`, `output` holds the parsed,
   * checked answer (typed from a valibot schema). A mismatch rejects with `SchemaMismatchError`
   * for a valibot schema or `strictOutput: true`; for a plain JSON Schema it is reported in
   * `outputError` and `finalResponse` keeps the text, as the official SDK returns it.
   */
  run<S extends StandardSchemaLike>(
    input: Input,
    turnOptions: TurnOptions & { outputSchema: S },
  ): Promise<Turn<InferSchemaOutput<S>>>;
  /** Runs a turn to its end; see the overload above. */
  run<T = unknown>(input: Input, turnOptions?: TurnOptions): Promise<Turn<T>>;
  async run(input: Input, turnOptions: TurnOptions = {}): Promise<Turn<unknown>> {
    const { events, schema } = await this.#open(input, turnOptions);
    const turn = await collectTurn(events, () => this.#lane?.secrets);
    if (!schema) return turn;
    try {
      return { ...turn, output: schema.parse(turn.finalResponse) };
    } catch (error) {
      if (schema.strict || !(error instanceof SchemaMismatchError)) throw error;
      return { ...turn, outputError: error };
    }
  }

  /** Interrupts the running turn (app-server transport only). */
  async interrupt(): Promise<void> {
    if (!this.#source.control) {
      throw new TypeError(
        'Cannot interrupt: needs transport "app-server" (use an AbortSignal with exec)',
      );
    }
    if (this.#id === null) throw new CodexError("Cannot interrupt: the thread has not started");
    await (await this.#source.load()).interrupt?.(this.#id);
  }

  /** Adds input to the running turn (app-server transport only). */
  async steer(input: Input): Promise<void> {
    if (!this.#source.control) {
      throw new TypeError('Cannot steer: needs transport "app-server"');
    }
    if (this.#id === null) throw new CodexError("Cannot steer: the thread has not started");
    checkInput(input);
    checkInputTransport(input, this.#options.transport, this.#laneGiven);
    await (await this.#source.load()).steer?.(this.#id, normalizeInput(input));
  }

  #startTelemetry(
    input: NormalizedInput,
    turnOptions: TurnOptions,
  ): Promise<TurnTelemetry | undefined> {
    return startTelemetryFor(this.#telemetry, {
      threadId: this.#id,
      model: turnOptions.model ?? this.#options.model,
      transport: this.#options.transport ?? "exec",
      prompt: input.prompt,
      secrets: () => this.#lane?.secrets ?? [],
    });
  }

  async #open(input: Input, turnOptions: TurnOptions): Promise<{
    events: AsyncGenerator<ThreadEvent>;
    schema: PreparedSchema | undefined;
  }> {
    checkInput(input);
    checkInputTransport(input, this.#options.transport, this.#laneGiven);
    checkTurnOptions(turnOptions, this.#options.transport, this.#laneGiven);
    const normalized = normalizeInput(input);
    const schema = turnOptions.outputSchema === undefined ? undefined : (
      // Loaded on first use: turns without a schema need neither the converter nor the checker.
      await (await import("./exec/output_schema.ts")).prepareOutputSchema(
        turnOptions.outputSchema,
        turnOptions.strictOutput,
      )
    );
    return { events: flattenBatches(this.#batches(normalized, turnOptions, schema)), schema };
  }

  // A generator, so nothing starts until the caller reads the first event (as upstream). It
  // yields the lane's batches; `flattenBatches` hands their events out one by one without a
  // generator step per event, the costliest part of a fast turn.
  async *#batches(
    input: NormalizedInput,
    turnOptions: TurnOptions,
    schema: PreparedSchema | undefined,
  ): AsyncGenerator<readonly ThreadEvent[], void, undefined> {
    if (this.#pending > 0 && !turnOptions.queue) {
      throw new CodexError(
        "Cannot start a turn: this thread is already running one (pass queue: true to run it after)",
      );
    }
    this.#pending++;
    const previous = this.#tail;
    let settled!: () => void;
    const ended = new Promise<void>((resolve) => (settled = resolve));
    // A turn cancelled while queued ends early; those after it still wait for the ones before.
    this.#tail = Promise.all([previous, ended]).then(() => {});
    try {
      // codex 0.171.0's app-server announces its own queue (`thread/queue/changed`) but offers
      // no method to add to it, so both transports queue here, in order, one turn at a time.
      await waitForTurn(previous, turnOptions.signal);
      await checkWorkingDirectory(this.#options.workingDirectory);
      const start = this.#start;
      const request: TurnRequest = {
        input,
        threadId: start.kind === "fork" ? start.id : this.#id,
        resumeLast: start.kind === "last" && this.#id === null,
        fork: start.kind === "fork" && this.#id === null,
        threadOptions: this.#options,
        turnOptions: { ...turnOptions, outputSchema: schema?.jsonSchema },
      };
      let reader: ReadableStreamDefaultReader<ThreadEvent[]>;
      let telemetry: TurnTelemetry | undefined;
      try {
        this.#lane = await this.#source.load();
        telemetry = await this.#startTelemetry(input, turnOptions);
        reader = this.#lane.runTurn(request).getReader();
      } catch (error) {
        telemetry?.end({ error });
        throw error;
      }
      let finished = false;
      try {
        while (true) {
          const next = await reader.read();
          if (next.done) {
            finished = true;
            telemetry?.end();
            return;
          }
          const batch = next.value;
          const everyEvent = telemetry?.recordsEveryEvent === true;
          for (let i = 0; i < batch.length; i++) {
            const event = batch[i];
            if (!mayBeThreadOrTurnType(event.type)) {
              if (everyEvent) telemetry!.event(event);
              continue;
            }
            if (event.type === "thread.started") {
              if (start.kind === "resume" && event.thread_id !== start.id) {
                // 0.169.0 looks an unknown non-UUID id up as a thread name and quietly starts a
                // new thread instead: continuing would be a different conversation. The events
                // before it still reach the caller first.
                if (i > 0) yield batch.slice(0, i);
                throw new ThreadNotFoundError(start.id, { reportedId: event.thread_id });
              }
              this.#id = event.thread_id;
              // A forked or resumed-last thread continues under its own new id from now on.
              this.#start = { kind: "resume", id: event.thread_id };
            }
            telemetry?.event(event);
          }
          yield batch;
        }
      } catch (error) {
        // Not `finished`: an error thrown here (a resume that started another thread) leaves the
        // turn running, and only cancelling stops it; cancelling a stream that errored is a no-op.
        telemetry?.end({ error });
        const id = start.kind === "resume" || start.kind === "fork" ? start.id : undefined;
        if (id !== undefined && isNoSession(error)) {
          throw new ThreadNotFoundError(id, {
            cause: error,
            command: (error as CodexError).command,
            stderrTail: (error as CodexError).stderrTail,
          });
        }
        throw error;
      } finally {
        if (!finished) telemetry?.end({ cancelled: true });
        if (!finished) await reader.cancel().catch(() => {});
        reader.releaseLock();
      }
    } finally {
      this.#pending--;
      settled();
    }
  }
}

/**
 * Waits until the turns queued before this one have ended; a `signal` that aborts meanwhile
 * cancels this turn before it starts (nothing was sent to codex for it).
 */
async function waitForTurn(previous: Promise<void>, signal: AbortSignal | undefined) {
  const cancelled = () =>
    new AbortError("The turn was cancelled while queued: it never started", {
      cause: signal?.reason,
    });
  if (signal?.aborted) throw cancelled();
  if (signal === undefined) return await previous;
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancelled());
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([previous, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** The turn's telemetry, loaded on first use; undefined when off or `@opentelemetry/api` is absent. */
async function startTelemetryFor(
  setting: false | { recordContent?: boolean },
  start: Omit<TurnTelemetryStart, "recordContent">,
): Promise<TurnTelemetry | undefined> {
  if (setting === false) return undefined;
  const { startTurnTelemetry } = await import("./telemetry/turn_telemetry.ts");
  return await startTurnTelemetry({ ...start, recordContent: setting.recordContent === true });
}

/** codex's "no rollout found" (0.169.0): an exec exit, or the app-server's answer to a resume. */
function isNoSession(error: unknown): boolean {
  const NO_SESSION = /no rollout found/i;
  if (error instanceof ExitError) return NO_SESSION.test(error.stderrTail ?? "");
  return error instanceof RpcError && NO_SESSION.test(error.message);
}

/** The working directory must exist and be a directory, the same on every runtime. */
async function checkWorkingDirectory(path: string | undefined): Promise<void> {
  if (path === undefined) return;
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    throw new TypeError(
      `Cannot use workingDirectory: ${JSON.stringify(path)} does not exist or cannot be read`,
      { cause: error },
    );
  }
  if (!isDirectory) {
    throw new TypeError(`Cannot use workingDirectory: ${JSON.stringify(path)} is not a directory`);
  }
}

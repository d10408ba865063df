/**
 * A conversation with the agent: one or more turns, one at a time.
 *
 * @module
 */
import { CodexError } from "./errors.ts";
import type { ThreadEvent } from "./events.ts";
import type { NormalizedInput, TurnLane, TurnRequest } from "./lane.ts";
import type { Input, ThreadOptions, TurnOptions } from "./options.ts";
import type { PreparedSchema } from "./exec/output_schema.ts";
import { collectTurn } from "./turn.ts";
import type { Turn } from "./turn.ts";

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

/** Normalises input: text parts joined by blank lines, image paths in order. */
export function normalizeInput(input: Input): NormalizedInput {
  if (typeof input === "string") return { prompt: input, images: [] };
  if (!Array.isArray(input)) {
    throw new TypeError("Cannot use input: expected a string or an array of parts");
  }
  const texts: string[] = [];
  const images: string[] = [];
  for (const part of input) {
    if (part?.type === "text") texts.push(part.text);
    else if (part?.type === "local_image") images.push(part.path);
    else {throw new TypeError(
        `Cannot use input part of type ${JSON.stringify((part as { type?: unknown })?.type)}`,
      );}
  }
  return { prompt: texts.join("\n\n"), images };
}

/**
 * A thread of conversation. Get one from `Codex.startThread`, `resumeThread`,
 * `resumeLastThread` or `forkThread`; its id is known once its first turn has started.
 */
export class Thread {
  #lane: TurnLane;
  #options: ThreadOptions;
  #id: string | null;
  #start: ThreadStart;
  #busy = false;

  /** @internal Threads come from a `Codex` client. */
  constructor(lane: TurnLane, options: ThreadOptions, start: ThreadStart) {
    this.#lane = lane;
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
   * `error` event with no completed turn; with an `outputSchema`, `output` holds the parsed,
   * checked answer and a mismatch rejects with `SchemaMismatchError`.
   */
  async run<T = unknown>(input: Input, turnOptions: TurnOptions = {}): Promise<Turn<T>> {
    const { events, schema } = await this.#open(input, turnOptions);
    const turn = await collectTurn(events);
    if (schema) return { ...turn, output: schema.parse(turn.finalResponse) as T };
    return turn as Turn<T>;
  }

  /** Interrupts the running turn (app-server transport only). */
  async interrupt(): Promise<void> {
    if (!this.#lane.interrupt) {
      throw new TypeError(
        'Cannot interrupt: needs transport "app-server" (use an AbortSignal with exec)',
      );
    }
    if (this.#id === null) throw new CodexError("Cannot interrupt: the thread has not started");
    await this.#lane.interrupt(this.#id);
  }

  /** Adds input to the running turn (app-server transport only). */
  async steer(input: Input): Promise<void> {
    if (!this.#lane.steer) throw new TypeError('Cannot steer: needs transport "app-server"');
    if (this.#id === null) throw new CodexError("Cannot steer: the thread has not started");
    await this.#lane.steer(this.#id, normalizeInput(input));
  }

  async #open(input: Input, turnOptions: TurnOptions): Promise<{
    events: AsyncGenerator<ThreadEvent>;
    schema: PreparedSchema | undefined;
  }> {
    const normalized = normalizeInput(input);
    const schema = turnOptions.outputSchema === undefined
      ? undefined
      // Loaded on first use: turns without a schema need neither the converter nor the checker.
      : (await import("./exec/output_schema.ts")).prepareOutputSchema(turnOptions.outputSchema);
    checkTurnOptions(turnOptions);
    return { events: this.#iterate(normalized, turnOptions, schema), schema };
  }

  // A generator, so nothing starts until the caller reads the first event (as upstream).
  async *#iterate(
    input: NormalizedInput,
    turnOptions: TurnOptions,
    schema: PreparedSchema | undefined,
  ): AsyncGenerator<ThreadEvent> {
    if (this.#busy) throw new CodexError("Cannot start a turn: this thread is already running one");
    this.#busy = true;
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
    try {
      reader = this.#lane.runTurn(request).getReader();
    } catch (error) {
      this.#busy = false;
      throw error;
    }
    let finished = false;
    try {
      while (true) {
        const next = await reader.read();
        if (next.done) {
          finished = true;
          return;
        }
        for (const event of next.value) {
          if (event.type === "thread.started") {
            this.#id = event.thread_id;
            // A forked or resumed-last thread continues under its own new id from now on.
            this.#start = { kind: "resume", id: event.thread_id };
          }
          yield event;
        }
      }
    } catch (error) {
      finished = true;
      throw error;
    } finally {
      this.#busy = false;
      if (!finished) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
}

function checkTurnOptions(options: TurnOptions): void {
  for (const key of ["timeoutMs", "idleTimeoutMs", "connectTimeoutMs"] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new TypeError(
        `Cannot use ${key}: expected a positive number of milliseconds, got ${value}`,
      );
    }
  }
  const log = options.eventLog;
  if (
    log !== undefined && !(typeof log === "string" && log !== "") &&
    !(log instanceof WritableStream)
  ) {
    throw new TypeError("Cannot use eventLog: expected a file path or a WritableStream");
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError("Cannot use signal: expected an AbortSignal");
  }
}

/**
 * A lane that plays scripted events instead of running codex, so users' unit tests exercise
 * the same `Thread` and `Turn` code without a binary: `new Codex({ lane: mockLane(...) })`
 * or {@linkcode createMockCodex}. It records what each turn asked for, including the exec
 * argv the real lane would have built.
 *
 * @module
 */
import { Codex } from "../codex.ts";
import { AbortError, CodexError } from "../errors.ts";
import type { ThreadEvent } from "../events.ts";
import { turnExecArgs } from "../exec/lane.ts";
import { resolveLayers } from "../options/layers.ts";
import type { NormalizedInput, TurnLane, TurnRequest } from "../lanes/lane.ts";
import type { CodexOptions, ThreadOptions } from "../options.ts";
import { numberItems } from "./event_builders.ts";

/** What one turn asked the lane for. */
export interface MockTurnCall {
  /** 0-based position among the lane's turns. */
  index: number;
  /** The input: prompt text and image paths. */
  input: NormalizedInput;
  /** The thread continued, or `null` for a new one. */
  threadId: string | null;
  /** Whether it resumes the most recent session. */
  resumeLast: boolean;
  /** Whether it forks `threadId`. */
  fork: boolean;
  /** The thread's options. */
  threadOptions: ThreadOptions;
  /** The turn's options (`outputSchema` already a JSON Schema object). */
  turnOptions: TurnRequest["turnOptions"];
  /**
   * The argv (after the binary) `codex exec` would have run, the output schema file shown as
   * `<output-schema.json>`; `null` for `transport: "app-server"` threads.
   */
  argv: string[] | null;
}

/** One scripted turn with more control than a bare event list. */
export interface MockTurn {
  /** The events, in order (items without an id are numbered per turn). */
  events: readonly ThreadEvent[];
  /** After the events, the run errors with this (an `ExitError`, a `TimeoutError`, ...). */
  error?: Error;
  /** Wait this long before each event, in ms (default 0: each event is its own batch). */
  delayMs?: number;
}

/** A turn of the script: its events, or a {@linkcode MockTurn}. */
export type MockTurnScript = readonly ThreadEvent[] | MockTurn;

/** The script: one entry per turn in order, or a function choosing each turn's events. */
export type MockScript =
  | readonly MockTurnScript[]
  | ((call: MockTurnCall) => MockTurnScript | Promise<MockTurnScript>);

/** Options of {@linkcode mockLane}. */
export interface MockLaneOptions {
  /** Client options that shape the recorded argv (`config`, `profile`, gates, ...). */
  codexOptions?: Pick<
    CodexOptions,
    "config" | "configOverrides" | "baseUrl" | "profile" | "capabilities" | "onUnsupported"
  >;
}

/** A scripted lane and what it was asked. */
export interface MockLane extends TurnLane {
  /** Every turn, in order, as it was asked for. */
  readonly calls: readonly MockTurnCall[];
  /** Thread ids passed to `Thread.interrupt`, in order (the running turn then ends in `turn.failed`, as on the app-server). */
  readonly interrupts: readonly string[];
  /** Inputs passed to `Thread.steer`, in order. */
  readonly steers: readonly { threadId: string; input: NormalizedInput }[];
}

/**
 * A lane that plays `script`. A turn past the end of a list script errors with a
 * `CodexError`; an aborted `signal` errors with `AbortError` as a real run would.
 *
 * @example A scripted turn
 * ```ts
 * import { Codex } from "@codexkit/sdk";
 * import { events, mockLane } from "@codexkit/sdk/testing";
 *
 * const lane = mockLane([events.turn([events.command("ls", { output: "a\n" }), events.agentMessage("done")])]);
 * const turn = await new Codex({ lane }).startThread().run("list files");
 * // turn.finalResponse === "done"; lane.calls[0].argv ends with "-"
 * ```
 */
export function mockLane(script: MockScript, options: MockLaneOptions = {}): MockLane {
  if (typeof script !== "function" && !Array.isArray(script)) {
    throw new TypeError(
      "Cannot build the mock lane: script must be an array of turns or a function",
    );
  }
  const calls: MockTurnCall[] = [];
  const interrupts: string[] = [];
  const steers: { threadId: string; input: NormalizedInput }[] = [];
  const running = new Map<string, () => void>();

  const turnFor = async (call: MockTurnCall): Promise<MockTurn> => {
    const entry = typeof script === "function" ? await script(call) : script[call.index];
    if (entry === undefined) {
      throw new CodexError(
        `The mock script has no turn ${call.index} (it scripts ${(script as unknown[]).length})`,
      );
    }
    return Array.isArray(entry) ? { events: entry } : entry as MockTurn;
  };

  return {
    calls,
    interrupts,
    steers,
    runTurn(request: TurnRequest): ReadableStream<ThreadEvent[]> {
      const { call, argvError } = recordCall(calls.length, request, options);
      calls.push(call);
      const signal = request.turnOptions.signal;
      let queue: ThreadEvent[] = [];
      let turn: MockTurn | undefined;
      let interrupted: false | "pending" | "done" = false;
      let threadId = request.threadId;
      const aborted = () =>
        new AbortError("The run was aborted", { cause: signal?.reason, command: ["mock"] });
      return new ReadableStream<ThreadEvent[]>({
        async start() {
          if (signal?.aborted) throw aborted();
          if (argvError !== undefined) throw argvError;
          turn = await turnFor(call);
          queue = numberItems(turn.events);
        },
        async pull(controller) {
          if (signal?.aborted) throw aborted();
          if (interrupted === "pending") {
            interrupted = "done";
            // As the app-server lane reports an interrupted turn.
            controller.enqueue([
              {
                type: "turn.failed",
                error: { message: "Turn interrupted" },
                interrupted: true,
              } as ThreadEvent,
            ]);
            return;
          }
          const event = interrupted ? undefined : queue.shift();
          if (event === undefined) {
            if (threadId !== null) running.delete(threadId);
            if (turn?.error && !interrupted) throw turn.error;
            controller.close();
            return;
          }
          if (turn?.delayMs) await delay(turn.delayMs, signal);
          if (signal?.aborted) throw aborted();
          if (event.type === "thread.started") {
            threadId = event.thread_id;
            running.set(threadId, () => (interrupted ||= "pending"));
          }
          controller.enqueue([event]);
        },
        cancel() {
          queue = [];
          if (threadId !== null) running.delete(threadId);
        },
      }, { highWaterMark: 0 });
    },
    interrupt(threadId: string): Promise<void> {
      interrupts.push(threadId);
      running.get(threadId)?.();
      return Promise.resolve();
    },
    steer(threadId: string, input: NormalizedInput): Promise<void> {
      steers.push({ threadId, input });
      return Promise.resolve();
    },
  } as MockLane;
}

/** A mock client and what its turns asked for. */
export interface MockCodex {
  /** A client whose threads run on the mock lane. */
  codex: Codex;
  /** Every turn, in order (the lane's `calls`). */
  calls: readonly MockTurnCall[];
  /** The lane itself. */
  lane: MockLane;
}

/**
 * A `Codex` client on a {@linkcode mockLane}: `options` (minus `lane`) are the client's, and
 * shape the recorded argv.
 *
 * @example Assert on what a turn asked for
 * ```ts
 * import { createMockCodex, events } from "@codexkit/sdk/testing";
 *
 * const { codex, calls } = createMockCodex([events.turn([events.agentMessage("hi")])]);
 * await codex.startThread({ model: "gpt-5.5" }).run("hello");
 * // calls[0].input.prompt === "hello"; calls[0].argv includes "--model"
 * ```
 */
export function createMockCodex(
  script: MockScript,
  options: Omit<CodexOptions, "lane"> = {},
): MockCodex {
  const lane = mockLane(script, { codexOptions: options });
  const codex = new Codex({ ...options, lane });
  return { codex, calls: lane.calls, lane };
}

function recordCall(
  index: number,
  request: TurnRequest,
  options: MockLaneOptions,
): { call: MockTurnCall; argvError: unknown } {
  const { threadOptions, turnOptions } = request;
  let argv: string[] | null = null;
  let argvError: unknown;
  if (threadOptions.transport !== "app-server") {
    try {
      const client = options.codexOptions ?? {};
      argv = turnExecArgs(client, request, resolveLayers(client, threadOptions, turnOptions), {
        outputSchemaFile: turnOptions.outputSchema ? "<output-schema.json>" : undefined,
        gate: client.capabilities || undefined,
      }).args;
    } catch (error) {
      // The exec lane fails such a turn before spawning; so does the mock.
      argvError = error;
    }
  }
  const call: MockTurnCall = {
    index,
    input: { prompt: request.input.prompt, images: [...request.input.images] },
    threadId: request.threadId,
    resumeLast: request.resumeLast ?? false,
    fork: request.fork ?? false,
    threadOptions,
    turnOptions,
    argv,
  };
  return { call, argvError };
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

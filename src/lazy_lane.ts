/**
 * A lane whose code loads on its first turn. The client's lanes (exec, app-server, retry) are
 * most of the SDK's code; a program that imports the SDK and never runs a turn, or runs only
 * one kind, should not pay for loading the others.
 *
 * @module
 */
import type { ThreadEvent } from "./events.ts";
import type { TurnLane } from "./lane.ts";

/** What {@linkcode lazyLane} needs besides the loader. */
export interface LazyLaneOptions {
  /** The loaded lane supports `interrupt` and `steer` (Thread checks their presence). */
  control: boolean;
  /** The known secrets, once the lane that knows them is loaded. */
  secrets(): readonly string[] | undefined;
}

/** A {@linkcode TurnLane} that calls `load` on its first use and forwards to its answer. */
export function lazyLane(load: () => Promise<TurnLane>, options: LazyLaneOptions): TurnLane {
  const lane: TurnLane = {
    runTurn(request) {
      let inner: ReadableStreamDefaultReader<ThreadEvent[]> | undefined;
      return new ReadableStream<ThreadEvent[]>({
        async start() {
          inner = (await load()).runTurn(request).getReader();
        },
        async pull(controller) {
          const next = await inner!.read();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        async cancel(reason) {
          await inner?.cancel(reason);
        },
      }, { highWaterMark: 0 });
    },
    get secrets() {
      return options.secrets();
    },
  };
  if (options.control) {
    lane.interrupt = async (threadId) => await (await load()).interrupt?.(threadId);
    lane.steer = async (threadId, input) => await (await load()).steer?.(threadId, input);
  }
  return lane;
}

/**
 * Model checks (`checkModel`) and reasoning efforts that fit the model (`effortFit`), against
 * the model catalog of the installed CLI (`codex debug models --bundled`, read once per
 * client). A lane decorator, so both transports check the same way before a turn starts.
 *
 * @module
 */
import { UnsupportedError } from "./errors.ts";
import type { ThreadEvent } from "./events.ts";
import type { TurnLane, TurnRequest } from "./lanes/lane.ts";
import type { CodexOptions, ModelReasoningEffort } from "./options.ts";
import { REASONING_EFFORTS } from "./options.ts";

/** What the checks read of one catalog model. */
export interface FitModel {
  /** The id `-m` takes. */
  slug: string;
  /** The efforts it takes. */
  supported_reasoning_levels?: { effort: string }[];
}

/** The settings of the checks: the client's, with the thread's `effortFit` over them. */
export type FitSettings = Pick<CodexOptions, "checkModel" | "effortFit">;

/**
 * The effort of `supported` nearest to `effort`: the highest at or below it, else the lowest
 * above it (`undefined` when the model lists none).
 */
export function nearestEffort(
  effort: ModelReasoningEffort,
  supported: readonly string[],
): string | undefined {
  const rank = (e: string) => (REASONING_EFFORTS as readonly string[]).indexOf(e);
  const known = supported.filter((e) => rank(e) >= 0).sort((a, b) => rank(a) - rank(b));
  return known.filter((e) => rank(e) <= rank(effort)).at(-1) ?? known[0];
}

/**
 * Checks one turn's model and effort against `catalog`. Pure: returns the request to run (the
 * effort coerced when asked) and the warnings to report; throws `UnsupportedError` naming the
 * model or effort (and the model) when refused. A turn with no model set is left alone: which
 * model codex defaults to is codex's to say.
 */
export function fitTurn(
  request: TurnRequest,
  catalog: readonly FitModel[],
  settings: FitSettings,
  version?: string,
): { request: TurnRequest; warnings: string[] } {
  const { threadOptions: thread, turnOptions: turn } = request;
  const model = turn.model ?? thread.model;
  const warnings: string[] = [];
  if (model === undefined) return { request, warnings };
  const who = version ? `codex ${version}` : "the installed codex";
  const found = catalog.find((m) => m.slug === model);
  if (found === undefined) {
    if (!settings.checkModel) return { request, warnings };
    const offered = catalog.map((m) => m.slug).join(", ");
    throw new UnsupportedError(
      `Cannot use model "${model}": the model catalog of ${who} does not offer it (it offers ${offered})`,
      { feature: `model=${model}`, version },
    );
  }
  const fit = thread.effortFit ?? settings.effortFit;
  const effort = turn.modelReasoningEffort ?? thread.modelReasoningEffort;
  const takes = (found.supported_reasoning_levels ?? []).map((l) => l.effort);
  if (fit === undefined || effort === undefined || takes.length === 0 || takes.includes(effort)) {
    return { request, warnings };
  }
  const nearest = nearestEffort(effort, takes);
  if (fit === "refuse" || nearest === undefined) {
    throw new UnsupportedError(
      `Cannot use modelReasoningEffort "${effort}" with model "${model}": it takes ${
        takes.join(", ")
      }`,
      { feature: `model_reasoning_effort=${effort}`, version },
    );
  }
  warnings.push(
    `Using reasoning effort "${nearest}" instead of "${effort}": model "${model}" takes ${
      takes.join(", ")
    }`,
  );
  const coerced = nearest as ModelReasoningEffort;
  return {
    request: turn.modelReasoningEffort !== undefined
      ? { ...request, turnOptions: { ...turn, modelReasoningEffort: coerced } }
      : { ...request, threadOptions: { ...thread, modelReasoningEffort: coerced } },
    warnings,
  };
}

/**
 * Wraps a lane with the checks: each turn waits for the catalog (`catalog()` caches it per
 * client), is refused or adjusted, then runs on `lane`.
 */
export function withModelFit(
  lane: TurnLane,
  settings: FitSettings & Pick<CodexOptions, "onWarning">,
  catalog: () => Promise<{ models: readonly FitModel[]; version?: string }>,
): TurnLane {
  return {
    runTurn(request) {
      let inner: ReadableStreamDefaultReader<ThreadEvent[]> | undefined;
      return new ReadableStream<ThreadEvent[]>({
        async start() {
          const { models, version } = await catalog();
          const fitted = fitTurn(request, models, settings, version);
          for (const warning of fitted.warnings) settings.onWarning?.(warning);
          inner = lane.runTurn(fitted.request).getReader();
        },
        async pull(controller) {
          const next = await inner!.read();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        cancel: (reason) => inner?.cancel(reason),
      }, { highWaterMark: 0 });
    },
    ...(lane.interrupt ? { interrupt: (threadId) => lane.interrupt!(threadId) } : {}),
    ...(lane.steer ? { steer: (threadId, input) => lane.steer!(threadId, input) } : {}),
    get secrets() {
      return lane.secrets;
    },
  };
}

import { test } from "node:test";
import assert from "node:assert/strict";
import { UnsupportedError } from "./errors.ts";
import { fitTurn, nearestEffort } from "./model_fit.ts";
import type { TurnRequest } from "./lanes/lane.ts";

const catalog = [{
  slug: "m",
  supported_reasoning_levels: ["low", "medium", "high"].map((effort) => ({ effort })),
}];
const request = (thread: TurnRequest["threadOptions"], turn: TurnRequest["turnOptions"] = {}) => ({
  input: { prompt: "hi", images: [] },
  threadId: null,
  threadOptions: thread,
  turnOptions: turn,
});

test("nearestEffort takes the highest effort at or below, else the lowest above", () => {
  assert.equal(nearestEffort("max", ["low", "medium", "high"]), "high");
  assert.equal(nearestEffort("minimal", ["low", "medium", "high"]), "low");
  assert.equal(nearestEffort("medium", ["high", "low"]), "low");
  assert.equal(nearestEffort("medium", []), undefined);
});

test("fitTurn coerces or refuses an effort the model does not take, and leaves it by default", () => {
  const asked = request({ model: "m", modelReasoningEffort: "max" });
  assert.deepEqual(fitTurn(asked, catalog, {}).request, asked);
  const coerced = fitTurn(asked, catalog, { effortFit: "coerce" });
  assert.equal(coerced.request.threadOptions.modelReasoningEffort, "high");
  assert.deepEqual(coerced.warnings, [
    'Using reasoning effort "high" instead of "max": model "m" takes low, medium, high',
  ]);
  // The turn's effort is the one coerced when the turn set it; the thread's own wins over fit.
  const turn = fitTurn(
    request({ model: "m", effortFit: "coerce" }, { modelReasoningEffort: "minimal" }),
    catalog,
    {
      effortFit: "refuse",
    },
  );
  assert.equal(turn.request.turnOptions.modelReasoningEffort, "low");
  assert.throws(
    () => fitTurn(asked, catalog, { effortFit: "refuse" }, "0.171.0"),
    (error) =>
      error instanceof UnsupportedError &&
      error.message ===
        'Cannot use modelReasoningEffort "max" with model "m": it takes low, medium, high',
  );
});

test("fitTurn refuses a model the catalog does not offer only under checkModel", () => {
  const other = request({ model: "other" });
  assert.deepEqual(fitTurn(other, catalog, {}).request, other);
  assert.throws(
    () => fitTurn(other, catalog, { checkModel: true }, "0.171.0"),
    /Cannot use model "other": the model catalog of codex 0.171.0 does not offer it \(it offers m\)/,
  );
  // No model set: codex's default, which is codex's to know.
  assert.deepEqual(fitTurn(request({}), catalog, { checkModel: true }).warnings, []);
});

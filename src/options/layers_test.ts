import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveLayers } from "./layers.ts";

test("resolveLayers: a later layer wins, config merges by dotted path, env key by key", () => {
  const settings = resolveLayers(
    { config: { features: { a: true, b: true }, model: "client" } },
    {
      model: "thread-model",
      sandboxMode: "read-only",
      webSearchEnabled: true,
      config: { "features.a": false, tools: { x: 1 } },
      env: { A: "thread", B: "thread" },
    },
    {
      modelReasoningEffort: "high",
      webSearchMode: "cached",
      cyberAccessProgram: "standard",
      config: { features: { b: false } },
      env: { B: "turn" },
    },
  );
  assert.deepEqual(settings.config, {
    "features.a": false,
    "features.b": false,
    model: "client",
    "tools.x": 1,
  });
  assert.deepEqual(settings.env, { A: "thread", B: "turn" });
  assert.equal(settings.thread.model, "thread-model");
  assert.equal(settings.thread.modelReasoningEffort, "high");
  assert.equal(settings.thread.webSearchMode, "cached");
  assert.equal(settings.thread.webSearchEnabled, undefined, "the turn's mode beats the shorthand");
  assert.equal(settings.thread.sandboxMode, "read-only");
  assert.equal(
    settings.turn.cyberAccessProgram,
    "standard",
    "the turn's own settings pass as given",
  );
  assert.equal("config" in settings.thread || "env" in settings.thread, false);
});

test("resolveLayers: no layer with config or env gives undefined, and inputs are not touched", () => {
  const thread = Object.freeze({ model: "m" });
  const settings = resolveLayers({}, thread, { model: "turn" });
  assert.equal(settings.config, undefined);
  assert.equal(settings.env, undefined);
  assert.equal(settings.thread.model, "turn");
  assert.equal(thread.model, "m");
});

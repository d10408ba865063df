/**
 * `checkModel` and `effortFit` against the REAL codex's model catalog, with the fake Responses
 * server: a refused model never reaches codex; a coerced effort is the one the model is asked.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { debugModels } from "../src/commands/debug.ts";
import { UnsupportedError } from "../src/errors.ts";
import { nearestEffort } from "../src/model_fit.ts";
import { REASONING_EFFORTS } from "../src/options.ts";
import type { ModelReasoningEffort } from "../src/options.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { offlineClient } from "./_offline_codex.ts";
import { freshHome, NATIVE_CODEX } from "./_codex.ts";

/** The offline model, and an effort of ours its catalog entry does not list (if any). */
async function offEffort(): Promise<
  { model: string; effort?: ModelReasoningEffort; takes: string[] }
> {
  await using home = await freshHome();
  const models = await debugModels({
    codexPathOverride: NATIVE_CODEX,
    codexHome: home.path,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home.path },
  });
  const model = "gpt-5.5";
  const takes = (models.find((m) => m.slug === model)?.supported_reasoning_levels ?? []).map((l) =>
    l.effort
  );
  const effort = REASONING_EFFORTS.findLast((e) => !takes.includes(e) && nearestEffort(e, takes));
  return { model, effort, takes };
}

const effortOf = (body: unknown) => (body as { reasoning?: { effort?: string } }).reasoning?.effort;

for (const transport of ["exec", "app-server"] as const) {
  test(`${transport}: checkModel refuses a model the catalog does not offer before codex runs`, async () => {
    await using server = await startFakeResponsesServer([reply.message("never")]);
    await using client = await offlineClient(server, { checkModel: true });
    const where = { transport, workingDirectory: client.work, skipGitRepoCheck: true };
    await assert.rejects(
      client.codex.startThread({ ...where, model: "no-such-model-here" }).run("hi"),
      (error) =>
        error instanceof UnsupportedError && /model "no-such-model-here"/.test(error.message),
    );
    assert.equal(server.requests.length, 0);
  });

  test(`${transport}: effortFit "coerce" asks the model for the nearest effort it takes, and warns`, async (t) => {
    const { model, effort, takes } = await offEffort();
    if (effort === undefined) return t.skip(`${model} takes every effort we know`);
    await using server = await startFakeResponsesServer([reply.message("ok")]);
    const warnings: string[] = [];
    await using client = await offlineClient(server, {
      effortFit: "coerce",
      onWarning: (w) => warnings.push(w),
    });
    await client.codex.startThread({
      transport,
      workingDirectory: client.work,
      skipGitRepoCheck: true,
      model,
      modelReasoningEffort: effort,
    }).run("hi");
    const nearest = nearestEffort(effort, takes);
    const [request] = await server.waitForRequests(1);
    assert.equal(effortOf(request.body), nearest);
    assert.ok(
      warnings.some((w) => w.includes(`"${nearest}" instead of "${effort}"`)),
      warnings.join("\n"),
    );
  });
}

test('exec: effortFit "refuse" rejects the turn naming the effort and the model', async (t) => {
  const { model, effort } = await offEffort();
  if (effort === undefined) return t.skip(`${model} takes every effort we know`);
  await using server = await startFakeResponsesServer([reply.message("never")]);
  await using client = await offlineClient(server, { effortFit: "refuse" });
  const thread = client.codex.startThread({
    workingDirectory: client.work,
    skipGitRepoCheck: true,
    model,
  });
  await assert.rejects(
    thread.run("hi", { modelReasoningEffort: effort }),
    (error) =>
      error instanceof UnsupportedError &&
      error.message.includes(`"${effort}" with model "${model}"`),
  );
  assert.equal(server.requests.length, 0);
});

test("exec: codex reads no model from CODEX_MODEL or OPENAI_MODEL; the thread's model is the one asked", async () => {
  await using server = await startFakeResponsesServer([reply.message("ok")]);
  await using client = await offlineClient(server, {
    env: { CODEX_MODEL: "gpt-6-sol", OPENAI_MODEL: "gpt-6-sol" },
  });
  await client.codex.startThread({ workingDirectory: client.work, skipGitRepoCheck: true }).run(
    "hi",
  );
  const [request] = await server.waitForRequests(1);
  assert.notEqual((request.body as { model: string }).model, "gpt-6-sol");
});

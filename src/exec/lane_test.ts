import { test } from "node:test";
import assert from "node:assert/strict";
import { ExecLane } from "./lane.ts";
import { BinaryNotFoundError } from "../errors.ts";
import { getSpawner } from "../runtime/mod.ts";

test("ExecLane fails a turn only once the CODEX_HOME it started preparing is ready", async () => {
  const seen: string[] = [];
  let homeReady!: () => void;
  const lane = new ExecLane({
    options: {},
    spawner: getSpawner(),
    binary: () => Promise.reject(new BinaryNotFoundError([])),
    // Still being created when the binary fails: a cleanup must not race it.
    codexHome: () =>
      new Promise<string>((resolve) => homeReady = () => resolve("/nonexistent-home"))
        .finally(() => seen.push("home ready")),
    gate: () => Promise.resolve(undefined),
  });
  setImmediate(() => homeReady());
  const stream = lane.runTurn({
    input: { prompt: "x", images: [] },
    threadId: null,
    threadOptions: {},
    turnOptions: {},
  });
  await assert.rejects(
    new Response(stream.pipeThrough(new TransformStream({ transform() {} }))).text()
      .finally(() => seen.push("turn failed")),
    BinaryNotFoundError,
  );
  assert.deepEqual(seen, ["home ready", "turn failed"]);
});

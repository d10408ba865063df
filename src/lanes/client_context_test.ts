import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResolvedBinary } from "../binary/resolve.ts";
import { ClientContext, createClientContext } from "./client_context.ts";
import { BinaryNotFoundError } from "../errors.ts";
import { ExecLane } from "../exec/lane.ts";
import { getSpawner } from "../runtime/mod.ts";

test("A turn fails only once the CODEX_HOME its context started preparing is ready", async () => {
  const seen: string[] = [];
  let homeReady!: () => void;
  class Slow extends ClientContext {
    override binary(): Promise<ResolvedBinary> {
      return Promise.reject(new BinaryNotFoundError([]));
    }
    // Still being created when the binary fails: a cleanup must not race it.
    override codexHome(): Promise<string | undefined> {
      return new Promise<string>((resolve) => homeReady = () => resolve("/nonexistent-home"))
        .finally(() => seen.push("home ready"));
    }
  }
  const lane = new ExecLane(new Slow({}, getSpawner()));
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

test("A client context resolves its binary and home once, and tries a failure again", async () => {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-context-"));
  try {
    const context = createClientContext({
      codexPathOverride: join(dir, "codex"),
      codexHome: join(dir, "home"),
      apiKey: "sk-context-secret",
    });
    assert.deepEqual(context.secrets, ["sk-context-secret"]);
    await assert.rejects(context.resolve(), BinaryNotFoundError);
    // The home was made while the binary failed, and is remembered.
    assert.equal(await context.codexHome(), join(dir, "home"));
    const { writeFile, chmod } = await import("node:fs/promises");
    await writeFile(join(dir, "codex"), "#!/bin/sh\n");
    await chmod(join(dir, "codex"), 0o755);
    const resolved = await context.resolve();
    assert.equal(resolved.binary.path, join(dir, "codex"));
    assert.equal(resolved.codexHome, join(dir, "home"));
    assert.equal(resolved.gate, undefined, "no gate unless asked for");
    assert.equal(await context.binary(), await context.binary());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * A turn is done when codex says so: `run()` and `runStreamed()` end at `turn.completed`, and
 * a codex that lingers after it is stopped in the background, which `close()` waits for.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../src/codex.ts";
import { TurnFailedError } from "../src/errors.ts";

const TURN = [
  `printf '%s\\n' '{"type":"thread.started","thread_id":"fake-thread"}'`,
  `printf '%s\\n' '{"type":"turn.started"}'`,
  `printf '%s\\n' '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"ok"}}'`,
];
const COMPLETED =
  `printf '%s\\n' '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1}}'`;
const FAILED = `printf '%s\\n' '{"type":"turn.failed","error":{"message":"model said no"}}'`;

/** A fake codex that records its pid, ends the turn with `last`, then sleeps 8 s. */
async function lingeringCodex(
  last: string,
): Promise<{ path: string; pid: () => Promise<number> } & AsyncDisposable> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-linger-"));
  const path = join(dir, "codex");
  const body = [`echo $$ > "${dir}/pid"`, "cat >/dev/null", ...TURN, last, "sleep 8"];
  await writeFile(path, `#!/bin/sh\n${body.join("\n")}\n`);
  await chmod(path, 0o755);
  return {
    path,
    pid: async () => Number((await readFile(join(dir, "pid"), "utf8")).trim()),
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
}

function client(path: string, warnings: string[]): Codex {
  // A grace far above any scheduling delay: the turn must be seen done long before it ends.
  return new Codex({
    capabilities: false,
    codexPathOverride: path,
    exitGraceMs: 3000,
    killGraceMs: 500,
    onWarning: (w) => warnings.push(w),
  });
}

const alive = (pid: number) => process.platform !== "linux" || existsSync(`/proc/${pid}`);

test("Thread.run resolves at turn.completed while codex lingers; close() waits for its stop", async () => {
  await using fake = await lingeringCodex(COMPLETED);
  const warnings: string[] = [];
  const codex = client(fake.path, warnings);
  const turn = await codex.startThread().run("x");
  assert.equal(turn.finalResponse, "ok");
  // Before: run() waited for the exit, 8 s later. Now the lingering codex is still there and
  // its grace has not run out.
  const pid = await fake.pid();
  assert.ok(alive(pid), "codex should still be running when the turn resolves");
  assert.deepEqual(warnings, []);
  await codex.close();
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /did not exit within 3000 ms after its turn ended/);
  if (process.platform === "linux") {
    assert.ok(!existsSync(`/proc/${pid}`), "codex outlived close()");
  }
});

test("runStreamed's events end at turn.completed, before the lingering codex is stopped", async () => {
  await using fake = await lingeringCodex(COMPLETED);
  const warnings: string[] = [];
  await using codex = client(fake.path, warnings);
  const { events } = await codex.startThread().runStreamed("x");
  const types: string[] = [];
  for await (const event of events) types.push(event.type);
  assert.equal(types.at(-1), "turn.completed");
  assert.ok(alive(await fake.pid()));
  assert.deepEqual(warnings, []);
});

test("Thread.run rejects at turn.failed without waiting for codex to exit", async () => {
  await using fake = await lingeringCodex(FAILED);
  const warnings: string[] = [];
  const codex = client(fake.path, warnings);
  await assert.rejects(
    codex.startThread().run("x"),
    (e: unknown) => e instanceof TurnFailedError && e.message.includes("model said no"),
  );
  const pid = await fake.pid();
  assert.ok(alive(pid));
  assert.deepEqual(warnings, []);
  await codex.close();
  assert.equal(warnings.length, 1);
  if (process.platform === "linux") assert.ok(!existsSync(`/proc/${pid}`));
});

test("A codex that exits within its grace after the turn is not warned about", async () => {
  await using fake = await lingeringCodex(`${COMPLETED}\nexit 0`);
  const warnings: string[] = [];
  const codex = client(fake.path, warnings);
  const pid = (await codex.startThread().run("x"), await fake.pid());
  await codex.close();
  assert.deepEqual(warnings, []);
  if (process.platform === "linux") assert.ok(!existsSync(`/proc/${pid}`));
});

test("exitGraceMs is checked up front", () => {
  assert.throws(() => new Codex({ exitGraceMs: -1 }), /exitGraceMs/);
});

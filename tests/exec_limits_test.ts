/**
 * Limits of an exec run against fake `codex` scripts: an over-long output line stops the run
 * with a typed error, and a time limit above the setTimeout maximum does not fire early.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Codex } from "../src/codex.ts";
import { OutputLimitError } from "../src/errors.ts";

async function fakeCodex(body: string): Promise<{ path: string; dir: string } & AsyncDisposable> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-limits-"));
  const path = join(dir, "codex");
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return { path, dir, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

const TURN = [
  `printf '%s\\n' '{"type":"thread.started","thread_id":"t"}'`,
  `printf '%s\\n' '{"type":"item.completed","item":{"id":"i","type":"agent_message","text":"ok"}}'`,
  `printf '%s\\n' '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1}}'`,
].join("\n");

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("A stdout line longer than maxLineBytes stops the run with OutputLimitError", async () => {
  // An endless line with no newline: without a limit memory grows until the host dies.
  await using fake = await fakeCodex(
    `cat >/dev/null\necho $$ > "$(dirname "$0")/pid"\n${
      TURN.split("\n")[0]
    }\nprintf '{"type":"item.completed","pad":"'\nexec yes xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | tr -d '\\n'`,
  );
  const codex = new Codex({
    capabilities: false,
    codexPathOverride: fake.path,
    maxLineBytes: 4 * 1024 * 1024,
  });
  const error = await codex.startThread().run("x").catch((e) => e);
  assert.ok(error instanceof OutputLimitError, String(error));
  assert.equal(error.limitBytes, 4 * 1024 * 1024);
  assert.equal(error.lineNumber, 2);
  const pid = Number(await readFile(join(fake.dir, "pid"), "utf8"));
  assert.equal(isAlive(pid), false, "the child was stopped");
});

test("maxLineBytes is checked up front: a bad value is a TypeError naming the option", () => {
  for (const bad of [0, -1, 1.5, Number.NaN, "64" as unknown as number]) {
    assert.throws(
      () => new Codex({ maxLineBytes: bad }),
      (e: unknown) => e instanceof TypeError && e.message.includes("maxLineBytes"),
    );
  }
});

test("timeoutMs and idleTimeoutMs of 2**31 ms do not end a run that takes a moment", async () => {
  // setTimeout overflows above 2**31-1 ms and would fire after about 1 ms.
  await using fake = await fakeCodex(`cat >/dev/null\nsleep 0.3\n${TURN}`);
  const turn = await new Codex({ capabilities: false, codexPathOverride: fake.path }).startThread()
    .run("x", {
      timeoutMs: 2 ** 31,
      idleTimeoutMs: 2 ** 31,
    });
  assert.equal(turn.finalResponse, "ok");
});

/**
 * A run ends when codex exits, not when its pipes close: fake `codex` scripts that leave a
 * background process holding stdout/stderr open, on every runtime.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { runCommand } from "../capabilities/_run.ts";
import { Codex } from "../src/codex.ts";
import { authStatus } from "../src/home/auth.ts";
import { ExitError } from "../src/errors.ts";
import { eventually, processesMatching } from "./_offline_codex.ts";

/** Writes an executable sh script standing in for codex; dispose removes it. */
async function fakeCodex(body: string): Promise<{ path: string } & AsyncDisposable> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-life-"));
  const path = join(dir, "codex");
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return { path, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

const OK_TURN = [
  `printf '%s\\n' '{"type":"thread.started","thread_id":"fake-thread"}'`,
  `printf '%s\\n' '{"type":"turn.started"}'`,
  `printf '%s\\n' '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"ok"}}'`,
  `printf '%s\\n' '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1}}'`,
].join("\n");

/** A client whose children carry a unique marker in their environment, to find them in /proc. */
function client(path: string): { codex: Codex; marker: string } {
  const marker = `LIFECYCLE_MARK=${Math.random().toString(36).slice(2)}`;
  const [key, value] = marker.split("=");
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", [key]: value };
  return { codex: new Codex({ capabilities: false, codexPathOverride: path, env }), marker };
}

async function noneLeft(marker: string): Promise<boolean> {
  return await eventually(async () => (await processesMatching(marker)).length === 0, 5000);
}

test("A completed turn ends at codex's exit though a background job holds stdout, and the job is stopped", async () => {
  await using fake = await fakeCodex(`cat >/dev/null\nsleep 30 &\n${OK_TURN}`);
  const { codex, marker } = client(fake.path);
  // Before, the run waited for the pipe's EOF: the whole-turn limit fired and the completed
  // turn became a TimeoutError.
  const turn = await codex.startThread().run("x", { timeoutMs: 10_000 });
  assert.equal(turn.finalResponse, "ok");
  assert.ok(await noneLeft(marker), "the background sleep was not stopped");
});

test("A background job holding only stderr does not hold the run either", async () => {
  await using fake = await fakeCodex(`cat >/dev/null\nsleep 30 >/dev/null &\n${OK_TURN}`);
  const { codex, marker } = client(fake.path);
  const turn = await codex.startThread().run("x", { timeoutMs: 10_000 });
  assert.equal(turn.finalResponse, "ok");
  assert.ok(await noneLeft(marker));
});

test("A job in a session of its own holding stdout is found and stopped after the exit", async () => {
  await using fake = await fakeCodex(`cat >/dev/null\nsetsid sleep 30 &\n${OK_TURN}`);
  const { codex, marker } = client(fake.path);
  const turn = await codex.startThread().run("x", { timeoutMs: 10_000 });
  assert.equal(turn.finalResponse, "ok");
  if (process.platform === "linux") assert.ok(await noneLeft(marker));
});

test("Leaving a for-await loop early is not held by a background job, which is stopped", async () => {
  await using fake = await fakeCodex(
    `cat >/dev/null\nsleep 30 &\n${OK_TURN.split("\n")[0]}\nsleep 30`,
  );
  const { codex, marker } = client(fake.path);
  const { events } = await codex.startThread().runStreamed("x");
  let seen = 0;
  for await (const _event of events) {
    seen++;
    break;
  }
  assert.equal(seen, 1);
  assert.ok(await noneLeft(marker));
});

test("codex's own exit status is kept when a background job outlives it", async () => {
  await using fake = await fakeCodex(
    `cat >/dev/null\nsleep 30 &\n${OK_TURN.split("\n")[0]}\nexit 3`,
  );
  const { codex, marker } = client(fake.path);
  await assert.rejects(
    codex.startThread().run("x", { timeoutMs: 10_000 }),
    (e: unknown) => e instanceof ExitError && e.exitCode === 3 && e.signal === null,
  );
  assert.ok(await noneLeft(marker));
});

test("Output written just before the exit is read in full though a job holds the pipe", async () => {
  const lines = Array.from(
    { length: 2000 },
    (_, i) =>
      `printf '%s\\n' '{"type":"item.completed","item":{"id":"item_${i}","type":"reasoning","text":"${
        "r".repeat(200)
      }"}}'`,
  ).join("\n");
  await using fake = await fakeCodex(
    `cat >/dev/null\nsleep 30 &\n${OK_TURN.split("\n").slice(0, 2).join("\n")}\n${lines}\n${
      OK_TURN.split("\n").slice(2).join("\n")
    }`,
  );
  const { codex, marker } = client(fake.path);
  const { events } = await codex.startThread().runStreamed("x");
  let reasoning = 0;
  let completed = false;
  for await (const event of events) {
    if (event.type === "item.completed" && event.item.type === "reasoning") reasoning++;
    if (event.type === "turn.completed") completed = true;
    // A slow reader: the output is read ahead after the exit, never dropped.
    if (reasoning % 500 === 1) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(reasoning, 2000);
  assert.ok(completed);
  assert.ok(await noneLeft(marker));
});

test("A CLI helper run (login status) ends at the command's exit and stops what it left", async () => {
  await using fake = await fakeCodex(
    "sleep 30 &\necho 'Not logged in' >&2\nexit 1",
  );
  const home = await mkdtemp(join(tmpdir(), "codexkit-life-home-"));
  try {
    const marker = `LIFECYCLE_MARK=${Math.random().toString(36).slice(2)}`;
    const [key, value] = marker.split("=");
    const status = await authStatus(home, {
      codexPathOverride: fake.path,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", [key]: value },
    });
    assert.equal(status.kind, "logged_out");
    assert.ok(await noneLeft(marker));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test("A probe command ends at its exit though a background job holds its output", async () => {
  await using fake = await fakeCodex("sleep 30 &\necho 'codex-cli 9.9.9'");
  const marker = `LIFECYCLE_MARK=${Math.random().toString(36).slice(2)}`;
  const [key, value] = marker.split("=");
  const outcome = await runCommand(fake.path, ["--version"], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", [key]: value },
    timeoutMs: 20_000,
  });
  assert.equal(outcome.kind, "exited");
  assert.equal(outcome.kind === "exited" && outcome.stdout, "codex-cli 9.9.9\n");
  assert.ok(await noneLeft(marker));
});

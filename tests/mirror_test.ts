/**
 * `mirror`: codex's stderr (and a command's stdout) copied to this process's own streams as it
 * comes, with the REAL codex. The host streams are watched by wrapping their `write` for the
 * test's span; nothing is timed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import process from "node:process";
import { Codex } from "../src/codex.ts";
import { runCodexCommand } from "../src/commands/run_command.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { offlineClient } from "./_offline_codex.ts";
import { freshHome, NATIVE_CODEX } from "./_codex.ts";

/** Runs `body` with the host's `stream` captured; returns what was written to it. */
async function captured(
  stream: "stdout" | "stderr",
  body: () => Promise<unknown>,
): Promise<string> {
  const target = process[stream];
  const original = target.write;
  let text = "";
  target.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    text += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    return (original as (...a: unknown[]) => boolean).call(target, chunk, ...rest);
  }) as typeof target.write;
  try {
    await body();
  } finally {
    target.write = original;
  }
  return text;
}

test("mirror refuses stdout on a client: a turn's stdout is its events", () => {
  assert.throws(
    // @ts-expect-error: a client mirrors stderr only
    () => new Codex({ mirror: { stdout: true } }),
    /Cannot use mirror: expected true, false or \{ stderr\? \} of booleans/,
  );
});

for (const transport of ["exec", "app-server"] as const) {
  test(`${transport}: mirror copies codex's stderr to the host's, and is off by default`, async () => {
    await using server = await startFakeResponsesServer([reply.message("a"), reply.message("b")]);
    // A CODEX_HOME under TMPDIR makes codex warn on stderr that it will not put PATH aliases
    // there (0.169.0 onwards): a line every run prints, whatever the version says after it.
    const seen: string[] = [];
    const options = { env: { TMPDIR: tmpdir() }, onStderr: (line: string) => seen.push(line) };
    const where = { transport, skipGitRepoCheck: true };
    const quiet = await captured("stderr", async () => {
      await using client = await offlineClient(server, options);
      await client.codex.startThread({ ...where, workingDirectory: client.work }).run("a");
    });
    const lines = seen.splice(0);
    const loud = await captured("stderr", async () => {
      await using client = await offlineClient(server, { ...options, mirror: true });
      await client.codex.startThread({ ...where, workingDirectory: client.work }).run("b");
    });
    assert.ok(seen.length > 0 && lines.length > 0, "codex wrote to stderr");
    assert.ok(!quiet.includes(lines[0]), "nothing mirrored by default");
    assert.ok(loud.includes(seen[0]), `mirrored: ${loud.slice(0, 200)}`);
  });
}

test("runCodexCommand mirrors the streams it is asked to", async () => {
  await using home = await freshHome();
  const options = {
    codexPathOverride: NATIVE_CODEX,
    codexHome: home.path,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home.path },
    disable: ["plugins"],
    config: { analytics: { enabled: false } },
  };
  let result = { stdout: "", stderr: "" };
  const out = await captured("stdout", async () => {
    result = await runCodexCommand(["--version"], { ...options, mirror: { stdout: true } });
  });
  assert.ok(result.stdout.length > 0 && out.includes(result.stdout.trim()), out);
  const err = await captured("stderr", async () => {
    result = await runCodexCommand(["login", "status"], { ...options, mirror: true });
  });
  assert.ok(result.stderr.length > 0 && err.includes(result.stderr.trim()), err);
});

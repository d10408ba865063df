/**
 * Every example under examples/ runs, offline, under the runtime running this file, and prints
 * what its comment promises: an example that rots fails here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { getSpawner } from "../src/runtime/mod.ts";
import { runToEnd } from "../src/process/run_to_end.ts";

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), "..", "examples");

/** Runs `examples/<name>` under this runtime; a stuck example is stopped after two minutes. */
async function runExample(name: string): Promise<string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env.CODEX_API_KEY;
  delete env.OPENAI_API_KEY;
  env.NO_COLOR = "1";
  const file = join(EXAMPLES, name);
  const args = "Deno" in globalThis ? ["run", "-A", file] : [file];
  const result = await runToEnd(process.execPath, args, {
    spawner: getSpawner(),
    env,
    timeoutMs: 120_000,
  });
  assert.equal(result.stopped, undefined, `${name} was stopped: ${result.stderr}`);
  assert.equal(result.exitCode, 0, `${name}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

test("examples/streaming.ts prints items as they complete and the message's deltas", async () => {
  const out = await runExample("streaming.ts");
  assert.match(out, /^completed command_execution$/m);
  assert.match(out, /^completed agent_message$/m);
  assert.match(out, /^turn completed: \d+ output tokens$/m);
  assert.match(out, /^message deltas: yes$/m);
});

test("examples/resume_and_fork.ts resumes the same thread and forks a new one with the history", async () => {
  const out = await runExample("resume_and_fork.ts");
  assert.match(out, /^resumed the same thread: You said teal\.$/m);
  assert.match(out, /^fork is a new thread: /m);
  assert.match(out, /^history sent with the fork: true$/m);
});

test("examples/cancellation.ts aborts a running command and the run rejects with AbortError", async () => {
  const out = await runExample("cancellation.ts");
  assert.match(out, /^started .*sleep 600.*; aborting$/m);
  assert.match(out, /^run ended: AbortError$/m);
});

test("examples/structured_output.ts parses one answer and rejects the other", async () => {
  const out = await runExample("structured_output.ts");
  assert.match(out, /^verdict: request_changes; first issue: unused import$/m);
  assert.match(out, /^second answer rejected: /m);
});

test("examples/approvals.ts accepts echo and declines rm", async () => {
  const out = await runExample("approvals.ts");
  assert.match(out, /echo allowed.*: accept$/m);
  assert.match(out, /rm -rf.*: decline$/m);
  assert.match(out, /^agent: One command ran, one was declined\.$/m);
});

test("examples/local_models.ts runs a turn on the Ollama stand-in", async () => {
  const out = await runExample("local_models.ts");
  assert.match(out, /^model gpt-oss:20b: Hello from a local model\.$/m);
});

test("examples/sandboxing.ts shows read-only blocking a write that workspace-write allows", async () => {
  const out = await runExample("sandboxing.ts");
  assert.match(out, /^read-only: note\.txt not written$/m);
  assert.match(out, /^workspace-write: note\.txt written$/m);
});

test("examples/app_server.ts runs two turns and lists and reads the named thread", async () => {
  const out = await runExample("app_server.ts");
  assert.match(out, /^turn 2: Second answer\.$/m);
  assert.match(out, /^listed: Two questions$/m);
  assert.match(out, /^saved turns: 2$/m);
});

test("examples/bundles.ts runs a turn on the bundled binary", async () => {
  const out = await runExample("bundles.ts");
  assert.match(out, /^binary from bundle: inside the bundle$/m);
  assert.match(out, /^codex [\d.]+: Ran on the bundle\.$/m);
});

test("examples/exec_pieces.ts builds the argv and env and runs one exec process", async () => {
  const out = await runExample("exec_pieces.ts");
  assert.match(out, /^argv: codex exec --json \.\.\. .*--skip-git-repo-check -$/m);
  assert.match(out, /^item command_execution$/m);
  assert.match(out, /^item agent_message$/m);
  assert.match(out, /^turn completed$/m);
});

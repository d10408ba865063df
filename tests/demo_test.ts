/**
 * The demo, run as a newcomer runs it (offline, not a terminal): it must say it is offline and
 * show the command, its output, the file written, the time and the token usage.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { getSpawner } from "../src/runtime/mod.ts";

const DEMO = join(dirname(fileURLToPath(import.meta.url)), "..", "examples", "demo.ts");

test("the demo runs a turn offline and shows it readably without colour", async () => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env.CODEX_API_KEY;
  delete env.FORCE_COLOR;
  env.NO_COLOR = "1";
  const runtimeArgs = "Deno" in globalThis ? ["run", "-A", DEMO] : [DEMO];
  const child = await getSpawner().spawn(process.execPath, runtimeArgs, { env, stdin: "null" });
  const [stdout, stderr, status] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  assert.equal(status.code, 0, `${stdout}\n${stderr}`);
  assert.match(stdout, /^Offline: the model is a scripted fake Responses server on 127\.0\.0\.1/m);
  assert.match(stdout, /^ {2}\$ echo hello from the sandbox$/m);
  assert.match(stdout, /^ {4}hello from the sandbox$/m);
  assert.match(stdout, /^ {2}✎ wrote hello\.txt \(.*hello\.txt\)$/m);
  assert.match(stdout, /^ {4}│ Hello, codexkit!$/m);
  assert.match(
    stdout,
    /^✓ turn completed in \d+\.\d s · [\d,]+ input tokens.* · [\d,]+ output tokens$/m,
  );
  assert.match(stdout, /^ {2}✓ \d+ supported: /m);
  assert.ok(!stdout.includes("\x1b["), "no colour with NO_COLOR");
});

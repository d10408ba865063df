/**
 * The exec lane against small fake `codex` scripts: what the real CLI will not do on demand
 * (print garbage, flood stderr, end without a turn) and what must hold whatever it does.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Codex } from "../src/codex.ts";
import {
  AbortError,
  BinaryNotFoundError,
  ExitError,
  MalformedOutputError,
  SchemaMismatchError,
  TurnFailedError,
} from "../src/errors.ts";

/** Writes an executable sh script standing in for codex; dispose removes it. */
async function fakeCodex(body: string): Promise<{ path: string; dir: string } & AsyncDisposable> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-fake-"));
  const path = join(dir, "codex");
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return { path, dir, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

const OK_TURN = [
  `printf '%s\\n' '{"type":"thread.started","thread_id":"fake-thread"}'`,
  `printf '%s\\n' '{"type":"turn.started"}'`,
  `printf '%s\\n' '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"ok"}}'`,
  `printf '%s\\n' '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1}}'`,
].join("\n");

test("A line that is not JSON rejects with MalformedOutputError naming the line", async () => {
  await using fake = await fakeCodex(
    `cat >/dev/null\n${OK_TURN.split("\n")[0]}\necho 'Warning: something odd'\nsleep 5`,
  );
  const thread = new Codex({ capabilities: false, codexPathOverride: fake.path }).startThread();
  await assert.rejects(
    thread.run("x"),
    (e: unknown) =>
      e instanceof MalformedOutputError && e.lineNumber === 2 &&
      e.excerpt === "Warning: something odd",
  );
});

test("A fatal error event with no completed turn rejects instead of returning an empty turn", async () => {
  await using fake = await fakeCodex(
    `cat >/dev/null\nprintf '%s\\n' '{"type":"thread.started","thread_id":"t"}' '{"type":"error","message":"unexpected status 401 Unauthorized"}'`,
  );
  await assert.rejects(
    new Codex({ capabilities: false, codexPathOverride: fake.path }).startThread().run("x"),
    (e: unknown) => e instanceof TurnFailedError && e.message.includes("401"),
  );
});

test("The API key reaches the child's environment only, never its argv", async () => {
  await using fake = await fakeCodex(
    `cat >/dev/null\nprintf '%s\\n' "$@" > "$(dirname "$0")/argv"\nprintf '%s' "$CODEX_API_KEY" > "$(dirname "$0")/key"\n${OK_TURN}`,
  );
  const secret = "sk-test-do-not-leak-7890";
  const turn = await new Codex({
    capabilities: false,
    codexPathOverride: fake.path,
    apiKey: secret,
  }).startThread().run(
    "x",
  );
  assert.equal(turn.finalResponse, "ok");
  assert.equal(await readFile(join(fake.dir, "key"), "utf8"), secret);
  assert.ok(!(await readFile(join(fake.dir, "argv"), "utf8")).includes(secret));
});

test("The prompt goes to stdin, not argv", async () => {
  await using fake = await fakeCodex(
    `cat > "$(dirname "$0")/stdin"\nprintf '%s\\n' "$@" > "$(dirname "$0")/argv"\n${OK_TURN}`,
  );
  await new Codex({ capabilities: false, codexPathOverride: fake.path }).startThread().run([
    { type: "text", text: "first part" },
    { type: "text", text: "second part" },
  ]);
  assert.equal(await readFile(join(fake.dir, "stdin"), "utf8"), "first part\n\nsecond part");
  const argv = (await readFile(join(fake.dir, "argv"), "utf8")).trim().split("\n");
  assert.deepEqual([argv[0], argv[1], argv.at(-1)], ["exec", "--json", "-"]);
});

test("A 100 MB stderr flood does not stall the run and errors keep only a bounded tail", async () => {
  // 100 MiB of stderr, then a turn that never completes, then a non-zero exit.
  await using fake = await fakeCodex(
    `cat >/dev/null\nhead -c 104857600 /dev/zero | tr '\\0' 'e' >&2\necho 'the real reason' >&2\n${
      OK_TURN.split("\n").slice(0, 3).join("\n")
    }\nexit 3`,
  );
  let lines = 0;
  await assert.rejects(
    new Codex({ capabilities: false, codexPathOverride: fake.path, onStderr: () => lines++ })
      .startThread().run("x"),
    (e: unknown) =>
      e instanceof ExitError && e.exitCode === 3 && e.stderrTail!.includes("the real reason") &&
      e.stderrTail!.length <= 4200 && e.message.length < 5000,
  );
  assert.ok(lines > 1, "onStderr saw the flood in pieces and the last line");
});

test("onStderr gets each line without its newline", async () => {
  await using fake = await fakeCodex(
    `cat >/dev/null\nprintf 'one\\r\\ntwo\\nthree' >&2\n${OK_TURN}`,
  );
  const lines: string[] = [];
  const codex = new Codex({
    capabilities: false,
    codexPathOverride: fake.path,
    onStderr: (l) => lines.push(l),
  });
  await codex.startThread().run("x");
  // The turn ends at turn.completed; the rest of stderr (an unterminated last line) arrives by
  // codex's exit, which close() waits for.
  await codex.close();
  assert.deepEqual(lines, ["one", "two", "three"]);
});

test("A missing override and a non-executable binary reject with BinaryNotFoundError", async () => {
  await assert.rejects(
    new Codex({ codexPathOverride: "/nonexistent/codex" }).startThread().run("x"),
    (e: unknown) => e instanceof BinaryNotFoundError && e.searched[0].reason === "missing",
  );
  await using fake = await fakeCodex(OK_TURN);
  await chmod(fake.path, 0o644);
  await assert.rejects(
    new Codex({ capabilities: false, codexPathOverride: fake.path }).startThread().run("x"),
    (e: unknown) => e instanceof BinaryNotFoundError && e.searched[0].reason === "not executable",
  );
});

test("With nothing to find, BinaryNotFoundError lists every place searched", async () => {
  const { resolveCodexBinary } = await import("../src/binary/resolve.ts");
  await assert.rejects(
    resolveCodexBinary({
      env: { PATH: "/nonexistent-a", CODEX_PATH: "/nonexistent/codex", HOME: "/nonexistent-h" },
      searchFrom: ["/"],
      installDirs: ["/nonexistent-b"],
    }),
    (e: unknown) =>
      e instanceof BinaryNotFoundError &&
      e.searched.map((s) => s.source).join(",") === "env,npm,path,path" &&
      e.message.includes("usual install dirs (/nonexistent-b)") &&
      e.message.includes("/nonexistent/codex"),
  );
});

test("Codex options are checked up front with TypeErrors naming the option", async () => {
  assert.throws(
    () => new Codex({ apiKey: "" }),
    (e: unknown) => e instanceof TypeError && e.message.includes("apiKey"),
  );
  assert.throws(
    () => new Codex({ env: { A: 1 as unknown as string } }),
    (e: unknown) => e instanceof TypeError && e.message.includes("env.A"),
  );
  const thread = new Codex({ codexPathOverride: "/x" }).startThread();
  await assert.rejects(
    thread.run("x", { timeoutMs: -1 }),
    (e: unknown) => e instanceof TypeError && e.message.includes("timeoutMs"),
  );
});

test("The parent's environment is never mutated by codexHome, apiKey or env", async () => {
  await using fake = await fakeCodex(`cat >/dev/null\n${OK_TURN}`);
  // Deno's process.env does not keep key order, so compare sorted entries.
  const snapshot = () =>
    JSON.stringify(Object.entries(process.env).sort(([a], [b]) => a < b ? -1 : 1));
  const before = snapshot();
  const home = join(fake.dir, "home");
  await new Codex({
    capabilities: false,
    codexPathOverride: fake.path,
    codexHome: home,
    apiKey: "sk-x",
  }).startThread()
    .run("x");
  assert.equal(snapshot(), before);
  assert.equal(process.env.CODEX_HOME, undefined);
  assert.equal(process.env.CODEX_API_KEY, undefined);
});

/** A fake that records where --output-schema points, then answers `message`. */
function schemaRecorder(message: string, tail = ""): string {
  return [
    "cat >/dev/null",
    'while [ "$#" -gt 0 ]; do [ "$1" = "--output-schema" ] && printf %s "$2" > "$(dirname "$0")/schema-path"; shift; done',
    // A turn that completes ends the run there: one stopped before it has no turn.completed.
    OK_TURN.replace('"text":"ok"', `"text":${JSON.stringify(message).replaceAll("'", "")}`)
      .split("\n").slice(0, tail === "" ? 4 : 3).join("\n"),
    tail,
  ].join("\n");
}

test("The output schema temp file is gone after success, after a mismatch and after an abort", async () => {
  const schema = {
    type: "object",
    properties: { n: { type: "number" } },
    required: ["n"],
    additionalProperties: false,
  };
  const cases: [string, string, (run: Promise<unknown>, stop: AbortController) => Promise<void>][] =
    [
      ['{"n":1}', "", async (run) => void await run],
      ['{"n":"one"}', "", (run) => assert.rejects(run, SchemaMismatchError)],
      ['{"n":1}', "sleep 30", async (run, stop) => {
        stop.abort();
        await assert.rejects(run, AbortError);
      }],
    ];
  for (const [answer, tail, settle] of cases) {
    await using fake = await fakeCodex(schemaRecorder(answer, tail));
    const stop = new AbortController();
    const run = new Codex({ capabilities: false, codexPathOverride: fake.path }).startThread().run(
      "x",
      { outputSchema: schema, strictOutput: true, signal: stop.signal },
    );
    run.catch(() => {}); // settled below; this only keeps the rejection from counting as unhandled
    const recorded = join(fake.dir, "schema-path");
    while (!existsSync(recorded) || (await readFile(recorded, "utf8")) === "") {
      await new Promise((r) => setTimeout(r, 10));
    }
    const schemaPath = await readFile(recorded, "utf8");
    await settle(run, stop);
    assert.equal(existsSync(schemaPath), false, `${schemaPath} removed (${answer} ${tail})`);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileFormatError } from "../errors.ts";
import { loadRollout, readRollout, toRolloutEntry } from "./rollout.ts";
import type { RolloutEntry, RolloutProblem } from "./rollout.ts";

async function rolloutFile(text: string): Promise<AsyncDisposable & { path: string }> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-rollout-"));
  const path = join(dir, "rollout-2026-01-02T03-04-05-abc.jsonl");
  await writeFile(path, text);
  return { path, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

const meta = JSON.stringify({
  timestamp: "2026-01-02T03:04:05.000Z",
  type: "session_meta",
  payload: { id: "abc", cwd: "/w", cli_version: "0.169.0" },
});
const task = JSON.stringify({ type: "event_msg", payload: { type: "task_started" } });
const item = JSON.stringify({
  type: "response_item",
  payload: { type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] },
});

test("toRolloutEntry classifies known kinds and keeps others as unknown", () => {
  const cases: [Record<string, unknown>, RolloutEntry["kind"]][] = [
    [{ type: "session_meta", payload: { id: "x" } }, "session_meta"],
    [{ type: "event_msg", payload: { type: "token_count" } }, "event_msg"],
    [{ type: "response_item", payload: { type: "reasoning" } }, "response_item"],
    [{ type: "turn_context", payload: { cwd: "/" } }, "turn_context"],
    [{ type: "world_state", payload: { full: true } }, "unknown"],
    [{ type: "event_msg", payload: "not an object" }, "unknown"],
    [{ type: "response_item", payload: { no_type: 1 } }, "unknown"],
    [{ payload: {} }, "unknown"],
  ];
  for (const [record, kind] of cases) {
    const entry = toRolloutEntry(record, 7);
    assert.equal(entry.kind, kind, JSON.stringify(record));
    assert.equal(entry.lineNumber, 7);
    assert.equal(entry.record, record);
  }
});

test("readRollout yields typed entries with their line numbers, skipping blank lines", async () => {
  await using file = await rolloutFile(`${meta}\n\n${task}\r\n${item}\n`);
  const entries: RolloutEntry[] = [];
  for await (const entry of readRollout(file.path)) entries.push(entry);
  assert.deepEqual(entries.map((e) => [e.kind, e.lineNumber]), [
    ["session_meta", 1],
    ["event_msg", 3],
    ["response_item", 4],
  ]);
  assert.equal(entries[0].timestamp, "2026-01-02T03:04:05.000Z");
});

test("readRollout returns the complete lines of a file with a torn last line and reports it", async () => {
  await using file = await rolloutFile(`${meta}\n${task}\n${item.slice(0, 25)}`);
  const problems: RolloutProblem[] = [];
  const entries: RolloutEntry[] = [];
  for await (const e of readRollout(file.path, { onProblem: (p) => problems.push(p) })) {
    entries.push(e);
  }
  assert.deepEqual(entries.map((e) => e.kind), ["session_meta", "event_msg"]);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].torn, true);
  assert.ok(problems[0].error instanceof FileFormatError);
  assert.equal(problems[0].error.line, 3);
  assert.equal(problems[0].error.path, file.path);
  assert.match(problems[0].error.message, /line 3.*torn/);
});

test("readRollout without onProblem still ends cleanly on a torn last line", async () => {
  await using file = await rolloutFile(`${meta}\n{"type":"event_`);
  const kinds: string[] = [];
  for await (const e of readRollout(file.path)) kinds.push(e.kind);
  assert.deepEqual(kinds, ["session_meta"]);
});

test("readRollout errors on a bad line in the middle, naming the line", async () => {
  await using file = await rolloutFile(`${meta}\nnot json at all\n${task}\n`);
  const kinds: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const e of readRollout(file.path)) kinds.push(e.kind);
    })(),
    (e: unknown) => {
      assert.ok(e instanceof FileFormatError);
      assert.equal(e.line, 2);
      assert.equal(e.path, file.path);
      return true;
    },
  );
  assert.deepEqual(kinds, ["session_meta"]);
});

test("loadRollout lists a bad middle line as a problem that is not torn and goes on", async () => {
  await using file = await rolloutFile(`${meta}\n[1,2]\n${task}\n{"torn":`);
  const { entries, problems } = await loadRollout(file.path);
  assert.deepEqual(entries.map((e) => [e.kind, e.lineNumber]), [
    ["session_meta", 1],
    ["event_msg", 3],
  ]);
  assert.deepEqual(problems.map((p) => [p.error.line, p.torn]), [[2, false], [4, true]]);
});

test("loadRollout treats a bad last line that ends with a newline as not torn", async () => {
  await using file = await rolloutFile(`${meta}\n{oops}\n`);
  const { problems } = await loadRollout(file.path);
  assert.deepEqual(problems.map((p) => [p.error.line, p.torn]), [[2, false]]);
});

test("readRollout can be cancelled after the first entry", async () => {
  await using file = await rolloutFile(`${meta}\n${task}\n${item}\n`);
  const reader = readRollout(file.path).getReader();
  const first = await reader.read();
  assert.equal(first.value?.kind, "session_meta");
  await reader.cancel();
  await assert.rejects(readRollout(join(file.path, "missing")).getReader().read());
});

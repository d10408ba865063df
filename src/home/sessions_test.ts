import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toRolloutEntry } from "./rollout.ts";
import { findSession, listSessions, parseRolloutFileName, userMessageText } from "./sessions.ts";

async function scratch(): Promise<AsyncDisposable & { path: string }> {
  const path = await mkdtemp(join(tmpdir(), "codexkit-sessions-"));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

function line(type: string, payload: unknown): string {
  return JSON.stringify({ timestamp: "2026-01-01T00:00:00.000Z", type, payload });
}

function userItem(text: string, provenance?: string): string {
  return line("response_item", {
    type: "message",
    role: "user",
    content: [{ type: "input_text", text }],
    ...(provenance
      ? {
        internal_chat_message_metadata_passthrough: {
          content_item_metadata: [{ provenance: { type: provenance } }],
        },
      }
      : {}),
  });
}

async function writeSession(home: string, stamp: string, id: string, lines: string[]) {
  const [date] = stamp.split("T");
  const [y, m, d] = date.split("-");
  const dir = join(home, "sessions", y, m, d);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `rollout-${stamp}-${id}.jsonl`);
  await writeFile(path, lines.join("\n") + "\n");
  return path;
}

test("parseRolloutFileName reads time and thread id, and rejects other names", () => {
  const parsed = parseRolloutFileName(
    "rollout-2026-11-21T04-51-38-01a1fc72-179f-7830-bb67-5960c479134f.jsonl",
  );
  assert.equal(parsed?.threadId, "01a1fc72-179f-7830-bb67-5960c479134f");
  assert.equal(parsed?.startedAt.toISOString(), "2026-11-21T04:51:38.000Z");
  for (const name of ["rollout-x.jsonl", "history.jsonl", "rollout-2026-11-21T04-51-38-.jsonl"]) {
    assert.equal(parseRolloutFileName(name), undefined, name);
  }
});

test("userMessageText picks typed text and skips injected context", () => {
  const cases: [string, string | undefined][] = [
    [userItem("fix the bug", "user"), "fix the bug"],
    [userItem("<environment_context>\n<cwd>/</cwd>", "harness"), undefined],
    [userItem("<environment_context>\n<cwd>/</cwd>"), undefined],
    [userItem("plain old format"), "plain old format"],
    [line("event_msg", { type: "user_message", message: "from an event" }), "from an event"],
    [line("event_msg", { type: "task_started" }), undefined],
    [line("response_item", { type: "message", role: "assistant", content: [] }), undefined],
  ];
  for (const [text, expected] of cases) {
    assert.equal(userMessageText(toRolloutEntry(JSON.parse(text), 1)), expected, text);
  }
});

test("listSessions lists newest first with thread id, time, cwd and first user message", async () => {
  await using home = await scratch();
  const meta = (id: string, ts: string) =>
    line("session_meta", { id, timestamp: ts, cwd: `/work/${id}`, cli_version: "0.169.0" });
  await writeSession(home.path, "2026-01-01T10-00-00", "aaa", [
    meta("aaa", "2026-01-01T10:00:00.100Z"),
    userItem("<environment_context></environment_context>", "harness"),
    userItem("first task", "user"),
  ]);
  await writeSession(home.path, "2026-02-01T10-00-00", "bbb", [
    meta("bbb", "2026-02-01T10:00:00.100Z"),
    userItem("second task", "user"),
  ]);
  await mkdir(join(home.path, "sessions", "2026", "02", "01", "notes"), { recursive: true });
  await writeFile(join(home.path, "sessions", "2026", "02", "01", "README.txt"), "ignored");
  const sessions = await listSessions(home.path);
  assert.deepEqual(sessions.map((s) => [s.threadId, s.cwd, s.firstUserMessage]), [
    ["bbb", "/work/bbb", "second task"],
    ["aaa", "/work/aaa", "first task"],
  ]);
  assert.equal(sessions[0].startedAt.toISOString(), "2026-02-01T10:00:00.100Z");
  assert.equal(sessions[0].cliVersion, "0.169.0");
  assert.ok(sessions[0].sizeBytes > 0);
  assert.deepEqual((await listSessions(home.path, { limit: 1 })).map((s) => s.threadId), ["bbb"]);
});

test("listSessions finds nothing in a home without sessions", async () => {
  await using home = await scratch();
  assert.deepEqual(await listSessions(home.path), []);
  await assert.rejects(listSessions(home.path, { limit: -1 }), TypeError);
});

test("listSessions reports a torn last line of a session in its problems", async () => {
  await using home = await scratch();
  const path = await writeSession(home.path, "2026-03-01T00-00-00", "ccc", [
    line("session_meta", { id: "ccc", cwd: "/c" }),
  ]);
  await writeFile(path, `${line("session_meta", { id: "ccc", cwd: "/c" })}\n{"type":"ev`);
  const [session] = await listSessions(home.path);
  assert.equal(session.threadId, "ccc");
  assert.equal(session.firstUserMessage, undefined);
  assert.deepEqual(session.problems.map((p) => [p.error.line, p.torn]), [[2, true]]);
});

test("findSession finds a session by thread id and returns undefined for others", async () => {
  await using home = await scratch();
  const path = await writeSession(home.path, "2026-01-05T00-00-00", "ddd-1", [
    line("session_meta", { id: "ddd-1", cwd: "/d" }),
  ]);
  assert.equal((await findSession(home.path, "ddd-1"))?.path, path);
  assert.equal(await findSession(home.path, "eee"), undefined);
  await assert.rejects(findSession(home.path, "../etc"), TypeError);
});

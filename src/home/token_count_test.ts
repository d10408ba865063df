import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findRolloutFile, readTurnTokenCount } from "./token_count.ts";

const event = (payload: Record<string, unknown>) =>
  JSON.stringify({ timestamp: "2026-12-07T10:00:00Z", type: "event_msg", payload });
const usage = (input: number) => ({
  input_tokens: input,
  output_tokens: 3,
  total_tokens: input + 3,
});
const count = (last: number, total: number) =>
  event({
    type: "token_count",
    info: {
      last_token_usage: usage(last),
      total_token_usage: usage(total),
      model_context_window: 117283,
    },
  });

test("readTurnTokenCount takes the latest turn's last token_count, not an earlier turn's", async () => {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-tc-"));
  try {
    const path = join(dir, "rollout.jsonl");
    const lines = [
      event({ type: "task_started" }),
      count(10, 10),
      event({ type: "task_complete" }),
      event({ type: "task_started" }),
      count(20, 30),
      "not json",
      count(25, 55),
      event({ type: "task_complete" }),
    ];
    await writeFile(path, lines.join("\n") + "\n");
    const found = await readTurnTokenCount(path);
    assert.equal(found.complete, true);
    assert.equal(found.count?.last.input_tokens, 25);
    assert.equal(found.count?.total.input_tokens, 55);
    assert.equal(found.count?.modelContextWindow, 117283);

    await writeFile(path, [...lines.slice(0, 3), event({ type: "task_started" })].join("\n"));
    assert.deepEqual(await readTurnTokenCount(path), { count: undefined, complete: false });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("findRolloutFile finds a thread's rollout by its id, newest day first", async () => {
  const home = await mkdtemp(join(tmpdir(), "codexkit-tc-home-"));
  try {
    const id = "01a24ffa-a0db-7633-b2b6-6058ba6797de";
    const day = join(home, "sessions", "2026", "12", "07");
    await mkdir(day, { recursive: true });
    const path = join(day, `rollout-2026-12-07T10-09-14-${id}.jsonl`);
    await writeFile(path, "");
    assert.equal(await findRolloutFile(home, id), path);
    assert.equal(await findRolloutFile(home, "another-id"), undefined);
    assert.equal(await findRolloutFile(join(home, "none"), id), undefined);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

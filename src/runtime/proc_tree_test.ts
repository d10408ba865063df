import { test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { HAS_PROC, parseStat, processTable, withDescendants } from "./proc_tree.ts";

test("parseStat reads pid, state, ppid and pgid past a command name with spaces and parens", () => {
  assert.deepEqual(parseStat("4242 (odd (name) x) S 17 4242 4242 0 -1 4194560"), {
    pid: 4242,
    state: "S",
    ppid: 17,
    pgid: 4242,
  });
  assert.equal(parseStat("garbage"), undefined);
});

test("withDescendants walks the parent links from the roots only", () => {
  const table = [
    { pid: 1, ppid: 0, pgid: 1, state: "S" },
    { pid: 10, ppid: 1, pgid: 10, state: "S" },
    { pid: 11, ppid: 10, pgid: 10, state: "S" },
    { pid: 12, ppid: 11, pgid: 12, state: "S" },
    { pid: 20, ppid: 1, pgid: 20, state: "S" },
  ];
  assert.deepEqual([...withDescendants(table, [10])].sort((a, b) => a - b), [10, 11, 12]);
  assert.deepEqual([...withDescendants(table, [20])], [20]);
});

test("processTable lists this process with its parent (Linux)", { skip: !HAS_PROC }, () => {
  const me = processTable().find((p) => p.pid === process.pid);
  assert.equal(me?.ppid, process.ppid);
});

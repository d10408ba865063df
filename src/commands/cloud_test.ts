import { test } from "node:test";
import assert from "node:assert/strict";
import {
  applyTask,
  cloudApply,
  cloudDiff,
  cloudExec,
  cloudListArgs,
  cloudStatus,
  parseCloudList,
  parseCloudStatus,
} from "./cloud.ts";

test("cloudListArgs asks for JSON and adds --env, --limit and --cursor in that order", () => {
  assert.deepEqual(cloudListArgs(), ["cloud", "list", "--json"]);
  assert.deepEqual(cloudListArgs({ environment: "env-1", limit: 20, cursor: "c2" }), [
    "cloud",
    "list",
    "--json",
    "--env",
    "env-1",
    "--limit",
    "20",
    "--cursor",
    "c2",
  ]);
  assert.deepEqual(cloudListArgs({ limit: 1 }), ["cloud", "list", "--json", "--limit", "1"]);
});

test("cloudListArgs rejects a limit outside 1-20 or not an integer, naming the option", () => {
  for (const limit of [0, 21, 2.5, Number.NaN]) {
    assert.throws(
      () => cloudListArgs({ limit }),
      (e: unknown) =>
        e instanceof TypeError && e.message.includes("options.limit") &&
        e.message.includes(String(limit)),
    );
  }
});

test("cloudListArgs rejects an empty environment or cursor", () => {
  assert.throws(() => cloudListArgs({ environment: "" }), /options\.environment/);
  assert.throws(() => cloudListArgs({ cursor: "" }), /options\.cursor/);
  assert.throws(
    () => cloudListArgs({ environment: 3 as unknown as string }),
    /options\.environment must be a non-empty string/,
  );
});

test("parseCloudList reads a page, keeps unknown fields and maps a missing cursor to null", () => {
  const page = parseCloudList({
    tasks: [{ id: "task_1", title: "Fix", status: "ready", newer_field: { x: 1 } }],
    cursor: "next",
  });
  assert.equal(page.cursor, "next");
  assert.equal(page.tasks[0].id, "task_1");
  assert.deepEqual(page.tasks[0].newer_field, { x: 1 });
  assert.deepEqual(parseCloudList({ tasks: [], cursor: null }), { tasks: [], cursor: null });
  assert.deepEqual(parseCloudList({ tasks: [], cursor: 7 }), { tasks: [], cursor: null });
});

test("parseCloudList accepts a bare array of tasks as a last page", () => {
  assert.deepEqual(parseCloudList([{ id: "a" }, { id: "b" }]), {
    tasks: [{ id: "a" }, { id: "b" }],
    cursor: null,
  });
});

test("parseCloudList rejects a value with no task list or a task with no string id", () => {
  for (const bad of [null, "text", 3, {}, { tasks: "no" }]) {
    assert.throws(() => parseCloudList(bad), /expected \{ tasks: \[\.\.\.\] \}/);
  }
  assert.throws(() => parseCloudList({ tasks: [{ id: 1 }] }), /a task has no string id/);
  assert.throws(() => parseCloudList({ tasks: [null] }), /a task has no string id/);
});

test("parseCloudStatus reads the status, title, meta and diff summary, without colours", () => {
  const text = "\u001b[1m[READY]\u001b[0m Fix the flaky test\n" +
    "  prod-env  •  3m ago\n" +
    "  +12 / -3  •  2 files\n";
  assert.deepEqual(parseCloudStatus(text), {
    status: "ready",
    title: "Fix the flaky test",
    meta: "prod-env  •  3m ago",
    summary: { lines_added: 12, lines_removed: 3, files_changed: 2 },
    raw: "[READY] Fix the flaky test\n  prod-env  •  3m ago\n  +12 / -3  •  2 files",
  });
});

test("parseCloudStatus reads one file, and a summary line it does not know as no diff", () => {
  assert.deepEqual(parseCloudStatus("[APPLIED] t\nenv • now\n+1 / -0 • 1 file\n")?.summary, {
    lines_added: 1,
    lines_removed: 0,
    files_changed: 1,
  });
  const pending = parseCloudStatus("[PENDING] Still working\n\nenv\nno diff\n");
  assert.equal(pending?.status, "pending");
  assert.equal(pending?.meta, "env");
  assert.equal(pending?.summary, null);
});

test("parseCloudStatus returns undefined when the first line is not a [STATUS] head", () => {
  assert.equal(parseCloudStatus(""), undefined);
  assert.equal(parseCloudStatus("Error: not logged in\n"), undefined);
  assert.equal(parseCloudStatus("READY title\n"), undefined);
});

test("the cloud commands reject a task id that is empty or looks like a flag before spawning", async () => {
  // A fake codex path that does not exist: the check must fire before any spawn is tried.
  const options = { codexPathOverride: "/nonexistent/codex" };
  for (const id of ["", "  ", "--help", 5 as unknown as string]) {
    await assert.rejects(applyTask(id, options), /Cannot apply the task: taskId must be/);
    await assert.rejects(cloudStatus(id, options), /Cannot read the task status: taskId/);
    await assert.rejects(cloudDiff(id, options), /Cannot read the task diff: taskId/);
    await assert.rejects(cloudApply(id, options), /Cannot apply the task: taskId/);
  }
});

test("cloudDiff and cloudApply reject an attempt that is not an integer >= 1", async () => {
  const options = { codexPathOverride: "/nonexistent/codex" };
  for (const attempt of [0, -1, 1.5]) {
    await assert.rejects(
      cloudDiff("task_1", { ...options, attempt }),
      (e: unknown) => e instanceof TypeError && e.message.includes("options.attempt"),
    );
    await assert.rejects(cloudApply("task_1", { ...options, attempt }), /options\.attempt/);
  }
});

test("cloudExec rejects an empty prompt, a missing environment, bad attempts and an empty branch", async () => {
  const base = { codexPathOverride: "/nonexistent/codex", environment: "env" };
  await assert.rejects(cloudExec(" ", base), /prompt must be a non-empty string/);
  await assert.rejects(
    cloudExec("go", { ...base, environment: "" }),
    /options\.environment is required/,
  );
  await assert.rejects(cloudExec("go", { ...base, attempts: 0 }), /options\.attempts/);
  await assert.rejects(cloudExec("go", { ...base, branch: "" }), /options\.branch/);
});

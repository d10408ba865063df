import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { getSpawner } from "../src/runtime/mod.ts";
import { BundleError } from "../src/errors.ts";
import { withFileLock } from "./_lock.ts";

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-lock-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = await getSpawner().spawn("/bin/sh", ["-c", "exit 0"], { stdin: "null" });
  await Promise.all([child.stdout.cancel(), child.stderr.cancel(), child.exited]);
  return child.pid!;
}

test("withFileLock lets one holder in at a time and removes its lock", () =>
  withTemp(async (dir) => {
    const path = join(dir, "bundle.jsonc.lock");
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((n) =>
      withFileLock(path, async () => {
        inside++;
        most = Math.max(most, inside);
        const held = JSON.parse(await readFile(path, "utf8"));
        assert.equal(held.pid, process.pid);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(n);
        inside--;
      }, { pollMs: 2 })
    ));
    assert.equal(most, 1);
    assert.equal(order.length, 4);
    assert.deepEqual(await readdir(dir), []);
  }));

test("withFileLock takes over a lock whose process has exited", () =>
  withTemp(async (dir) => {
    const path = join(dir, "bundle.jsonc.lock");
    const pid = await deadPid();
    await writeFile(path, JSON.stringify({ pid, host: hostname(), token: "old", at: Date.now() }));
    assert.equal(
      await withFileLock(path, () => Promise.resolve("ran"), { timeoutMs: 5_000 }),
      "ran",
    );
    assert.deepEqual(await readdir(dir), []);
  }));

test("withFileLock waits for a live holder and names it when the wait runs out", () =>
  withTemp(async (dir) => {
    const path = join(dir, "bundle.jsonc.lock");
    const owner = { pid: process.pid, host: hostname(), token: "someone", at: Date.now() };
    await writeFile(path, JSON.stringify(owner));
    let ran = false;
    await assert.rejects(
      withFileLock(path, () => Promise.resolve(void (ran = true)), { timeoutMs: 100, pollMs: 10 }),
      (e) =>
        e instanceof BundleError &&
        e.message.startsWith(`Cannot lock ${path}: held by process ${process.pid} on `),
    );
    assert.equal(ran, false);
    // the holder's lock is left alone
    assert.equal(JSON.parse(await readFile(path, "utf8")).token, "someone");
  }));

test("withFileLock releases the lock when the work throws", () =>
  withTemp(async (dir) => {
    const path = join(dir, "bundle.jsonc.lock");
    await assert.rejects(withFileLock(path, () => Promise.reject(new Error("boom"))), /boom/);
    assert.deepEqual(await readdir(dir), []);
  }));

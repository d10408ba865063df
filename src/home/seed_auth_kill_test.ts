import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { Buffer } from "node:buffer";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { detectRuntime } from "../runtime/mod.ts";
import { seedAuthFrom } from "./seed_auth.ts";
import { isStaleTemp, STALE_TEMP_MS, TEMP_PREFIX, writeFileAtomic } from "../fs/atomic_write.ts";

const CHILD = fileURLToPath(new URL("./testdata/seed_mid_write_child.ts", import.meta.url));
const SECRET = "sk-kill-test-0123456789";

/**
 * Starts a seeding child that stops half-way through writing `auth.json` (the fault point of
 * `atomicWriteFaults`), checks the write is under way, then SIGKILLs the child right there.
 * Returns the temp file the write was filling.
 */
async function killMidWrite(source: string, target: string, full: string): Promise<string> {
  const args = detectRuntime() === "deno" ? ["run", "-A", CHILD] : [CHILD];
  const child = spawn(process.execPath, [...args, source, target], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    const temp = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk) => {
        out += chunk;
        const match = /mid-write (.+)\n/.exec(out);
        if (match) resolve(match[1]);
      });
      child.once(
        "exit",
        (code) => reject(new Error(`seeding child exited early (${code}): ${out}`)),
      );
    });
    // The write is under way: half the data in the temp file, the target still whole.
    assert.equal((await stat(temp)).size, Buffer.byteLength(full) >> 1);
    assert.equal(await readFile(join(target, "auth.json"), "utf8"), full);
    return temp;
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
}

/** Files a write left behind: anything but the two credential files. */
async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) =>
    name !== "auth.json" && name !== ".credentials.json"
  );
}

test("seedAuthFrom killed by SIGKILL mid-write leaves the target whole and a temp file the next seed removes", async () => {
  const root = await mkdtemp(join(tmpdir(), "codexkit-seedkill-"));
  try {
    const source = join(root, "trusted");
    const target = join(root, "target");
    await mkdir(source);
    const auth = JSON.stringify({ OPENAI_API_KEY: SECRET, pad: "p".repeat(64 << 10) });
    await writeFile(join(source, "auth.json"), auth);
    await writeFile(join(source, ".credentials.json"), auth);
    const temp = await killMidWrite(source, target, auth);
    // The kill landed inside the write: its half-written temp file is all it left.
    assert.deepEqual(await leftovers(target), [basename(temp)]);
    assert.ok(basename(temp).startsWith(TEMP_PREFIX), "the temp file is named as ours");
    assert.equal((await stat(temp)).mode & 0o077, 0, "the temp file is private");
    assert.equal(await readFile(join(target, "auth.json"), "utf8"), auth, "never torn");
    const report = await seedAuthFrom(source, target);
    assert.deepEqual(report.kept, ["auth.json", ".credentials.json"]);
    assert.deepEqual(await leftovers(target), [], "no credential copy is left");
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("writeFileAtomic removes stale temp files of ours and leaves live or foreign ones", async () => {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-atomic-"));
  try {
    // A pid that is no process: past the kernel's pid range on every platform we run on.
    const dead = `${TEMP_PREFIX}2147483646-00aa11bb22cc-auth.json`;
    const live = `${TEMP_PREFIX}${process.pid}-00aa11bb22cc-auth.json`;
    const legacy = ".auth.json.0123456789ab.tmp";
    const foreign = ".other.0123456789ab.tmp";
    for (const name of [dead, live, legacy, foreign]) await writeFile(join(dir, name), "x");
    await writeFileAtomic(join(dir, "auth.json"), "{}", 0o600);
    const names = (await readdir(dir)).sort();
    assert.ok(!names.includes(dead), "a dead writer's temp file goes");
    assert.ok(names.includes(live), "a live writer's temp file stays");
    assert.ok(names.includes(legacy), "a recent temp file of the earlier naming stays");
    assert.ok(names.includes(foreign), "another file's temp stays");
    assert.equal((await stat(join(dir, "auth.json"))).mode & 0o777, 0o600);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("isStaleTemp: by owner pid, then by age; the earlier naming by age, for its target only", () => {
  const alive = (pid: number) => pid === 42;
  const old = STALE_TEMP_MS + 1;
  assert.equal(isStaleTemp(`${TEMP_PREFIX}42-ab-auth.json`, 10, "auth.json", alive), false);
  assert.equal(isStaleTemp(`${TEMP_PREFIX}43-ab-auth.json`, 10, "auth.json", alive), true);
  assert.equal(isStaleTemp(`${TEMP_PREFIX}42-ab-auth.json`, old, "auth.json", alive), true);
  assert.equal(isStaleTemp(".auth.json.0123456789ab.tmp", old, "auth.json", alive), true);
  assert.equal(isStaleTemp(".auth.json.0123456789ab.tmp", 10, "auth.json", alive), false);
  assert.equal(isStaleTemp(".auth.json.0123456789ab.tmp", old, "config.toml", alive), false);
  assert.equal(isStaleTemp("auth.json", old, "auth.json", alive), false);
});

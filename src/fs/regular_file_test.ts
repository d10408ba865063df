import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemError } from "../errors.ts";
import { readRegularFile } from "./regular_file.ts";

async function scratch(): Promise<AsyncDisposable & { path: string }> {
  const path = await mkdtemp(join(tmpdir(), "codexkit-regular-"));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

// A read that blocks fails the test instead of hanging the run.
const HANG_LIMIT = { timeout: 30_000 };

test("readRegularFile reads a regular file and gives undefined for a missing one", async () => {
  await using dir = await scratch();
  await writeFile(join(dir.path, "a.json"), "{}");
  assert.equal(new TextDecoder().decode(await readRegularFile(join(dir.path, "a.json"))), "{}");
  assert.equal(await readRegularFile(join(dir.path, "missing.json")), undefined);
});

test("readRegularFile refuses a FIFO at once, naming it", HANG_LIMIT, async () => {
  await using dir = await scratch();
  const fifo = join(dir.path, "auth.json");
  execFileSync("mkfifo", [fifo]);
  await assert.rejects(
    readRegularFile(fifo, { what: "auth.json" }),
    (e: unknown) =>
      e instanceof FileSystemError && e.path === fifo && e.operation === "read" &&
      e.message === `Cannot read auth.json ${fifo}: it is a FIFO, not a regular file`,
  );
});

test("readRegularFile refuses a directory and a device", HANG_LIMIT, async () => {
  await using dir = await scratch();
  await mkdir(join(dir.path, "d"));
  await assert.rejects(readRegularFile(join(dir.path, "d")), /it is a directory/);
  await assert.rejects(readRegularFile("/dev/zero"), /it is a device/);
});

test("readRegularFile with noFollow refuses a symlink with ELOOP", async () => {
  await using dir = await scratch();
  await writeFile(join(dir.path, "real"), "x");
  await symlink(join(dir.path, "real"), join(dir.path, "link"));
  await assert.rejects(
    readRegularFile(join(dir.path, "link"), { noFollow: true }),
    (e: unknown) => e instanceof FileSystemError && e.code === "ELOOP" && e.operation === "open",
  );
  assert.equal((await readRegularFile(join(dir.path, "link")))?.length, 1);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ensureCodexHome } from "./layout.ts";
import { CodexHomeError } from "./home_error.ts";

async function scratch(): Promise<AsyncDisposable & { path: string }> {
  const path = await mkdtemp(join(tmpdir(), "codexkit-layout-"));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

test("ensureCodexHome creates missing parents and returns the absolute path", async () => {
  await using dir = await scratch();
  const wanted = join(dir.path, "a", "b", "home");
  const got = await ensureCodexHome(relative(process.cwd(), wanted));
  assert.equal(got, wanted);
  assert.ok((await stat(got)).isDirectory());
});

test("ensureCodexHome accepts an existing directory unchanged", async () => {
  await using dir = await scratch();
  await writeFile(join(dir.path, "keep.txt"), "x");
  assert.equal(await ensureCodexHome(dir.path), dir.path);
  assert.ok((await stat(join(dir.path, "keep.txt"))).isFile());
});

test("ensureCodexHome rejects a path that is a file, naming it", async () => {
  await using dir = await scratch();
  const file = join(dir.path, "not-a-dir");
  await writeFile(file, "x");
  await assert.rejects(ensureCodexHome(file), (e: unknown) => {
    assert.ok(e instanceof CodexHomeError);
    assert.equal(e.reason, "not-a-directory");
    assert.equal(e.path, file);
    assert.match(e.message, /not-a-dir/);
    return true;
  });
});

test("ensureCodexHome rejects a path below a file, naming the file", async () => {
  await using dir = await scratch();
  const file = join(dir.path, "plain");
  await writeFile(file, "x");
  await assert.rejects(ensureCodexHome(join(file, "home")), (e: unknown) => {
    assert.ok(e instanceof CodexHomeError);
    assert.equal(e.reason, "not-a-directory");
    assert.equal(e.path, file);
    return true;
  });
});

test("ensureCodexHome rejects a parent it cannot write with a typed error", async () => {
  // /sys refuses mkdir even for root (EPERM), so this bites whoever runs the tests.
  const target = "/sys/codexkit-home-test/home";
  await assert.rejects(ensureCodexHome(target), (e: unknown) => {
    assert.ok(e instanceof CodexHomeError);
    assert.equal(e.reason, "not-writable");
    assert.equal(e.path, "/sys/codexkit-home-test");
    assert.match(e.message, /not writable/);
    assert.match(e.message, /codexkit-home-test\/home/);
    return true;
  });
});

test("ensureCodexHome rejects an empty path with a TypeError", async () => {
  await assert.rejects(ensureCodexHome(""), TypeError);
});

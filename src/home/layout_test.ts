import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { classifyHomeEntry, ensureCodexHome, inspectCodexHome } from "./layout.ts";
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
  assert.deepEqual(await readdir(dir.path), ["keep.txt"]);
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

test("ensureCodexHome on a read-only home does what the file system says", async () => {
  await using dir = await scratch();
  await chmod(dir.path, 0o500);
  // Root ignores permission bits, so detect what this user can really do first.
  const writable = await writeFile(join(dir.path, "probe"), "x").then(() => true, () => false);
  await rm(join(dir.path, "probe"), { force: true }).catch(() => {});
  try {
    if (writable) {
      assert.equal(await ensureCodexHome(dir.path), dir.path);
    } else {
      await assert.rejects(ensureCodexHome(dir.path), (e: unknown) => {
        assert.ok(e instanceof CodexHomeError);
        assert.equal(e.reason, "not-writable");
        return true;
      });
    }
  } finally {
    await chmod(dir.path, 0o700);
  }
});

test("inspectCodexHome lists known entries with sizes and tolerates unknown ones", async () => {
  await using dir = await scratch();
  const home = dir.path;
  await writeFile(join(home, "config.toml"), 'model = "x"\n');
  await writeFile(join(home, "auth.json"), "{}");
  await writeFile(join(home, "installation_id"), "id");
  await writeFile(join(home, "state_5.sqlite"), "12345");
  await writeFile(join(home, "state_5.sqlite-wal"), "12");
  await writeFile(join(home, "logs_2.sqlite"), "1");
  await writeFile(join(home, "brand_new_thing.bin"), "zz");
  await mkdir(join(home, "sessions", "2026", "01"), { recursive: true });
  await writeFile(join(home, "sessions", "2026", "01", "a.jsonl"), "abcdef");
  await mkdir(join(home, "future_dir"));
  await symlink(join(home, "auth.json"), join(home, "linked"));
  const layout = await inspectCodexHome(home);
  assert.equal(layout.exists, true);
  assert.equal(layout.config?.size, 12);
  assert.equal(layout.auth?.size, 2);
  assert.equal(layout.credentials, undefined);
  assert.equal(layout.installationId?.size, 2);
  assert.equal(layout.sessions?.type, "directory");
  assert.equal(layout.sessions?.size, 6);
  assert.deepEqual(layout.stateDbs.map((e) => [e.name, e.size]), [
    ["state_5.sqlite", 5],
    ["state_5.sqlite-wal", 2],
  ]);
  assert.deepEqual(layout.logsDbs.map((e) => e.name), ["logs_2.sqlite"]);
  assert.deepEqual(layout.unknown.map((e) => [e.name, e.type]), [
    ["brand_new_thing.bin", "file"],
    ["future_dir", "directory"],
    ["linked", "symlink"],
  ]);
  assert.equal(layout.entries.length, 10);
});

test("inspectCodexHome reports a missing home and rejects a file", async () => {
  await using dir = await scratch();
  const missing = await inspectCodexHome(join(dir.path, "nope"));
  assert.equal(missing.exists, false);
  assert.deepEqual(missing.entries, []);
  await writeFile(join(dir.path, "file"), "x");
  await assert.rejects(inspectCodexHome(join(dir.path, "file")), CodexHomeError);
});

test("classifyHomeEntry names known entries and leaves others undefined", () => {
  const cases: [string, "file" | "directory", string | undefined][] = [
    ["config.toml", "file", "config"],
    ["auth.json", "file", "auth"],
    [".credentials.json", "file", "credentials"],
    ["installation_id", "file", "installation_id"],
    ["sessions", "directory", "sessions"],
    ["sessions", "file", undefined],
    ["log", "directory", "log"],
    ["logs_12.sqlite-shm", "file", "logs_db"],
    ["state_5.sqlite", "file", "state_db"],
    ["state_x.sqlite", "file", undefined],
    ["skills", "directory", "skills"],
    ["history.jsonl", "file", "history"],
    ["auth.json", "directory", undefined],
    ["goals_1.sqlite", "file", undefined],
  ];
  for (const [name, type, role] of cases) {
    assert.equal(classifyHomeEntry(name, type), role, `${name} (${type})`);
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CodexHomeError } from "./home_error.ts";
import { seedAuthFrom } from "./seed_auth.ts";

async function scratch(): Promise<AsyncDisposable & { path: string }> {
  const path = await mkdtemp(join(tmpdir(), "codexkit-seed-"));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

const AUTH = '{"auth_mode":"apikey","OPENAI_API_KEY":"sk-seed-test-0000000000"}\n';

async function trustedHome(root: string): Promise<string> {
  const home = join(root, "trusted");
  await mkdir(join(home, "sessions", "2026"), { recursive: true });
  await writeFile(join(home, "auth.json"), AUTH, { mode: 0o644 });
  await writeFile(join(home, ".credentials.json"), '{"mcp":{}}');
  await writeFile(join(home, "history.jsonl"), "{}\n");
  await writeFile(join(home, "state_5.sqlite"), "db");
  await writeFile(join(home, "config.toml"), 'model = "x"\n');
  return home;
}

test("seedAuthFrom copies only the credential files, mode 0600, into a new home", async () => {
  await using dir = await scratch();
  const source = await trustedHome(dir.path);
  const target = join(dir.path, "isolated", "home");
  const report = await seedAuthFrom(source, target);
  assert.deepEqual(report, {
    target,
    copied: ["auth.json", ".credentials.json"],
    skipped: [],
    kept: [],
  });
  assert.deepEqual((await readdir(target)).sort(), [".credentials.json", "auth.json"]);
  assert.equal(await readFile(join(target, "auth.json"), "utf8"), AUTH);
  assert.equal((await stat(join(target, "auth.json"))).mode & 0o777, 0o600);
  assert.equal((await stat(join(target, ".credentials.json"))).mode & 0o777, 0o600);
});

test("seedAuthFrom skips missing files and reports them", async () => {
  await using dir = await scratch();
  const source = join(dir.path, "src");
  await mkdir(source);
  await writeFile(join(source, "auth.json"), AUTH);
  const report = await seedAuthFrom(source, join(dir.path, "dst"));
  assert.deepEqual([report.copied, report.skipped, report.kept], [
    ["auth.json"],
    [".credentials.json"],
    [],
  ]);
});

test("seedAuthFrom with require throws a typed error for a missing file and writes nothing", async () => {
  await using dir = await scratch();
  const source = join(dir.path, "src");
  await mkdir(source);
  await writeFile(join(source, ".credentials.json"), "{}");
  const target = join(dir.path, "dst");
  await assert.rejects(seedAuthFrom(source, target, { require: true }), (e: unknown) => {
    assert.ok(e instanceof CodexHomeError);
    assert.equal(e.reason, "missing");
    assert.equal(e.path, join(source, "auth.json"));
    return true;
  });
  await assert.rejects(stat(target));
  await assert.rejects(
    seedAuthFrom(source, target, { require: [".credentials.json", "auth.json"] }),
    CodexHomeError,
  );
  await assert.rejects(
    seedAuthFrom(source, target, { require: ["history.jsonl" as "auth.json"] }),
    TypeError,
  );
});

test("seedAuthFrom keeps existing target credentials unless overwrite is set", async () => {
  await using dir = await scratch();
  const source = await trustedHome(dir.path);
  const target = join(dir.path, "dst");
  await mkdir(target);
  await writeFile(join(target, "auth.json"), "mine");
  const kept = await seedAuthFrom(source, target);
  assert.deepEqual([kept.copied, kept.kept], [[".credentials.json"], ["auth.json"]]);
  assert.equal(await readFile(join(target, "auth.json"), "utf8"), "mine");
  const replaced = await seedAuthFrom(source, target, { overwrite: true });
  assert.deepEqual(replaced.copied, ["auth.json", ".credentials.json"]);
  assert.equal(await readFile(join(target, "auth.json"), "utf8"), AUTH);
  assert.equal((await stat(join(target, "auth.json"))).mode & 0o777, 0o600);
  assert.deepEqual((await readdir(target)).sort(), [".credentials.json", "auth.json"]);
});

test("seedAuthFrom refuses a symlinked source file", async () => {
  await using dir = await scratch();
  const source = join(dir.path, "src");
  await mkdir(source);
  await writeFile(join(dir.path, "elsewhere.json"), AUTH);
  await symlink(join(dir.path, "elsewhere.json"), join(source, "auth.json"));
  const target = join(dir.path, "dst");
  await assert.rejects(seedAuthFrom(source, target), (e: unknown) => {
    assert.ok(e instanceof CodexHomeError);
    assert.equal(e.reason, "symlink");
    assert.equal(e.path, join(source, "auth.json"));
    return true;
  });
  await assert.rejects(stat(join(target, "auth.json")));
});

test("seedAuthFrom refuses a symlinked target file even with overwrite", async () => {
  await using dir = await scratch();
  const source = await trustedHome(dir.path);
  const target = join(dir.path, "dst");
  await mkdir(target);
  const victim = join(dir.path, "victim.txt");
  await writeFile(victim, "untouched");
  await symlink(victim, join(target, "auth.json"));
  await assert.rejects(seedAuthFrom(source, target, { overwrite: true }), (e: unknown) => {
    assert.ok(e instanceof CodexHomeError);
    assert.equal(e.reason, "symlink");
    assert.equal(e.path, join(target, "auth.json"));
    return true;
  });
  assert.equal(await readFile(victim, "utf8"), "untouched");
});

test("seedAuthFrom rejects the same directory as source and target", async () => {
  await using dir = await scratch();
  const source = await trustedHome(dir.path);
  await assert.rejects(seedAuthFrom(source, `${source}/.`), TypeError);
});

test("seedAuthFrom error messages never contain the credentials", async () => {
  await using dir = await scratch();
  const source = await trustedHome(dir.path);
  const target = join(dir.path, "dst-file");
  await writeFile(target, "a file, not a home");
  const error = await seedAuthFrom(source, target).catch((e: unknown) => e);
  assert.ok(error instanceof CodexHomeError);
  assert.equal(error.reason, "not-a-directory");
  assert.doesNotMatch(`${error.message} ${error.stack}`, /sk-seed-test/);
});

test("seedAuthFrom refuses a FIFO source auth.json at once, naming it", {
  timeout: 30_000, // a read that blocks fails the test instead of hanging the run
}, async () => {
  await using dir = await scratch();
  const source = join(dir.path, "trusted");
  await mkdir(source);
  const fifo = join(source, "auth.json");
  execFileSync("mkfifo", [fifo]);
  await assert.rejects(
    seedAuthFrom(source, join(dir.path, "target")),
    (e: unknown) =>
      e instanceof CodexHomeError && e.path === fifo && e.reason === "io" &&
      e.message ===
        `Cannot seed auth: Cannot read source ${fifo}: it is a FIFO, not a regular file`,
  );
});

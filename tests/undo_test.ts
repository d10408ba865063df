/**
 * Undo of a turn with the real codex (offline): a checkpoint taken before an apply_patch turn
 * shows the turn's change as a diff, and undo puts the work tree back (a changed file, a
 * deleted one, a new one, untracked files too) while the index, HEAD and branch stay as they
 * were. On both transports.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { checkpoint, CHECKPOINT_REF_PREFIX } from "../src/undo/mod.ts";
import { CodexError } from "../src/errors.ts";
import { runToEnd } from "../src/process/run_to_end.ts";
import { getSpawner } from "../src/runtime/mod.ts";
import { tempDir } from "./_codex.ts";
import { offlineClient } from "./_offline_codex.ts";
import type { Transport } from "../src/options.ts";

const env: Record<string, string> = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: "/nonexistent",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@t",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@t",
};

async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await runToEnd("git", args, {
    spawner: getSpawner(),
    cwd,
    env,
    timeoutMs: 60_000,
  });
  assert.equal(result.exitCode, 0, `git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** A repo with a commit, a staged change, an untracked file and an ignored one. */
async function repo(dir: string): Promise<void> {
  await git(dir, "init", "-q", "-b", "main");
  await writeFile(join(dir, ".gitignore"), "ignored.log\n");
  await writeFile(join(dir, "tracked.txt"), "one\ntwo\n");
  await writeFile(join(dir, "gone.txt"), "bye\n");
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", "first");
  await writeFile(join(dir, "staged.txt"), "staged\n");
  await git(dir, "add", "staged.txt");
  await writeFile(join(dir, "notes.txt"), "untracked\n");
  await writeFile(join(dir, "ignored.log"), "log\n");
}

/** Everything undo must leave alone: HEAD, branch, index, status. */
async function state(dir: string): Promise<string[]> {
  return [
    await git(dir, "rev-parse", "HEAD"),
    await git(dir, "symbolic-ref", "HEAD"),
    await git(dir, "diff", "--cached", "--name-status"),
    await git(dir, "status", "--porcelain", "--untracked-files=all"),
    await git(dir, "stash", "list"),
  ];
}

const PATCH = [
  "*** Begin Patch",
  "*** Update File: tracked.txt",
  "@@",
  " one",
  "-two",
  "+TWO",
  "*** Delete File: gone.txt",
  "*** Add File: hello.txt",
  "+hello",
  "*** End Patch",
  "",
].join("\n");

for (const transport of ["exec", "app-server"] satisfies Transport[]) {
  test(`checkpoint diffs and undoes an apply_patch turn on ${transport}, leaving index, HEAD and branch alone`, async () => {
    await using server = await startFakeResponsesServer([
      reply.applyPatch(PATCH),
      reply.message("Patched."),
    ]);
    await using client = await offlineClient(server);
    const work = client.work;
    await repo(work);
    const before = await state(work);
    const untouched = await readFile(join(work, "notes.txt"), "utf8");

    await using cp = await checkpoint(work, { env });
    assert.ok(cp.ref.startsWith(CHECKPOINT_REF_PREFIX));
    assert.deepEqual(await state(work), before, "taking a checkpoint changes nothing");

    const thread = client.codex.startThread({
      transport,
      workingDirectory: work,
      sandboxMode: "workspace-write",
      ...(transport === "exec" ? { skipGitRepoCheck: true } : {}),
    });
    await thread.run("Apply the patch");
    assert.equal(await readFile(join(work, "hello.txt"), "utf8"), "hello\n", "the turn ran");

    assert.deepEqual((await cp.changedPaths()).sort(), ["gone.txt", "hello.txt", "tracked.txt"]);
    const diff = await cp.diff();
    assert.match(diff, /^-two$/m);
    assert.match(diff, /^\+TWO$/m);
    assert.match(diff, /^\+\+\+ b\/hello\.txt$/m);
    assert.match(diff, /^deleted file mode/m);

    assert.deepEqual((await cp.undo()).sort(), ["gone.txt", "hello.txt", "tracked.txt"]);
    assert.equal(await readFile(join(work, "tracked.txt"), "utf8"), "one\ntwo\n");
    assert.equal(await readFile(join(work, "gone.txt"), "utf8"), "bye\n");
    await assert.rejects(readFile(join(work, "hello.txt")), { code: "ENOENT" });
    assert.equal(await readFile(join(work, "notes.txt"), "utf8"), untouched);
    assert.equal(await readFile(join(work, "ignored.log"), "utf8"), "log\n");
    assert.deepEqual(await state(work), before, "index, HEAD, branch and status as before");
    assert.equal(await cp.diff(), "");

    await cp.release();
    assert.equal(await git(work, "for-each-ref", CHECKPOINT_REF_PREFIX), "", "the ref is gone");
  });
}

test("checkpoint outside a git work tree is a CodexError naming the directory", async () => {
  await using dir = await tempDir("codexkit-nogit-");
  await assert.rejects(
    checkpoint(dir.path, { env: { ...env, GIT_CEILING_DIRECTORIES: dir.path } }),
    (error: unknown) => error instanceof CodexError && error.message.includes(dir.path),
  );
  await assert.rejects(checkpoint(""), TypeError);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIsolatedHome } from "./isolated_home.ts";
import { CodexHomeError } from "./home_error.ts";

test("createIsolatedHome makes a private temp dir that dispose removes", async () => {
  let path: string;
  {
    await using home = await createIsolatedHome();
    path = home.path;
    assert.equal((await stat(path)).mode & 0o777, 0o700);
    assert.match(path, /codex-home-/);
    await writeFile(join(path, "installation_id"), "x");
  }
  await assert.rejects(stat(path));
});

test("createIsolatedHome seeds credentials from a trusted home", async () => {
  const root = await mkdtemp(join(tmpdir(), "codexkit-iso-"));
  try {
    const trusted = join(root, "trusted");
    await mkdir(trusted);
    await writeFile(join(trusted, "auth.json"), "{}");
    await writeFile(join(trusted, "history.jsonl"), "{}\n");
    await using home = await createIsolatedHome({
      parent: join(root, "homes"),
      seedAuthFrom: trusted,
    });
    assert.deepEqual(home.seeded?.copied, ["auth.json"]);
    assert.deepEqual(await readdir(home.path), ["auth.json"]);
    assert.ok(home.path.startsWith(join(root, "homes")));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("createIsolatedHome removes its dir when a required seed file is missing", async () => {
  const root = await mkdtemp(join(tmpdir(), "codexkit-iso-"));
  try {
    await assert.rejects(
      createIsolatedHome({
        parent: join(root, "homes"),
        seedAuthFrom: join(root, "empty"),
        seedAuth: { require: true },
      }),
      CodexHomeError,
    );
    assert.deepEqual(await readdir(join(root, "homes")), []);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

/**
 * `debugModels`, `debugPromptInput` and `helpPage` against the real codex, offline: a fresh
 * CODEX_HOME per test, plugins and analytics off, the bundled model catalog only.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { debugModels, debugPromptInput, helpPage } from "../src/commands/mod.ts";
import type { RunCommandOptions } from "../src/commands/mod.ts";
import { UnsupportedError } from "../src/errors.ts";
import { NATIVE_CODEX, NATIVE_CODEX_PATH_DIR, tempDir, testCodexSupports } from "./_codex.ts";

async function scratch(): Promise<{ options: RunCommandOptions } & AsyncDisposable> {
  const dir = await tempDir("codexkit-debug-");
  const home = join(dir.path, "home");
  const tmp = join(dir.path, "tmp");
  await mkdir(home);
  await mkdir(tmp);
  return {
    options: {
      codexPathOverride: NATIVE_CODEX,
      codexHome: home,
      cwd: dir.path,
      env: {
        PATH: `${NATIVE_CODEX_PATH_DIR}:${process.env.PATH ?? "/usr/bin:/bin"}`,
        HOME: dir.path,
        TMPDIR: tmp,
      },
      disable: ["plugins"],
      config: { analytics: { enabled: false } },
    },
    [Symbol.asyncDispose]: () => dir[Symbol.asyncDispose](),
  };
}

test("debugModels lists the bundled catalog with each model's efforts", async (t) => {
  if ((await testCodexSupports("command.debug")) !== "supported") {
    return t.skip("this codex has no `codex debug`");
  }
  await using s = await scratch();
  const models = await debugModels(s.options);
  assert.ok(models.length > 0);
  for (const model of models) assert.equal(typeof model.slug, "string");
  assert.ok(
    models.some((m) => (m.supported_reasoning_levels ?? []).some((e) => e.effort === "high")),
  );
  await assert.rejects(debugModels({ ...s.options, bundled: "yes" as unknown as boolean }), {
    name: "TypeError",
    message: /Cannot use bundled/,
  });
});

test("debugPromptInput shows the prompt the model would get, as the last user item", async (t) => {
  if ((await testCodexSupports("command.debug")) !== "supported") {
    return t.skip("this codex has no `codex debug`");
  }
  await using s = await scratch();
  const prompt = "-starts with a dash, and is still the prompt";
  const items = await debugPromptInput(prompt, s.options);
  const texts = JSON.stringify(items.filter((i) => i.role === "user"));
  assert.ok(texts.includes(prompt), texts.slice(0, 300));
});

test("helpPage returns a command's own page and refuses a word the CLI does not have", async () => {
  await using s = await scratch();
  const page = await helpPage(["exec", "resume"], s.options);
  assert.match(page, /Usage: \S+ exec resume/);
  await assert.rejects(
    helpPage(["exec", "no-such-word"], s.options),
    (e: unknown) => e instanceof UnsupportedError && e.feature === "command.exec.no-such-word",
  );
  await assert.rejects(helpPage(["--version"], s.options), /Cannot use words/);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  causeText,
  discoverRegistry,
  normaliseRegistry,
  npmrcRegistry,
  packumentUrl,
  pickRegistry,
  PUBLIC_NPM_REGISTRY,
  redactUrl,
  versionDocumentUrl,
} from "./registry.ts";

test("pickRegistry prefers the option, then npm_config_registry in any case, then npm's answer", () => {
  const npm = "npm warn Unknown user config\nhttps://npm.example.test/\n";
  const table: [Parameters<typeof pickRegistry>[0], string | undefined, string | undefined][] = [
    [
      {
        option: "http://127.0.0.1:4873",
        env: { npm_config_registry: "https://env.test/" },
        npmConfigOutput: npm,
      },
      "http://127.0.0.1:4873/",
      "option",
    ],
    [
      { env: { npm_config_registry: "https://env.test/r" }, npmConfigOutput: npm },
      "https://env.test/r/",
      "env",
    ],
    [{ env: { NPM_CONFIG_REGISTRY: "https://upper.test" } }, "https://upper.test/", "env"],
    [
      { env: { npm_config_registry: "" }, npmConfigOutput: npm },
      "https://npm.example.test/",
      "npm-config",
    ],
    [{ env: {}, npmConfigOutput: "undefined\n" }, undefined, undefined],
    [{}, undefined, undefined],
  ];
  for (const [inputs, url, source] of table) {
    const choice = pickRegistry(inputs);
    assert.equal(choice?.url, url, JSON.stringify(inputs));
    assert.equal(choice?.source, source);
  }
  assert.throws(() => pickRegistry({ option: "ftp://x" }), /Invalid option registry/);
});

test("registry URLs keep a base path and encode the scoped name", () => {
  assert.equal(normaliseRegistry("https://h.test/api/npm/npm?x=1"), "https://h.test/api/npm/npm/");
  assert.equal(normaliseRegistry("not a url"), undefined);
  assert.equal(
    versionDocumentUrl("https://h.test/api/npm/", "0.169.0-linux-x64"),
    "https://h.test/api/npm/@openai%2fcodex/0.169.0-linux-x64",
  );
  assert.equal(packumentUrl("https://h.test/"), "https://h.test/@openai%2fcodex");
  assert.equal(redactUrl("https://user:secret@h.test/p?token=abc"), "https://h.test/p");
});

test("npmrcRegistry reads registry, prefers @openai:registry and expands ${VAR}", () => {
  assert.equal(npmrcRegistry("registry=https://a.test/\n", {}), "https://a.test/");
  assert.equal(
    npmrcRegistry(
      '; comment\nregistry = https://a.test\n@openai:registry="https://${HOST}/npm"\n',
      { HOST: "scoped.test" },
    ),
    "https://scoped.test/npm/",
  );
  assert.equal(npmrcRegistry("# nothing\nstrict-ssl=false\n", {}), undefined);
  assert.equal(npmrcRegistry("registry=not a url\n", {}), undefined);
});

test("discoverRegistry reads .npmrc files and falls back to the public registry", async () => {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-registry-"));
  try {
    const home = join(dir, "home");
    const project = join(dir, "project");
    const sub = join(project, "src");
    const empty = join(dir, "empty-path"); // a PATH without npm, as on a Deno-only machine
    for (const d of [home, sub, empty]) await mkdir(d, { recursive: true });
    const env = { HOME: home, PATH: empty };

    const none = await discoverRegistry({ env, cwd: sub });
    assert.deepEqual(none, { url: PUBLIC_NPM_REGISTRY, source: "default" });

    await writeFile(join(home, ".npmrc"), "registry=https://user.test/\n");
    assert.deepEqual(await discoverRegistry({ env, cwd: sub }), {
      url: "https://user.test/",
      source: "npmrc",
    });

    // the project's .npmrc sits beside the nearest package.json and wins over the user's
    await writeFile(join(project, "package.json"), "{}");
    await writeFile(join(project, ".npmrc"), "@openai:registry=https://project.test/\n");
    assert.deepEqual(await discoverRegistry({ env, cwd: sub }), {
      url: "https://project.test/",
      source: "npmrc",
    });

    // the environment wins over files
    assert.deepEqual(
      await discoverRegistry({
        env: { ...env, npm_config_registry: "http://127.0.0.1:9/" },
        cwd: sub,
      }),
      { url: "http://127.0.0.1:9/", source: "env" },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("causeText says why a fetch failed and masks credentials", () => {
  const refused = new TypeError("fetch failed", {
    cause: new Error("connect ECONNREFUSED 127.0.0.1:9"),
  });
  assert.equal(causeText(refused), "connect ECONNREFUSED 127.0.0.1:9");
  assert.equal(
    causeText(new TypeError("error sending request for url (https://u:secret@h.test/x)")),
    "error sending request for url (https://***@h.test/x)",
  );
});

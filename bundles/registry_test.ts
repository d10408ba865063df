import { test } from "node:test";
import assert from "node:assert/strict";
import {
  normaliseRegistry,
  packumentUrl,
  pickRegistry,
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

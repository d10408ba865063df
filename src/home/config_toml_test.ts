import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { FileFormatError } from "../errors.ts";
import { CodexHomeError } from "./home_error.ts";
import { encodeTomlValue, flattenConfig } from "../config/toml_literal.ts";
import {
  configuredShellEnvExclude,
  mergeConfig,
  parseConfigToml,
  readConfigToml,
  stringifyConfigToml,
  updateConfigToml,
  writeConfigToml,
} from "./config_toml.ts";

async function scratch(): Promise<AsyncDisposable & { path: string }> {
  const path = await mkdtemp(join(tmpdir(), "codexkit-config-"));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

const literalCases: [string, unknown][] = [
  ["plain string", "gpt-5.5"],
  ["quotes and backslashes", 'say "hi" \\ bye'],
  ["newlines and tabs", "line 1\nline 2\r\n\tend"],
  ["unicode and emoji", "héllo 世界 🚀"],
  ["control characters", "bell\u0007 del\u007f"],
  ["integer", 42],
  ["negative float", -1.5],
  ["boolean", false],
  ["array of strings", ["a", 'b "c"']],
  ["nested arrays", [[1, 2], ["x"]]],
  ["inline table", { name: "mock", retries: 0, nested: { ok: true } }],
  ["array of tables", [{ command: "npx", args: ["-y", "srv"] }, { url: "http://x" }]],
  ["key needing quotes", { "a.b c": "v" }],
];

for (const [name, value] of literalCases) {
  test(`encodeTomlValue literal of ${name} parses back with smol-toml unchanged`, () => {
    const doc = parse(`k = ${encodeTomlValue(value, "k")}`) as Record<string, unknown>;
    assert.deepEqual(JSON.parse(JSON.stringify(doc.k)), value);
  });
}

test("flattenConfig overrides and stringifyConfigToml describe the same config", () => {
  const config = {
    model: "gpt-5.5",
    model_providers: { mock: { name: "mock", base_url: "http://127.0.0.1:1/v1" } },
    mcp_servers: { docs: { command: "node", args: ["srv.js", '--flag="x"'] } },
    features: { plugins: false },
  };
  const fromFile = parseConfigToml(stringifyConfigToml(config));
  // Each `-c key=literal` applied to an empty table must rebuild the same tree.
  let fromOverrides: Record<string, unknown> = {};
  for (const pair of flattenConfig(config)) {
    const eq = pair.indexOf("=");
    // codex reads `-c a.b=LIT` as the TOML line `a.b = LIT`.
    const tree = parseConfigToml(`${pair.slice(0, eq)} = ${pair.slice(eq + 1)}`);
    fromOverrides = mergeConfig(fromOverrides, tree);
  }
  assert.deepEqual(fromOverrides, fromFile);
  assert.deepEqual(fromFile, config);
});

test("parseConfigToml types the common keys and keeps unknown ones", () => {
  const config = parseConfigToml(
    [
      'model = "gpt-5.5"',
      'sandbox_mode = "workspace-write"',
      'approval_policy = "never"',
      "future_key = { shiny = [1, 2] }",
      "[profiles.fast]",
      'model = "gpt-5.5-mini"',
      "[mcp_servers.docs]",
      'command = "npx"',
      'args = ["-y", "docs-server"]',
      "[features]",
      "plugins = false",
      "",
    ].join("\n"),
  );
  assert.equal(config.model, "gpt-5.5");
  assert.equal(config.sandbox_mode, "workspace-write");
  assert.equal(config.approval_policy, "never");
  assert.equal(config.profiles?.fast.model, "gpt-5.5-mini");
  assert.deepEqual(config.mcp_servers?.docs.args, ["-y", "docs-server"]);
  assert.equal(config.features?.plugins, false);
  assert.deepEqual(config.future_key, { shiny: [1, 2] });
});

test("parseConfigToml keeps a __proto__ key as a plain key", () => {
  const config = parseConfigToml('"__proto__" = { polluted = true }\n');
  assert.equal(Object.getPrototypeOf(config), Object.prototype);
  assert.deepEqual(Object.keys(config), ["__proto__"]);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test("parseConfigToml reports a syntax error with path, line and column and no content", () => {
  const text = 'model = "gpt-5.5"\napi = "sk-secret-value"\nbroken = [1,\n';
  assert.throws(() => parseConfigToml(text, "/h/config.toml"), (e: unknown) => {
    assert.ok(e instanceof FileFormatError);
    assert.equal(e.path, "/h/config.toml");
    assert.equal(e.line, 4);
    assert.equal(typeof e.column, "number");
    assert.match(e.message, /line 4, column \d+/);
    assert.doesNotMatch(e.message, /sk-secret-value/);
    return true;
  });
});

test("mergeConfig merges tables, replaces arrays and removes null keys without mutating", () => {
  const base = { model: "a", features: { x: true, y: true }, list: [1, 2], keep: "k" };
  const patch = { model: null, features: { y: false }, list: [3], added: { z: 1 } };
  const merged = mergeConfig(base, patch);
  assert.deepEqual(merged, {
    features: { x: true, y: false },
    list: [3],
    keep: "k",
    added: { z: 1 },
  });
  assert.deepEqual(base, { model: "a", features: { x: true, y: true }, list: [1, 2], keep: "k" });
});

test("stringifyConfigToml throws a TypeError naming the key path of an unencodable value", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ a: { b: null } }, /a\.b/],
    [{ n: Number.NaN }, /\bn\b.*not a finite number/],
    [{ f: () => 1 }, /\bf\b.*function/],
    [{ list: [1, undefined] }, /list\[1\]/],
    [{ c: cyclic }, /cycle/],
  ];
  for (const [config, pattern] of cases) {
    assert.throws(() => stringifyConfigToml(config), (e: unknown) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, pattern);
      return true;
    });
  }
});

test("readConfigToml reads a missing file as an empty config", async () => {
  await using home = await scratch();
  assert.deepEqual(await readConfigToml(home.path), {});
});

test("writeConfigToml writes atomically with mode 0600 and reads back the same config", async () => {
  await using home = await scratch();
  const config = {
    model: "gpt-5.5",
    model_providers: { local: { name: "local", base_url: "http://127.0.0.1:9/v1" } },
    unknown_table: { deep: { text: 'quote " and\nnewline' } },
  };
  const path = await writeConfigToml(home.path, config);
  assert.equal(path, join(home.path, "config.toml"));
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  assert.deepEqual(await readConfigToml(home.path), config);
});

test("updateConfigToml merges into the file and keeps keys it does not know", async () => {
  await using home = await scratch();
  await writeFile(
    join(home.path, "config.toml"),
    'model = "old"\nmystery = 7\n[features]\nweb_search = true\n',
  );
  const merged = await updateConfigToml(home.path, {
    model: "gpt-5.5",
    features: { plugins: false },
  });
  assert.deepEqual(merged, {
    model: "gpt-5.5",
    mystery: 7,
    features: { web_search: true, plugins: false },
  });
  assert.deepEqual(await readConfigToml(home.path), merged);
});

test("updateConfigToml leaves a file with a syntax error untouched", async () => {
  await using home = await scratch();
  const path = join(home.path, "config.toml");
  const broken = 'model = "gpt-5.5"\n[features\nplugins = false\n';
  await writeFile(path, broken);
  await assert.rejects(updateConfigToml(home.path, { model: "x" }), (e: unknown) => {
    assert.ok(e instanceof FileFormatError);
    assert.equal(e.path, path);
    assert.equal(e.line, 2);
    return true;
  });
  assert.equal(await readFile(path, "utf8"), broken);
});

test("configuredShellEnvExclude reads the list of config.toml, or of the active profile's file", async () => {
  await using dir = await scratch();
  const home = dir.path;
  assert.equal(await configuredShellEnvExclude(home), undefined);
  await writeFile(join(home, "config.toml"), '[shell_environment_policy]\nexclude = ["TOP"]\n');
  assert.deepEqual(await configuredShellEnvExclude(home), ["TOP"]);
  // A profile file without a list leaves config.toml's in force; one with a list replaces it.
  await writeFile(join(home, "p.config.toml"), 'model = "gpt-5.5"\n');
  assert.deepEqual(await configuredShellEnvExclude(home, "p"), ["TOP"]);
  await writeFile(join(home, "p.config.toml"), 'shell_environment_policy.exclude = ["MINE"]\n');
  assert.deepEqual(await configuredShellEnvExclude(home, "p"), ["MINE"]);
  assert.deepEqual(await configuredShellEnvExclude(home, "other"), ["TOP"]);
  // What codex itself will refuse to read is left to codex to report.
  await writeFile(join(home, "config.toml"), "shell_environment_policy = [\n");
  assert.equal(await configuredShellEnvExclude(home), undefined);
  await writeFile(join(home, "config.toml"), "shell_environment_policy.exclude = [1]\n");
  assert.equal(await configuredShellEnvExclude(home), undefined);
});

test("readConfigToml refuses a FIFO config.toml at once, naming it", {
  timeout: 30_000, // a read that blocks fails the test instead of hanging the run
}, async () => {
  await using home = await scratch();
  const fifo = join(home.path, "config.toml");
  execFileSync("mkfifo", [fifo]);
  await assert.rejects(
    readConfigToml(home.path),
    (e: unknown) =>
      e instanceof CodexHomeError && e.path === fifo &&
      e.message === `Cannot read config.toml ${fifo}: it is a FIFO, not a regular file`,
  );
  await assert.rejects(updateConfigToml(home.path, { model: "x" }), CodexHomeError);
});

test("writeConfigToml that cannot write is a CodexHomeError naming the file, with no temp left", async () => {
  await using home = await scratch();
  const path = join(home.path, "config.toml");
  // A directory in the way: the replace fails as a full disk would, at a point we control.
  await mkdir(path);
  await assert.rejects(
    writeConfigToml(home.path, { model: "gpt-5.5" }),
    (e: unknown) =>
      e instanceof CodexHomeError && e.path === path && typeof e.code === "string" &&
      e.message.startsWith(`Cannot write ${path}: ${e.code}`),
  );
  assert.deepEqual(await readdir(home.path), ["config.toml"]);
});

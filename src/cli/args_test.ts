import { test } from "node:test";
import assert from "node:assert/strict";
import { parseOptions, UsageError } from "./args.ts";
import { parseDoctor, summarizeAuth } from "./doctor.ts";
import { parseAuthStatus } from "../home/auth.ts";
import {
  describeProgress,
  formatBytes,
  formatDuration,
  parseBundleAdd,
  renderBar,
} from "./bundle_add.ts";
import { parseProbe } from "./probe.ts";
import { colorEnabled, makeStyle } from "./style.ts";

test("parseOptions reads --name value, --name=value, shorts, repeats and --", () => {
  const spec = {
    root: { type: "string" as const, short: "r" },
    platform: { type: "string" as const, multiple: true },
    json: { type: "boolean" as const },
  };
  assert.deepEqual(
    parseOptions(
      ["a", "--root", "/b", "--platform=x", "-r", "/c", "--platform", "y", "--json"],
      spec,
      "t",
    ),
    { values: { root: "/c", platform: ["x", "y"], json: true }, positionals: ["a"] },
  );
  assert.deepEqual(parseOptions(["--", "--json", "-r"], spec, "t"), {
    values: {},
    positionals: ["--json", "-r"],
  });
});

test("parseOptions names the command and the option in one line of its own", () => {
  const spec = { root: { type: "string" as const }, json: { type: "boolean" as const } };
  const table: [string[], string][] = [
    [["--x"], "unknown option --x"],
    [["-q"], "unknown option -q"],
    [["--root"], "option --root needs a value"],
    [["--root", "--json"], "option --root needs a value"],
    [["--json=yes"], 'option --json takes no value (got "yes")'],
  ];
  for (const [argv, message] of table) {
    assert.throws(
      () => parseOptions(argv, spec, "bundle add"),
      (e) => e instanceof UsageError && e.message === message && e.command === "bundle add",
      argv.join(" "),
    );
  }
});

test("command parsers turn their arguments into commands", () => {
  assert.deepEqual(parseBundleAdd(["add", "0.169.0"]), {
    version: "0.169.0",
    root: "codex-bundle",
    platforms: [],
    registry: undefined,
    json: false,
  });
  assert.deepEqual(
    parseBundleAdd([
      "add",
      "latest",
      "--root",
      "/b",
      "--platform",
      "linux-x64,darwin-arm64",
      "--platform",
      "windows-x64",
      "--registry",
      "http://127.0.0.1:1/",
      "--json",
    ]),
    {
      version: "latest",
      root: "/b",
      platforms: ["linux-x64", "darwin-arm64", "windows-x64"],
      registry: "http://127.0.0.1:1/",
      json: true,
    },
  );
  assert.deepEqual(parseProbe([]), { binary: undefined, json: false, timeoutMs: undefined });
  assert.deepEqual(parseProbe(["/bin/codex", "--json", "--timeout", "900"]), {
    binary: "/bin/codex",
    json: true,
    timeoutMs: 900,
  });
  assert.deepEqual(parseDoctor(["--bundle", "/b", "--version", "0.169.0"]), {
    binary: undefined,
    bundleRoot: "/b",
    bundleVersion: "0.169.0",
    json: false,
  });
});

test("command parsers reject bad command lines with a UsageError naming the command", () => {
  const bad: [() => unknown, string][] = [
    [() => parseBundleAdd(["remove", "0.169.0"]), "bundle"],
    [() => parseBundleAdd([]), "bundle"],
    [() => parseBundleAdd(["add"]), "bundle add"],
    [() => parseBundleAdd(["add", "1.0.0", "2.0.0"]), "bundle add"],
    [() => parseBundleAdd(["add", "1.0.0", "--unknown"]), "bundle add"],
    [() => parseProbe(["--timeout", "soon"]), "probe"],
    [() => parseProbe(["a", "b"]), "probe"],
    [() => parseDoctor(["--bundle", "/b"]), "doctor"],
    [() => parseDoctor(["extra"]), "doctor"],
  ];
  for (const [parse, command] of bad) {
    assert.throws(parse, (e) => e instanceof UsageError && e.command === command);
  }
});

test("summarizeAuth spells states as authStatus does and never keeps the key", () => {
  const table: [string, number, string, string][] = [
    ["Not logged in\n", 1, "logged_out", "not logged in"],
    [
      "API key configured - sk-test-***67890\nAuthentication is checked when you send a request.\n",
      0,
      "api_key",
      "API key configured",
    ],
    ["Logged in using ChatGPT\n", 0, "chatgpt", "logged in with ChatGPT"],
    ["something new\n", 3, "unknown", "unrecognised output (exit 3)"],
  ];
  for (const [output, code, state, summary] of table) {
    const parsed = parseAuthStatus(output, code);
    const status = summarizeAuth(parsed);
    assert.deepEqual(status, { state, summary });
    assert.equal(status.state, parsed.kind);
    assert.ok(!JSON.stringify(status).includes("sk-"));
  }
});

test("describeProgress prints one line per progress event", () => {
  assert.equal(
    describeProgress({ type: "registry", url: "https://registry.npmjs.org/", source: "default" }),
    "registry https://registry.npmjs.org/ (from the default; no npm configuration found)",
  );
  assert.equal(describeProgress({ type: "latest", version: "0.169.0" }), "latest is 0.169.0");
  assert.equal(
    describeProgress({
      type: "download",
      platform: "linux-x64",
      receivedBytes: 2e6,
      totalBytes: 4e6,
    }),
    "linux-x64: downloaded 2.0 MB of 4.0 MB",
  );
});

test("renderBar shows percent, bytes, rate and ETA within the terminal width", () => {
  const line = renderBar(
    { platform: "linux-x64", receivedBytes: 30e6, totalBytes: 60e6, elapsedMs: 3000 },
    100,
  );
  assert.equal(
    line,
    "linux-x64 ███████████████░░░░░░░░░░░░░░░   50%  30.0 MB / 60.0 MB  10.0 MB/s  ETA 3s",
  );
  const done = renderBar(
    { platform: "linux-x64", receivedBytes: 60e6, totalBytes: 60e6, elapsedMs: 6000 },
    100,
  );
  assert.ok(done.endsWith("100%  60.0 MB / 60.0 MB  10.0 MB/s  done"), done);
  const narrow = renderBar(
    { platform: "linux-x64", receivedBytes: 15e6, totalBytes: 60e6, elapsedMs: 1000 },
    40,
  );
  assert.ok(narrow.length <= 40, narrow);
  assert.match(narrow, /25%/);
  assert.equal(
    renderBar({ platform: "darwin-arm64", receivedBytes: 5e6, elapsedMs: 1000 }, 80),
    "darwin-arm64 5.0 MB  5.0 MB/s",
  );
  const coloured = renderBar(
    { platform: "p", receivedBytes: 1, totalBytes: 2, elapsedMs: 1 },
    100,
    makeStyle(true),
  );
  assert.ok(coloured.includes("\x1b[32m"), coloured);
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(1_234_567_890), "1.2 GB");
  assert.equal(formatDuration(187), "3m07s");
});

test("colour is on for a terminal only, off with NO_COLOR, on with FORCE_COLOR", () => {
  assert.equal(colorEnabled({}, true), true);
  assert.equal(colorEnabled({}, false), false);
  assert.equal(colorEnabled({ NO_COLOR: "1" }, true), false);
  assert.equal(colorEnabled({ NO_COLOR: "" }, true), true);
  assert.equal(colorEnabled({ NO_COLOR: "1", FORCE_COLOR: "1" }, true), false);
  assert.equal(colorEnabled({ FORCE_COLOR: "1" }, false), true);
  assert.equal(colorEnabled({ FORCE_COLOR: "0" }, true), false);
  assert.equal(colorEnabled({ TERM: "dumb" }, true), false);
  assert.equal(makeStyle(false).red("x"), "x");
  assert.equal(makeStyle(true).red("x"), "\x1b[31mx\x1b[39m");
});

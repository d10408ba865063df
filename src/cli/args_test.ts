import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCliArgs, UsageError } from "./args.ts";
import { summarizeAuth } from "./doctor.ts";
import { parseAuthStatus } from "../home/auth.ts";
import { describeProgress } from "./bundle_add.ts";

test("parseCliArgs turns command lines into commands", () => {
  const table: [string[], unknown][] = [
    [[], { command: "help", topic: undefined }],
    [["--help"], { command: "help", topic: undefined }],
    [["help", "doctor"], { command: "help", topic: "doctor" }],
    [["bundle", "add", "0.169.0"], {
      command: "bundle-add",
      version: "0.169.0",
      root: "codex-bundle",
      platforms: [],
      registry: undefined,
      json: false,
    }],
    [
      [
        "bundle",
        "add",
        "0.169.0",
        "--root",
        "/b",
        "--platform",
        "linux-x64,darwin-arm64",
        "--platform",
        "windows-x64",
        "--registry",
        "http://127.0.0.1:1/",
        "--json",
      ],
      {
        command: "bundle-add",
        version: "0.169.0",
        root: "/b",
        platforms: ["linux-x64", "darwin-arm64", "windows-x64"],
        registry: "http://127.0.0.1:1/",
        json: true,
      },
    ],
    [["bundle", "add", "--help"], { command: "help", topic: "bundle" }],
    [["probe"], { command: "probe", binary: undefined, json: false, timeoutMs: undefined }],
    [["probe", "/bin/codex", "--json", "--timeout", "900"], {
      command: "probe",
      binary: "/bin/codex",
      json: true,
      timeoutMs: 900,
    }],
    [["doctor", "--bundle", "/b", "--version", "0.169.0"], {
      command: "doctor",
      binary: undefined,
      bundleRoot: "/b",
      bundleVersion: "0.169.0",
      json: false,
    }],
  ];
  for (const [argv, want] of table) assert.deepEqual(parseCliArgs(argv), want, argv.join(" "));
});

test("parseCliArgs rejects bad command lines with a UsageError", () => {
  const bad = [
    ["nope"],
    ["bundle", "remove", "0.169.0"],
    ["bundle", "add"],
    ["bundle", "add", "1.0.0", "2.0.0"],
    ["bundle", "add", "1.0.0", "--unknown"],
    ["probe", "--timeout", "soon"],
    ["doctor", "--bundle", "/b"],
    ["doctor", "extra"],
  ];
  for (const argv of bad) assert.throws(() => parseCliArgs(argv), UsageError, argv.join(" "));
});

test("summarizeAuth reports 0.169.0 login status output and never keeps the key", () => {
  const table: [string, number, string, string][] = [
    ["Not logged in\n", 1, "logged-out", "not logged in"],
    [
      "API key configured - sk-test-***67890\nAuthentication is checked when you send a request.\n",
      0,
      "api-key",
      "API key configured",
    ],
    ["Logged in using ChatGPT\n", 0, "chatgpt", "logged in with ChatGPT"],
    ["something new\n", 3, "unknown", "unrecognised output (exit 3)"],
  ];
  for (const [output, code, state, summary] of table) {
    const status = summarizeAuth(parseAuthStatus(output, code));
    assert.deepEqual(status, { state, summary });
    assert.ok(!JSON.stringify(status).includes("sk-"));
  }
});

test("describeProgress prints one line per progress event", () => {
  assert.equal(
    describeProgress({ type: "registry", url: "http://127.0.0.1:1/", source: "env" }),
    "registry http://127.0.0.1:1/ (from env)",
  );
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

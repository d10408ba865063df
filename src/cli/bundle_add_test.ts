import { test } from "node:test";
import assert from "node:assert/strict";
import {
  bundleCommand,
  DEFAULT_BUNDLE_ROOT,
  describeProgress,
  formatBytes,
  formatDuration,
  parseBundleAdd,
  renderBar,
} from "./bundle_add.ts";
import { UsageError } from "./args.ts";
import { makeStyle } from "./style.ts";

function usageError(argv: string[], message: string | RegExp, command: string): void {
  assert.throws(() => parseBundleAdd(argv), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.equal(e.command, command);
    return true;
  });
}

test("parseBundleAdd reads a version with the defaults: ./codex-bundle, this machine, no JSON", () => {
  assert.deepEqual(parseBundleAdd(["add", "0.169.0"]), {
    version: "0.169.0",
    root: DEFAULT_BUNDLE_ROOT,
    platforms: [],
    registry: undefined,
    json: false,
  });
  assert.equal(DEFAULT_BUNDLE_ROOT, "codex-bundle");
});

test("parseBundleAdd takes root, registry, json and platforms repeated or comma-separated", () => {
  assert.deepEqual(
    parseBundleAdd([
      "add",
      "latest",
      "--root",
      "/b",
      "--platform",
      "linux-x64,darwin-arm64",
      "--platform=windows-x64",
      "--platform",
      ",",
      "--registry",
      "http://127.0.0.1:4873/",
      "--json",
    ]),
    {
      version: "latest",
      root: "/b",
      platforms: ["linux-x64", "darwin-arm64", "windows-x64"],
      registry: "http://127.0.0.1:4873/",
      json: true,
    },
  );
});

test("parseBundleAdd refuses a missing or unknown subcommand, naming bundle", () => {
  usageError([], 'needs a subcommand: "bundle add"', "bundle");
  usageError(["remove", "1"], 'unknown subcommand "remove" (there is: add)', "bundle");
});

test("parseBundleAdd wants exactly one version", () => {
  usageError(["add"], "needs a version, such as 0.169.0 or latest", "bundle add");
  usageError(["add", "1", "2"], "takes one version, got 2: 1 2", "bundle add");
});

test("parseBundleAdd refuses unknown options and options without their value", () => {
  usageError(["add", "1", "--bogus"], /unknown option --bogus/, "bundle add");
  usageError(["add", "1", "--root"], /--root needs a value/, "bundle add");
  usageError(["add", "1", "--json=x"], /--json takes no value/, "bundle add");
});

test("the bundle command's help names every option parseBundleAdd reads", () => {
  for (const option of ["--root", "--platform", "--registry", "--json"]) {
    assert.ok(bundleCommand.help.includes(option), option);
  }
  assert.match(bundleCommand.usage, /^bundle add /);
});

test("describeProgress has one line per step, naming the platform", () => {
  const lines = [
    describeProgress({ type: "registry", url: "https://r/", source: "env" }),
    describeProgress({ type: "registry", url: "https://r/", source: "default" }),
    describeProgress({ type: "latest", version: "0.171.0" }),
    describeProgress({
      type: "metadata",
      platform: "linux-x64",
      spec: "@openai/codex@0.171.0-linux-x64",
      tarball: "https://r/t.tgz",
    }),
    describeProgress({
      type: "download",
      platform: "linux-x64",
      receivedBytes: 1500,
      totalBytes: 2_000_000,
    }),
    describeProgress({ type: "download", platform: "linux-x64", receivedBytes: 999 }),
    describeProgress({ type: "verified", platform: "linux-x64", integrity: "sha512-abcdef" }),
    describeProgress({ type: "unpacked", platform: "linux-x64", files: 1 }),
    describeProgress({ type: "unpacked", platform: "linux-x64", files: 3 }),
    describeProgress({
      type: "added",
      platform: "linux-x64",
      binary: "/b/codex",
      sha256: "00",
      size: 1,
    }),
    describeProgress({ type: "unchanged", platform: "darwin-arm64", binary: "/b/codex" }),
  ];
  assert.deepEqual(lines, [
    "registry https://r/ (from npm_config_registry)",
    "registry https://r/ (from the default; no npm configuration found)",
    "latest is 0.171.0",
    "linux-x64: @openai/codex@0.171.0-linux-x64 -> https://r/t.tgz",
    "linux-x64: downloaded 1.5 kB of 2.0 MB",
    "linux-x64: downloaded 999 B",
    "linux-x64: integrity verified (sha512)",
    "linux-x64: unpacked 1 file",
    "linux-x64: unpacked 3 files",
    "linux-x64: pinned /b/codex",
    "darwin-arm64: already pinned at /b/codex",
  ]);
});

test("describeProgress prints an event of a newer kind as its JSON", () => {
  const event = { type: "brand-new", x: 1 } as unknown as Parameters<typeof describeProgress>[0];
  assert.equal(describeProgress(event), '{"type":"brand-new","x":1}');
});

test("formatBytes counts in powers of 1000 with one decimal above a kilobyte", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(999.4), "999 B");
  assert.equal(formatBytes(1000), "1.0 kB");
  assert.equal(formatBytes(31_400_000), "31.4 MB");
  assert.equal(formatBytes(2_500_000_000), "2.5 GB");
  assert.equal(formatBytes(4_000_000_000_000), "4000.0 GB");
});

test("formatDuration shows seconds, minutes with seconds, hours with minutes", () => {
  assert.equal(formatDuration(-3), "0s");
  assert.equal(formatDuration(42.4), "42s");
  assert.equal(formatDuration(59.6), "1m00s");
  assert.equal(formatDuration(187), "3m07s");
  assert.equal(formatDuration(3720), "1h02m");
});

const DOWNLOAD = {
  platform: "linux-x64",
  receivedBytes: 31_400_000,
  totalBytes: 60_200_000,
  elapsedMs: 2600,
};

test("renderBar draws the bar, percent, bytes, rate and ETA on a wide terminal", () => {
  assert.equal(
    renderBar(DOWNLOAD, 100),
    `linux-x64 ${"█".repeat(16)}${"░".repeat(14)}   52%  31.4 MB / 60.2 MB  12.1 MB/s  ETA 2s`,
  );
});

test("renderBar shows done at the end and ETA -- before any time has passed", () => {
  const done = renderBar({ ...DOWNLOAD, receivedBytes: DOWNLOAD.totalBytes }, 100);
  assert.equal(done, `linux-x64 ${"█".repeat(30)}  100%  60.2 MB / 60.2 MB  23.2 MB/s  done`);
  const unstarted = renderBar({ ...DOWNLOAD, elapsedMs: 0 }, 100);
  assert.ok(unstarted.endsWith("ETA --"), unstarted);
  assert.ok(unstarted.includes(" 52%  31.4 MB / 60.2 MB "), unstarted);
});

test("renderBar drops the bar on a narrow terminal and never exceeds the columns", () => {
  assert.equal(renderBar(DOWNLOAD, 40), "linux-x64  52%  ETA 2s");
  const narrow = renderBar(DOWNLOAD, 20);
  assert.equal(narrow, "linux-x64  52%  ETA");
  assert.ok(narrow.length <= 20);
});

test("renderBar without a total shows the bytes and rate only", () => {
  assert.equal(
    renderBar({ ...DOWNLOAD, totalBytes: undefined }, 100),
    "linux-x64 31.4 MB  12.1 MB/s",
  );
});

test("renderBar colours the bar with the style it is given, and only the bar", () => {
  const line = renderBar(DOWNLOAD, 100, makeStyle(true));
  assert.ok(line.includes(`\x1b[32m${"█".repeat(16)}\x1b[39m`));
  assert.ok(line.includes(`\x1b[2m${"░".repeat(14)}\x1b[22m`));
  assert.ok(line.endsWith("ETA 2s"));
});

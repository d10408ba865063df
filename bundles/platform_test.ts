import { test } from "node:test";
import assert from "node:assert/strict";
import {
  currentPlatform,
  isPlatformLabel,
  npmPackageSpec,
  PLATFORM_LABELS,
  platformInfo,
  platformLabelFor,
} from "./platform.ts";

test("platformLabelFor maps every process.platform/arch pair codex ships", () => {
  const table: [string, string, string | undefined][] = [
    ["linux", "x64", "linux-x64"],
    ["linux", "arm64", "linux-arm64"],
    ["darwin", "x64", "darwin-x64"],
    ["darwin", "arm64", "darwin-arm64"],
    ["win32", "x64", "windows-x64"],
    ["win32", "arm64", "windows-arm64"],
    ["linux", "ia32", undefined],
    ["freebsd", "x64", undefined],
    ["windows", "x64", undefined],
  ];
  for (const [os, arch, label] of table) {
    assert.equal(platformLabelFor(os, arch), label, `${os}/${arch}`);
  }
});

test("platformInfo gives the npm package spec, alias and Rust triple of each label", () => {
  const table: [string, string, string, string, string][] = [
    [
      "linux-x64",
      "@openai/codex@0.169.0-linux-x64",
      "@openai/codex-linux-x64",
      "x86_64-unknown-linux-musl",
      "codex",
    ],
    [
      "linux-arm64",
      "@openai/codex@0.169.0-linux-arm64",
      "@openai/codex-linux-arm64",
      "aarch64-unknown-linux-musl",
      "codex",
    ],
    [
      "darwin-x64",
      "@openai/codex@0.169.0-darwin-x64",
      "@openai/codex-darwin-x64",
      "x86_64-apple-darwin",
      "codex",
    ],
    [
      "darwin-arm64",
      "@openai/codex@0.169.0-darwin-arm64",
      "@openai/codex-darwin-arm64",
      "aarch64-apple-darwin",
      "codex",
    ],
    [
      "windows-x64",
      "@openai/codex@0.169.0-win32-x64",
      "@openai/codex-win32-x64",
      "x86_64-pc-windows-msvc",
      "codex.exe",
    ],
    [
      "windows-arm64",
      "@openai/codex@0.169.0-win32-arm64",
      "@openai/codex-win32-arm64",
      "aarch64-pc-windows-msvc",
      "codex.exe",
    ],
  ];
  assert.deepEqual(PLATFORM_LABELS, table.map((r) => r[0]));
  for (const [label, spec, alias, triple, exe] of table) {
    const info = platformInfo(label);
    assert.equal(npmPackageSpec(info.label, "0.169.0"), spec);
    assert.equal(info.npmAlias, alias);
    assert.equal(info.triple, triple);
    assert.equal(info.executable, exe);
  }
});

test("platformInfo rejects an unknown label with a TypeError naming platform", () => {
  for (const bad of ["linux-x64-musl", "", "../linux-x64", "Linux-X64"]) {
    assert.equal(isPlatformLabel(bad), false);
    assert.throws(
      () => platformInfo(bad),
      (e) => e instanceof TypeError && /option platform/.test(e.message),
    );
  }
});

test("currentPlatform names this machine's label from process.platform and arch", () => {
  const proc = (globalThis as unknown as { process: { platform: string; arch: string } }).process;
  assert.equal(currentPlatform(), platformLabelFor(proc.platform, proc.arch));
  assert.ok(currentPlatform() !== undefined, "the test machine runs a platform codex ships");
});

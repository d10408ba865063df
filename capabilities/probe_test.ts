import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AbortError } from "../src/errors.ts";
import { CapabilityCache } from "./cache.ts";
import { gateFromSnapshot } from "./gate.ts";
import { knownSnapshot } from "./known.ts";
import { probeCapabilities, probeVersion } from "./probe.ts";

const FAKE = fileURLToPath(new URL("./testdata/fake_codex.sh", import.meta.url));
const NATIVE = fileURLToPath(
  new URL(
    "../node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
    import.meta.url,
  ),
);

function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

async function gone(pids: number[]): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    if (!pids.some(alive)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

test("probeCapabilities reads the real pinned binary without gaps, as its known snapshot says", async () => {
  const snapshot = await probeCapabilities(NATIVE);
  assert.deepEqual(snapshot.gaps, []);
  assert.equal(snapshot.source, "probe");
  const pinned = JSON.parse(
    readFileSync(new URL("../node_modules/@openai/codex/package.json", import.meta.url), "utf8"),
  ).version;
  assert.equal(snapshot.version?.semver, pinned);
  assert.equal(snapshot.version?.channel, "stable");
  const known = knownSnapshot(pinned);
  assert.ok(known, `the pinned ${pinned} has a committed snapshot`);
  assert.equal(snapshot.features?.length, known.features?.length);
  // The probe's own --disable plugins would read as the default; it is recorded as unobserved.
  assert.equal(snapshot.features?.find((f) => f.name === "plugins")?.enabled, null);
  assert.ok(snapshot.commands["codex exec fork"]);
  assert.equal(snapshot.fingerprint?.path, await realpath(NATIVE));
  assert.ok((snapshot.fingerprint?.size ?? 0) > 1_000_000);
  assert.ok(!Number.isNaN(Date.parse(snapshot.collectedAt)));
});

test("probeCapabilities turns garbage --version output into a gap", async () => {
  const snapshot = await probeCapabilities(FAKE, { env: { FAKE_MODE: "garbage" } });
  assert.equal(snapshot.version, null);
  const gap = snapshot.gaps.find((g) => g.step === "version");
  assert.match(
    gap?.reason ?? "",
    /Cannot parse a version from `--version` output: .*Segmentation fault/,
  );
  assert.equal(gap?.transient, false);
  assert.equal(snapshot.features?.length, 215);
});

test("probeCapabilities keeps unknown stages and extra columns", async () => {
  const snapshot = await probeCapabilities(FAKE, { env: { FAKE_MODE: "odd" } });
  assert.equal(snapshot.features?.find((f) => f.name === "quantum_tools")?.stage, "incubating");
  assert.deepEqual(snapshot.features?.find((f) => f.name === "plugins")?.extra, [
    "beta-only",
    "since 0.168",
  ]);
  assert.equal(snapshot.gaps.some((g) => g.step === "features"), false);
});

test("probeCapabilities records absent subcommands as absent, not as gaps", async () => {
  const snapshot = await probeCapabilities(FAKE, {
    commands: ["codex exec", "codex exec resume", "codex exec fork", "codex app-server"],
  });
  assert.equal(snapshot.commands["codex exec fork"], undefined);
  assert.equal(snapshot.commands["codex app-server"], undefined);
  assert.ok(snapshot.commands["codex exec resume"]);
  assert.deepEqual(snapshot.gaps, []);
  // The fake's exec page still lists fork; the help for fork itself was the exec page.
  assert.equal(gateFromSnapshot(snapshot).support("exec.resume.last"), "supported");
});

test("probeCapabilities times out a binary that hangs on --help and leaves no process", async () => {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-hang-"));
  try {
    const pidFile = join(dir, "pids");
    const snapshot = await probeCapabilities(FAKE, {
      timeoutMs: 500,
      env: { FAKE_MODE: "hang", FAKE_PIDS: pidFile },
    });
    assert.equal(snapshot.version?.semver, "0.169.0");
    const helpGaps = snapshot.gaps.filter((g) => g.step.startsWith("help:"));
    assert.equal(helpGaps.length, 4);
    for (const gap of helpGaps) {
      assert.match(gap.reason, /No answer within 500 ms; the process was killed/);
      assert.equal(gap.transient, true);
    }
    const pids = (await readFile(pidFile, "utf8")).trim().split("\n").map(Number);
    assert.equal(pids.length, 8);
    assert.equal(await gone(pids), true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("probeCapabilities rejects with AbortError and kills the steps when aborted", async () => {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-abort-"));
  try {
    const pidFile = join(dir, "pids");
    const controller = new AbortController();
    const probing = probeCapabilities(FAKE, {
      signal: controller.signal,
      env: { FAKE_MODE: "hang", FAKE_PIDS: pidFile },
    });
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    controller.abort(new Error("host shutting down"));
    await assert.rejects(probing, AbortError);
    const pids = (await readFile(pidFile, "utf8")).trim().split("\n").map(Number);
    assert.equal(await gone(pids), true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("probeCapabilities gives transient gaps, not an exception, for a missing binary", async () => {
  const snapshot = await probeCapabilities("/nonexistent/codex");
  assert.equal(snapshot.version, null);
  assert.equal(snapshot.features, null);
  assert.deepEqual(snapshot.commands, {});
  assert.equal(snapshot.fingerprint, undefined);
  assert.equal(snapshot.gaps.length, 7);
  assert.ok(snapshot.gaps.every((g) => g.transient));
  assert.match(snapshot.gaps.find((g) => g.step === "version")?.reason ?? "", /Cannot start/);
});

test("probeCapabilities refuses bad options with a TypeError naming them", async () => {
  await assert.rejects(probeCapabilities(FAKE, { timeoutMs: 0 }), /option timeoutMs/);
  await assert.rejects(probeCapabilities(FAKE, { commands: ["codex ../x"] }), /option commands/);
});

test("probeVersion asks only --version and leaves nothing in the temp dir", async () => {
  const before = new Set(await readdir(tmpdir()));
  const { version, gaps } = await probeVersion(NATIVE);
  const full = await probeCapabilities(NATIVE);
  assert.deepEqual(gaps, []);
  assert.equal(version?.semver, full.version?.semver);
  const left = (await readdir(tmpdir())).filter((n) =>
    !before.has(n) && n.startsWith("codexkit-probe-none-")
  );
  assert.deepEqual(left, []);
  const garbage = await probeVersion(FAKE, { env: { FAKE_MODE: "garbage" } });
  assert.equal(garbage.version, null);
  assert.equal(garbage.gaps[0].step, "version");
});

test("A binary that floods its output is not codex, every time: the gap is not transient and is cached", async () => {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-flood-"));
  try {
    const flood = join(dir, "flood");
    await writeFile(flood, "#!/bin/sh\nexec yes 'not a help page'\n");
    await chmod(flood, 0o755);
    const cache = new CapabilityCache({ dir: null });
    const first = await cache.lookup(flood);
    assert.equal(first.origin, "probe");
    assert.equal(first.snapshot.version, null);
    const version = first.snapshot.gaps.find((g) => g.step === "version");
    assert.match(version?.reason ?? "", /Printed more than \d+ bytes/);
    assert.ok(first.snapshot.gaps.every((g) => !g.transient), JSON.stringify(first.snapshot.gaps));
    // A new client of this process asks again without running the binary.
    assert.equal((await cache.lookup(flood)).origin, "memory");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * `requireCodex` against the real codex under test, and the first turn on a release whose
 * capabilities are committed: one `--version` before the turn, the full probe after it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { counting } from "../capabilities/_test_helpers.ts";
import { CapabilityCache } from "../capabilities/cache.ts";
import { installedGate } from "../capabilities/installed_gate.ts";
import { knownSnapshot } from "../capabilities/known.ts";
import { checkCodexRange, versionSatisfies } from "../capabilities/require.ts";
import { Codex } from "../src/codex.ts";
import { UnsupportedError } from "../src/errors.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { NATIVE_CODEX, TEST_CODEX_VERSION } from "./_codex.ts";
import { offlineClient } from "./_offline_codex.ts";

const [major, minor] = TEST_CODEX_VERSION.split(".").map(Number);

test("requireCodex outside the installed version rejects the first turn before any model request", async () => {
  await using server = await startFakeResponsesServer([reply.message("unreachable")]);
  const required = `>=${major}.${minor + 1}.0`;
  await using client = await offlineClient(server, { requireCodex: required });
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  const error = await thread.run("x").then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof UnsupportedError, `expected UnsupportedError, got ${error}`);
  assert.equal(error.feature, "requireCodex");
  assert.equal(error.version, TEST_CODEX_VERSION);
  assert.ok(error.message.includes(`codex ${TEST_CODEX_VERSION}`), error.message);
  assert.ok(error.message.includes(required), error.message);
  assert.equal(server.requests.length, 0, "no model request was made");
});

test("requireCodex that the installed version meets runs the turn", async () => {
  await using server = await startFakeResponsesServer([reply.message("in range")]);
  await using client = await offlineClient(server, {
    requireCodex: `>=${major}.${minor}.0 <${major + 1}.0.0`,
  });
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  assert.equal((await thread.run("x")).finalResponse, "in range");
});

test("requireCodex is checked as an option: a malformed value is a TypeError naming it", () => {
  assert.throws(
    () => new Codex({ requireCodex: "" }),
    (e: unknown) => e instanceof TypeError && /requireCodex/.test(e.message),
  );
  assert.throws(
    () => new Codex({ requireCodex: 165 as unknown as string }),
    (e: unknown) => e instanceof TypeError && /requireCodex/.test(e.message),
  );
  // Characters a range may hold, but no range: refused on the first turn, before a spawn.
  assert.throws(() => checkCodexRange(">= banana"), /Cannot use requireCodex: expected a semver/);
  assert.equal(versionSatisfies("0.172.0-alpha.1", ">=0.171.0"), true);
  assert.equal(versionSatisfies("0.163.0", "^0.165.0 || >=0.170.0"), false);
});

test("A malformed range fails the first turn with a TypeError before anything is spawned", async () => {
  await using server = await startFakeResponsesServer([reply.message("unreachable")]);
  await using client = await offlineClient(server, { requireCodex: ">=1.2.3 foo" });
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  await assert.rejects(thread.run("x"), /Cannot use requireCodex/);
  assert.equal(server.requests.length, 0);
});

test("The first gate on a release with a committed snapshot needs one --version; the probe confirms after", async (t) => {
  if (!knownSnapshot(TEST_CODEX_VERSION)) {
    return t.skip(`codex ${TEST_CODEX_VERSION} has no committed snapshot: it is probed first`);
  }
  const dir = await mkdtemp(join(tmpdir(), "codexkit-firstgate-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const { spawner, probes } = counting();
  const calls: string[][] = [];
  // How each probe command ended, for the message should the probe not be cached.
  const ends: string[] = [];
  const recording = {
    runtime: spawner.runtime,
    spawn: (cmd: string, args: readonly string[], options: Parameters<typeof spawner.spawn>[2]) => {
      calls.push([...args]);
      return spawner.spawn(cmd, args, options).then((child) => {
        void child.exited.then((status) =>
          ends.push(`${args.join(" ")}: ${JSON.stringify(status)}`)
        );
        return child;
      }, (error: unknown) => {
        ends.push(`${args.join(" ")}: ${String(error)}`);
        throw error;
      });
    },
  };
  const warnings: string[] = [];
  const gateOf = installedGate({
    cache: new CapabilityCache({ dir, probe: { spawner: recording } }),
    onWarning: (w) => warnings.push(w),
  });
  const gate = await gateOf({ path: NATIVE_CODEX });
  // Before the answer: one process, `--version`, and nothing else.
  const before = calls.length;
  assert.equal(before >= 1, true);
  assert.ok(calls.slice(0, 1).every((a) => a.includes("--version")), JSON.stringify(calls));
  assert.equal(gate.version, TEST_CODEX_VERSION);
  assert.equal(gate.fallback, false);
  assert.equal(gate.support("exec.json"), "supported");
  await gateOf.settled();
  // The background probe ran (--version, features list, help pages) and filled the cache.
  assert.ok(calls.some((a) => a.includes("features")), "the full probe ran in the background");
  const cached = await new CapabilityCache({ dir }).cached(NATIVE_CODEX);
  assert.equal(
    cached?.origin,
    "disk",
    `the probe was not cached; its commands:\n${ends.join("\n")}`,
  );
  const probesAfter = probes();
  const again = await gateOf({ path: NATIVE_CODEX });
  assert.equal(again.support("exec.json"), "supported");
  assert.equal(probes(), probesAfter, "a later gate reads the cache, it does not probe");
  assert.deepEqual(warnings, [], "the probe agrees with the committed snapshot");
});

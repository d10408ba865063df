/**
 * Gating by default, end to end: a client gates optional flags on the codex it runs, drops a
 * flag an older release lacks, refuses what cannot be dropped before anything is spawned, and
 * says when its answers rest on a fallback.
 *
 * The older release is 0.140.0 (no `--thread-source`, no `exec fork`): the real binary when the
 * release cache holds it (`npm run matrix` fetches it), else its recorded snapshot.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { currentPlatform } from "../bundles/platform.ts";
import { CapabilityCache } from "../capabilities/cache.ts";
import { gateFromSnapshot } from "../capabilities/gate.ts";
import { installedGate } from "../capabilities/installed_gate.ts";
import { knownSnapshot } from "../capabilities/known.ts";
import { Codex } from "../src/codex.ts";
import { BinaryNotFoundError, UnsupportedError } from "../src/errors.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { RELEASE_CACHE, testCodexSnapshot } from "./_codex.ts";
import { offlineClient } from "./_offline_codex.ts";

const OLDER = "0.140.0";
const olderBinary = join(RELEASE_CACHE, currentPlatform() ?? "none", OLDER, "codex");
const realOlder = existsSync(olderBinary);
console.log(
  realOlder
    ? `gating: older release ${OLDER} from ${olderBinary}`
    : `gating: no ${OLDER} binary in ${RELEASE_CACHE}; using its recorded snapshot`,
);

/** A client on the older release: its real binary gated by default, or its snapshot as gate. */
function olderOptions(): {
  codexPathOverride?: string;
  capabilities?: ReturnType<typeof gateFromSnapshot>;
} {
  return realOlder
    ? { codexPathOverride: olderBinary }
    : { capabilities: gateFromSnapshot(knownSnapshot(OLDER)!) };
}

test("A flag the older release lacks is dropped with a warning naming the version", async () => {
  await using server = await startFakeResponsesServer([reply.message("older ok")]);
  const warnings: string[] = [];
  await using client = await offlineClient(server, {
    ...olderOptions(),
    onWarning: (w) => warnings.push(w),
  });
  const turn = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
    threadSource: "codexkit-test",
  }).run("x");
  assert.equal(turn.finalResponse, "older ok");
  assert.ok(
    warnings.includes(`Dropping --thread-source: codex ${OLDER} does not support it`),
    warnings.join("\n"),
  );
});

test("A subcommand the older release lacks is refused before spawning", async () => {
  await using server = await startFakeResponsesServer([reply.message("unreachable")]);
  await using client = await offlineClient(server, olderOptions());
  await assert.rejects(
    client.codex.forkThread("0199a213-81c0-7800-8aa1-bbab2a035a53", {
      skipGitRepoCheck: true,
      workingDirectory: client.work,
    }).run("x"),
    (e: unknown) =>
      e instanceof UnsupportedError && e.version === OLDER && e.feature === "exec.fork" &&
      e.message.includes(`codex ${OLDER}`),
  );
  assert.equal(server.requests.length, 0, "nothing was spawned");
});

test("The default gate passes a flag the codex under test supports, without warnings", async (t) => {
  const snapshot = await testCodexSnapshot();
  const supported = gateFromSnapshot(snapshot).support("exec.thread-source") === "supported";
  if (!supported) return t.skip(`codex ${snapshot.version?.semver} has no --thread-source`);
  await using server = await startFakeResponsesServer([reply.message("ok")]);
  const warnings: string[] = [];
  await using client = await offlineClient(server, { onWarning: (w) => warnings.push(w) });
  const turn = await client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
    threadSource: "codexkit-test",
  }).run("x");
  assert.equal(turn.finalResponse, "ok");
  assert.deepEqual(warnings.filter((w) => w.includes("thread-source")), []);
});

async function recordingCodex(): Promise<{ path: string; argv: string } & AsyncDisposable> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-gate-"));
  const path = join(dir, "codex");
  const argv = join(dir, "argv");
  await writeFile(
    path,
    `#!/bin/sh
printf '%s\\n' "$@" >> "${argv}"
case "$1" in exec) ;; *) exit 3 ;; esac
cat >/dev/null
printf '%s\\n' '{"type":"thread.started","thread_id":"t"}' '{"type":"turn.started"}' \\
  '{"type":"item.completed","item":{"id":"i","type":"agent_message","text":"ok"}}' \\
  '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1}}'
`,
  );
  await chmod(path, 0o755);
  return { path, argv, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

test("capabilities: false passes every option as asked and never probes", async () => {
  await using fake = await recordingCodex();
  const codex = new Codex({ codexPathOverride: fake.path, capabilities: false });
  await codex.startThread({ threadSource: "src", ephemeral: true }).run("x");
  const argv = (await readFile(fake.argv, "utf8")).split("\n");
  assert.equal(argv[0], "exec", "the first process is the turn: no probe ran");
  assert.ok(argv.includes("--thread-source") && argv.includes("--ephemeral"));
});

test("A gate whose probe learns nothing falls back to the known snapshot and says so", async () => {
  await using fake = await recordingCodex();
  const warnings: string[] = [];
  const gateOf = installedGate({
    cache: new CapabilityCache({ dir: null }),
    onWarning: (w) => warnings.push(w),
  });
  const newest = "0.169.0";
  const gate = await gateOf({ path: fake.path, version: newest });
  assert.equal(gate.fallback, true);
  assert.equal(gate.version, newest);
  assert.match(gate.explain("exec.fork").note, /known snapshot; probing the binary failed/);
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0],
    /Gating flags on the known snapshot of codex 0\.169\.0: probing .* failed/,
  );
  // Without a version there is nothing honest to fall back to: every answer is unknown.
  const unknown = await gateOf({ path: fake.path });
  assert.equal(unknown.fallback, false);
  assert.equal(unknown.support("exec.fork"), "unknown");
});

test("Asking about a missing binary is an error, never a fallback answer", async () => {
  const gateOf = installedGate({ cache: new CapabilityCache({ dir: null }) });
  await assert.rejects(
    gateOf({ path: "/nonexistent/codex", version: "0.169.0" }),
    BinaryNotFoundError,
  );
});

// A fleet thread with a git workspace (a local bare repository standing in for the remote):
// each attempt works in a fresh checkout of the thread's last committed commit, its result goes
// to an attempt-scoped ref, and the thread's branch moves only when the turn commits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { connectFleet, ensureFleet, runFleetWorker } from "../src/fleet/mod.ts";
import { countingScript } from "../src/testing/counting_script.ts";
import { startFakeResponsesServer } from "../src/testing/fake_responses_server.ts";
import { startNatsServer } from "../src/testing/nats_server.ts";
import { offlineCodexConfig } from "../src/testing/offline.ts";
import { reply } from "../src/testing/steps.ts";
import { NATIVE_CODEX, NATIVE_CODEX_PATH_DIR, tempDir } from "./_codex.ts";
import { natsAvailable, settleCodexProcesses, WORKER_KEY } from "./_fleet.ts";

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd, GIT_TERMINAL_PROMPT: "0" },
  }).trim();

test("a workspace thread commits each turn to an attempt ref and moves its branch on commit", {
  skip: !natsAvailable("the fleet workspace test"),
}, async () => {
  await using tmp = await tempDir("codexkit-fleet-ws-");
  // The remote: a bare repository with one commit on main.
  const remote = join(tmp.path, "remote.git");
  const seed = join(tmp.path, "seed");
  await mkdir(remote);
  await mkdir(seed);
  git(remote, "init", "--quiet", "--bare", "--initial-branch=main");
  git(seed, "init", "--quiet", "--initial-branch=main");
  await writeFile(join(seed, "README"), "seed\n");
  git(seed, "add", "README");
  git(seed, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "--quiet", "-m", "seed");
  git(seed, "push", "--quiet", remote, "main");
  const first = git(remote, "rev-parse", "main");

  await using nats = await startNatsServer();
  // Each turn adds turn-<n>.txt with apply_patch, then answers.
  await using fake = await startFakeResponsesServer(countingScript({
    command: null,
    override: (info) =>
      info.afterTool ? undefined : reply.addFile(`turn-${info.seen}.txt`, `turn ${info.seen}\n`),
  }));
  await ensureFleet({ servers: nats.url, ackWaitMs: 6000 });
  const stop = new AbortController();
  const worker = runFleetWorker({
    servers: nats.url,
    workerId: "ws",
    codexHome: join(tmp.path, "w", "home"),
    workRoot: join(tmp.path, "w", "work"),
    codex: {
      codexPathOverride: NATIVE_CODEX,
      config: offlineCodexConfig(fake).config,
      env: {
        PATH: `${NATIVE_CODEX_PATH_DIR}:${process.env.PATH ?? "/usr/bin:/bin"}`,
        HOME: tmp.path,
        TMPDIR: tmp.path,
        MOCK_KEY: WORKER_KEY,
      },
    },
    signal: stop.signal,
  });
  const fleet = await connectFleet({ servers: nats.url });
  try {
    const thread = fleet.thread("ws", {
      threadOptions: { sandboxMode: "workspace-write" },
      workspace: { remote, branch: "main" },
    });
    const one = await thread.submit("TURN-MARK add a file");
    const r1 = await one.result;
    assert.equal(r1.status, "committed", r1.error);
    const afterOne = git(remote, "rev-parse", "main");
    assert.notEqual(afterOne, first, "the branch moved");
    assert.equal(git(remote, "rev-parse", `refs/codex/attempts/${one.turnId}.1`), afterOne);
    assert.equal(git(remote, "show", "main:turn-1.txt"), "turn 1");
    const two = await thread.submit("TURN-MARK add another");
    assert.equal((await two.result).status, "committed");
    assert.equal(git(remote, "rev-parse", "main^"), afterOne, "turn 2 built on turn 1's commit");
    assert.equal(git(remote, "show", "main:turn-1.txt"), "turn 1");
    assert.equal(git(remote, "show", "main:turn-2.txt"), "turn 2");
    const record = await fleet.threadRecord("ws");
    assert.equal(record?.workspace?.commit, git(remote, "rev-parse", "main"));
  } finally {
    await fleet.close();
    stop.abort();
    await worker;
  }
  assert.deepEqual(await settleCodexProcesses(tmp.path), []);
});

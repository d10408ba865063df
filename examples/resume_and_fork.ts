/**
 * Resume and fork: a thread's id outlives the client; `resumeThread(id)` goes on with the same
 * history and `forkThread(id)` starts a new thread from a copy of it. Offline against the
 * embedded fake Responses server.
 *
 *   deno run -A examples/resume_and_fork.ts   (or: bun / node examples/resume_and_fork.ts)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../mod.ts";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";

const scratch = await mkdtemp(join(tmpdir(), "codexkit-example-"));
try {
  await using server = await startFakeResponsesServer([
    reply.message("Noted: the colour is teal."),
    reply.message("You said teal."),
    reply.message("In this branch, the colour is now orange."),
  ]);
  const { config, env } = offlineCodexConfig(server);
  const options = {
    config,
    env: { PATH: process.env.PATH ?? "", TMPDIR: scratch, ...env },
    codexHome: join(scratch, "home"),
  };
  // `await using` closes each client before the scratch dir goes: a codex that lingers after
  // its turn is stopped in the background, and close() waits for it.
  await using firstClient = new Codex(options);
  const first = firstClient.startThread({
    workingDirectory: scratch,
    skipGitRepoCheck: true,
  });
  await first.run("Remember: the colour is teal");
  const id = first.id!;
  console.log(`thread ${id}`);

  // A new client, as after a restart: only the id is carried over.
  await using codex = new Codex(options);
  const resumed = codex.resumeThread(id, { workingDirectory: scratch, skipGitRepoCheck: true });
  const again = await resumed.run("Which colour did I say?");
  console.log(
    `resumed ${resumed.id === id ? "the same thread" : "another thread"}: ${again.finalResponse}`,
  );

  const fork = codex.forkThread(id, { workingDirectory: scratch, skipGitRepoCheck: true });
  const branch = await fork.run("Change it to orange");
  console.log(
    `fork ${fork.id !== id ? "is a new thread" : "kept the id"}: ${branch.finalResponse}`,
  );
  // The fork's request carried the earlier history, too.
  const last = server.requests.at(-1)?.body as { input?: unknown[] } | undefined;
  console.log(`history sent with the fork: ${JSON.stringify(last?.input).includes("teal")}`);
} finally {
  await rm(scratch, { recursive: true, force: true });
}

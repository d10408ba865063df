/**
 * The app-server: one long-lived `codex app-server` per client serves every thread, and the
 * client's conversation calls (`codex.threads`) list, name and read the saved threads. Offline
 * against the embedded fake Responses server.
 *
 *   deno run -A examples/app_server.ts   (or: bun / node examples/app_server.ts)
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
    reply.message("First answer."),
    reply.message("Second answer."),
  ]);
  const { config, env } = offlineCodexConfig(server);
  await using codex = new Codex({
    config,
    env: { PATH: process.env.PATH ?? "", TMPDIR: scratch, ...env },
    codexHome: join(scratch, "home"),
  });
  const thread = codex.startThread({ transport: "app-server", workingDirectory: scratch });
  console.log(`turn 1: ${(await thread.run("Question one")).finalResponse}`);
  console.log(`turn 2: ${(await thread.run("Question two")).finalResponse}`);

  await codex.threads.setName(thread.id!, "Two questions");
  const { threads } = await codex.threads.list({ cwd: scratch });
  for (const saved of threads) console.log(`listed: ${saved.name ?? "(unnamed)"}`);
  const read = await codex.threads.read(thread.id!, { turns: true });
  console.log(`saved turns: ${read.turns?.length}`);
} finally {
  await rm(scratch, { recursive: true, force: true });
}

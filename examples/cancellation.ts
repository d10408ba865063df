/**
 * Cancellation: abort a turn from its own events. The agent starts a long command; the program
 * aborts the moment it sees it start, and the run rejects with `AbortError` after codex and
 * every process it started are gone. Offline against the embedded fake Responses server.
 *
 *   deno run -A examples/cancellation.ts   (or: bun / node examples/cancellation.ts)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { AbortError, Codex } from "../mod.ts";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";

const scratch = await mkdtemp(join(tmpdir(), "codexkit-example-"));
try {
  await using server = await startFakeResponsesServer([
    reply.execCommand("sleep 600"),
    reply.message("unreachable"),
  ]);
  const { config, env } = offlineCodexConfig(server);
  await using codex = new Codex({
    config,
    env: { PATH: process.env.PATH ?? "", TMPDIR: scratch, ...env },
    codexHome: join(scratch, "home"),
  });
  const thread = codex.startThread({ workingDirectory: scratch, skipGitRepoCheck: true });
  const controller = new AbortController();
  const { events } = await thread.runStreamed("Wait ten minutes", { signal: controller.signal });
  try {
    for await (const event of events) {
      if (event.type === "item.started" && event.item.type === "command_execution") {
        console.log(`started ${event.item.command}; aborting`);
        controller.abort();
      }
    }
  } catch (error) {
    if (!(error instanceof AbortError)) throw error;
    console.log(`run ended: ${error.name}`);
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

/**
 * Streaming: print each event of a turn as it arrives. On the app-server transport the agent's
 * message also arrives word by word (`item.updated` with a `delta`). Offline against the embedded
 * fake Responses server.
 *
 *   deno run -A examples/streaming.ts   (or: bun / node examples/streaming.ts)
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
    reply.execCommand("echo streamed"),
    { ...reply.message("The command printed streamed."), textDeltas: true },
  ]);
  const { config, env } = offlineCodexConfig(server);
  await using codex = new Codex({
    config,
    env: { PATH: process.env.PATH ?? "", TMPDIR: scratch, ...env },
    codexHome: join(scratch, "home"),
  });
  const thread = codex.startThread({ transport: "app-server", workingDirectory: scratch });
  const { events } = await thread.runStreamed("Run echo, then say what it printed");
  let deltas = 0;
  for await (const event of events) {
    if (event.type === "item.updated" && "delta" in event) deltas++;
    else if (event.type === "item.completed") console.log(`completed ${event.item.type}`);
    else if (event.type === "turn.completed") {
      console.log(`turn completed: ${event.usage.output_tokens} output tokens`);
    }
  }
  console.log(`message deltas: ${deltas > 0 ? "yes" : "no"}`);
} finally {
  await rm(scratch, { recursive: true, force: true });
}

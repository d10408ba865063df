/**
 * Approvals on the app-server transport: the agent asks before each command, and this program
 * says yes to `echo` and no to anything else. Offline against the embedded fake Responses server.
 *
 *   deno run -A examples/approvals.ts   (or: bun / node examples/approvals.ts)
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
    reply.execCommand("echo allowed"),
    reply.execCommand("rm -rf ./important"),
    reply.message("One command ran, one was declined."),
  ]);
  const { config, env } = offlineCodexConfig(server);
  await using codex = new Codex({
    config,
    env: { PATH: process.env.PATH ?? "", TMPDIR: scratch, ...env },
    codexHome: join(scratch, "home"),
  });
  const thread = codex.startThread({
    transport: "app-server",
    workingDirectory: scratch,
    approvalPolicy: "untrusted",
    sandboxMode: "workspace-write",
    onApproval: (request) => {
      // 0.169 shows the command as the shell line it will run: /bin/bash -lc '...'.
      const answer = /'echo [^']*'$/.test(request.command ?? "") ? "accept" : "decline";
      console.log(`asked to run ${JSON.stringify(request.command)}: ${answer}`);
      return answer;
    },
  });
  const { events } = await thread.runStreamed("Run the two commands");
  for await (const event of events) {
    if (event.type === "item.completed" && event.item.type === "command_execution") {
      console.log(`  ${event.item.command}: ${event.item.status}`);
    } else if (event.type === "item.completed" && event.item.type === "agent_message") {
      console.log(`agent: ${event.item.text}`);
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

/**
 * The demo: find the pinned codex, probe what it supports, then stream one turn in which the
 * agent runs a command and writes a file.
 *
 * Offline by default: an embedded fake Responses server on 127.0.0.1 plays the model, and the
 * real codex binary does the rest (sandbox, command, patch). With CODEX_API_KEY set, the turn
 * goes to OpenAI instead.
 *
 *   deno run -A examples/demo.ts      (also: bun examples/demo.ts, node examples/demo.ts)
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../mod.ts";
import type { CodexOptions, ThreadEvent } from "../mod.ts";
import { gateFromSnapshot, probeCapabilities } from "../capabilities/mod.ts";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";

const online = Boolean(process.env.CODEX_API_KEY);
const scratch = await mkdtemp(join(tmpdir(), "codexkit-demo-"));
const work = join(scratch, "work");
await using cleanup = {
  [Symbol.asyncDispose]: () => rm(scratch, { recursive: true, force: true }),
};
void cleanup;

// 1. Which binary, and what does it support?
const binary = await new Codex().binary();
const snapshot = await probeCapabilities(binary.path);
const gate = gateFromSnapshot(snapshot);
console.log(
  `codex ${snapshot.version?.semver ?? "(version unknown)"} (${binary.source}): ${binary.path}`,
);
console.log(
  `features: ${snapshot.features?.length ?? 0}; ` +
    ["exec.output-schema", "exec.ephemeral", "exec.fork"].map((o) =>
      `${o}=${gate.support(o as never)}`
    ).join(" "),
);

// 2. Where the model lives: a scripted fake on loopback, or OpenAI.
await using server = online ? undefined : await startFakeResponsesServer([
  reply.execCommand("echo hello from the sandbox"),
  reply.addFile("hello.txt", "Hello, codexkit!\n"),
  reply.message("I ran the command and wrote hello.txt."),
]);
const options: CodexOptions = {
  codexHome: join(scratch, "home"),
  capabilities: gate,
  onWarning: (w) => console.warn(`warning: ${w}`),
};
if (server) {
  const offline = offlineCodexConfig(server);
  options.config = offline.config;
  options.env = { PATH: process.env.PATH ?? "", HOME: scratch, TMPDIR: scratch, ...offline.env };
} else {
  options.apiKey = process.env.CODEX_API_KEY;
}
await mkdir(work);

// 3. Stream a turn.
const codex = new Codex(options);
const thread = codex.startThread({
  workingDirectory: work,
  skipGitRepoCheck: true,
  sandboxMode: "workspace-write",
});
const { events } = await thread.runStreamed(
  'Run `echo hello from the sandbox`, then create hello.txt containing "Hello, codexkit!".',
  { timeoutMs: 180_000, idleTimeoutMs: 120_000 },
);
for await (const event of events) console.log(describe(event));

console.log(
  `\nhello.txt: ${
    JSON.stringify(await readFile(join(work, "hello.txt"), "utf8").catch(() => "(not written)"))
  }`,
);
if (server) {
  console.log(`the fake model answered ${server.requests.length} requests on ${server.url}`);
}

function describe(event: ThreadEvent): string {
  switch (event.type) {
    case "thread.started":
      return `thread ${event.thread_id}`;
    case "item.completed": {
      const item = event.item;
      if (item.type === "command_execution") {
        return `  ran: ${item.command} -> ${
          JSON.stringify(item.aggregated_output)
        } (exit ${item.exit_code})`;
      }
      if (item.type === "file_change") {
        return `  changed: ${item.changes.map((c) => `${c.kind} ${c.path}`).join(", ")}`;
      }
      if (item.type === "agent_message") return `  agent: ${item.text}`;
      return `  ${item.type}`;
    }
    case "turn.completed":
      return `turn completed: ${event.usage.input_tokens} in / ${event.usage.output_tokens} out tokens`;
    case "turn.failed":
      return `turn failed: ${event.error.message}`;
    default:
      return `${event.type}`;
  }
}

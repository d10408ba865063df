/**
 * Instructions and per-thread MCP servers as typed options, on both transports, checked where
 * they land: the request the fake Responses server records, the MCP server that is called, and
 * the argv and shell environment of the real codex.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import type { CommandExecutionItem } from "../src/events.ts";
import type { ThreadOptions, Transport } from "../src/options.ts";
import { item, reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { FakeResponsesServer, Script } from "../src/testing/mod.ts";
import { tool } from "../src/tools/mod.ts";
import { startToolsServer } from "../src/tools/mcp_server.ts";
import { offlineClient, processesMatching } from "./_offline_codex.ts";
import { testCodexSupports } from "./_codex.ts";

type Loose = Record<string, unknown>;
const TRANSPORTS: Transport[] = ["exec", "app-server"];
const mcpSupported = (await testCodexSupports("command.mcp")) !== "unsupported";

async function runWith(
  transport: Transport,
  script: Script,
  threadOptions: ThreadOptions,
  prompt: string,
): Promise<{ server: FakeResponsesServer; turn: Awaited<ReturnType<typeof run>> }> {
  const server = await startFakeResponsesServer(script);
  const turn = await run(server, transport, threadOptions, prompt).finally(() => server.close());
  return { server, turn };
}

async function run(
  server: FakeResponsesServer,
  transport: Transport,
  threadOptions: ThreadOptions,
  prompt: string,
) {
  await using client = await offlineClient(server);
  return await client.codex.startThread({
    skipGitRepoCheck: transport === "exec" ? true : undefined,
    workingDirectory: client.work,
    transport,
    ...threadOptions,
  }).run(prompt);
}

/** The texts of the request's input messages of `role`, in order. */
function texts(body: unknown, role: string): string[] {
  const input = (body as { input?: Loose[] }).input ?? [];
  return input.filter((m) => m.role === role).flatMap((m) =>
    (m.content as Loose[]).map((part) => String(part.text ?? ""))
  );
}

for (const transport of TRANSPORTS) {
  test(`${transport}: developerInstructions and baseInstructions reach the model's request`, async () => {
    const { server } = await runWith(transport, [reply.message("ok")], {
      developerInstructions: "Answer in French. DEV-7f3a",
      baseInstructions: "You are a terse assistant. BASE-91c2",
    }, "hi");
    const body = server.requests[0].body;
    const developer = texts(body, "developer");
    // The base instructions replace codex's own, first in the request.
    assert.match(developer[0], /BASE-91c2/);
    assert.ok(!JSON.stringify(body).includes("You are Codex"));
    assert.ok(developer.some((t) => t.includes("DEV-7f3a")));
  });

  test(
    `${transport}: an MCP server of the thread is reached with its headers, its disabled tools are not offered`,
    {
      skip: !mcpSupported && "this codex has no MCP support",
    },
    async () => {
      const ran: string[] = [];
      await using external = await startToolsServer({
        tools: ["echo", "hidden"].map((name) =>
          tool({
            name,
            description: `The ${name} tool`,
            parameters: { type: "object", properties: { text: { type: "string" } } },
            execute: ({ text }) => {
              ran.push(name);
              return `${name}: ${text}`;
            },
          })
        ),
      });
      const script = [
        reply.items([{ ...item.mcpCall("ext", "hidden", { text: "a" }), call_id: "c_hidden" }]),
        reply.items([{ ...item.mcpCall("ext", "echo", { text: "b" }), call_id: "c_echo" }]),
        reply.message("done"),
      ];
      const { server, turn } = await runWith(transport, script, {
        mcpServers: {
          ext: {
            url: external.url,
            // Without it the server answers 401: the header is how codex gets in.
            headers: { Authorization: `Bearer ${external.token}` },
            disabledTools: ["hidden"],
            approveTools: true,
          },
        },
      }, "echo b");
      assert.equal(turn.finalResponse, "done");
      assert.deepEqual(ran, ["echo"]);
      assert.match(JSON.stringify(server.requests[2].body), /echo: b/);
    },
  );
}

test(
  "exec: the tools token and MCP header values stay out of codex's argv and the agent's commands",
  {
    skip: !mcpSupported && "this codex has no MCP support",
  },
  async () => {
    const headerSecret = "hdr-secret-5b1e0c";
    const envSecret = "env-secret-2d9a4f";
    const seen: { argv: string[]; tokens: string[] } = { argv: [], tokens: [] };
    let home = "";
    const probe = tool({
      name: "probe",
      description: "Looks at the running codex",
      parameters: { type: "object", properties: {} },
      // Runs while codex is alive: its argv and environment are there to read.
      execute: async () => {
        for (const pid of await processesMatching(home)) {
          try {
            seen.argv.push(await readFile(`/proc/${pid}/cmdline`, "utf8"));
            const environ = await readFile(`/proc/${pid}/environ`, "utf8");
            const token = /(?:^|\0)CODEXKIT_TOOLS_TOKEN=([^\0]+)/.exec(environ)?.[1];
            if (token) seen.tokens.push(token);
          } catch {
            // Gone while we looked.
          }
        }
        return "probed";
      },
    });
    await using server = await startFakeResponsesServer([
      reply.execCommand("env"),
      reply.items([{ ...item.mcpCall("codexkit", "probe"), call_id: "c_probe" }]),
      reply.message("done"),
    ]);
    await using client = await offlineClient(server);
    home = client.home;
    const turn = await client.codex.startThread({
      skipGitRepoCheck: true,
      workingDirectory: client.work,
      tools: [probe],
      mcpServers: {
        // Never started: codex only needs to read their config for this check.
        remote: { url: "http://127.0.0.1:9/mcp", headers: { "X-Api-Key": headerSecret } },
        local: { command: "/bin/false", env: { LOCAL_SERVER_KEY: envSecret } },
      },
    }).run("probe");
    assert.equal(turn.finalResponse, "done");
    assert.ok(seen.tokens.length > 0, "codex holds the tools token in its environment");
    const argv = seen.argv.join("\n");
    for (const secret of [headerSecret, envSecret, ...seen.tokens]) {
      assert.ok(!argv.includes(secret), "no secret value in any argv");
    }
    const command = turn.items.find((i) => i.type === "command_execution") as CommandExecutionItem;
    assert.match(command.aggregated_output, /PATH=/);
    for (
      const name of ["CODEXKIT_TOOLS_TOKEN", "CODEXKIT_MCP_REMOTE_HEADER_0", "LOCAL_SERVER_KEY"]
    ) {
      assert.ok(
        !command.aggregated_output.includes(name),
        `${name} is kept from the agent's shell`,
      );
    }
  },
);

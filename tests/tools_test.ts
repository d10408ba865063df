/**
 * Tools as TypeScript functions on both transports, with the real codex and the fake Responses
 * server: exec serves them from the SDK's loopback MCP server, the app-server as dynamic tools.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as v from "valibot";
import { AbortError } from "../src/errors.ts";
import type { McpToolCallItem, ThreadItem } from "../src/events.ts";
import type { ThreadOptions, Transport } from "../src/options.ts";
import { item, reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { FakeResponsesServer, RecordedRequest, Script, Step } from "../src/testing/mod.ts";
import { tool } from "../src/tools/mod.ts";
import type { Tool, ToolContext } from "../src/tools/mod.ts";
import { eventually, offlineClient, processesMatching } from "./_offline_codex.ts";
import { testCodexSupports } from "./_codex.ts";

type Loose = Record<string, unknown>;
const TRANSPORTS: Transport[] = ["exec", "app-server"];

/** A response calling `name` with `args`: an MCP tool of the SDK's server on exec, a dynamic tool on the app-server. */
function callStep(transport: Transport, name: string, args: unknown, callId: string): Step {
  return reply.items([{
    ...(transport === "exec" ? item.mcpCall("codexkit", name) : { type: "function_call", name }),
    arguments: typeof args === "string" ? args : JSON.stringify(args),
    call_id: callId,
  } as never]);
}

/** The text codex sent back to the model for `callId` in `request`. */
function outputOf(request: RecordedRequest | undefined, callId: string): string {
  const input = ((request?.body as { input?: Loose[] })?.input) ?? [];
  const entry = input.find((e) => e.call_id === callId && e.type === "function_call_output");
  return entry ? JSON.stringify(entry.output) : "";
}

function toolItems(items: readonly ThreadItem[]): McpToolCallItem[] {
  return items.filter((i) => i.type === "mcp_tool_call") as McpToolCallItem[];
}

async function runWith(
  transport: Transport,
  script: Script,
  threadOptions: ThreadOptions,
  body: (
    run: (prompt: string, signal?: AbortSignal) => ReturnType<
      ReturnType<Awaited<ReturnType<typeof offlineClient>>["codex"]["startThread"]>["run"]
    >,
    server: FakeResponsesServer,
    home: string,
  ) => Promise<void>,
): Promise<void> {
  await using server = await startFakeResponsesServer(script);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    skipGitRepoCheck: transport === "exec" ? true : undefined,
    workingDirectory: client.work,
    transport,
    ...threadOptions,
  });
  await body((prompt, signal) => thread.run(prompt, signal ? { signal } : {}), server, client.home);
}

const calls: { args: unknown; context: ToolContext; abortedAtCall: boolean }[] = [];
const add: Tool = tool({
  name: "add",
  description: "Adds two numbers",
  parameters: v.object({ a: v.number(), b: v.number() }),
  execute: (args, context) => {
    calls.push({ args, context, abortedAtCall: context.signal.aborted });
    return { sum: args.a + args.b };
  },
});

const mcpSupported = (await testCodexSupports("command.mcp")) !== "unsupported";

for (const transport of TRANSPORTS) {
  test(`${transport}: the model calls a tool, the function runs and its result reaches the model`, {
    skip: !mcpSupported && transport === "exec" && "this codex has no MCP support",
  }, async () => {
    calls.length = 0;
    const script = [callStep(transport, "add", { a: 2, b: 3 }, "call_add"), reply.message("5")];
    await runWith(transport, script, { tools: [add] }, async (run, server) => {
      const turn = await run("add 2 and 3");
      assert.equal(turn.finalResponse, "5");
      assert.equal(calls.length, 1, JSON.stringify(toolItems(turn.items)));
      assert.deepEqual(calls[0].args, { a: 2, b: 3 });
      assert.equal(calls[0].abortedAtCall, false);
      assert.match(outputOf(server.requests[1], "call_add"), /\{\\"sum\\":5\}/);
      const [call] = toolItems(turn.items);
      assert.equal(call.server, "codexkit");
      assert.equal(call.tool, "add");
      assert.deepEqual(call.arguments, { a: 2, b: 3 });
      assert.equal(call.status, "completed");
      assert.match(JSON.stringify(call.result), /\{\\"sum\\":5\}/);
      if (transport === "app-server") assert.ok(calls[0].context.turnId);
      assert.equal(typeof calls[0].context.threadId, "string");
    });
  });

  test(`${transport}: a bad argument reaches the model as a tool error and execute never runs`, {
    skip: !mcpSupported && transport === "exec" && "this codex has no MCP support",
  }, async () => {
    calls.length = 0;
    const script = [
      callStep(transport, "add", { a: "two", b: 3 }, "call_bad"),
      reply.message("sorry"),
    ];
    await runWith(transport, script, { tools: [add] }, async (run, server) => {
      const turn = await run("add two and 3");
      assert.equal(turn.finalResponse, "sorry");
      assert.equal(calls.length, 0);
      assert.match(
        outputOf(server.requests[1], "call_bad"),
        /Invalid arguments for the tool add: a: /,
      );
      assert.equal(toolItems(turn.items)[0]?.status, "failed");
    });
  });

  test(`${transport}: a throwing tool reaches the model as a tool error and the turn goes on`, {
    skip: !mcpSupported && transport === "exec" && "this codex has no MCP support",
  }, async () => {
    const boom = tool({
      name: "boom",
      description: "Always fails",
      parameters: { type: "object", properties: {} },
      execute: () => {
        throw new Error("the disk is on fire");
      },
    });
    const script = [callStep(transport, "boom", {}, "call_boom"), reply.message("it failed")];
    await runWith(transport, script, { tools: [boom] }, async (run, server) => {
      const turn = await run("try boom");
      assert.equal(turn.finalResponse, "it failed");
      assert.match(
        outputOf(server.requests[1], "call_boom"),
        /The tool boom failed: the disk is on fire/,
      );
      const [call] = toolItems(turn.items);
      assert.equal(call.status, "failed");
    });
  });

  test(`${transport}: aborting the turn mid-call aborts execute's signal and leaves no process`, {
    skip: !mcpSupported && transport === "exec" && "this codex has no MCP support",
  }, async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => started = resolve);
    let aborted!: (reason: unknown) => void;
    const abortSeen = new Promise<unknown>((resolve) => aborted = resolve);
    const wait = tool({
      name: "wait",
      description: "Waits until it is stopped",
      parameters: { type: "object", properties: {} },
      execute: (_args, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => {
            aborted(signal.reason);
            reject(signal.reason);
          }, { once: true });
          started();
        }),
    });
    const script = [callStep(transport, "wait", {}, "call_wait"), reply.message("never")];
    let home = "";
    await runWith(transport, script, { tools: [wait] }, async (run, _server, codexHome) => {
      home = codexHome;
      const controller = new AbortController();
      const turn = run("wait", controller.signal);
      await running;
      controller.abort(new Error("stop"));
      await assert.rejects(turn, AbortError);
      await abortSeen;
      if (transport === "exec") {
        assert.ok(await eventually(async () => (await processesMatching(home)).length === 0));
      }
    });
    // The app-server lives with the client, which is closed by now.
    assert.ok(await eventually(async () => (await processesMatching(home)).length === 0));
  });
}

test("exec: a model that searches for tools first finds the SDK's tools, then calls one", {
  skip: !mcpSupported && "this codex has no MCP support",
}, async () => {
  calls.length = 0;
  // codex 0.169 defers MCP tools behind tool_search: the model may search before calling.
  const script = [
    reply.items([{
      type: "tool_search_call",
      call_id: "search_1",
      execution: "client",
      arguments: { query: "add" },
    } as never]),
    callStep("exec", "add", { a: 1, b: 1 }, "call_add"),
    reply.message("2"),
  ];
  await runWith("exec", script, { tools: [add] }, async (run, server) => {
    const turn = await run("add 1 and 1");
    assert.equal(turn.finalResponse, "2");
    const input = (server.requests[1].body as { input: Loose[] }).input;
    const found = input.find((e) => e.type === "tool_search_output");
    assert.match(JSON.stringify(found), /"add"/);
    assert.deepEqual(calls.map((c) => c.args), [{ a: 1, b: 1 }]);
    assert.match(outputOf(server.requests[2], "call_add"), /\{\\"sum\\":2\}/);
  });
});

test("exec: a turn's tools join the thread's for that turn", {
  skip: !mcpSupported && "this codex has no MCP support",
}, async () => {
  calls.length = 0;
  const script = [callStep("exec", "add", { a: 4, b: 4 }, "call_add"), reply.message("8")];
  await using server = await startFakeResponsesServer(script);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    skipGitRepoCheck: true,
    workingDirectory: client.work,
  });
  const turn = await thread.run("add 4 and 4", { tools: [add] });
  assert.equal(turn.finalResponse, "8");
  assert.deepEqual(calls.map((c) => c.args), [{ a: 4, b: 4 }]);
});

test("app-server: a thread with tools after one without reopens the client's server with the experimental API", async () => {
  calls.length = 0;
  await using server = await startFakeResponsesServer([
    reply.message("plain"),
    callStep("app-server", "add", { a: 1, b: 2 }, "call_add"),
    reply.message("3"),
  ]);
  await using client = await offlineClient(server);
  const options = { transport: "app-server" as const, workingDirectory: client.work };
  assert.equal((await client.codex.startThread(options).run("hi")).finalResponse, "plain");
  const turn = await client.codex.startThread({ ...options, tools: [add] }).run("add 1 and 2");
  assert.equal(turn.finalResponse, "3");
  assert.deepEqual(calls.map((c) => c.args), [{ a: 1, b: 2 }]);
});

test("A tool definition is checked when it is made, naming the field", () => {
  assert.throws(
    () => tool({ name: "no spaces", description: "", parameters: {}, execute: () => "" }),
    /Cannot use tool name "no spaces"/,
  );
  assert.throws(
    () => tool({ name: "t", description: "", parameters: [] as never, execute: () => "" }),
    /Cannot use parameters of tool t/,
  );
  assert.throws(
    () => tool({ name: "t", description: "", parameters: {}, execute: "x" as never }),
    /Cannot use execute of tool t: expected a function/,
  );
});

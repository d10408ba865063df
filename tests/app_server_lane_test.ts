import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AbortError, ConnectionClosedError, RpcError, TurnFailedError } from "../src/errors.ts";
import type { ThreadEvent } from "../src/events.ts";
import type { TurnRequest } from "../src/lanes/lane.ts";
import { collectTurn } from "../src/turn.ts";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { FakeResponsesServer, RecordedRequest, Script } from "../src/testing/mod.ts";
import { AppServer } from "../src/app_server/app_server.ts";
import { createAppServerLane } from "../src/app_server/lane.ts";
import type { AppServerLane, AppServerThreadOptions } from "../src/app_server/lane.ts";
import { spawnStdioTransport } from "../src/app_server/stdio_transport.ts";
import { codexEnv, freshHome, NATIVE_CODEX, tempDir, TEST_CODEX_VERSION } from "./_codex.ts";
import type { TempDir } from "./_codex.ts";

interface Rig extends AsyncDisposable {
  server: FakeResponsesServer;
  lane: AppServerLane;
  work: string;
  home: string;
  start: { binary: string; args: string[]; env: Record<string, string>; cwd: string };
  newLane(): AppServerLane;
}

async function rig(script: Script, reuse?: { home: TempDir }): Promise<Rig> {
  const server = await startFakeResponsesServer(script);
  const home = reuse?.home ?? await freshHome();
  const tmp = await tempDir("codexkit-tmp-");
  const work = await tempDir("codexkit-work-");
  const start = {
    binary: NATIVE_CODEX,
    args: offlineCodexConfig(server).args,
    env: codexEnv(server, home.path, tmp.path),
    cwd: work.path,
  };
  const lanes: AppServerLane[] = [];
  const newLane = () => {
    const lane = createAppServerLane({ start });
    lanes.push(lane);
    return lane;
  };
  return {
    server,
    lane: newLane(),
    work: work.path,
    home: home.path,
    start,
    newLane,
    async [Symbol.asyncDispose]() {
      for (const lane of lanes) await lane.close();
      await server.close();
      if (!reuse) await home[Symbol.asyncDispose]();
      await tmp[Symbol.asyncDispose]();
      await work[Symbol.asyncDispose]();
    },
  };
}

function turn(
  prompt: string,
  threadId: string | null,
  threadOptions: AppServerThreadOptions = {},
): TurnRequest {
  return { input: { prompt, images: [] }, threadId, threadOptions, turnOptions: {} };
}

/** Status-like notification events; tests/app_server_server_requests_test.ts checks them. */
const NOTICES = new Set([
  "thread.status",
  "rate_limits.updated",
  "warning",
  "mcp_server.status",
  "app_server.notification",
]);

/** The turn's item-flow events (notices left out). */
async function events(stream: ReadableStream<ThreadEvent[]>): Promise<ThreadEvent[]> {
  const out: ThreadEvent[] = [];
  for await (const event of flat(stream)) if (!NOTICES.has(event.type)) out.push(event);
  return out;
}

/** The events of a lane's batches, one by one. */
async function* flat(stream: ReadableStream<ThreadEvent[]>): AsyncGenerator<ThreadEvent> {
  for await (const batch of stream) yield* batch;
}

function userTexts(request: RecordedRequest): string {
  return JSON.stringify((request.body as { input: unknown }).input);
}

const approving = (work: string, extra: AppServerThreadOptions = {}): AppServerThreadOptions => ({
  workingDirectory: work,
  approvalPolicy: "untrusted",
  sandboxMode: "workspace-write",
  ...extra,
});

test("AppServer completes the handshake and names the server", async () => {
  await using r = await rig([]);
  await using server = await AppServer.spawn({
    ...r.start,
    clientInfo: { name: "t", version: "1" },
  });
  assert.equal(server.info?.platformOs, "linux");
  assert.ok((server.info?.userAgent ?? "").includes(TEST_CODEX_VERSION), server.info?.userAgent);
  assert.equal(server.version, TEST_CODEX_VERSION);
  const { data } = await server.call("thread/list", {});
  assert.deepEqual(data, []);
});

test("AppServer requests before the handshake reject with RpcError -32600", async () => {
  await using r = await rig([]);
  await using server = await AppServer.spawn({ ...r.start, skipInitialize: true });
  const error = await server.call("thread/start", {}).catch((e) => e);
  assert.ok(error instanceof RpcError);
  assert.equal(error.code, -32600);
  assert.equal((await server.initialize()).platformOs, "linux");
});

test("App-server lane runs two turns on one thread with exec-shaped events", async () => {
  await using r = await rig([reply.message("first answer"), reply.message("second answer")]);
  const first = await events(r.lane.runTurn(turn("hello one", null, { workingDirectory: r.work })));
  assert.deepEqual(first.map((e) => e.type), [
    "thread.started",
    "turn.started",
    "item.started",
    "item.completed",
    "usage.updated",
    "turn.completed",
  ]);
  const threadId = (first[0] as { thread_id: string }).thread_id;
  assert.deepEqual(first[3], {
    type: "item.completed",
    item: { id: "msg_1", type: "agent_message", text: "first answer" },
  });
  const done = first.at(-1) as { usage: { input_tokens: number; output_tokens: number } };
  assert.equal(done.usage.input_tokens, 1200);
  const second = await collectTurn(flat(r.lane.runTurn(turn("hello two", threadId))));
  assert.equal(second.finalResponse, "second answer");
  const requests = await r.server.waitForRequests(2);
  assert.match(userTexts(requests[1]), /hello one.*first answer.*hello two/s);
});

test("App-server lane streams text and reasoning deltas as item.updated", async () => {
  await using r = await rig([{
    ...reply.items([
      { type: "reasoning", summary: [{ type: "summary_text", text: "Think hard" }] },
      {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: "Hello big world" }],
      },
    ]),
    textDeltas: true,
  }]);
  const all = await events(r.lane.runTurn(turn("hi", null, { workingDirectory: r.work })));
  const updates = all.filter((e) => e.type === "item.updated").map((e) =>
    (e as { item: { type: string; text: string } }).item
  );
  const texts = updates.filter((i) => i.type === "agent_message").map((i) => i.text);
  assert.ok(texts.length >= 2);
  assert.equal(texts.at(-1), "Hello big world");
  assert.ok(texts[0].length < texts.at(-1)!.length);
  assert.ok(updates.some((i) => i.type === "reasoning" && i.text === "Think hard"));
});

test("App-server lane resumes a thread in a new server process", async () => {
  await using home = await freshHome();
  await using r = await rig([reply.message("remembered"), reply.message("again")], { home });
  const first = await events(r.lane.runTurn(turn("keep 42", null, { workingDirectory: r.work })));
  const threadId = (first[0] as { thread_id: string }).thread_id;
  await r.lane.close();
  const other = r.newLane();
  const resumed = await events(other.runTurn(turn("what number", threadId)));
  assert.deepEqual(resumed[0], { type: "thread.started", thread_id: threadId });
  assert.equal(resumed.at(-1)?.type, "turn.completed");
  const requests = await r.server.waitForRequests(2);
  assert.match(userTexts(requests[1]), /keep 42.*remembered.*what number/s);
});

for (
  const [decision, exists, status] of [
    ["accept", true, "completed"],
    ["decline", false, "declined"],
    ["cancel", false, "declined"],
  ] as const
) {
  test(`App-server lane ${decision} on a command approval decides whether it runs`, async () => {
    await using r = await rig([reply.execCommand("echo hi > ran.txt"), reply.message("done")]);
    const seen: string[] = [];
    const all = await events(r.lane.runTurn(turn(
      "run it",
      null,
      approving(r.work, {
        onApproval: async (request) => {
          seen.push(`${request.kind}:${request.command}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
          return decision;
        },
      }),
    )));
    assert.equal(existsSync(join(r.work, "ran.txt")), exists);
    assert.equal(seen.length, 1);
    assert.match(seen[0], /^command:.*echo hi > ran.txt/);
    // The request names the decisions on offer and, when codex parsed it, what the command does.
    const [requested] = all.filter((e) => e.type === "approval.requested") as {
      available_decisions: unknown[];
      command_actions?: { type: string; command: string }[];
    }[];
    assert.ok(requested.available_decisions.length > 0);
    assert.ok(requested.available_decisions.includes("accept"));
    for (const action of requested.command_actions ?? []) {
      assert.equal(typeof action.type, "string");
      assert.equal(typeof action.command, "string");
    }
    const resolved = all.filter((e) => e.type === "approval.resolved");
    assert.deepEqual(
      resolved.map((
        e,
      ) => [(e as { decision: unknown }).decision, (e as { source: string }).source]),
      [[decision, "callback"]],
    );
    const last = all.at(-1) as { type: string; interrupted?: boolean };
    if (decision === "cancel") {
      assert.equal(last.type, "turn.failed");
      assert.equal(last.interrupted, true);
    } else {
      assert.equal(last.type, "turn.completed");
      const item = all.filter((e) => e.type === "item.completed")
        .map((e) => (e as { item: { type: string; status?: string } }).item)
        .find((i) => i.type === "command_execution");
      assert.equal(item?.status, status);
    }
  });
}

for (
  const [decision, exists] of [["accept", true], ["decline", false], ["cancel", false]] as const
) {
  test(`App-server lane ${decision} on a patch approval decides whether the file appears`, async () => {
    await using r = await rig([reply.addFile("hello.txt", "hello\n"), reply.message("done")]);
    const all = await events(r.lane.runTurn(turn(
      "patch it",
      null,
      approving(r.work, {
        onApproval: (request) => (request.kind === "file_change" ? decision : "decline"),
      }),
    )));
    assert.equal(existsSync(join(r.work, "hello.txt")), exists);
    if (exists) assert.equal(await readFile(join(r.work, "hello.txt"), "utf8"), "hello\n");
    const requested = all.filter((e) => e.type === "approval.requested");
    assert.equal(requested.length, 1);
    assert.equal((requested[0] as { kind: string }).kind, "file_change");
    assert.equal(all.at(-1)?.type, decision === "cancel" ? "turn.failed" : "turn.completed");
  });
}

test("App-server lane answers decline once when onApproval throws, and says why", async () => {
  await using r = await rig([reply.execCommand("echo hi > ran.txt"), reply.message("done")]);
  const connection = await r.lane.connection();
  const resolvedOnWire: unknown[] = [];
  connection.onNotification((method, params) => {
    if (method === "serverRequest/resolved") {
      resolvedOnWire.push((params as { requestId: unknown }).requestId);
    }
  });
  const all = await events(r.lane.runTurn(turn(
    "run it",
    null,
    approving(r.work, {
      onApproval: () => {
        throw new Error("policy service down");
      },
    }),
  )));
  assert.equal(existsSync(join(r.work, "ran.txt")), false);
  const resolved = all.filter((e) => e.type === "approval.resolved") as unknown as Record<
    string,
    unknown
  >[];
  assert.equal(resolved.length, 1);
  assert.equal(resolved[0].decision, "decline");
  assert.equal(resolved[0].source, "default");
  assert.equal(resolved[0].reason, "callback_threw");
  assert.equal(resolved[0].message, "policy service down");
  assert.deepEqual(resolvedOnWire, [resolved[0].request_id]);
  assert.equal(all.at(-1)?.type, "turn.completed");
});

test("App-server lane answers the default when onApproval never answers within approvalTimeoutMs", async () => {
  await using r = await rig([reply.execCommand("echo hi > ran.txt"), reply.message("done")]);
  let aborted = false;
  const all = await events(r.lane.runTurn(turn(
    "run it",
    null,
    approving(r.work, {
      approvalTimeoutMs: 150,
      onApproval: (_request, { signal }) =>
        new Promise(() => {
          signal.addEventListener("abort", () => (aborted = true));
        }),
    }),
  )));
  const resolved = all.find((e) => e.type === "approval.resolved") as unknown as Record<
    string,
    unknown
  >;
  assert.equal(resolved.reason, "timeout");
  assert.equal(resolved.decision, "decline");
  assert.equal(aborted, true);
  assert.equal(existsSync(join(r.work, "ran.txt")), false);
  assert.equal(all.at(-1)?.type, "turn.completed");
});

test("App-server lane interrupts a turn mid-stream and run() rejects with TurnFailedError", async () => {
  await using r = await rig([{ ...reply.message("never finished"), textDeltas: true, hold: true }]);
  const stream = r.lane.runTurn(turn("long one", null, { workingDirectory: r.work }));
  const seen: ThreadEvent[] = [];
  const collected = collectTurn((async function* () {
    for await (const event of flat(stream)) {
      seen.push(event);
      yield event;
    }
  })());
  await r.server.waitForHold(1);
  const threadId = (seen[0] as { thread_id: string }).thread_id;
  await r.lane.interrupt(threadId);
  const error = await collected.catch((e) => e);
  assert.ok(error instanceof TurnFailedError);
  assert.match(error.message, /interrupted/i);
  assert.deepEqual(seen.at(-1), {
    type: "turn.failed",
    error: { message: "Turn interrupted" },
    interrupted: true,
  });
});

test("App-server lane stops an aborted turn with the exec lane's words and the server's command", async () => {
  await using r = await rig([{ ...reply.message("never finished"), textDeltas: true, hold: true }]);
  const controller = new AbortController();
  const stream = r.lane.runTurn({
    ...turn("long one", null, { workingDirectory: r.work }),
    turnOptions: { signal: controller.signal },
  });
  const error = events(stream).catch((e) => e);
  await r.server.waitForHold(1);
  controller.abort("enough");
  const stopped = await error;
  assert.ok(stopped instanceof AbortError && stopped.isCanceled);
  assert.equal(stopped.message.split("\n")[0], "The run was aborted");
  assert.equal(stopped.cause, "enough");
  assert.ok(stopped.command?.includes("app-server"), String(stopped.command));
});

test("App-server lane steers a running turn with more input", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await using r = await rig([
    { ...reply.message("working"), hold: held },
    reply.message("steered"),
  ]);
  const stream = r.lane.runTurn(turn("start", null, { workingDirectory: r.work }));
  const reader = stream.getReader();
  const first = (await reader.read()).value![0] as { thread_id: string };
  await r.server.waitForHold(1);
  await r.lane.steer(first.thread_id, { prompt: "also do this", images: [] });
  release();
  const rest: ThreadEvent[] = [];
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    rest.push(...value);
  }
  assert.equal(rest.at(-1)?.type, "turn.completed");
  const requests = await r.server.waitForRequests(2);
  assert.match(userTexts(requests[1]), /also do this/);
  const messages = rest.filter((e) => e.type === "item.completed").map((e) =>
    (e as { item: { text?: string } }).item.text
  );
  // The steer cuts the held sampling short; the answer comes from the request carrying it.
  assert.equal(messages.filter(Boolean).at(-1), "steered");
});

test("App-server lane runs 4 threads on one server concurrently without crossing events", async () => {
  await using r = await rig((request) => {
    const text = userTexts(request);
    const name = /thread-(\d)/.exec(text)?.[1] ?? "?";
    return { ...reply.message(`answer ${name}`), delayMs: 5, textDeltas: true };
  });
  const names = ["1", "2", "3", "4"];
  const results = await Promise.all(
    names.map((n) =>
      events(r.lane.runTurn(turn(`thread-${n}`, null, { workingDirectory: r.work })))
    ),
  );
  const ids = new Set(results.map((all) => (all[0] as { thread_id: string }).thread_id));
  assert.equal(ids.size, 4);
  results.forEach((all, i) => {
    const texts = all.filter((e) => e.type === "item.updated" || e.type === "item.completed")
      .map((e) => (e as { item: { text: string } }).item.text);
    assert.ok(texts.length > 1);
    for (const text of texts) assert.ok(`answer ${names[i]}`.startsWith(text), text);
    assert.equal(all.at(-1)?.type, "turn.completed");
  });
});

test("App-server killed mid-turn rejects pending requests and errors the turn", async () => {
  await using r = await rig([{ ...reply.message("stuck"), hold: true }]);
  const transport = await spawnStdioTransport(r.start);
  await using connection = await AppServer.open(transport);
  const lane = createAppServerLane({ connection });
  const stream = lane.runTurn(turn("hang", null, { workingDirectory: r.work }));
  const outcome = events(stream).catch((e) => e);
  await r.server.waitForHold(1);
  const pending = connection.request("thread/list", {}).catch((e) => e);
  transport.child!.kill("SIGKILL");
  const [error, turnError] = await Promise.all([pending, outcome]);
  assert.ok(error instanceof ConnectionClosedError);
  assert.equal(error.signal, "SIGKILL");
  assert.ok(turnError instanceof ConnectionClosedError);
  await lane.close();
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { startFakeResponsesServer } from "./fake_responses_server.ts";
import { reply } from "./steps.ts";

function post(url: string, body: unknown = { model: "m", stream: true }): Promise<Response> {
  return fetch(`${url}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-secret" },
    body: JSON.stringify(body),
  });
}

function eventTypes(sse: string): string[] {
  return sse.split("\n").filter((l) => l.startsWith("event: ")).map((l) => l.slice(7));
}

/** Reads SSE text until `needle` shows up, leaving the stream open. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  needle: string,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes(needle)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before ${needle}`);
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

test("startFakeResponsesServer answers a step as SSE and records the request", async () => {
  await using server = await startFakeResponsesServer([reply.message("hi")]);
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  const res = await post(server.url, { model: "gpt-5.5", input: [] });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const sse = await res.text();
  assert.deepEqual(eventTypes(sse), [
    "response.created",
    "response.output_item.done",
    "response.completed",
  ]);
  assert.ok(sse.includes('"text":"hi"'));
  const [recorded] = await server.waitForRequests(1);
  assert.equal(recorded.method, "POST");
  assert.equal(recorded.path, "/v1/responses");
  assert.equal(recorded.step, 0);
  assert.equal(recorded.status, 200);
  assert.deepEqual(recorded.body, { model: "gpt-5.5", input: [] });
  assert.equal(recorded.headers.authorization, "Bearer ***");
  assert.ok(!JSON.stringify(server.requests).includes("sk-secret"));
});

test("startFakeResponsesServer answers other routes with a recorded 404", async () => {
  await using server = await startFakeResponsesServer([reply.message("hi")]);
  const res = await fetch(`${server.url}/models`);
  assert.equal(res.status, 404);
  assert.match((await res.json()).error.message, /GET \/v1\/models/);
  const get = await fetch(`${server.url}/responses`);
  assert.equal(get.status, 404);
  await get.body?.cancel();
  assert.deepEqual(server.requests.map((r) => [r.method, r.path, r.status, r.step]), [
    ["GET", "/v1/models", 404, null],
    ["GET", "/v1/responses", 404, null],
  ]);
  // The unused step still answers the first POST.
  assert.equal((await post(server.url)).status, 200);
});

test("startFakeResponsesServer answers 500 naming the request once the steps run out", async () => {
  await using server = await startFakeResponsesServer([reply.message("one")]);
  await (await post(server.url)).text();
  const res = await post(server.url);
  assert.equal(res.status, 500);
  const body = await res.json();
  assert.match(body.error.message, /no step for request #2 \(index 1\).*1 steps/);
  assert.equal(server.requests[1].status, 500);
});

test("startFakeResponsesServer hands a function script the request and its index", async () => {
  const seen: [number, unknown][] = [];
  await using server = await startFakeResponsesServer((request, index) => {
    seen.push([index, (request.body as { n: number }).n]);
    return index === 0
      ? reply.message("first")
      : reply.httpError(429, { error: { message: "slow" } });
  });
  assert.ok((await (await post(server.url, { n: 7 })).text()).includes("first"));
  const res = await post(server.url, { n: 8 });
  assert.equal(res.status, 429);
  assert.deepEqual(await res.json(), { error: { message: "slow" } });
  assert.deepEqual(seen, [[0, 7], [1, 8]]);
});

test("startFakeResponsesServer answers 500 when a function script throws", async () => {
  await using server = await startFakeResponsesServer(() => {
    throw new Error("script broke");
  });
  const res = await post(server.url);
  assert.equal(res.status, 500);
  assert.match((await res.json()).error.message, /script threw on request #1.*script broke/);
});

test("startFakeResponsesServer holds a stream until release()", async () => {
  await using server = await startFakeResponsesServer([{ ...reply.message("late"), hold: true }]);
  const res = await post(server.url);
  const reader = res.body!.getReader();
  const before = await readUntil(reader, "response.output_item.done");
  await server.waitForHold(1);
  assert.ok(!before.includes("response.completed"));
  assert.equal(server.release(), 1);
  const rest = await readUntil(reader, "response.completed");
  assert.ok(rest.includes("response.completed"));
  await reader.cancel();
});

test("startFakeResponsesServer holds a stream until the hold promise settles", async () => {
  let go!: () => void;
  const gate = new Promise<void>((resolve) => go = resolve);
  await using server = await startFakeResponsesServer([{
    ...reply.message("x"),
    stallAfterCreated: true,
    hold: gate,
  }]);
  const reader = (await post(server.url)).body!.getReader();
  const first = await readUntil(reader, "response.created");
  await server.waitForHold();
  assert.deepEqual(eventTypes(first), ["response.created"]);
  go();
  assert.ok((await readUntil(reader, "response.completed")).includes("response.output_item.done"));
  await reader.cancel();
});

test("FakeResponsesServer.close ends a held stream and stops listening", async () => {
  const server = await startFakeResponsesServer([{
    ...reply.message("never"),
    stallAfterCreated: true,
  }]);
  const reader = (await post(server.url)).body!.getReader();
  await readUntil(reader, "response.created");
  await server.waitForHold();
  await server.close();
  const ended = await readUntil(reader, "response.completed").then(
    () => "completed",
    (e) => String(e),
  );
  assert.notEqual(ended, "completed");
  await assert.rejects(post(server.url));
  await server.close();
});

test("FakeResponsesServer.waitForRequests rejects after the timeout naming the count", async () => {
  await using server = await startFakeResponsesServer([]);
  await assert.rejects(
    server.waitForRequests(1, 20),
    /waiting for 1 POST \/v1\/responses requests \(got 0\)/,
  );
});

test("startFakeResponsesServer rejects a bad script or port with a TypeError", async () => {
  await assert.rejects(startFakeResponsesServer("x" as never), TypeError);
  await assert.rejects(startFakeResponsesServer([], { port: -1 }), /options\.port/);
});

test("startFakeResponsesServer with localProvider ollama answers the checks before a turn", async () => {
  await using server = await startFakeResponsesServer([reply.message("hi")], {
    localProvider: "ollama",
  });
  const root = server.url.replace(/\/v1$/, "");
  assert.deepEqual(await (await fetch(`${server.url}/models`)).json(), {
    object: "list",
    data: [{ id: "gpt-oss:20b", object: "model", owned_by: "ollama" }],
  });
  assert.deepEqual(await (await fetch(`${root}/api/version`)).json(), { version: "0.13.4" });
  assert.deepEqual(await (await fetch(`${root}/api/tags`)).json(), {
    models: [{ name: "gpt-oss:20b", model: "gpt-oss:20b" }],
  });
  const pull = await fetch(`${root}/api/pull`, { method: "POST", body: "{}" });
  assert.equal(pull.status, 404, "pulling a model is not faked");
  await pull.body?.cancel();
  assert.ok((await (await post(server.url)).text()).includes('"text":"hi"'));
  assert.deepEqual(server.requests.map((r) => [r.method, r.path, r.status, r.step]), [
    ["GET", "/v1/models", 200, null],
    ["GET", "/api/version", 200, null],
    ["GET", "/api/tags", 200, null],
    ["POST", "/api/pull", 404, null],
    ["POST", "/v1/responses", 200, 0],
  ]);
});

test("startFakeResponsesServer reports the localModels and ollamaVersion it is given", async () => {
  await using server = await startFakeResponsesServer([], {
    localProvider: "ollama",
    localModels: ["qwen3:8b", "gpt-oss:120b"],
    ollamaVersion: "0.20.1",
  });
  const root = server.url.replace(/\/v1$/, "");
  const list = await (await fetch(`${server.url}/models`)).json();
  assert.deepEqual(list.data.map((m: { id: string }) => m.id), ["qwen3:8b", "gpt-oss:120b"]);
  assert.deepEqual(await (await fetch(`${root}/api/version`)).json(), { version: "0.20.1" });
  const tags = await (await fetch(`${root}/api/tags`)).json();
  assert.deepEqual(tags.models.map((m: { name: string }) => m.name), ["qwen3:8b", "gpt-oss:120b"]);
});

test("startFakeResponsesServer with localProvider lmstudio answers the model load without a step", async () => {
  await using server = await startFakeResponsesServer([reply.message("turn")], {
    localProvider: "lmstudio",
  });
  const list = await (await fetch(`${server.url}/models`)).json();
  assert.deepEqual(list.data.map((m: { id: string }) => m.id), ["openai/gpt-oss-20b"]);
  const root = server.url.replace(/\/v1$/, "");
  const tags = await fetch(`${root}/api/tags`);
  assert.equal(tags.status, 404, "LM Studio has no Ollama routes");
  await tags.body?.cancel();
  const load = await post(server.url, {
    model: "openai/gpt-oss-20b",
    input: "",
    max_output_tokens: 1,
  });
  assert.equal(load.status, 200);
  assert.equal(load.headers.get("content-type"), "application/json");
  assert.deepEqual(await load.json(), {
    id: "resp_load",
    object: "response",
    status: "completed",
    model: "openai/gpt-oss-20b",
    output: [],
  });
  assert.ok((await (await post(server.url)).text()).includes('"text":"turn"'));
  assert.deepEqual(server.requests.map((r) => [r.method, r.path, r.status, r.step]), [
    ["GET", "/v1/models", 200, null],
    ["GET", "/api/tags", 404, null],
    ["POST", "/v1/responses", 200, null],
    ["POST", "/v1/responses", 200, 0],
  ]);
  assert.equal((await server.waitForRequests(1)).length, 1, "the load is not a scripted call");
});

test("startFakeResponsesServer without localProvider keeps the local routes 404", async () => {
  await using server = await startFakeResponsesServer([]);
  const root = server.url.replace(/\/v1$/, "");
  for (const path of ["/api/version", "/api/tags"]) {
    const res = await fetch(`${root}${path}`);
    assert.equal(res.status, 404);
    await res.body?.cancel();
  }
});

test("startFakeResponsesServer rejects bad local provider options with a TypeError naming them", async () => {
  const table: [Record<string, unknown>, RegExp][] = [
    [{ localProvider: "vllm" }, /options\.localProvider "vllm" is not "ollama" or "lmstudio"/],
    [{ localProvider: "ollama", localModels: [] }, /options\.localModels \[\]/],
    [{ localProvider: "ollama", localModels: [""] }, /options\.localModels/],
    [{ localProvider: "ollama", ollamaVersion: "new" }, /options\.ollamaVersion "new"/],
    [{ localModels: ["m"] }, /need options\.localProvider/],
    [{ ollamaVersion: "0.13.4" }, /need options\.localProvider/],
  ];
  for (const [options, message] of table) {
    await assert.rejects(
      startFakeResponsesServer([], options as never),
      (e: unknown) => e instanceof TypeError && message.test(e.message),
      JSON.stringify(options),
    );
  }
});

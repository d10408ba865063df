import { test } from "node:test";
import assert from "node:assert/strict";
import { ConnectionClosedError, RpcError, TimeoutError } from "../errors.ts";
import type { MalformedOutputError } from "../errors.ts";
import { RpcConnection } from "./rpc.ts";
import type { RpcConnectionOptions } from "./rpc.ts";
import { readMessages } from "./_test_helpers.ts";

/** An in-memory peer: what the client wrote (parsed), and a way to write lines to it. */
function pair(options: RpcConnectionOptions = {}) {
  const toClient = new TransformStream<Uint8Array, Uint8Array>();
  const toServer = new TransformStream<Uint8Array, Uint8Array>();
  const rpc = new RpcConnection(
    { readable: toClient.readable, writable: toServer.writable },
    options,
  );
  const writer = toClient.writable.getWriter();
  const received: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  void readMessages(toServer.readable, (message) => {
    received.push(message);
    for (const w of waiters.splice(0)) w();
  });
  return {
    rpc,
    received,
    send: (value: unknown) =>
      writer.write(
        new TextEncoder().encode(
          `${typeof value === "string" ? value : JSON.stringify(value)}\n`,
        ),
      ),
    end: () => writer.close(),
    async next(n: number): Promise<Record<string, unknown>> {
      while (received.length < n) await new Promise<void>((r) => waiters.push(r));
      return received[n - 1];
    },
  };
}

test("RpcConnection resolves each request with its own result, out of order", async () => {
  const p = pair();
  const a = p.rpc.request("a", { x: 1 });
  const b = p.rpc.request("b");
  const first = await p.next(1);
  const second = await p.next(2);
  assert.deepEqual(first, { id: 1, method: "a", params: { x: 1 } });
  assert.deepEqual(second, { id: 2, method: "b" });
  await p.send({ id: 2, result: "B" });
  await p.send({ id: 1, result: { ok: true } });
  assert.deepEqual(await Promise.all([a, b]), [{ ok: true }, "B"]);
});

test("RpcConnection rejects an error answer with RpcError keeping code, message and data", async () => {
  const p = pair();
  const call = p.rpc.request("thread/start", {});
  await p.next(1);
  await p.send({ id: 1, error: { code: -32600, message: "Not initialized", data: { a: 1 } } });
  const error = await call.catch((e) => e);
  assert.ok(error instanceof RpcError);
  assert.equal(error.code, -32600);
  assert.equal(error.method, "thread/start");
  assert.deepEqual(error.data, { a: 1 });
  assert.match(error.message, /Not initialized/);
});

test("RpcConnection rejects pending requests with ConnectionClosedError when the peer ends", async () => {
  const p = pair({
    describeClose: () => Promise.resolve({ exitCode: 3, signal: null, stderrTail: "boom" }),
  });
  const call = p.rpc.request("turn/start", {});
  await p.next(1);
  await p.end();
  const error = await call.catch((e) => e);
  assert.ok(error instanceof ConnectionClosedError);
  assert.equal(error.exitCode, 3);
  assert.match(error.message, /boom/);
  const later = await p.rpc.request("x").catch((e) => e);
  assert.ok(later instanceof ConnectionClosedError);
  assert.equal(p.rpc.isClosed, true);
});

test("RpcConnection times a request out with TimeoutError and ignores the late answer", async () => {
  const problems: unknown[] = [];
  const p = pair({ onListenerError: (e) => problems.push(e) });
  const error = await p.rpc.request("slow", {}, { timeoutMs: 20 }).catch((e) => e);
  assert.ok(error instanceof TimeoutError);
  assert.equal(error.timeoutMs, 20);
  await p.send({ id: 1, result: 1 });
  const ok = p.rpc.request("fast");
  await p.next(2);
  await p.send({ id: 2, result: 2 });
  assert.equal(await ok, 2);
  assert.equal(problems.length, 1);
  assert.equal(p.rpc.pendingCount, 0);
});

test("RpcConnection reports a malformed line and goes on", async () => {
  const malformed: MalformedOutputError[] = [];
  const p = pair({ onMalformed: (e) => malformed.push(e) });
  const call = p.rpc.request("a");
  await p.next(1);
  await p.send("this is not json");
  await p.send({ id: 1, result: "fine" });
  assert.equal(await call, "fine");
  assert.equal(malformed.length, 1);
  assert.equal(malformed[0].lineNumber, 1);
});

test("RpcConnection keeps delivering notifications after a listener throws", async () => {
  const seen: string[] = [];
  const thrown: unknown[] = [];
  const p = pair({ onListenerError: (e) => thrown.push(e) });
  p.rpc.onNotification((method) => {
    if (method === "bad") throw new Error("listener bug");
  });
  p.rpc.onNotification((method, params) => seen.push(`${method}:${JSON.stringify(params)}`));
  await p.send({ method: "bad", params: 1 });
  await p.send({ method: "good", params: 2 });
  const call = p.rpc.request("ping");
  await p.next(1);
  await p.send({ id: 1, result: null });
  await call;
  assert.deepEqual(seen, ["bad:1", "good:2"]);
  assert.equal(thrown.length, 1);
});

test("RpcConnection answers each server request exactly once, errors included", async () => {
  const p = pair();
  p.rpc.setRequestHandler(async (method, params) => {
    if (method === "fail") throw new RpcError("nope", { code: -32000, method, data: "d" });
    if (method === "crash") throw new Error("handler bug");
    await new Promise((r) => setTimeout(r, 5));
    return { echoed: params };
  });
  await p.send({ id: 0, method: "echo", params: "x" });
  await p.send({ id: 1, method: "fail" });
  await p.send({ id: 2, method: "crash" });
  await p.next(3);
  await new Promise((r) => setTimeout(r, 30));
  const byId = new Map(p.received.map((m) => [m.id, m]));
  assert.equal(p.received.length, 3);
  assert.deepEqual(byId.get(0), { id: 0, result: { echoed: "x" } });
  assert.deepEqual(byId.get(1), { id: 1, error: { code: -32000, message: "nope", data: "d" } });
  assert.deepEqual(byId.get(2), { id: 2, error: { code: -32603, message: "handler bug" } });
});

test("RpcConnection answers a server request with -32601 when no handler is set", async () => {
  const p = pair();
  await p.send({ id: 7, method: "item/tool/call", params: {} });
  const answer = await p.next(1);
  assert.equal(answer.id, 7);
  assert.equal((answer.error as { code: number }).code, -32601);
});

test("RpcConnection rejects a request whose signal aborts", async () => {
  const p = pair();
  const controller = new AbortController();
  const call = p.rpc.request("a", {}, { signal: controller.signal });
  await p.next(1);
  controller.abort(new Error("stop"));
  const error = await call.catch((e) => e);
  assert.equal((error as Error).message, "stop");
  assert.equal(p.rpc.pendingCount, 0);
});

test("RpcConnection.close ends the writable and fails pending requests", async () => {
  const p = pair();
  const call = p.rpc.request("a");
  await p.next(1);
  await p.rpc.close(20);
  const error = await call.catch((e) => e);
  assert.ok(error instanceof ConnectionClosedError);
  assert.equal(p.rpc.isClosed, true);
});

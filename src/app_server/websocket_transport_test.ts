import { test } from "node:test";
import assert from "node:assert/strict";
import { checkWebSocketTarget, mayCarryToken } from "./websocket_transport.ts";

test("mayCarryToken allows wss:// and loopback ws:// only", () => {
  const table: [string, boolean][] = [
    ["wss://example.com/", true],
    ["ws://127.0.0.1:4000", true],
    ["ws://127.8.9.10:1", true],
    ["ws://localhost:4000", true],
    ["ws://[::1]:4000", true],
    ["ws://10.0.0.2:4000", false],
    ["ws://example.com", false],
    ["ws://127.0.0.1.example.com", false],
  ];
  for (const [url, expected] of table) assert.equal(mayCarryToken(new URL(url)), expected, url);
});

test("checkWebSocketTarget rejects non-WebSocket URLs and tokens over open networks", () => {
  assert.throws(() => checkWebSocketTarget("http://127.0.0.1:1", undefined), TypeError);
  assert.throws(() => checkWebSocketTarget("not a url", undefined), TypeError);
  assert.throws(() => checkWebSocketTarget("ws://example.com", "secret"), /options\.token/);
  assert.equal(checkWebSocketTarget("ws://example.com", undefined).host, "example.com");
});

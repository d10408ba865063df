import { test } from "node:test";
import assert from "node:assert/strict";
import { AppServer } from "./app_server.ts";
import { METHOD_RENAMES, otherMethodNames } from "./renames.ts";
import { ScriptedError, scriptedTransport } from "./_test_helpers.ts";
import type { Script } from "./_test_helpers.ts";
import { RpcError, UnsupportedError } from "../errors.ts";
import known140 from "../../capabilities/known/0.140.0.json" with { type: "json" };
import known171 from "../../capabilities/known/0.171.0.json" with { type: "json" };

const LIST = {
  data: [{ name: "files", tools: {}, resources: [], resourceTemplates: [] }],
  nextCursor: null,
};

async function open(script: Script) {
  const far = scriptedTransport(script, { userAgentVersion: "0.171.0" });
  const server = await AppServer.open(far.transport, { onWarning: () => {} });
  const methods = () =>
    far.sent.map((m) => m.method).filter((m) => m !== "initialize" && m !== "initialized");
  return { far, server, methods };
}

test("otherMethodNames maps a current name to its former one and back, and nothing else", () => {
  assert.deepEqual(otherMethodNames("mcpServerStatus/list"), ["mcpServers/list"]);
  assert.deepEqual(otherMethodNames("mcpServers/list"), ["mcpServerStatus/list"]);
  assert.deepEqual(otherMethodNames("thread/list"), []);
});

test("Every current name of the rename table is a method of the known 0.140.0 and 0.171.0 servers, no former one is", () => {
  for (const known of [known140, known171]) {
    const methods = known.appServer.methods as unknown as string[];
    const names = Array.isArray(methods) ? methods : Object.keys(methods);
    for (const rename of METHOD_RENAMES) {
      assert.ok(names.includes(rename.current), `${known.version.semver} has ${rename.current}`);
      assert.ok(!names.includes(rename.former), `${known.version.semver} lacks ${rename.former}`);
    }
  }
});

test("A server that knows only the former name answers the current one through it, and later calls go straight there", async () => {
  const { server, methods } = await open({ "mcpServers/list": LIST });
  try {
    assert.deepEqual(await server.request("mcpServerStatus/list", {}), LIST);
    assert.deepEqual(await server.request("mcpServerStatus/list", {}), LIST);
    assert.deepEqual(methods(), ["mcpServerStatus/list", "mcpServers/list", "mcpServers/list"]);
    assert.equal(server.supports("mcpServerStatus/list"), true);
  } finally {
    await server.close();
  }
});

test("A server that knows only the current name answers the former one through it", async () => {
  const { server, methods } = await open({ "mcpServerStatus/list": LIST });
  try {
    assert.deepEqual(await server.request("mcpServers/list", {}), LIST);
    assert.deepEqual(methods(), ["mcpServers/list", "mcpServerStatus/list"]);
  } finally {
    await server.close();
  }
});

test("Any other error of a renamed method is not retried under the other name", async () => {
  const { server, methods } = await open({
    "mcpServerStatus/list": new ScriptedError(-32603, "internal failure"),
    "mcpServers/list": LIST,
  });
  try {
    await assert.rejects(server.request("mcpServerStatus/list", {}), RpcError);
    assert.deepEqual(methods(), ["mcpServerStatus/list"]);
  } finally {
    await server.close();
  }
});

test("A server that lacks both names is an UnsupportedError, and is not asked again", async () => {
  const { server, methods } = await open({});
  try {
    await assert.rejects(server.request("mcpServerStatus/list", {}), UnsupportedError);
    assert.deepEqual(methods(), ["mcpServerStatus/list", "mcpServers/list"]);
    await assert.rejects(server.request("mcpServerStatus/list", {}), UnsupportedError);
    assert.equal(methods().length, 2, "known to be missing under both names: no new request");
  } finally {
    await server.close();
  }
});

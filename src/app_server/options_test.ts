import { test } from "node:test";
import assert from "node:assert/strict";
import { AppServer } from "./app_server.ts";
import { startWebSocketAppServer } from "./websocket_server.ts";
import { scriptedTransport } from "./_test_helpers.ts";

// A binary that does not exist: a check that let the options through would fail at the spawn
// with another error, so the TypeError shows the door refused them before spawning.
const binary = "/nonexistent/codexkit-test/codex";

test("AppServer.spawn refuses an unknown option with the nearest known one, before spawning", async () => {
  await assert.rejects(
    AppServer.spawn({ binary, requestTimeoutMS: 5 } as never),
    {
      name: "TypeError",
      message:
        "Cannot use options.requestTimeoutMS: unknown option; did you mean requestTimeoutMs?",
    },
  );
  await assert.rejects(AppServer.spawn({ binary: "" }), {
    name: "TypeError",
    message: 'Cannot use options.binary: expected the path of the codex binary, got ""',
  });
  await assert.rejects(
    AppServer.spawn({ binary, serverRequests: { onToolCal: () => ({}) } } as never),
    /Cannot use options\.serverRequests\.onToolCal: unknown option; did you mean onToolCall\?/,
  );
  await assert.rejects(
    AppServer.spawn({ binary, requestTimeoutMs: -1 }),
    /Cannot use options\.requestTimeoutMs: expected a positive number of milliseconds, got -1/,
  );
});

test("AppServer.connect refuses bad options before dialling", async () => {
  // Port 1 on loopback: nothing listens, so a dial would fail with a connection error instead.
  await assert.rejects(AppServer.connect("ws://127.0.0.1:1", { tokn: "t" } as never), {
    name: "TypeError",
    message: "Cannot use options.tokn: unknown option; did you mean token?",
  });
  await assert.rejects(
    AppServer.connect("ws://127.0.0.1:1", { connectTimeoutMs: "soon" } as never),
    /Cannot use options\.connectTimeoutMs: expected a positive number of milliseconds/,
  );
});

test("AppServer.open refuses bad options before sending anything; a stdio option is not its own", async () => {
  const { transport, sent } = scriptedTransport();
  await assert.rejects(AppServer.open(transport, { onWarnings: () => {} } as never), {
    name: "TypeError",
    message: "Cannot use options.onWarnings: unknown option; did you mean onWarning?",
  });
  await assert.rejects(
    AppServer.open(transport, { binary: "codex" } as never),
    /Cannot use options\.binary: unknown option/,
  );
  assert.deepEqual(sent, []);
  // The same transport still opens with good options: nothing was half done.
  await using server = await AppServer.open(transport, { clientInfo: { name: "t", version: "1" } });
  assert.ok(server.info);
});

test("startWebSocketAppServer checks with the same checker and words", async () => {
  await assert.rejects(startWebSocketAppServer({ binary, prot: 0 } as never), {
    name: "TypeError",
    message: "Cannot use options.prot: unknown option; did you mean port?",
  });
  await assert.rejects(
    startWebSocketAppServer({ binary, auth: { mode: "capability-token", pass: "env" } as never }),
    /Cannot use options\.auth\.pass: expected "file" or "sha256", got "env"/,
  );
  await assert.rejects(
    startWebSocketAppServer({ binary, requestTimeoutMs: 5 } as never),
    /Cannot use options\.requestTimeoutMs: unknown option/,
  );
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { ConnectionClosedError } from "../src/errors.ts";
import type { ThreadEvent } from "../src/events.ts";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { AppServer } from "../src/app_server/app_server.ts";
import { createAppServerLane } from "../src/app_server/lane.ts";
import { startServerProcess } from "../src/app_server/stdio_transport.ts";
import { codexEnv, freshHome, NATIVE_CODEX, tempDir } from "./_codex.ts";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitReady(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`app-server on ${port} never became ready`);
}

test("App-server over WebSocket on 127.0.0.1 runs a turn with a bearer token", async () => {
  await using fake = await startFakeResponsesServer([reply.message("over the socket")]);
  await using home = await freshHome();
  await using tmp = await tempDir("codexkit-tmp-");
  const token = "capability-token-for-this-test-0123456789";
  const tokenFile = join(home.path, "ws-token");
  await writeFile(tokenFile, token, { mode: 0o600 });
  const port = await freePort();
  const process = await startServerProcess({
    binary: NATIVE_CODEX,
    args: offlineCodexConfig(fake).args,
    serverArgs: [
      "--listen",
      `ws://127.0.0.1:${port}`,
      "--ws-auth",
      "capability-token",
      "--ws-token-file",
      tokenFile,
    ],
    env: codexEnv(fake, home.path, tmp.path),
    cwd: home.path,
  });
  try {
    await waitReady(port);
    const refused = await AppServer.connect(`ws://127.0.0.1:${port}`, { token: "wrong" })
      .catch((e) => e);
    assert.ok(refused instanceof ConnectionClosedError);
    await using connection = await AppServer.connect(`ws://127.0.0.1:${port}`, { token });
    assert.equal(connection.info?.platformOs, "linux");
    await using lane = createAppServerLane({ connection });
    const events: ThreadEvent[] = [];
    for await (
      const batch of lane.runTurn({
        input: { prompt: "hello socket", images: [] },
        threadId: null,
        threadOptions: { workingDirectory: home.path },
        turnOptions: {},
      })
    ) events.push(...batch);
    const message = events.find((e) => e.type === "item.completed") as {
      item: { type: string; text: string };
    };
    assert.deepEqual([message.item.type, message.item.text], ["agent_message", "over the socket"]);
    assert.equal(events.at(-1)?.type, "turn.completed");
  } finally {
    await process.stop(0);
  }
});

test("AppServer.connect refuses to send a token over plain ws:// beyond loopback", async () => {
  const error = await AppServer.connect("ws://192.0.2.1:4000", { token: "t" }).catch((e) => e);
  assert.ok(error instanceof TypeError);
  assert.match(error.message, /options\.token/);
  assert.doesNotMatch(error.message, /\bt\b.*\bt\b/);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createConnection } from "node:net";
import { findNatsServer, NATS_SERVER_INSTALL_HINT, startNatsServer } from "./nats_server.ts";

const bin = findNatsServer();
if (!bin) console.log(`skipping the nats-server helper tests: ${NATS_SERVER_INSTALL_HINT}`);

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

test("startNatsServer serves on loopback, restarts on the same port, and removes its store", {
  skip: !bin,
}, async () => {
  let storeDir: string;
  {
    await using nats = await startNatsServer();
    storeDir = nats.storeDir;
    assert.match(nats.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(await reachable(nats.port));
    const pid = nats.pid;
    await nats.stop();
    assert.equal(nats.pid, undefined);
    assert.equal(await reachable(nats.port), false);
    await nats.start();
    assert.notEqual(nats.pid, pid);
    assert.ok(await reachable(nats.port));
  }
  assert.equal(existsSync(storeDir), false);
});

test("findNatsServer honours NATS_SERVER_BIN and reports a missing one as absent", () => {
  assert.equal(findNatsServer({ NATS_SERVER_BIN: "/nonexistent/nats-server" }), undefined);
  assert.equal(
    findNatsServer({ PATH: "/nonexistent", NATS_SERVER_BIN: "" }) === undefined ||
      existsSync("/usr/sbin/nats-server"),
    true,
  );
});

/**
 * One fleet worker, configured from its environment as a worker in a container would be:
 * FLEET_SERVERS, FLEET_WORKER_ID, FLEET_SLOTS, FLEET_DIR (its own CODEX_HOME and work dir go
 * under it) and, for this offline example, FAKE_URL (the fake Responses server). SIGTERM stops
 * it: it stops pulling and hands running turns back.
 *
 * @module
 */
import { join } from "node:path";
import process from "node:process";
import { runFleetWorker } from "../../src/fleet/mod.ts";
import { offlineCodexConfig } from "../../src/testing/mod.ts";

const env = process.env;
const dir = env.FLEET_DIR ?? ".";
const stop = new AbortController();
process.on("SIGTERM", () => stop.abort());
const offline = offlineCodexConfig({ url: env.FAKE_URL ?? "http://127.0.0.1:1/v1" });
await runFleetWorker({
  servers: env.FLEET_SERVERS ?? "nats://127.0.0.1:4222",
  workerId: env.FLEET_WORKER_ID ?? "w1",
  slots: Number(env.FLEET_SLOTS ?? "1"),
  codexHome: join(dir, "home"),
  workRoot: join(dir, "work"),
  codex: {
    config: offline.config,
    env: { PATH: env.PATH ?? "/usr/bin:/bin", HOME: dir, TMPDIR: dir, ...offline.env },
  },
  signal: stop.signal,
});
process.exit(0);

/**
 * A fleet worker process for the fleet tests, the example and the bench: runs
 * `runFleetWorker` against the fake Responses server and reports on stdout, one JSON object a
 * line (`{"kind":"ready"}`, `{"kind":"metric",...}`, `{"kind":"report",...}`). SIGTERM stops
 * it gracefully. Usage: `<runtime> tests/_fleet_worker.ts '<json config>'`.
 *
 * @module
 */
import process from "node:process";
import { runFleetWorker } from "../src/fleet/mod.ts";
import { offlineCodexConfig } from "../src/testing/offline.ts";

/** What the parent passes as the one argument. */
export interface WorkerProcessConfig {
  servers: string;
  workerId: string;
  slots: number;
  codexHome: string;
  workRoot: string;
  codexPath: string;
  codexPathDir: string;
  fakeUrl: string;
  tmp: string;
  key: string;
  drainMs?: number;
}

const config = JSON.parse(process.argv.at(-1) ?? "{}") as WorkerProcessConfig;
const stop = new AbortController();
process.on("SIGTERM", () => stop.abort());
const say = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
say({ kind: "ready", pid: process.pid, workerId: config.workerId });
const report = await runFleetWorker({
  servers: config.servers,
  workerId: config.workerId,
  slots: config.slots,
  codexHome: config.codexHome,
  workRoot: config.workRoot,
  drainMs: config.drainMs ?? 0,
  codex: {
    codexPathOverride: config.codexPath,
    config: offlineCodexConfig({ url: config.fakeUrl }).config,
    env: {
      PATH: `${config.codexPathDir}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HOME: config.tmp,
      TMPDIR: config.tmp,
      MOCK_KEY: config.key,
    },
  },
  signal: stop.signal,
  onMetric: (metric) => say({ kind: "metric", ...metric }),
});
say({ kind: "report", ...report });
process.exit(0);

/**
 * App-server lane figures, offline against the fake Responses server:
 * 1. request round trip over the app-server pipe vs a bare JSON-RPC echo child on the same kind
 *    of pipe (both through the runtime seam and the same RpcConnection);
 * 2. time to first text delta (app-server) vs time to first event / first item of
 *    `codex exec --json` for the same scripted turn;
 * 3. turns per second on one server with 1, 4 and 16 concurrent threads.
 *
 * Run: node bench/app_server_bench.ts (or deno run -A / bun run).
 */
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { AppServer } from "../src/app_server/app_server.ts";
import { createAppServerLane } from "../src/app_server/lane.ts";
import { RpcConnection } from "../src/app_server/rpc.ts";
import { getSpawner, terminate } from "../src/runtime/mod.ts";
import { TextLineStream } from "../src/streams/text_line_stream.ts";
import { codexEnv, freshHome, NATIVE_CODEX, tempDir } from "../tests/_codex.ts";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
const ms = (n: number): string => `${n.toFixed(3)} ms`;

await using home = await freshHome();
await using tmp = await tempDir("codexkit-tmp-");
const streamed = { ...reply.message("one two three four five six"), textDeltas: true };
await using fake = await startFakeResponsesServer(() => streamed);
const offline = offlineCodexConfig(fake);
const env = codexEnv(fake, home.path, tmp.path);
const start = { binary: NATIVE_CODEX, args: offline.args, env, cwd: home.path };

// 1. Round trip.
const N = 500;
{
  await using server = await AppServer.spawn(start);
  for (let i = 0; i < 50; i++) await server.request("thread/loaded/list", {});
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await server.request("thread/loaded/list", {});
    times.push(performance.now() - t);
  }
  const echoScript =
    "let b='';process.stdin.on('data',d=>{b+=d;let i;while((i=b.indexOf('\\n'))>=0){const m=JSON.parse(b.slice(0,i));b=b.slice(i+1);process.stdout.write(JSON.stringify({id:m.id,result:null})+'\\n')}})";
  const child = await getSpawner().spawn(NODE, ["-e", echoScript], { stdin: "piped" });
  child.stderr.cancel().catch(() => {});
  const echo = new RpcConnection({ readable: child.stdout, writable: child.stdin });
  for (let i = 0; i < 50; i++) await echo.request("echo", {});
  const echoTimes: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await echo.request("echo", {});
    echoTimes.push(performance.now() - t);
  }
  await echo.close(500);
  await terminate(child, 500);
  console.log(
    `round trip (median of ${N}): app-server thread/loaded/list ${ms(median(times))}, ` +
      `bare echo ${ms(median(echoTimes))}, overhead ${ms(median(times) - median(echoTimes))}`,
  );
}

// 2. Time to first delta vs exec's first event.
{
  const R = 5;
  const warm: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < R; i++) {
    const t0 = performance.now();
    await using lane = createAppServerLane({ start });
    const t1 = i === 0 ? t0 : performance.now();
    await lane.connection();
    const t2 = performance.now();
    let first = -1;
    for await (
      const [event] of lane.runTurn({
        input: { prompt: "count", images: [] },
        threadId: null,
        threadOptions: { workingDirectory: home.path },
        turnOptions: {},
      })
    ) {
      if (first < 0 && event.type === "item.updated") first = performance.now();
    }
    cold.push(first - t1);
    warm.push(first - t2);
  }
  const execFirst: number[] = [];
  const execItem: number[] = [];
  for (let i = 0; i < R; i++) {
    const t0 = performance.now();
    const child = await getSpawner().spawn(
      NATIVE_CODEX,
      ["exec", "--json", "--skip-git-repo-check", ...offline.args, "count"],
      { env, cwd: home.path, stdin: "null" },
    );
    // Drain, not cancel: a closed stderr pipe kills codex on its first warning (SIGPIPE).
    const drained = new Response(child.stderr).text();
    let firstLine = -1;
    let firstItem = -1;
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new TextLineStream(),
    );
    for await (const line of lines) {
      if (firstLine < 0) firstLine = performance.now() - t0;
      if (firstItem < 0 && line.includes('"item.')) firstItem = performance.now() - t0;
    }
    await Promise.all([child.exited, drained]);
    execFirst.push(firstLine);
    execItem.push(firstItem);
  }
  console.log(
    `first delta, app-server (median of ${R}): ${ms(median(warm))} on a running server, ` +
      `${ms(median(cold))} including server start`,
  );
  console.log(
    `exec --json (median of ${R}): first event ${ms(median(execFirst))}, ` +
      `first item ${ms(median(execItem))} (process start included)`,
  );
}

// 3. Turns per second.
for (const threads of [1, 4, 16]) {
  await using lane = createAppServerLane({ start });
  await lane.connection();
  const turnsEach = Math.max(2, Math.round(32 / threads));
  const t0 = performance.now();
  await Promise.all(Array.from({ length: threads }, async () => {
    let threadId: string | null = null;
    for (let i = 0; i < turnsEach; i++) {
      for await (
        const [event] of lane.runTurn({
          input: { prompt: `turn ${i}`, images: [] },
          threadId,
          threadOptions: { workingDirectory: home.path },
          turnOptions: {},
        })
      ) {
        if (event.type === "thread.started") threadId = event.thread_id;
      }
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const total = threads * turnsEach;
  console.log(
    `${threads} concurrent thread(s): ${total} turns in ${seconds.toFixed(2)} s = ` +
      `${(total / seconds).toFixed(1)} turns/s`,
  );
}

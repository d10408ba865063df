/**
 * Repeats aborted turns with codex's default sandbox and counts what each one left behind:
 * processes still alive after the abort settled (at once, and after a short wait), shell
 * snapshots left in CODEX_HOME, files holding the API key, and our own temp files.
 *
 *   node_modules/.bin/node bench/abort_repeat.ts          # RUNS=200 by default
 *   node_modules/.bin/bun bench/abort_repeat.ts
 *   node_modules/.bin/deno run -A bench/abort_repeat.ts
 *
 * Each turn asks the agent to run `sleep 30` (the real native codex against the fake Responses
 * server on 127.0.0.1, plugins and analytics off) and is aborted at a varying moment: right
 * at `turn.started` plus 0-300 ms (often while the sandbox helper is being started), or at
 * the command's `item.started` plus 0-50 ms. Linux only (reads /proc). Prints one JSON line
 * last.
 *
 * @module
 */
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../src/codex.ts";
import type { CodexOptions } from "../src/options.ts";
import { offlineCodexConfig } from "../src/testing/offline.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { ROOT, runtimeName } from "./_fake_codex.ts";

const RUNS = Number(process.env.RUNS ?? 200);
const KEY = "sk-codexkit-bench-KEEPME-0d1e";
const NATIVE = join(
  ROOT,
  "node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex",
);
const PATH_DIR = join(NATIVE, "..", "..", "codex-path");

async function processesWith(needle: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = await readFile(`/proc/${entry}/environ`, "latin1");
      const stat = await readFile(`/proc/${entry}/stat`, "latin1");
      if (environ.includes(needle) && !/\) Z /.test(stat)) found.push(Number(entry));
    } catch {
      // Gone.
    }
  }
  return found;
}

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (e.isFile()) out.push(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
  }
  return out;
}

async function holding(paths: readonly string[], needle: string): Promise<number> {
  let n = 0;
  for (const p of paths) if ((await readFile(p).catch(() => "")).includes(needle)) n++;
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await using server = await startFakeResponsesServer(() => reply.execCommand("sleep 30"));
const scratch = await mkdtemp(join(tmpdir(), "codexkit-bench-abort-"));
const ourTmp = join(scratch, "tmp");
await mkdir(ourTmp);
const offline = offlineCodexConfig(server);
const totals = {
  runs: 0,
  sleepStarted: 0,
  aliveAtReject: 0,
  leftProcesses: 0,
  turnsWithLeftovers: 0,
  snapshotsLeft: 0,
  filesWithKey: 0,
  tempFilesLeft: 0,
};
// Temp files of the SDK's own naming in this process's temp dir that were there before (or that
// other processes on the machine make meanwhile) are not counted against the runs.
const ownTemp = () =>
  readdir(tmpdir()).then((names) => names.filter((n) => n.startsWith("codexkit-schema")));
const tempBefore = new Set(await ownTemp());
try {
  for (let i = 0; i < RUNS; i++) {
    const home = join(scratch, `home-${i}`);
    const work = join(scratch, `work-${i}`);
    await mkdir(home);
    await mkdir(work);
    const codex = new Codex({
      codexPathOverride: NATIVE,
      codexHome: home,
      apiKey: KEY,
      env: {
        PATH: `${PATH_DIR}:${process.env.PATH ?? "/usr/bin:/bin"}`,
        HOME: scratch,
        TMPDIR: ourTmp,
        ...offline.env,
      },
      config: offline.config as unknown as CodexOptions["config"],
      killGraceMs: 500,
    });
    const controller = new AbortController();
    const early = i % 3 === 0;
    const { events } = await codex.startThread({ skipGitRepoCheck: true, workingDirectory: work })
      .runStreamed("sleep", { signal: controller.signal });
    let started = false;
    try {
      for await (const event of events) {
        if (early && event.type === "turn.started") {
          setTimeout(() => controller.abort(), Math.random() * 300);
        }
        if (event.type === "item.started" && event.item.type === "command_execution") {
          started = true;
          if (!early) setTimeout(() => controller.abort(), Math.random() * 50);
        }
      }
    } catch (error) {
      if ((error as Error).name !== "AbortError") throw error;
    }
    totals.runs++;
    if (started) totals.sleepStarted++;
    totals.aliveAtReject += (await processesWith(`CODEX_HOME=${home}`)).length;
    await sleep(1000);
    const left = await processesWith(`CODEX_HOME=${home}`);
    totals.leftProcesses += left.length;
    if (left.length > 0) {
      totals.turnsWithLeftovers++;
      for (const pid of left) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Gone.
        }
      }
    }
    const homeFiles = await files(home);
    totals.snapshotsLeft += homeFiles.filter((f) => f.includes("shell_snapshots")).length;
    totals.filesWithKey += await holding(homeFiles, KEY);
    await codex.close();
    await rm(home, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
    if ((i + 1) % 20 === 0) console.log(`${i + 1}/${RUNS}`, JSON.stringify(totals));
  }
  // The SDK's own temp files (schema files and the like) live under TMPDIR of this process.
  totals.tempFilesLeft = (await ownTemp()).filter((n) => !tempBefore.has(n)).length;
} finally {
  await rm(scratch, { recursive: true, force: true });
}
console.log(`# ${RUNS} aborted turns on ${runtimeName()} with the default sandbox`);
console.log(JSON.stringify({ bench: "abort_repeat", runtime: runtimeName(), ...totals }));

/**
 * The codex version matrix: runs the tests that drive the real CLI, and the app-server schema
 * conformance check, against each of the last stable `@openai/codex` releases.
 *
 *   npm run matrix                    # the last five stable releases
 *   npm run matrix -- 0.150.0         # ... plus these
 *   MATRIX_COUNT=3 MATRIX_RUNTIMES="node deno" npm run matrix
 *
 * Releases come from the machine's npm registry (`npm config get registry`) and are kept in
 * the user cache dir, `~/.cache/codexkit/releases` (or CODEXKIT_RELEASE_CACHE), between runs; each is about 170 MB. Every
 * release runs the same test files unchanged, with CODEXKIT_TEST_CODEX_VERSION set. Prints a
 * version x result table and, last, one line "N passed, N failed" over all releases.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import {
  defaultReleaseCacheDir,
  latestStableReleases,
  releaseBinary,
} from "../capabilities/releases.ts";
import { compareVersions } from "../capabilities/semver.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CACHE = process.env.CODEXKIT_RELEASE_CACHE ?? defaultReleaseCacheDir();
const COUNT = Number(process.env.MATRIX_COUNT ?? 5);
const RUNTIMES = process.env.MATRIX_RUNTIMES ?? "node";

/** The test files that drive the real CLI, plus the app-server schema conformance check. */
export const MATRIX_TESTS: readonly string[] = [
  "tests/exec_cli_test.ts",
  "tests/codex_app_server_test.ts",
  "tests/app_server_lane_test.ts",
  "tests/app_server_websocket_test.ts",
  "tests/app_server_schema_test.ts",
  "tests/home_e2e_test.ts",
  "tests/bundle_exec_test.ts",
  "tests/gating_test.ts",
  "tests/exec_parity_test.ts",
  "tests/local_provider_test.ts",
  "tests/commands_cli_test.ts",
  "tests/app_server_server_requests_test.ts",
  "tests/app_server_conversations_test.ts",
  "tests/app_server_retry_test.ts",
  "tests/sandbox_stop_test.ts",
  "tests/secret_env_test.ts",
  "tests/require_codex_test.ts",
  "tests/commands_debug_test.ts",
  "tests/tools_test.ts",
  "tests/instructions_mcp_test.ts",
  "tests/thread_queue_test.ts",
  "tests/app_server_options_test.ts",
  "capabilities/known_test.ts",
  "src/cli/main_test.ts",
  "src/cli/drift_test.ts",
];

/** Releases the tests use as fixtures (gating_test's older release); fetched, not tested. */
const FIXTURE_RELEASES: readonly string[] = ["0.140.0"];

interface Row {
  version: string;
  passed: number;
  failed: number;
  seconds: number;
  note: string;
}

/** The releases the matrix runs: the last `count` stable ones plus `extra`, oldest first. */
export async function matrixReleases(
  extra: readonly string[] = [],
  count: number = COUNT,
): Promise<string[]> {
  const latest = await latestStableReleases(count);
  return [...new Set([...latest, ...extra])].sort(compareVersions);
}

async function main(): Promise<number> {
  const extra = process.argv.slice(2);
  let versions: string[];
  try {
    versions = await matrixReleases(extra);
  } catch (error) {
    console.error(`matrix: cannot list releases: ${(error as Error).message}`);
    console.log("0 passed, 1 failed");
    return 1;
  }
  console.log(`matrix: ${versions.join(", ")} (runtimes: ${RUNTIMES}; cache ${CACHE})`);
  for (const version of [...FIXTURE_RELEASES, ...versions]) {
    const started = Date.now();
    try {
      const release = await releaseBinary(version, { dir: CACHE });
      if (release.downloaded) {
        console.log(`matrix: fetched ${version} in ${Math.round((Date.now() - started) / 1000)}s`);
      }
    } catch (error) {
      console.error(`matrix: cannot fetch ${version}: ${(error as Error).message}`);
    }
  }
  const rows: Row[] = [];
  for (const version of versions) rows.push(await runVersion(version));
  printTable(rows);
  const passed = rows.reduce((n, r) => n + r.passed, 0);
  const failed = rows.reduce((n, r) => n + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function runVersion(version: string): Promise<Row> {
  const started = Date.now();
  const logDir = join(ROOT, ".cache", "test-logs", "matrix", version);
  // A previous run's logs would name failures this run did not have.
  await rm(logDir, { recursive: true, force: true });
  await mkdir(logDir, { recursive: true });
  const { code, output } = await run("bash", ["scripts/test.sh", ...MATRIX_TESTS], {
    ...process.env,
    RUNTIMES,
    TEST_LOG_DIR: logDir,
    CODEXKIT_TEST_CODEX_VERSION: version,
    CODEXKIT_RELEASE_CACHE: CACHE,
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const summary = /^(\d+) passed, (\d+) failed$/m.exec(output.split("\n").reverse().join("\n"));
  const passed = summary ? Number(summary[1]) : 0;
  let failed = summary ? Number(summary[2]) : 0;
  if (code !== 0 && failed === 0) failed = 1;
  if (passed + failed === 0) failed = 1;
  const failures = await failingTests(logDir);
  const note = failed === 0 ? "" : failures.slice(0, 3).join("; ") || `see ${logDir}`;
  console.log(`matrix: ${version}: ${passed} passed, ${failed} failed (${seconds}s)`);
  for (const name of failures) console.log(`  failed: ${name}`);
  return { version, passed, failed, seconds, note };
}

/**
 * The names of the failed tests in one runner's log: node's spec reporter (`✖ name (1ms)`), deno
 * (`name ... FAILED (1ms)`) and bun (`(fail) name [1ms]`). Each name once, in order.
 */
export function failedTestNames(log: string): string[] {
  const names = new Set<string>();
  for (const line of log.split("\n")) {
    const m = /^\s*✖ (.+?)(?: \(\d[\d.]*m?s\))?$/.exec(line) ??
      /^(.+?) \.\.\. FAILED(?: \(\d[\d.]*m?s\))?$/.exec(line) ??
      /^\(fail\) (.+?)(?: \[\d[\d.]*m?s\])?$/.exec(line);
    if (m && m[1] !== "failing tests:") names.add(m[1].trim());
  }
  return [...names];
}

/**
 * The failed tests of a run of scripts/test.sh, from its log dir (`<dir>/<runtime>/<file>.log`,
 * beside a `.count` file of `pass fail exit seconds`): `runtime file: name` each, or
 * `runtime file: exit N` for a file that failed without naming a test (it died, or ran none).
 */
export async function failingTests(
  logDir: string,
  runtimes: readonly string[] = RUNTIMES.split(/\s+/).filter(Boolean),
): Promise<string[]> {
  const out: string[] = [];
  for (const rt of runtimes) {
    const files = await readdir(join(logDir, rt)).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith(".log")).sort()) {
      const slug = file.slice(0, -".log".length);
      const log = await readFile(join(logDir, rt, file), "utf8").catch(() => "");
      const count = await readFile(join(logDir, rt, `${slug}.count`), "utf8").catch(() => "");
      const [, fail = "0", exit = "0"] = count.trim().split(/\s+/);
      const names = failedTestNames(log);
      for (const name of names) out.push(`${rt} ${slug}: ${name}`);
      if (names.length === 0 && (fail !== "0" || exit !== "0")) {
        out.push(`${rt} ${slug}: exit ${exit}`);
      }
    }
  }
  return out;
}

function printTable(rows: Row[]): void {
  const header = ["version", "passed", "failed", "time", "failing"];
  const cells = rows.map((r) => [
    r.version,
    String(r.passed),
    String(r.failed),
    `${r.seconds}s`,
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join("  ").trimEnd();
  console.log("");
  console.log(line(header));
  for (const c of cells) console.log(line(c));
  console.log("");
}

function run(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
    child.on("error", (error) => resolve({ code: 1, output: String(error) }));
  });
}

if ((import.meta as { main?: boolean }).main) process.exitCode = await main();

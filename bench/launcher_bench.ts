/**
 * Per-call cost of the bundled native codex vs the npm JS launcher (`node_modules/.bin/codex`),
 * both running `--version`: medians over 20 calls each, plus the cost of resolving the bundle
 * (cold: hashes the binary against bundle.jsonc; warm: the in-process memo).
 *
 *   node bench/launcher_bench.ts      (or: deno run -A / bun)
 *
 * @module
 */
import { copyFile, link, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { recordBundleEntry } from "../bundles/manifest.ts";
import { sha256File } from "../bundles/_hash.ts";
import { currentPlatform, platformInfo, resolveBundledBinary } from "../bundles/mod.ts";
import { getSpawner } from "../src/runtime/mod.ts";

const CALLS = 20;
const VERSION = "0.169.0";
const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const label = currentPlatform();
if (!label) throw new Error("codex ships no binary for this platform");
const info = platformInfo(label);
const installed = join(
  repo,
  "node_modules",
  info.npmAlias,
  "vendor",
  info.triple,
  "bin",
  info.executable,
);
const launcher = join(repo, "node_modules", ".bin", "codex");

const work = await mkdtemp(join(tmpdir(), "codexkit-bench-"));
try {
  const home = join(work, "home");
  const tmp = join(work, "tmp");
  await mkdir(home);
  await mkdir(tmp);
  const root = join(work, "bundle");
  const dir = join(root, label, VERSION);
  await mkdir(dir, { recursive: true });
  // a hard link keeps the bench from copying 300 MB; a copy when /tmp is another file system
  await link(installed, join(dir, info.executable)).catch(() =>
    copyFile(installed, join(dir, info.executable))
  );
  await recordBundleEntry(root, VERSION, label, {
    sha256: await sha256File(installed),
    size: (await stat(installed)).size,
    source: { tarball: `file://${installed}`, integrity: "local" },
    addedAt: new Date().toISOString(),
  });

  let t = performance.now();
  const { binary } = await resolveBundledBinary({ root, version: VERSION });
  const coldResolve = performance.now() - t;
  const warm: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    t = performance.now();
    await resolveBundledBinary({ root, version: VERSION });
    warm.push(performance.now() - t);
  }

  const env: Record<string, string> = {
    PATH: `${join(repo, "node_modules", ".bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    CODEX_HOME: home,
    TMPDIR: tmp,
  };
  const native = await timeCalls(binary, env);
  const js = await timeCalls(launcher, env);
  const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";
  console.log(`runtime ${runtime}, ${CALLS} calls each, codex --version`);
  console.log(
    `resolve bundle, cold (sha256 of ${mb((await stat(binary)).size)}): ${
      coldResolve.toFixed(1)
    } ms`,
  );
  console.log(`resolve bundle, warm median: ${median(warm).toFixed(3)} ms`);
  console.log(`native binary median:  ${median(native).toFixed(1)} ms`);
  console.log(`npm JS launcher median: ${median(js).toFixed(1)} ms`);
  console.log(`ratio launcher/native: ${(median(js) / median(native)).toFixed(1)}x`);
} finally {
  await rm(work, { recursive: true, force: true });
}

async function timeCalls(command: string, env: Record<string, string>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now();
    const child = await getSpawner().spawn(command, ["--version"], { env, stdin: "null" });
    const [out, , status] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    times.push(performance.now() - start);
    if (status.code !== 0 || !out.includes(VERSION)) {
      throw new Error(`${command} --version failed: ${out}`);
    }
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

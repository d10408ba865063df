/**
 * Resolving a pinned bundle from a new process, cold (no remembered checksum: the binary is
 * hashed) and warm (a record from an earlier process matches the file's identity):
 *
 *   node_modules/.bin/deno run -A bench/bundle_resolve_bench.ts
 *   node_modules/.bin/bun bench/bundle_resolve_bench.ts
 *   node_modules/.bin/node bench/bundle_resolve_bench.ts
 *
 * The bundle is a hard link of the pinned npm binary (about 300 MB) under `.cache/bench/`, with
 * a manifest that lists its real sha256. Each sample is a fresh process of the same runtime that
 * imports `bundles/resolve.ts` and times `resolveBundledBinary()` alone; the import time is
 * printed beside it. RUNS (default 5) samples of each kind.
 *
 * @module
 */
import process from "node:process";

if (process.argv.includes("--child")) {
  const [root, version, verifiedDir] = process.argv.slice(process.argv.indexOf("--child") + 1);
  const t0 = performance.now();
  const { resolveBundledBinary } = await import("../bundles/resolve.ts");
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const resolved = await resolveBundledBinary({ root, version, verifiedDir });
  const t2 = performance.now();
  const { user, system } = process.cpuUsage(cpu);
  if (resolved.verified !== "sha256") throw new Error("the bench bundle is not verified");
  console.log(
    JSON.stringify({ importMs: t1 - t0, resolveMs: t2 - t1, cpuMs: (user + system) / 1000 }),
  );
} else {
  await main();
}

async function main(): Promise<void> {
  const { execFileSync } = await import("node:child_process");
  const { existsSync } = await import("node:fs");
  const { link, mkdir, mkdtemp, rm } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const { fileURLToPath } = await import("node:url");
  const { CACHE_DIR, median, ROOT, runtimeName } = await import("./_fake_codex.ts");
  const { currentPlatform, npmPackageSpec } = await import("../bundles/platform.ts");
  const { recordBundleEntry } = await import("../bundles/manifest.ts");
  const { sha256File } = await import("../src/fs/sha256_file.ts");
  const { resolveCodexBinary } = await import("../src/binary/resolve.ts");
  const RUNS = Number(process.env.RUNS ?? 5);
  const rt = runtimeName();
  const platform = currentPlatform();
  if (!platform) throw new Error("no codex build for this platform");

  const npm = await resolveCodexBinary({ searchFrom: [ROOT], env: {} });
  const version = npm.version ?? "0.0.0";
  const root = join(CACHE_DIR, "bundle-resolve");
  const binary = join(root, platform, version, "codex");
  if (!existsSync(join(root, "bundle.jsonc"))) {
    await mkdir(join(root, platform, version), { recursive: true });
    if (!existsSync(binary)) await link(npm.path, binary);
    const { size } = await import("node:fs/promises").then((fs) => fs.stat(binary));
    await recordBundleEntry(root, version, platform, {
      sha256: await sha256File(binary),
      size,
      source: {
        tarball: `file://${npm.path}`,
        integrity: "sha512-local",
        package: npmPackageSpec(platform, version),
      },
      addedAt: new Date().toISOString(),
    });
  }

  const self = fileURLToPath(import.meta.url);
  const exe = process.execPath;
  type Sample = { importMs: number; resolveMs: number; cpuMs: number };
  const sample = (verifiedDir: string): Sample => {
    const args = [self, "--child", root, version, verifiedDir];
    const argv = rt === "deno" ? ["run", "-A", ...args] : args;
    return JSON.parse(execFileSync(exe, argv, { encoding: "utf8" }).trim().split("\n").pop()!);
  };

  const scratch = await mkdtemp(join(CACHE_DIR, "verified-"));
  try {
    const warmDir = join(scratch, "warm");
    sample(warmDir); // fills the record, and the runtime's transpile cache
    const cold: Sample[] = [];
    const warm: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      cold.push(sample(join(scratch, `cold-${i}`)));
      warm.push(sample(warmDir));
    }
    const med = (xs: Sample[], k: keyof Sample) => median(xs.map((x) => x[k]));
    const m = {
      cold: med(cold, "resolveMs"),
      warm: med(warm, "resolveMs"),
      warmCpu: med(warm, "cpuMs"),
      import: med(warm, "importMs"),
    };
    console.log(`# bundle resolve on ${rt}: median of ${RUNS} fresh processes, ${binary}`);
    console.log(`cold (hashes the binary)      ${m.cold.toFixed(1)} ms`);
    console.log(`warm (remembered checksum)    ${m.warm.toFixed(1)} ms   target < 5 ms`);
    console.log(`warm, CPU time of the resolve ${m.warmCpu.toFixed(1)} ms`);
    console.log(`import of bundles/resolve.ts  ${m.import.toFixed(1)} ms`);
    console.log(JSON.stringify({ bench: "bundle-resolve", runtime: rt, runs: RUNS, ms: m }));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

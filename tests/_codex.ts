/**
 * Helpers for this project's own tests that run the real native codex against the fake
 * Responses server: binary location, temp dirs, the child's environment, one `exec` call.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { knownSnapshot } from "../capabilities/known.ts";
import { probeCapabilities } from "../capabilities/probe.ts";
import { defaultReleaseCacheDir, releaseBinary } from "../capabilities/releases.ts";
import type { CapabilitySnapshot } from "../capabilities/types.ts";
import { gateFromSnapshot } from "../capabilities/gate.ts";
import type { GatedOption } from "../src/options/gates.ts";
import { parseVersion } from "../capabilities/semver.ts";
import { getSpawner } from "../src/runtime/mod.ts";
import { offlineCodexConfig } from "../src/testing/offline.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where downloaded releases are kept between runs (gitignored; the matrix fills it). */
export const RELEASE_CACHE: string = process.env.CODEXKIT_RELEASE_CACHE ?? defaultReleaseCacheDir();

/** The pinned platform package's binary and PATH dir (new layout, or the older one). */
function resolvePinned(): { bin: string; pathDir: string } {
  const os = platform() === "win32" ? "win32" : platform();
  const pkg = join(ROOT, "node_modules", "@openai", `codex-${os}-${arch()}`, "vendor");
  if (!existsSync(pkg)) throw new Error(`No native codex package at ${pkg}; run npm ci`);
  for (const target of readdirSync(pkg)) {
    const manifest = join(pkg, target, "codex-package.json");
    if (existsSync(manifest)) {
      const meta = JSON.parse(readFileSync(manifest, "utf8")) as {
        entrypoint: string;
        pathDir: string;
      };
      return { bin: join(pkg, target, meta.entrypoint), pathDir: join(pkg, target, meta.pathDir) };
    }
    if (existsSync(join(pkg, target, "codex", "codex"))) {
      return { bin: join(pkg, target, "codex", "codex"), pathDir: join(pkg, target, "path") };
    }
  }
  throw new Error(`No codex binary under ${pkg}`);
}

/** A binary given by path: its `rg` dir is the one beside it in either npm layout or a bundle. */
function pathDirOf(bin: string): string {
  const dir = dirname(bin);
  for (
    const candidate of [
      join(dir, "codex-path"),
      join(dir, "..", "codex-path"),
      join(dir, "..", "path"),
    ]
  ) {
    if (existsSync(join(candidate, "rg"))) return candidate;
  }
  return "";
}

/**
 * The codex under test: `CODEXKIT_TEST_CODEX=/path/to/codex`, or
 * `CODEXKIT_TEST_CODEX_VERSION=0.165.0` (fetched from the npm registry into
 * {@linkcode RELEASE_CACHE} on first use), or the pinned npm package.
 */
async function codexUnderTest(): Promise<{ bin: string; pathDir: string }> {
  const path = process.env.CODEXKIT_TEST_CODEX;
  if (path) return { bin: resolve(path), pathDir: pathDirOf(resolve(path)) };
  const version = process.env.CODEXKIT_TEST_CODEX_VERSION;
  if (version) {
    const release = await releaseBinary(version, { dir: RELEASE_CACHE });
    return { bin: release.binary, pathDir: release.pathDirs[0] ?? "" };
  }
  return resolvePinned();
}

const native = await codexUnderTest();

/** Absolute path of the native codex binary under test. */
export const NATIVE_CODEX: string = native.bin;
/** The directory (holding `rg`) that belongs first on the child's PATH. */
export const NATIVE_CODEX_PATH_DIR: string = native.pathDir;

/** The version the binary under test prints (`codex --version`), e.g. `"0.169.0"`. */
export const TEST_CODEX_VERSION: string = (() => {
  const out = execFileSync(NATIVE_CODEX, ["--version"], {
    encoding: "utf8",
    env: { PATH: "/usr/bin:/bin" },
  });
  const version = parseVersion(out);
  if (!version) throw new Error(`Cannot read the version of ${NATIVE_CODEX}: ${out}`);
  return version.semver;
})();

let snapshot: Promise<CapabilitySnapshot> | undefined;

/**
 * What the binary under test supports: its committed snapshot when one is recorded, else a
 * live probe (once per process). Version-dependent tests ask this instead of naming versions.
 */
export function testCodexSnapshot(): Promise<CapabilitySnapshot> {
  const known = knownSnapshot(TEST_CODEX_VERSION);
  if (known) return Promise.resolve(known);
  snapshot ??= probeCapabilities(NATIVE_CODEX, { timeoutMs: 20_000 });
  return snapshot;
}

const pages = new Map<string, Promise<CapabilitySnapshot>>();

/**
 * Whether the binary under test supports a gated option (`"command.stdio-to-uds"`,
 * `"exec.fork"`, ...), asked of its capability gate. Commands the default probe does not read
 * (hidden ones such as `stdio-to-uds`) are probed here on their own help page, once per
 * process, so a test never assumes a subcommand from the version it expects.
 */
export async function testCodexSupports(
  option: GatedOption,
): Promise<"supported" | "unsupported" | "unknown"> {
  if (!option.startsWith("command.")) {
    return gateFromSnapshot(await testCodexSnapshot()).support(option);
  }
  const path = `codex ${option.slice("command.".length).split(".").join(" ")}`;
  let probed = pages.get(path);
  if (!probed) {
    probed = probeCapabilities(NATIVE_CODEX, { timeoutMs: 20_000, commands: ["codex", path] });
    pages.set(path, probed);
  }
  const snap = await probed;
  // Hidden commands (`stdio-to-uds`) are missing from `codex --help`: the page that names the
  // command is the proof, and the root page printed instead means it is gone.
  if (snap.commands[path]) return "supported";
  return snap.commands["codex"] ? "unsupported" : "unknown";
}

/** A temp directory removed (recursively) on dispose. */
export interface TempDir extends AsyncDisposable {
  readonly path: string;
}

/** Creates a fresh directory under the OS temp dir. Use with `await using`. */
export async function tempDir(prefix = "codexkit-"): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }),
  };
}

/** A fresh, existing CODEX_HOME. */
export function freshHome(): Promise<TempDir> {
  return tempDir("codexkit-home-");
}

/** The child's whole environment: nothing inherited but PATH. */
export function codexEnv(
  server: { readonly url: string },
  home: string,
  tmp: string,
): Record<string, string> {
  return {
    PATH: [NATIVE_CODEX_PATH_DIR, process.env.PATH ?? "/usr/bin:/bin"].filter(Boolean).join(":"),
    HOME: home,
    CODEX_HOME: home,
    TMPDIR: tmp,
    ...offlineCodexConfig(server).env,
  };
}

/** What one `codex exec --json` run gave back. */
export interface ExecResult {
  code: number | null;
  /** Raw stdout. */
  stdout: string;
  /** stdout lines parsed as JSON (non-JSON lines kept as `{ raw }`). */
  events: Record<string, unknown>[];
  stderr: string;
}

/** Options of {@linkcode runCodexExec}. */
export interface RunExecOptions {
  /** CODEX_HOME (and HOME) of the run. */
  home: string;
  /** Working directory (default: `home`). */
  cwd?: string;
  /** Text written to stdin, which is then closed (default: stdin closed at once). */
  stdin?: string;
  /** Extra environment entries. */
  env?: Record<string, string>;
}

/**
 * Runs `codex exec --json --skip-git-repo-check -m gpt-5.5 <offline args> ...args` through the
 * runtime seam and collects its output. TMPDIR is a fresh dir removed afterwards.
 */
export async function runCodexExec(
  server: { readonly url: string },
  args: readonly string[],
  options: RunExecOptions,
): Promise<ExecResult> {
  await using tmp = await tempDir("codexkit-tmp-");
  const argv = [
    "exec",
    "--json",
    "--skip-git-repo-check",
    "-m",
    "gpt-5.5",
    ...offlineCodexConfig(server).args,
    ...args,
  ];
  const child = await getSpawner().spawn(NATIVE_CODEX, argv, {
    cwd: options.cwd ?? options.home,
    env: { ...codexEnv(server, options.home, tmp.path), ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
  });
  const feed = (async () => {
    if (options.stdin === undefined) return;
    const writer = child.stdin.getWriter();
    try {
      await writer.write(new TextEncoder().encode(options.stdin));
    } finally {
      await writer.close().catch(() => {});
    }
  })();
  const [stdout, stderr, status] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
    feed,
  ]);
  const events = stdout.split("\n").filter((l) => l.trim() !== "").map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return { raw: line };
    }
  });
  return { code: status.code, stdout, events, stderr };
}

/** Absolute path of a file under `tests/fixtures/`. */
export function fixturePath(name: string): string {
  return join(ROOT, "tests", "fixtures", name);
}

/** The `item` of every `item.completed` event, in order. */
export function completedItems(
  events: readonly Record<string, unknown>[],
): Record<string, unknown>[] {
  return events.filter((e) => e.type === "item.completed").map((e) =>
    e.item as Record<string, unknown>
  );
}

/**
 * Helpers for this project's own tests that run the real native codex against the fake
 * Responses server: binary location, temp dirs, the child's environment, one `exec` call.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { getSpawner } from "../src/runtime/mod.ts";
import { offlineCodexConfig } from "../src/testing/offline.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where the platform package's `codex-package.json` says the binary and its PATH dir are. */
function resolveNative(): { bin: string; pathDir: string } {
  const os = platform() === "win32" ? "win32" : platform();
  const pkg = join(ROOT, "node_modules", "@openai", `codex-${os}-${arch()}`, "vendor");
  if (!existsSync(pkg)) throw new Error(`No native codex package at ${pkg}; run npm ci`);
  for (const target of readdirSync(pkg)) {
    const manifest = join(pkg, target, "codex-package.json");
    if (!existsSync(manifest)) continue;
    const meta = JSON.parse(readFileSync(manifest, "utf8")) as {
      entrypoint: string;
      pathDir: string;
    };
    return { bin: join(pkg, target, meta.entrypoint), pathDir: join(pkg, target, meta.pathDir) };
  }
  throw new Error(`No codex-package.json under ${pkg}`);
}

const native = resolveNative();

/** Absolute path of the native codex binary from the npm platform package. */
export const NATIVE_CODEX: string = native.bin;
/** The directory (holding `rg`) that belongs first on the child's PATH. */
export const NATIVE_CODEX_PATH_DIR: string = native.pathDir;

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
    PATH: `${NATIVE_CODEX_PATH_DIR}:${process.env.PATH ?? "/usr/bin:/bin"}`,
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

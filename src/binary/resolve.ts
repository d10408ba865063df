/**
 * Finds the codex binary: override -> `CODEX_PATH` / `CODEX_BINARY` -> pinned bundle -> the
 * native binary of the installed npm platform package (either layout) -> `codex` on PATH ->
 * the usual global install dirs. On PATH, npm launchers (`codex.cmd` on Windows) and the
 * shims of asdf, mise and volta are followed to the native binary ({@linkcode followShim}). The JS launcher of `@openai/codex`
 * is never chosen from node_modules: it costs a Node start (about 65 ms) on every call.
 *
 * @module
 */
import { access, constants, readFile, stat } from "node:fs/promises";
import { delimiter, dirname, isAbsolute, join, resolve as resolvePath } from "node:path";
import { BinaryNotFoundError } from "../errors.ts";
import type { SearchedPlace } from "../errors.ts";
import type { BundleSource } from "../options.ts";
import { npmPlatformTarget } from "./npm_platform.ts";
import { followShim } from "./shims.ts";
import type { ShimContext } from "./shims.ts";

/** Where the binary was found. */
export type BinarySource = "override" | "env" | "bundle" | "npm" | "path";

/** A resolved binary. */
export interface ResolvedBinary {
  /** Absolute path of the executable. */
  path: string;
  /** Which step of the chain found it. */
  source: BinarySource;
  /** Directories to put first on the child's PATH (the npm package's `codex-path`, with `rg`). */
  pathDirs: string[];
  /** The version the package says it holds, when known. */
  version?: string;
  /** The launcher or version-manager shim on PATH it was found through, when there was one. */
  shim?: string;
}

/** Inputs of {@linkcode resolveCodexBinary}. */
export interface ResolveBinaryOptions {
  /** An explicit path; when set nothing else is searched. */
  override?: string;
  /** A pinned bundle; when set, a missing bundle is an error (no fallback). */
  bundle?: BundleSource;
  /** The environment to read `CODEX_PATH` and `PATH` from (default: the process's). */
  env?: Record<string, string | undefined>;
  /** Directories to search upward from for `node_modules` (default: cwd and this module's). */
  searchFrom?: string[];
  /** Platform and arch (default: the process's). */
  platform?: string;
  /** CPU architecture (default: the process's). */
  arch?: string;
  /** Where a version manager's `.tool-versions` lookup starts (default: the process's cwd). */
  cwd?: string;
  /** Searched after PATH (default {@linkcode globalInstallDirs} of `env` and `platform`). */
  installDirs?: readonly string[];
}

/**
 * Resolves the codex binary, or throws {@linkcode BinaryNotFoundError} listing every place
 * searched. A `bundle` that cannot resolve throws its own error: apps that pin a binary must
 * not silently run another one.
 */
export async function resolveCodexBinary(
  options: ResolveBinaryOptions = {},
): Promise<ResolvedBinary> {
  const env = options.env ?? process.env;
  const searched: SearchedPlace[] = [];
  if (options.override !== undefined) {
    const path = resolvePath(options.override);
    const reason = await checkExecutable(path);
    if (reason === undefined) return { path, source: "override", pathDirs: [] };
    throw new BinaryNotFoundError([{ source: "override", path, reason }]);
  }
  // CODEX_PATH first (ours since the start), then CODEX_BINARY (the name other SDKs read).
  for (const name of ["CODEX_PATH", "CODEX_BINARY"] as const) {
    const fromEnv = env[name];
    if (!fromEnv) continue;
    const path = resolvePath(fromEnv);
    const reason = await checkExecutable(path);
    if (reason === undefined) return { path, source: "env", pathDirs: [] };
    searched.push({ source: "env", path: `${name}=${path}`, reason });
  }
  if (options.bundle) {
    const bundled = await options.bundle.resolve();
    return typeof bundled === "string"
      ? { path: bundled, source: "bundle", pathDirs: [] }
      : { path: bundled.path, source: "bundle", pathDirs: bundled.pathDirs ?? [] };
  }
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const npm = await findNpmBinary(
    platform,
    arch,
    options.searchFrom ?? defaultSearchRoots(),
    searched,
  );
  if (npm) return npm;
  const context = { env, platform, cwd: options.cwd };
  const dirs = pathDirs(env.PATH ?? env.Path ?? "", platform);
  const onPath = await findIn(dirs, platform, arch, context, "path", searched);
  if (onPath) return onPath;
  const common = (options.installDirs ?? globalInstallDirs(env, platform))
    .filter((d) => !dirs.includes(d));
  const installed = await findIn(common, platform, arch, context, "global", searched);
  if (installed) return installed;
  throw new BinaryNotFoundError(searched);
}

/**
 * Where codex lands when users install it globally, for hosts whose PATH lacks it (a GUI app,
 * a service manager): npm's and bun's global bins, `~/.local/bin`, Homebrew, volta's and
 * asdf's and mise's shims. Pure.
 */
export function globalInstallDirs(
  env: Record<string, string | undefined>,
  platform: string,
): string[] {
  const home = env.HOME ?? env.USERPROFILE;
  if (platform === "win32") {
    return [
      env.APPDATA && join(env.APPDATA, "npm"),
      home && join(home, ".bun", "bin"),
      env.VOLTA_HOME
        ? join(env.VOLTA_HOME, "bin")
        : env.LOCALAPPDATA && join(env.LOCALAPPDATA, "Volta", "bin"),
    ].filter((d): d is string => typeof d === "string" && d.length > 0);
  }
  return [
    env.NPM_CONFIG_PREFIX && join(env.NPM_CONFIG_PREFIX, "bin"),
    home && join(home, ".npm-global", "bin"),
    home && join(home, ".local", "bin"),
    home && join(home, ".bun", "bin"),
    join(env.VOLTA_HOME ?? (home ? join(home, ".volta") : ""), "bin"),
    join(env.ASDF_DATA_DIR ?? (home ? join(home, ".asdf") : ""), "shims"),
    join(env.MISE_DATA_DIR ?? (home ? join(home, ".local", "share", "mise") : ""), "shims"),
    "/opt/homebrew/bin",
    "/usr/local/bin",
  ].filter((d): d is string => typeof d === "string" && isAbsolute(d));
}

function pathDirs(pathVar: string, platform: string): string[] {
  return pathVar.split(platform === "win32" ? ";" : delimiter).filter((d) => d.length > 0);
}

/**
 * The first codex in `dirs`, followed through npm launchers and version-manager shims to the
 * native binary. A Windows `.cmd` is never returned: Node cannot spawn it without a shell,
 * and its native `codex.exe` is what it would run.
 */
async function findIn(
  dirs: readonly string[],
  platform: string,
  arch: string,
  context: ShimContext,
  where: "path" | "global",
  searched: SearchedPlace[],
): Promise<ResolvedBinary | undefined> {
  const names = platform === "win32" ? ["codex.exe", "codex.cmd"] : ["codex"];
  for (const dir of dirs) {
    for (const name of names) {
      const path = join(dir, name);
      if ((await checkExecutable(path)) !== undefined) continue;
      const target = await followShim(path, context);
      if (target?.kind === "package") {
        const native = await findNpmBinary(platform, arch, [target.dir], searched);
        if (native) return { ...native, source: "path", shim: path };
      } else if (target?.kind === "executable") {
        return { path: target.path, source: "path", pathDirs: [], shim: path };
      }
      if (/\.cmd$/i.test(name)) {
        searched.push({
          source: "path",
          path,
          reason: "an npm .cmd launcher whose codex.exe was not found",
        });
        continue;
      }
      return { path, source: "path", pathDirs: [] };
    }
  }
  searched.push({
    source: "path",
    path: where === "path"
      ? (dirs.length ? `codex on PATH (${dirs.length} dirs)` : "PATH is empty")
      : `codex in the usual install dirs (${dirs.join(", ")})`,
    reason: "missing",
  });
  return undefined;
}

/** Why `path` is not a runnable file, or `undefined` when it is. */
export async function checkExecutable(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return "not a file";
  } catch {
    return "missing";
  }
  try {
    await access(path, constants.X_OK);
  } catch {
    return "not executable";
  }
  return undefined;
}

function defaultSearchRoots(): string[] {
  const roots = [process.cwd()];
  // Set for file: modules on Deno, Bun and Node; reading it spares importing node:url.
  const here = (import.meta as { dirname?: string }).dirname;
  if (here) roots.push(here);
  return roots;
}

/** The ancestors of `dir` (itself first), each with `node_modules` appended. */
export function nodeModulesDirs(dir: string): string[] {
  const out: string[] = [];
  let current = resolvePath(dir);
  while (true) {
    out.push(join(current, "node_modules"));
    const parent = dirname(current);
    if (parent === current) return out;
    current = parent;
  }
}

interface CodexPackageJson {
  entrypoint?: string;
  pathDir?: string;
  version?: string;
}

async function findNpmBinary(
  platform: string,
  arch: string,
  roots: string[],
  searched: SearchedPlace[],
): Promise<ResolvedBinary | undefined> {
  const target = npmPlatformTarget(platform, arch);
  if (!target) {
    searched.push({
      source: "npm",
      path: `${platform}-${arch}`,
      reason: "no codex package for this platform",
    });
    return undefined;
  }
  const seen = new Set<string>();
  for (const root of roots) {
    for (const modules of nodeModulesDirs(root)) {
      // The platform package sits beside @openai/codex, or inside it when npm nested it.
      for (
        const pkg of [
          join(modules, target.packageName),
          join(modules, "@openai", "codex", "node_modules", target.packageName),
        ]
      ) {
        if (seen.has(pkg)) continue;
        seen.add(pkg);
        const vendor = join(pkg, "vendor", target.triple);
        const manifest = await readCodexPackageJson(join(vendor, "codex-package.json"));
        if (manifest === "missing") {
          const older = await olderLayout(vendor, target.binaryName, searched);
          if (older) return older;
          continue;
        }
        const entry = manifest?.entrypoint ?? join("bin", target.binaryName);
        const path = isAbsolute(entry) ? entry : join(vendor, entry);
        const reason = await checkExecutable(path);
        if (reason !== undefined) {
          searched.push({ source: "npm", path, reason });
          continue;
        }
        const pathDirs = manifest?.pathDir ? [join(vendor, manifest.pathDir)] : [];
        return { path, source: "npm", pathDirs, version: manifest?.version };
      }
    }
  }
  searched.push({
    source: "npm",
    path: `${target.packageName} under node_modules of ${roots.join(", ")}`,
    reason: "missing",
  });
  return undefined;
}

/**
 * The layout of older platform packages (0.120.0 and before): no `codex-package.json`, the
 * binary at `vendor/<triple>/codex/codex` and `rg` in `vendor/<triple>/path/`.
 */
async function olderLayout(
  vendor: string,
  binaryName: string,
  searched: SearchedPlace[],
): Promise<ResolvedBinary | undefined> {
  const path = join(vendor, "codex", binaryName);
  const reason = await checkExecutable(path);
  if (reason === "missing") return undefined;
  if (reason !== undefined) {
    searched.push({ source: "npm", path, reason });
    return undefined;
  }
  const pathDir = join(vendor, "path");
  const hasPathDir = await stat(pathDir).then((s) => s.isDirectory(), () => false);
  return { path, source: "npm", pathDirs: hasPathDir ? [pathDir] : [] };
}

async function readCodexPackageJson(path: string): Promise<CodexPackageJson | "missing" | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return "missing";
  }
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null ? value as CodexPackageJson : null;
  } catch {
    // A damaged manifest still leaves the conventional layout to try.
    return null;
  }
}

/**
 * Following what users put on PATH to the codex it stands for, without running it: the npm
 * launcher (`codex` -> `@openai/codex/bin/codex.js`, or `codex.cmd` on Windows, which Node
 * cannot spawn without a shell), and the shims of version managers (asdf, mise, volta), which
 * cost a manager start on every call and may pick another version per directory.
 *
 * Each function reads a few small files and answers where the `@openai/codex` package (or the
 * real executable) is; it never spawns the manager. When the answer is not certain (two
 * installed versions and nothing that says which one this directory uses) it answers nothing,
 * and the caller keeps the shim, which asks the manager itself.
 *
 * @module
 */
import { lstat, readdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve as resolvePath } from "node:path";

/** What a shim led to: an `@openai/codex` package dir, or an executable to use as it is. */
export type ShimTarget =
  | { kind: "package"; dir: string; via: string }
  | { kind: "executable"; path: string; via: string };

/** Inputs every shim reader takes: the environment, the platform and where to start looking. */
export interface ShimContext {
  env: Record<string, string | undefined>;
  platform: string;
  /** Where `.tool-versions` lookups start (default: the process's cwd). */
  cwd?: string;
}

// A shim is a short script; anything larger is not one and is not read.
const SHIM_LIMIT = 64 * 1024;

/**
 * Follows `path` (found on PATH) to the codex it stands for, or `undefined` when it is no shim
 * we know or the target is not certain.
 */
export async function followShim(
  path: string,
  context: ShimContext,
): Promise<ShimTarget | undefined> {
  const real = await realpath(path).catch(() => undefined);
  if (!real) return undefined;
  const launcher = npmLauncherPackage(real);
  if (launcher) return { kind: "package", dir: launcher, via: "npm" };
  const name = basename(real).replace(/\.exe$/i, "");
  if (name === "volta-shim") return await voltaTarget(context);
  if (name === "mise") return await miseTarget(path, context);
  if (/\.cmd$/i.test(path)) return await npmCmdTarget(path);
  const text = await smallText(real);
  if (text !== undefined && /\basdf\b.*\bexec\b/.test(text)) {
    return await asdfTarget(path, text, context);
  }
  return undefined;
}

/** The `@openai/codex` package dir when `real` is its JS launcher. Pure. */
export function npmLauncherPackage(real: string): string | undefined {
  return /^(.*[\\/]@openai[\\/]codex)[\\/]bin[\\/]codex\.js$/.exec(real)?.[1];
}

/**
 * npm on Windows writes `codex.cmd` (and a shell script `codex`) into its global prefix, with
 * the package under `<prefix>/node_modules/@openai/codex`.
 */
async function npmCmdTarget(path: string): Promise<ShimTarget | undefined> {
  const text = await smallText(path);
  if (text === undefined || !/@openai[\\/]codex[\\/]bin[\\/]codex\.js/i.test(text)) {
    return undefined;
  }
  const dir = join(dirname(path), "node_modules", "@openai", "codex");
  return (await isDir(dir)) ? { kind: "package", dir, via: "npm" } : undefined;
}

/**
 * asdf shims are bash scripts that name, in comments, each plugin version providing the
 * command (`# asdf-plugin: nodejs 22.11.0`). The version in use comes from
 * `ASDF_<PLUGIN>_VERSION`, else the nearest `.tool-versions` (cwd upward, then HOME); a
 * single providing version needs neither.
 */
async function asdfTarget(
  shim: string,
  text: string,
  context: ShimContext,
): Promise<ShimTarget | undefined> {
  const providers = [...text.matchAll(/^#\s*asdf-plugin:\s*(\S+)\s+(\S+)\s*$/gm)]
    .map((m) => ({ plugin: m[1], version: m[2] }));
  if (providers.length === 0) return undefined;
  const data = context.env.ASDF_DATA_DIR ?? dirname(dirname(shim));
  let chosen = providers.length === 1 ? providers[0] : undefined;
  if (!chosen) {
    const plugins = [...new Set(providers.map((p) => p.plugin))];
    for (const plugin of plugins) {
      const wanted = context.env[`ASDF_${plugin.toUpperCase().replace(/-/g, "_")}_VERSION`] ??
        await toolVersion(plugin, context);
      chosen = providers.find((p) => p.plugin === plugin && p.version === wanted);
      if (chosen) break;
    }
  }
  if (!chosen) return undefined;
  const install = join(data, "installs", chosen.plugin, chosen.version);
  return await installTarget(install, `asdf ${chosen.plugin} ${chosen.version}`, context);
}

/**
 * mise shims are links to the `mise` binary in `<data>/shims`; installs live in
 * `<data>/installs/<tool>/<version>`. Followed when exactly one install holds codex.
 */
async function miseTarget(shim: string, context: ShimContext): Promise<ShimTarget | undefined> {
  const data = context.env.MISE_DATA_DIR ?? dirname(dirname(shim));
  const installs = join(data, "installs");
  const found: ShimTarget[] = [];
  for (const tool of await listDir(installs)) {
    for (const version of await listDir(join(installs, tool))) {
      const install = join(installs, tool, version);
      // mise links `latest` and partial versions (`22`) to a full one: count each install once.
      if ((await lstat(install).catch(() => undefined))?.isSymbolicLink()) continue;
      const target = await installTarget(install, `mise ${tool} ${version}`, context);
      if (target) found.push(target);
    }
  }
  return found.length === 1 ? found[0] : undefined;
}

/**
 * volta records each global package binary in `tools/user/bins/<name>.json` and keeps the
 * package image under `tools/image/packages/<package>`.
 */
async function voltaTarget(context: ShimContext): Promise<ShimTarget | undefined> {
  const home = context.env.VOLTA_HOME ?? join(homeDir(context) ?? "", ".volta");
  const record = await smallText(join(home, "tools", "user", "bins", "codex.json"));
  if (record === undefined) return undefined;
  let pkg: string;
  try {
    pkg = (JSON.parse(record) as { package?: unknown }).package as string;
  } catch {
    return undefined;
  }
  if (pkg !== "@openai/codex") return undefined;
  const image = join(home, "tools", "image", "packages", "@openai", "codex");
  for (
    const dir of [
      join(image, "lib", "node_modules", "@openai", "codex"),
      join(image, "node_modules", "@openai", "codex"),
    ]
  ) {
    if (await isDir(dir)) return { kind: "package", dir, via: "volta" };
  }
  return undefined;
}

/** An install dir of a manager: its npm-installed codex, or a `bin/codex` of its own. */
async function installTarget(
  install: string,
  via: string,
  context: ShimContext,
): Promise<ShimTarget | undefined> {
  for (
    const dir of [
      join(install, "lib", "node_modules", "@openai", "codex"),
      join(install, "node_modules", "@openai", "codex"),
    ]
  ) {
    if (await isDir(dir)) return { kind: "package", dir, via };
  }
  const exe = join(install, "bin", context.platform === "win32" ? "codex.exe" : "codex");
  const real = await realpath(exe).catch(() => undefined);
  if (!real) return undefined;
  const launcher = npmLauncherPackage(real);
  if (launcher) return { kind: "package", dir: launcher, via };
  return { kind: "executable", path: real, via };
}

/** The version `.tool-versions` gives `plugin`, nearest first (cwd upward, then HOME). */
async function toolVersion(plugin: string, context: ShimContext): Promise<string | undefined> {
  const dirs: string[] = [];
  let dir = resolvePath(context.cwd ?? process.cwd());
  while (true) {
    dirs.push(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const home = homeDir(context);
  if (home) dirs.push(home);
  for (const d of dirs) {
    const text = await smallText(join(d, ".tool-versions"));
    if (text === undefined) continue;
    for (const line of text.split("\n")) {
      const [name, version] = line.replace(/#.*/, "").trim().split(/\s+/);
      if (name === plugin && version) return version;
    }
  }
  return undefined;
}

function homeDir(context: ShimContext): string | undefined {
  return context.env.HOME ?? context.env.USERPROFILE;
}

/** A regular file's text when it is small; never opens a FIFO or a directory. */
async function smallText(path: string): Promise<string | undefined> {
  const info = await lstat(path).catch(() => undefined);
  const real = info?.isSymbolicLink() ? await realpath(path).catch(() => undefined) : path;
  const target = real === path ? info : await lstat(real ?? "").catch(() => undefined);
  if (!target?.isFile() || target.size > SHIM_LIMIT) return undefined;
  return await readFile(real!, "utf8").catch(() => undefined);
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function listDir(path: string): Promise<string[]> {
  return (await readdir(path).catch(() => [] as string[])).sort();
}

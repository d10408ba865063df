/**
 * A throwaway CODEX_HOME: a fresh private temp directory removed on dispose.
 *
 * @module
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureCodexHome } from "./layout.ts";
import { seedAuthFrom } from "./seed_auth.ts";
import type { SeedAuthOptions, SeedAuthReport } from "./seed_auth.ts";

/** Options of {@linkcode createIsolatedHome}. */
export interface IsolatedHomeOptions {
  /** Directory to create it in (default: the OS temp dir). Created when missing. */
  parent?: string;
  /** Name prefix (default `"codex-home-"`). */
  prefix?: string;
  /** Copy credentials from this trusted home ({@linkcode seedAuthFrom}). */
  seedAuthFrom?: string;
  /** Options for that copy. */
  seedAuth?: SeedAuthOptions;
  /** Leave the directory in place on dispose (default `false`). */
  keep?: boolean;
}

/** A temp CODEX_HOME; `await using` removes it. */
export interface IsolatedHome extends AsyncDisposable {
  /** Absolute path (mode 0700). Give it to the child as `CODEX_HOME`. */
  readonly path: string;
  /** What was seeded, when `seedAuthFrom` was given. */
  readonly seeded: SeedAuthReport | undefined;
  /** Removes the directory and everything in it (unless `keep`); safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * Creates a fresh, private (0700) CODEX_HOME in a temp directory, optionally seeded with the
 * credentials of a trusted home. Disposing removes it with everything codex wrote there. The
 * parent process environment is not touched: pass the path to children yourself.
 *
 * @example One home per job
 * ```ts ignore
 * import { createIsolatedHome } from "@codexkit/sdk/home";
 * await using home = await createIsolatedHome({ seedAuthFrom: `${process.env.HOME}/.codex` });
 * // new Codex({ codexHome: home.path }) ...
 * ```
 */
export async function createIsolatedHome(
  options: IsolatedHomeOptions = {},
): Promise<IsolatedHome> {
  const prefix = options.prefix ?? "codex-home-";
  if (typeof prefix !== "string" || /[/\\]/.test(prefix)) {
    throw new TypeError("Cannot create an isolated home: options.prefix must not contain slashes");
  }
  const parent = options.parent === undefined
    ? tmpdir()
    : await ensureCodexHome(resolve(options.parent));
  const path = await mkdtemp(join(parent, prefix));
  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed || options.keep) return;
    disposed = true;
    await rm(path, { recursive: true, force: true });
  };
  try {
    await chmod(path, 0o700);
    const seeded = options.seedAuthFrom === undefined
      ? undefined
      : await seedAuthFrom(options.seedAuthFrom, path, options.seedAuth);
    return { path, seeded, dispose, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await rm(path, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Undo for a turn, on either transport: a checkpoint is a git snapshot of the working tree
 * taken before the turn (tracked and untracked files, `.gitignore` honoured), made through a
 * temporary index file so that the repository's own index, HEAD and branch are never touched.
 * The snapshot is a commit object kept alive by a ref under `refs/codexkit/checkpoints/`
 * until `release()`. `diff()` shows what changed since; `undo()` puts the files back.
 *
 * Exec turns carry no diff of their own (codex 0.171 `exec --json` reports changed paths only),
 * which is why the snapshot is the SDK's. Every git call goes through the one process runner.
 *
 * @module
 */
import { copyFile, mkdtemp, rm, stat, unlink, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import process from "node:process";
import { CodexError } from "../errors.ts";
import { runToEnd } from "../process/run_to_end.ts";
import { spawnerFor } from "../process/spawner.ts";
import type { Spawner } from "../runtime/mod.ts";

/** The ref namespace checkpoints are kept under. */
export const CHECKPOINT_REF_PREFIX = "refs/codexkit/checkpoints/";

/** Options of {@linkcode checkpoint}. */
export interface CheckpointOptions {
  /** The git executable (default `git` on PATH). */
  git?: string;
  /** Environment for git (default the process's); `GIT_INDEX_FILE` is set per call. */
  env?: Record<string, string>;
  /** Spawns git (default: this runtime's adapter). */
  spawner?: Spawner;
  /** Limit for each git call, in ms (default 120000). */
  timeoutMs?: number;
}

/** A snapshot of a working tree, to diff against or go back to. */
export interface Checkpoint extends AsyncDisposable {
  /** The top of the work tree the snapshot covers. */
  readonly root: string;
  /** The snapshot commit. */
  readonly commit: string;
  /** The ref that keeps it (under {@linkcode CHECKPOINT_REF_PREFIX}). */
  readonly ref: string;
  /**
   * What changed in the work tree since the snapshot, as a git patch (binary-safe; empty when
   * nothing changed). Ignored files are not part of it.
   */
  diff(): Promise<string>;
  /** The paths changed since the snapshot, relative to `root`. */
  changedPaths(): Promise<string[]>;
  /**
   * Puts the work tree back as it was: changed and deleted files get their content and mode
   * back, files created since are removed. The index, HEAD and branch are left alone; ignored
   * files are not touched. Returns the paths it changed.
   */
  undo(): Promise<string[]>;
  /** Deletes the ref, so git may collect the snapshot. Idempotent. */
  release(): Promise<void>;
}

/** Git identity for the snapshot commit, so it works where none is configured. */
const IDENTITY = {
  GIT_AUTHOR_NAME: "codexkit",
  GIT_AUTHOR_EMAIL: "codexkit@localhost",
  GIT_COMMITTER_NAME: "codexkit",
  GIT_COMMITTER_EMAIL: "codexkit@localhost",
};

/**
 * Takes a snapshot of the git work tree holding `directory`. Rejects with a `CodexError` when
 * it is not inside one, or git fails.
 *
 * @example Undo a turn
 * ```ts ignore
 * import { checkpoint } from "@codexkit/sdk/undo";
 *
 * await using before = await checkpoint("/repo");
 * await thread.run("Refactor the parser");
 * console.log(await before.diff());
 * if (!(await testsPass())) await before.undo();
 * ```
 */
export async function checkpoint(
  directory: string,
  options: CheckpointOptions = {},
): Promise<Checkpoint> {
  if (typeof directory !== "string" || directory.length === 0) {
    throw new TypeError("Cannot take a checkpoint: directory must be a non-empty path");
  }
  const git = new Git(resolve(directory), options);
  const root = (await git.run(["rev-parse", "--show-toplevel"], {}, "find the work tree")).trim();
  const top = new Git(root, options);
  const head = await top.tryRun(["rev-parse", "--verify", "-q", "HEAD"]);
  const tree = await top.snapshotTree();
  const commit = (await top.run(
    ["commit-tree", tree, ...(head ? ["-p", head.trim()] : []), "-m", "codexkit checkpoint"],
    IDENTITY,
    "record the snapshot",
  )).trim();
  const ref = `${CHECKPOINT_REF_PREFIX}${Date.now()}-${commit.slice(0, 12)}`;
  await top.run(["update-ref", ref, commit], {}, "keep the snapshot");
  let released = false;
  const changed = async (): Promise<string[]> => {
    const now = await top.snapshotTree();
    const out = await top.run(["diff", "--name-only", "-z", tree, now], {}, "compare");
    return out.split("\0").filter((p) => p.length > 0);
  };
  const release = async () => {
    if (released) return;
    released = true;
    await top.run(["update-ref", "-d", ref], {}, "drop the snapshot");
  };
  return {
    root,
    commit,
    ref,
    diff: async () => {
      const now = await top.snapshotTree();
      return await top.run(["diff", "--binary", tree, now], {}, "diff");
    },
    changedPaths: changed,
    undo: async () => {
      const now = await top.snapshotTree();
      const list = async (filter: string[]) =>
        (await top.run(
          ["diff", "--name-only", "-z", "--no-renames", ...filter, tree, now],
          {},
          "compare",
        ))
          .split("\0").filter((p) => p.length > 0);
      const paths = await list([]);
      const added = new Set(await list(["--diff-filter=A"]));
      const back = paths.filter((p) => !added.has(p));
      // Checked out through a throwaway index: the repository's index stays as it was. Only the
      // changed paths are written, so the other files keep their timestamps.
      if (back.length > 0) {
        await top.withTempIndex(async (index) => {
          await top.run(["read-tree", tree], { GIT_INDEX_FILE: index }, "read the snapshot");
          await top.run(
            ["checkout-index", "-f", "-z", "--stdin"],
            { GIT_INDEX_FILE: index },
            "restore",
            back.join("\0"),
          );
        });
      }
      for (const path of added) await unlink(join(root, path)).catch(() => {});
      return paths;
    },
    release,
    [Symbol.asyncDispose]: release,
  };
}

/** Git in one directory, through the one process runner. */
class Git {
  #cwd: string;
  #options: CheckpointOptions;
  #spawner: Spawner;

  constructor(cwd: string, options: CheckpointOptions) {
    this.#cwd = cwd;
    this.#options = options;
    this.#spawner = options.spawner ?? spawnerFor({});
  }

  async run(
    args: string[],
    env: Record<string, string>,
    what: string,
    stdin?: string,
  ): Promise<string> {
    const git = this.#options.git ?? "git";
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.#options.env ?? process.env)) {
      if (v !== undefined) base[k] = v;
    }
    const result = await runToEnd(git, args, {
      spawner: this.#spawner,
      cwd: this.#cwd,
      env: { ...base, ...env, GIT_TERMINAL_PROMPT: "0" },
      timeoutMs: this.#options.timeoutMs ?? 120_000,
      ...(stdin !== undefined ? { stdin } : {}),
    });
    if (result.stopped || result.exitCode !== 0) {
      throw new CodexError(
        `Cannot ${what} for a checkpoint of ${this.#cwd}: git ${args[0]} ${
          result.stopped ? `was stopped (${result.stopped.kind})` : `exited ${result.exitCode}`
        }`,
        { command: [git, ...args], stderrTail: result.stderr },
      );
    }
    return result.stdout;
  }

  async tryRun(args: string[]): Promise<string | undefined> {
    try {
      return await this.run(args, {}, "read HEAD");
    } catch {
      return undefined;
    }
  }

  /** Runs `fn` with a temp index file path, removed afterwards. */
  async withTempIndex<T>(fn: (index: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), "codexkit-index-"));
    try {
      return await fn(join(dir, "index"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The tree of the work tree as it is now (tracked and untracked, not ignored). */
  snapshotTree(): Promise<string> {
    return this.withTempIndex(async (index) => {
      // Starting from a copy of the real index lets git reuse its stat cache.
      let real = (await this.run(["rev-parse", "--git-path", "index"], {}, "find the index"))
        .trim();
      if (!isAbsolute(real)) real = join(this.#cwd, real);
      // The copy keeps the real index's times: git trusts a cached stat only for files last
      // changed before the index was written ("racy git"), and a copy stamped now would make
      // a same-size edit within the index's second look unchanged.
      await copyFile(real, index).then(async () => {
        const { atime, mtime } = await stat(real);
        await utimes(index, atime, mtime);
      }).catch(() => rm(index, { force: true }));
      await this.run(["add", "-A", "--", "."], { GIT_INDEX_FILE: index }, "stage a snapshot");
      return (await this.run(["write-tree"], { GIT_INDEX_FILE: index }, "write the snapshot"))
        .trim();
    });
  }
}

/**
 * Git workspaces of fleet threads: each attempt checks the thread's last committed commit out
 * in a clean directory, its result is committed and pushed to an attempt-scoped ref
 * (`refs/codex/attempts/<turnId>.<attempt>`), and the thread's branch moves only once the turn
 * is committed; a fenced attempt leaves nothing on the branch.
 *
 * @module
 */
import process from "node:process";
import { CodexError } from "../errors.ts";
import { runToEnd } from "../process/run_to_end.ts";
import { spawnerFor } from "../process/spawner.ts";

async function git(args: readonly string[], cwd: string): Promise<string> {
  const result = await runToEnd("git", args, {
    spawner: spawnerFor(),
    cwd,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: process.env.HOME ?? cwd,
      GIT_TERMINAL_PROMPT: "0",
    },
    // A clone of a large repository can take a while; a hung remote cannot hold a slot forever.
    timeoutMs: 10 * 60_000,
  });
  if (result.exitCode !== 0) {
    const why = result.stopped ? `stopped (${result.stopped.kind})` : result.stderr.trim();
    throw new CodexError(`git ${args[0]} failed: ${why.slice(-2000) || "no output"}`);
  }
  return result.stdout.trim();
}

/** Clones `remote` into the empty directory `dir` and checks `ref` (commit or branch) out, detached. */
export async function checkoutWorkspace(remote: string, ref: string, dir: string): Promise<void> {
  await git(["clone", "--quiet", "--no-checkout", remote, "."], dir);
  let commit: string;
  try {
    commit = await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], dir);
  } catch {
    commit = await git(["rev-parse", "--verify", `origin/${ref}^{commit}`], dir);
  }
  await git(["checkout", "--quiet", "--detach", commit], dir);
}

/** Commits everything in `dir` and pushes it to `ref` on the remote; the new commit's id. */
export async function commitWorkspace(dir: string, ref: string, message: string): Promise<string> {
  await git(["add", "--all"], dir);
  const subject = message.split("\n")[0].slice(0, 72) || "codex turn";
  await git([
    "-c",
    "user.name=codexkit fleet",
    "-c",
    "user.email=fleet@codexkit.invalid",
    "commit",
    "--quiet",
    "--allow-empty",
    "--no-verify",
    "-m",
    subject,
  ], dir);
  const commit = await git(["rev-parse", "HEAD"], dir);
  await git(["push", "--quiet", "--force", "origin", `${commit}:${ref}`], dir);
  return commit;
}

/** Moves `branch` on the remote to `commit` (after the turn's commit, never before). */
export async function moveBranch(dir: string, branch: string, commit: string): Promise<void> {
  await git(["push", "--quiet", "--force", "origin", `${commit}:refs/heads/${branch}`], dir);
}

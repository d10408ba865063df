/**
 * A lock file beside the bundle manifest, so that concurrent `addToBundle` calls (other
 * processes, or other calls in this one) take turns to move a version into place and rewrite
 * `bundle.jsonc` from what is on disk at that moment. Created with O_EXCL (`wx`), holding the
 * owner's pid, host and a random token; a lock whose process is gone is taken over.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { link, open, readFile, rename, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import process from "node:process";
import { BundleError } from "../src/errors.ts";

/** What a lock file holds. */
export interface LockOwner {
  pid: number;
  host: string;
  token: string;
  /** When it was taken (ms since the epoch). */
  at: number;
}

const UNREADABLE_GRACE_MS = 5_000;

/** Options of {@linkcode withFileLock}. */
export interface FileLockOptions {
  /** How long to wait for another holder, in ms (default 120000). */
  timeoutMs?: number;
  /** A lock older than this is stale even when its owner cannot be checked (default 10 min). */
  staleMs?: number;
  /** Pause between attempts, in ms (default 50). */
  pollMs?: number;
}

/**
 * Runs `fn` while holding the lock file `path`; the lock is removed afterwards on every path
 * (only when it is still ours). Waits while a live owner holds it; takes over a lock whose
 * owner on this host has exited, or which is older than `staleMs`. Throws a BundleError naming
 * the owner when the wait runs out.
 */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const staleMs = options.staleMs ?? 10 * 60_000;
  const pollMs = options.pollMs ?? 50;
  const me: LockOwner = { pid: process.pid, host: hostname(), token: randomUUID(), at: 0 };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    me.at = Date.now();
    if (await tryCreate(path, me)) break;
    const owner = await readOwner(path);
    if (owner === null) continue; // released between our attempt and the read
    // an unreadable lock is one being written, or left empty by a crash: give it a few seconds
    const stale = owner === undefined
      ? await olderThan(path, UNREADABLE_GRACE_MS)
      : isStale(owner, staleMs);
    if (stale) {
      await takeOver(path, owner?.token);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = owner
        ? `process ${owner.pid} on ${owner.host} since ${new Date(owner.at).toISOString()}`
        : "an unreadable lock";
      throw new BundleError(`Cannot lock ${path}: held by ${who}`, { path });
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    return await fn();
  } finally {
    const owner = await readOwner(path);
    if (owner?.token === me.token) await rm(path, { force: true });
  }
}

/**
 * Whether `owner` has let go: its process on this host no longer exists, or the lock is older
 * than `staleMs` (an owner on another host cannot be checked). Pure apart from asking the
 * system about the pid.
 */
export function isStale(owner: LockOwner, staleMs: number): boolean {
  if (Date.now() - owner.at > staleMs) return true;
  if (owner.host !== hostname()) return false;
  return !processExists(owner.pid);
}

function processExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as { code?: string }).code === "EPERM";
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return false;
  }
}

async function tryCreate(path: string, me: LockOwner): Promise<boolean> {
  let file;
  try {
    file = await open(path, "wx", 0o644);
  } catch (error) {
    if ((error as { code?: string }).code === "EEXIST") return false;
    throw new BundleError(`Cannot lock ${path}: ${(error as Error).message}`, {
      path,
      cause: error,
    });
  }
  try {
    await file.writeFile(JSON.stringify(me));
  } finally {
    await file.close();
  }
  return true;
}

/** The owner, `undefined` for an unreadable (half-written) lock, `null` when there is none. */
async function readOwner(path: string): Promise<LockOwner | undefined | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return null;
    throw error;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return typeof owner?.token === "string" && typeof owner.pid === "number" ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Moves a stale lock aside. Two waiters may both judge it stale: the rename lets only one move
 * it, and a waiter that moved a lock other than the one it judged (a fresh one, taken in
 * between) puts it back.
 */
async function takeOver(path: string, staleToken: string | undefined): Promise<void> {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return;
    throw error;
  }
  try {
    const moved = await readOwner(aside);
    if (moved && moved.token !== staleToken) {
      await link(aside, path).catch(() => {});
    }
  } finally {
    await rm(aside, { force: true });
  }
}

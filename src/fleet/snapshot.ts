/**
 * A thread travels between workers as its rollout file alone: after a turn the file goes to the
 * Object Store under an attempt-scoped key, before a turn it is written back to the same path
 * under `sessions/` in the worker's own CODEX_HOME (codex 0.169.0: a home that ran the thread
 * before remembers the file's path in its state database, so another name fails the resume).
 * Nothing else leaves a home: not auth.json, shell snapshots or SQLite files.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { compareVersions, parseVersion } from "../../capabilities/semver.ts";
import { writeFileAtomic } from "../fs/atomic_write.ts";
import { findSession } from "../home/sessions.ts";
import { SnapshotVersionError } from "./errors.ts";

const REL_PATH = /^\d{4}\/\d{2}\/\d{2}\/rollout-[0-9A-Za-z-]+\.jsonl$/;

/** Checks a rollout path relative to `sessions/`: `YYYY/MM/DD/rollout-<...>.jsonl`, nothing else. */
export function checkRelPath(relPath: string): string {
  if (typeof relPath !== "string" || !REL_PATH.test(relPath)) {
    throw new TypeError(
      `Invalid rollout path ${JSON.stringify(relPath)}: expected YYYY/MM/DD/rollout-*.jsonl`,
    );
  }
  return relPath;
}

/** The newest `cli_version` of the `session_meta` lines of a rollout; `undefined` when none. */
export function rolloutCliVersion(bytes: Uint8Array): string | undefined {
  let newest: string | undefined;
  const text = new TextDecoder().decode(bytes);
  for (const line of text.split("\n")) {
    if (!line.includes('"session_meta"')) continue;
    let version: unknown;
    try {
      const parsed = JSON.parse(line) as { type?: unknown; payload?: { cli_version?: unknown } };
      if (parsed.type !== "session_meta") continue;
      version = parsed.payload?.cli_version;
    } catch {
      continue;
    }
    if (typeof version !== "string" || !parseVersion(version)) continue;
    if (newest === undefined || compareVersions(version, newest) > 0) newest = version;
  }
  return newest;
}

/** The newer of two versions (either may be missing). */
export function newerVersion(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || !parseVersion(a)) return b;
  if (b === undefined || !parseVersion(b)) return a;
  return compareVersions(a, b) >= 0 ? a : b;
}

/** Throws `SnapshotVersionError` when `rolloutVersion` is newer than `workerVersion`. */
export function refuseNewer(
  rolloutVersion: string | undefined,
  workerVersion: string | undefined,
): void {
  if (rolloutVersion === undefined || workerVersion === undefined) return;
  if (!parseVersion(rolloutVersion) || !parseVersion(workerVersion)) return;
  if (compareVersions(rolloutVersion, workerVersion) > 0) {
    throw new SnapshotVersionError(rolloutVersion, workerVersion);
  }
}

/** Hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Writes a rollout back to `codexHome/sessions/<relPath>`, replacing any local copy there. */
export async function restoreRollout(
  codexHome: string,
  relPath: string,
  bytes: Uint8Array,
): Promise<string> {
  checkRelPath(relPath);
  const sessions = resolve(codexHome, "sessions");
  const path = resolve(sessions, relPath);
  if (!path.startsWith(sessions + sep)) throw new TypeError(`Invalid rollout path ${relPath}`);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, bytes, 0o600);
  return path;
}

/** The rollout of `threadId` in `codexHome`: its bytes and its path relative to `sessions/`. */
export async function readRollout(
  codexHome: string,
  threadId: string,
  relPath?: string,
): Promise<{ bytes: Uint8Array; relPath: string }> {
  const sessions = resolve(codexHome, "sessions");
  let path: string;
  if (relPath !== undefined) {
    path = join(sessions, checkRelPath(relPath));
  } else {
    const found = await findSession(codexHome, threadId);
    if (!found) throw new Error(`No rollout of thread ${threadId} in the worker's home`);
    path = found.path;
  }
  const rel = relative(sessions, path).split(sep).join("/");
  if (isAbsolute(rel) || rel.startsWith("..")) {
    throw new Error(`Rollout ${path} is outside sessions/`);
  }
  return { bytes: new Uint8Array(await readFile(path)), relPath: checkRelPath(rel) };
}

/**
 * The CODEX_HOME directory: creating it on demand and describing what is inside.
 *
 * @module
 */
import { tempNameFor } from "../fs/atomic_write.ts";
import { lstat, mkdir, open, readdir, stat, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { CodexHomeError, errnoCode, reasonFor } from "./home_error.ts";

/** The CODEX_HOME codex uses without a `codexHome` option: `$CODEX_HOME`, else `~/.codex`. */
export function defaultCodexHome(env: Record<string, string | undefined>): string {
  return env.CODEX_HOME || join(env.HOME || homedir(), ".codex");
}

/**
 * Makes sure `path` is an existing, writable directory (creating it and its parents, like
 * `mkdir -p`) and returns its absolute path. The path is created with mode 0700: a home holds
 * credentials.
 *
 * Throws a {@linkcode CodexHomeError} when it (or a parent) is a file, or when a parent cannot
 * be written; its `path` is the exact path the system refused. A TypeError when `path` is not
 * a non-empty string.
 *
 * @example Prepare a home for a child process
 * ```ts ignore
 * import { ensureCodexHome } from "@codexkit/sdk/home";
 * const home = await ensureCodexHome("./.codex-home");
 * // pass { CODEX_HOME: home } in the child's environment
 * ```
 */
export async function ensureCodexHome(path: string): Promise<string> {
  if (typeof path !== "string" || path.length === 0) {
    throw new TypeError("Cannot prepare CODEX_HOME: path must be a non-empty string");
  }
  const home = resolve(path);
  await makeDirectories(home);
  await probeWritable(home);
  return home;
}

/**
 * Creates and removes a probe file: permission bits alone do not say what root, ACLs or a
 * read-only mount allow, and Deno's `access()` reports EACCES to root on a 0500 directory.
 */
async function probeWritable(home: string): Promise<void> {
  // Named like every temp file of ours, so a probe left by a killed process is swept later.
  const probe = join(home, tempNameFor("probe"));
  try {
    const handle = await open(probe, "wx", 0o600);
    await handle.close();
    await unlink(probe);
  } catch (error) {
    const code = errnoCode(error);
    throw new CodexHomeError(`Cannot use CODEX_HOME ${home}: it is not writable (${code})`, {
      path: home,
      reason: reasonFor(code) === "not-a-directory" ? "io" : "not-writable",
      code,
      cause: error,
    });
  }
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir was seen to spin forever under
 * `/proc`, and walking the levels lets the error name the exact path that failed.
 */
async function makeDirectories(target: string): Promise<void> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    const info = await stat(current).catch((error: unknown) => error as Error);
    if (!(info instanceof Error)) {
      if (!info.isDirectory()) {
        throw new CodexHomeError(
          current === target
            ? `Cannot use CODEX_HOME ${target}: it exists and is not a directory`
            : `Cannot create CODEX_HOME ${target}: ${current} is not a directory`,
          { path: current, reason: "not-a-directory", code: "ENOTDIR" },
        );
      }
      break;
    }
    const code = errnoCode(info);
    // ENOTDIR: some parent is a file; keep walking up to name it.
    if (code !== "ENOENT" && code !== "ENOTDIR") throw homeIoError(target, current, info);
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir, { mode: 0o700 });
    } catch (error) {
      // Another process may have created it in the meantime; that is fine if it is a directory.
      if (errnoCode(error) === "EEXIST" && (await stat(dir)).isDirectory()) continue;
      throw homeIoError(target, dir, error);
    }
  }
}

function homeIoError(target: string, at: string, error: unknown): CodexHomeError {
  const code = errnoCode(error);
  const reason = reasonFor(code);
  const why = reason === "not-writable"
    ? `${at === target ? "it" : dirname(at)} is not writable`
    : reason === "not-a-directory"
    ? `${at} is not a directory`
    : `${at}: ${code ?? String(error)}`;
  return new CodexHomeError(`Cannot create CODEX_HOME ${target}: ${why} (${code})`, {
    path: at,
    reason,
    code,
    cause: error,
  });
}

/** What an entry of a CODEX_HOME is, for the entries this SDK knows. */
export type HomeEntryRole =
  | "config"
  | "auth"
  | "credentials"
  | "installation_id"
  | "sessions"
  | "log"
  | "logs_db"
  | "state_db"
  | "skills"
  | "history";

/** One top-level entry of a CODEX_HOME. */
export interface HomeEntry {
  /** File or directory name. */
  name: string;
  /** What kind of file system object it is (symlinks are not followed). */
  type: "file" | "directory" | "symlink" | "other";
  /** Bytes: a file's size, or the total of the regular files below a directory. */
  size: number;
  /** What it is for codex, or `undefined` for entries this SDK does not know. */
  role: HomeEntryRole | undefined;
}

/** What {@linkcode inspectCodexHome} found. */
export interface HomeLayout {
  /** Absolute path of the home. */
  path: string;
  /** Whether the directory exists. */
  exists: boolean;
  /** `config.toml`. */
  config: HomeEntry | undefined;
  /** `auth.json`. */
  auth: HomeEntry | undefined;
  /** `.credentials.json`. */
  credentials: HomeEntry | undefined;
  /** `installation_id`. */
  installationId: HomeEntry | undefined;
  /** `sessions/`. */
  sessions: HomeEntry | undefined;
  /** `log/`. */
  log: HomeEntry | undefined;
  /** `logs_*.sqlite` (with their `-wal` / `-shm` companions). */
  logsDbs: HomeEntry[];
  /** `state_*.sqlite` (with their `-wal` / `-shm` companions). */
  stateDbs: HomeEntry[];
  /** `skills/`. */
  skills: HomeEntry | undefined;
  /** `history.jsonl`. */
  history: HomeEntry | undefined;
  /** Entries this SDK does not know (newer CLIs add some): listed, never an error. */
  unknown: HomeEntry[];
  /** Every entry, sorted by name. */
  entries: HomeEntry[];
}

/**
 * Names the role of a top-level entry of a CODEX_HOME from its name and type; `undefined`
 * for names this SDK does not know.
 */
export function classifyHomeEntry(
  name: string,
  type: HomeEntry["type"],
): HomeEntryRole | undefined {
  if (type === "directory") {
    if (name === "sessions") return "sessions";
    if (name === "log") return "log";
    if (name === "skills") return "skills";
    return undefined;
  }
  if (type !== "file") return undefined;
  switch (name) {
    case "config.toml":
      return "config";
    case "auth.json":
      return "auth";
    case ".credentials.json":
      return "credentials";
    case "installation_id":
      return "installation_id";
    case "history.jsonl":
      return "history";
  }
  if (/^logs_\d+\.sqlite(-wal|-shm)?$/.test(name)) return "logs_db";
  if (/^state_\d+\.sqlite(-wal|-shm)?$/.test(name)) return "state_db";
  return undefined;
}

/**
 * Describes a CODEX_HOME without changing it: which of the known files and directories
 * exist, with sizes, plus every entry it does not know. A missing home reports
 * `exists: false`; a path that is a file throws a {@linkcode CodexHomeError}.
 *
 * @example See what a run left behind
 * ```ts ignore
 * import { inspectCodexHome } from "@codexkit/sdk/home";
 * const layout = await inspectCodexHome("/srv/app/codex-home");
 * console.log(layout.auth ? "has credentials" : "no credentials", layout.sessions?.size);
 * for (const entry of layout.unknown) console.log("unknown:", entry.name);
 * ```
 */
export async function inspectCodexHome(path: string): Promise<HomeLayout> {
  if (typeof path !== "string" || path.length === 0) {
    throw new TypeError("Cannot inspect CODEX_HOME: path must be a non-empty string");
  }
  const home = resolve(path);
  const layout: HomeLayout = {
    path: home,
    exists: false,
    config: undefined,
    auth: undefined,
    credentials: undefined,
    installationId: undefined,
    sessions: undefined,
    log: undefined,
    logsDbs: [],
    stateDbs: [],
    skills: undefined,
    history: undefined,
    unknown: [],
    entries: [],
  };
  const info = await stat(home).catch((error: unknown) => error as Error);
  if (info instanceof Error) {
    if (errnoCode(info) === "ENOENT") return layout;
    throw homeIoError(home, home, info);
  }
  if (!info.isDirectory()) {
    throw new CodexHomeError(`Cannot inspect CODEX_HOME ${home}: it is not a directory`, {
      path: home,
      reason: "not-a-directory",
      code: "ENOTDIR",
    });
  }
  layout.exists = true;
  const names = (await readdir(home)).sort();
  for (const name of names) {
    const entryInfo = await lstat(join(home, name)).catch(() => undefined);
    if (!entryInfo) continue; // removed while we looked
    const type = entryInfo.isSymbolicLink()
      ? "symlink"
      : entryInfo.isDirectory()
      ? "directory"
      : entryInfo.isFile()
      ? "file"
      : "other";
    const size = type === "directory" ? await treeSize(join(home, name)) : entryInfo.size;
    const entry: HomeEntry = { name, type, size, role: classifyHomeEntry(name, type) };
    layout.entries.push(entry);
    switch (entry.role) {
      case "config":
        layout.config = entry;
        break;
      case "auth":
        layout.auth = entry;
        break;
      case "credentials":
        layout.credentials = entry;
        break;
      case "installation_id":
        layout.installationId = entry;
        break;
      case "sessions":
        layout.sessions = entry;
        break;
      case "log":
        layout.log = entry;
        break;
      case "skills":
        layout.skills = entry;
        break;
      case "history":
        layout.history = entry;
        break;
      case "logs_db":
        layout.logsDbs.push(entry);
        break;
      case "state_db":
        layout.stateDbs.push(entry);
        break;
      default:
        layout.unknown.push(entry);
    }
  }
  return layout;
}

/** Total bytes of the regular files below `dir`, symlinks not followed, unreadable parts skipped. */
async function treeSize(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await treeSize(path);
    else if (entry.isFile()) total += (await lstat(path).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

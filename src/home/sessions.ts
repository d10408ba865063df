/**
 * Saved sessions in a CODEX_HOME: `sessions/YYYY/MM/DD/rollout-<time>-<thread id>.jsonl`,
 * listed newest first and found by thread id.
 *
 * @module
 */
import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readRollout } from "./rollout.ts";
import type { RolloutEntry, RolloutProblem } from "./rollout.ts";

/** One saved session. */
export interface SessionSummary {
  /** The thread id (what `resumeThread` takes). */
  threadId: string;
  /** Absolute path of the rollout file. */
  path: string;
  /** When the session started: `session_meta.timestamp`, else the time in the file name. */
  startedAt: Date;
  /** Working directory of the session, from `session_meta`. */
  cwd: string | undefined;
  /** The first message the user typed (harness-injected context skipped). */
  firstUserMessage: string | undefined;
  /** CLI version that wrote it. */
  cliVersion: string | undefined;
  /** Which client wrote it, e.g. `"codex_exec"`. */
  originator: string | undefined;
  /**
   * The kind of session, as `session_meta.source` holds it: `"exec"`, `"vscode"` (the
   * app-server's threads), `"cli"`, `"mcp"`, or an object for sub-agents (`{ subagent: ... }`).
   */
  source: unknown;
  /** File size in bytes. */
  sizeBytes: number;
  /** Last modification of the file. */
  modifiedAt: Date;
  /** Lines that could not be read while summarising (e.g. a torn last line). */
  problems: RolloutProblem[];
}

/** Options of {@linkcode listSessions}. */
export interface ListSessionsOptions {
  /** Return at most this many (the newest). */
  limit?: number;
}

/** The parts of a rollout file name. */
export interface RolloutFileName {
  /** Start time encoded in the name (UTC). */
  startedAt: Date;
  /** Thread id encoded in the name. */
  threadId: string;
}

const ROLLOUT_NAME =
  /^rollout-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-([0-9A-Za-z][0-9A-Za-z-]*)\.jsonl$/;

/**
 * Parses `rollout-2026-11-21T04-51-38-<thread id>.jsonl`; `undefined` for any other name.
 * The time in the name is read as UTC.
 */
export function parseRolloutFileName(name: string): RolloutFileName | undefined {
  const match = ROLLOUT_NAME.exec(name);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, threadId] = match;
  const startedAt = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  if (Number.isNaN(startedAt.getTime())) return undefined;
  return { startedAt, threadId };
}

/**
 * Lists the saved sessions of `home`, newest first. A home without `sessions/` has none.
 * Files whose names do not look like rollouts are ignored; unreadable lines are reported in
 * each summary's `problems`, never thrown.
 *
 * @example The five latest sessions
 * ```ts ignore
 * import { listSessions } from "@codexkit/sdk/home";
 * for (const s of await listSessions("/srv/app/codex-home", { limit: 5 })) {
 *   console.log(s.threadId, s.startedAt.toISOString(), s.cwd, s.firstUserMessage);
 * }
 * ```
 */
export async function listSessions(
  home: string,
  options: ListSessionsOptions = {},
): Promise<SessionSummary[]> {
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 0)) {
    throw new TypeError("Cannot list sessions: options.limit must be a non-negative integer");
  }
  const files = await rolloutFiles(join(resolve(home), "sessions"));
  files.sort((a, b) =>
    b.name.startedAt.getTime() - a.name.startedAt.getTime() || (b.path < a.path ? -1 : 1)
  );
  const chosen = options.limit === undefined ? files : files.slice(0, options.limit);
  const summaries = await Promise.all(chosen.map((file) => summarise(file.path, file.name)));
  // The file name has second precision; session_meta breaks ties within a second.
  return summaries.sort((a, b) =>
    b.startedAt.getTime() - a.startedAt.getTime() || (b.path < a.path ? -1 : 1)
  );
}

/**
 * Finds the saved session of thread `threadId`, or `undefined`. Only file names are scanned;
 * the one match is then summarised.
 *
 * @example Check a thread can be resumed
 * ```ts ignore
 * import { findSession } from "@codexkit/sdk/home";
 * const session = await findSession(home, threadId);
 * if (!session) throw new Error(`no saved session for ${threadId}`);
 * ```
 */
export async function findSession(
  home: string,
  threadId: string,
): Promise<SessionSummary | undefined> {
  if (typeof threadId !== "string" || !/^[0-9A-Za-z][0-9A-Za-z-]*$/.test(threadId)) {
    throw new TypeError("Cannot find a session: threadId must be letters, digits and dashes");
  }
  const files = await rolloutFiles(join(resolve(home), "sessions"));
  const match = files.filter((f) => f.name.threadId === threadId)
    .sort((a, b) => b.name.startedAt.getTime() - a.name.startedAt.getTime())[0];
  return match ? await summarise(match.path, match.name) : undefined;
}

/**
 * The text the user typed in a rollout entry, or `undefined` when the entry is not a user
 * message (or is context the CLI injected, such as `<environment_context>`).
 */
export function userMessageText(entry: RolloutEntry): string | undefined {
  if (entry.kind === "event_msg") {
    const payload = entry.payload;
    if (payload.type === "user_message" && typeof payload.message === "string") {
      return payload.message;
    }
    return undefined;
  }
  if (entry.kind !== "response_item") return undefined;
  const item = entry.payload;
  if (item.type !== "message" || item.role !== "user" || !Array.isArray(item.content)) {
    return undefined;
  }
  const meta = item.internal_chat_message_metadata_passthrough as
    | { content_item_metadata?: { provenance?: { type?: string } }[] }
    | undefined;
  const provenance = meta?.content_item_metadata?.map((m) => m.provenance?.type);
  if (provenance && provenance.length > 0 && !provenance.includes("user")) return undefined;
  const texts = item.content
    .filter((part): part is { type: string; text: string } =>
      typeof part === "object" && part !== null && typeof part.text === "string" &&
      part.type === "input_text"
    )
    .map((part) => part.text);
  const text = texts.join("\n");
  // Older CLIs mark injected context only by its XML-ish wrapper.
  if (text.length === 0 || /^\s*<(environment_context|user_instructions)>/.test(text)) {
    return undefined;
  }
  return text;
}

interface RolloutFile {
  path: string;
  name: RolloutFileName;
}

async function rolloutFiles(root: string): Promise<RolloutFile[]> {
  const out: RolloutFile[] = [];
  for (const year of await dirNames(root, /^\d{4}$/)) {
    for (const month of await dirNames(join(root, year), /^\d{2}$/)) {
      for (const day of await dirNames(join(root, year, month), /^\d{2}$/)) {
        const dir = join(root, year, month, day);
        for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
          if (!entry.isFile()) continue;
          const name = parseRolloutFileName(entry.name);
          if (name) out.push({ path: join(dir, entry.name), name });
        }
      }
    }
  }
  return out;
}

async function dirNames(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && pattern.test(e.name)).map((e) => e.name);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw error;
  }
}

async function summarise(path: string, name: RolloutFileName): Promise<SessionSummary> {
  const info = await stat(path);
  const problems: RolloutProblem[] = [];
  let meta: Record<string, unknown> | undefined;
  let firstUserMessage: string | undefined;
  const entries = readRollout(path, { onProblem: (p) => problems.push(p) });
  for await (const entry of entries) {
    if (entry.kind === "session_meta" && meta === undefined) meta = entry.payload;
    firstUserMessage ??= userMessageText(entry);
    // Stop reading (and close the file) once both are known.
    if (meta !== undefined && firstUserMessage !== undefined) break;
  }
  const metaTime = typeof meta?.timestamp === "string" ? new Date(meta.timestamp) : undefined;
  return {
    threadId: typeof meta?.id === "string" ? meta.id : name.threadId,
    path,
    startedAt: metaTime && !Number.isNaN(metaTime.getTime()) ? metaTime : name.startedAt,
    cwd: typeof meta?.cwd === "string" ? meta.cwd : undefined,
    firstUserMessage,
    cliVersion: typeof meta?.cli_version === "string" ? meta.cli_version : undefined,
    originator: typeof meta?.originator === "string" ? meta.originator : undefined,
    source: meta?.source,
    sizeBytes: info.size,
    modifiedAt: info.mtime,
    problems,
  };
}

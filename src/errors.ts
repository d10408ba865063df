/**
 * The few error classes the SDK throws. Each has a fixed `name`, keeps its `cause`, carries
 * structured fields, and bounds what it quotes from the CLI (stderr tails, output lines).
 * Secrets never reach a message: argv is redacted, API keys only travel in a child's env, and
 * the known secrets passed as `secrets` are scrubbed from every string an error carries.
 *
 * @module
 */
import { redactArgs, redactText } from "./redact.ts";

/** The most stderr an error keeps, in characters (the tail end: that is where codex says why). */
export const STDERR_TAIL_LIMIT = 4096;

/** Common fields of every error the SDK throws. */
export interface CodexErrorOptions {
  /** The underlying error, when there is one. */
  cause?: unknown;
  /** The command line that was run; secret-looking `--config` pairs are masked here. */
  command?: readonly string[];
  /** The last few KB of the child's stderr. */
  stderrTail?: string;
  /**
   * Known secrets (API key, secret config values, stored credentials): replaced by
   * `[redacted]` in the message, the command, the stderr tail and every text field of the error.
   */
  secrets?: readonly string[];
}

/** Base class of every error the SDK throws. */
export class CodexError extends Error {
  // Declared, not initialised: a field that is absent stays absent, so `console.log(error)`
  // shows no `undefined` entries.
  /** The command line that was run (redacted), when a process was involved. */
  declare readonly command: readonly string[] | undefined;
  /** The last few KB of the child's stderr, when a process was involved. */
  declare readonly stderrTail: string | undefined;

  /** Creates an error; `options.stderrTail` is bounded to {@linkcode STDERR_TAIL_LIMIT}. */
  constructor(message: string, options: CodexErrorOptions = {}) {
    // Scrubbed before bounding; the tail may itself be the cut end of a longer output.
    const stderrTail = options.stderrTail === undefined
      ? undefined
      : boundTail(scrub(options.stderrTail, options, true), STDERR_TAIL_LIMIT);
    super(
      withStderr(scrub(message, options), stderrTail),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "CodexError";
    // Every lane's command line is masked the same way, whoever built the error.
    if (options.command !== undefined) {
      this.command = redactArgs(options.command).map((arg) => scrub(arg, options));
    }
    if (stderrTail !== undefined) this.stderrTail = stderrTail;
  }
}

/** Fields of {@linkcode ThreadNotFoundError}. */
export interface ThreadNotFoundErrorOptions extends CodexErrorOptions {
  /** The id codex reported instead (it started a new thread), when it did. */
  reportedId?: string;
}

/**
 * The thread to resume or fork does not exist: codex found no session for the id, or it
 * started a different thread than the one asked for (an id it took for a thread name).
 */
export class ThreadNotFoundError extends CodexError {
  /** The id that was asked for. */
  readonly threadId: string;
  /** The id codex reported instead, when it started a new thread. */
  declare readonly reportedId: string | undefined;

  /** Creates the error for the requested `threadId`. */
  constructor(threadId: string, options: ThreadNotFoundErrorOptions = {}) {
    super(
      options.reportedId === undefined
        ? `Cannot find thread ${JSON.stringify(threadId)}: codex has no session with that id`
        : `Cannot find thread ${
          JSON.stringify(threadId)
        }: codex started a different thread (${options.reportedId}) instead; the run was stopped`,
      options,
    );
    this.name = "ThreadNotFoundError";
    this.threadId = threadId;
    if (options.reportedId !== undefined) this.reportedId = options.reportedId;
  }
}

/** One place the binary resolver looked, in order. */
export interface SearchedPlace {
  /** Which step of the resolution chain (`"override"`, `"env"`, `"bundle"`, `"npm"`, `"path"`). */
  source: string;
  /** The path or directory that was checked. */
  path: string;
  /** Why it did not qualify (`"missing"`, `"not executable"`, ...). */
  reason: string;
}

/** No codex binary was found; lists every place that was searched. */
export class BinaryNotFoundError extends CodexError {
  /** Every place that was searched, in order. */
  readonly searched: readonly SearchedPlace[];

  /** Creates the error from the list of places searched. */
  constructor(searched: readonly SearchedPlace[], options: CodexErrorOptions = {}) {
    const lines = searched.map((s) => `  ${s.source}: ${s.path} (${s.reason})`);
    super(`Cannot find the codex binary; searched:\n${lines.join("\n")}`, options);
    this.name = "BinaryNotFoundError";
    this.searched = searched;
  }
}

/** The program could not be started at all (missing, not executable, bad cwd). */
export class SpawnError extends CodexError {
  /** Creates the error. */
  constructor(message: string, options: CodexErrorOptions = {}) {
    super(message, options);
    this.name = "SpawnError";
  }
}

/** Fields of {@linkcode ExitError}. */
export interface ExitErrorOptions extends CodexErrorOptions {
  /** The exit code, or `null` when a signal ended the process. */
  exitCode: number | null;
  /** The signal that ended the process, or `null`. */
  signal: string | null;
}

/** The child ended with a non-zero exit code or was killed by a signal nobody asked for. */
export class ExitError extends CodexError {
  /** The exit code, or `null` when a signal ended the process. */
  readonly exitCode: number | null;
  /** The signal that ended the process, or `null`. */
  readonly signal: string | null;

  /** Creates the error. */
  constructor(message: string, options: ExitErrorOptions) {
    super(message, options);
    this.name = "ExitError";
    this.exitCode = options.exitCode;
    this.signal = options.signal;
  }
}

/** Fields of {@linkcode TimeoutError}. */
export interface TimeoutErrorOptions extends CodexErrorOptions {
  /** The limit that was exceeded, in milliseconds. */
  timeoutMs: number;
}

/** A run took longer than its `timeoutMs`; the child was killed. */
export class TimeoutError extends CodexError {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  /** Always `true`; mirrors execa's flag for code that checks fields rather than classes. */
  readonly timedOut: true = true;

  /** Creates the error. */
  constructor(message: string, options: TimeoutErrorOptions) {
    super(message, options);
    this.name = "TimeoutError";
    this.timeoutMs = options.timeoutMs;
  }
}

/** No event arrived for `idleTimeoutMs`; the child was killed. */
export class IdleTimeoutError extends TimeoutError {
  /** Creates the error. */
  constructor(message: string, options: TimeoutErrorOptions) {
    super(message, options);
    this.name = "IdleTimeoutError";
  }
}

/**
 * Nothing arrived within `connectTimeoutMs`: no first event from `codex exec`, or no completed
 * handshake from the app-server. The child was killed.
 */
export class ConnectTimeoutError extends TimeoutError {
  /** Creates the error. */
  constructor(message: string, options: TimeoutErrorOptions) {
    super(message, options);
    this.name = "ConnectTimeoutError";
  }
}

/** The caller's `AbortSignal` fired; the child was killed. `cause` is the signal's reason. */
export class AbortError extends CodexError {
  /** Always `true`; mirrors execa's flag. */
  readonly isCanceled: true = true;

  /** Creates the error. */
  constructor(message: string, options: CodexErrorOptions = {}) {
    super(message, options);
    this.name = "AbortError";
  }
}

/** The turn failed: a `turn.failed` event, or a fatal `error` event with no completed turn. */
export class TurnFailedError extends CodexError {
  /** Creates the error with codex's own message. */
  constructor(message: string, options: CodexErrorOptions = {}) {
    super(message, options);
    this.name = "TurnFailedError";
  }
}

/** Fields of {@linkcode MalformedOutputError}. */
export interface MalformedOutputErrorOptions extends CodexErrorOptions {
  /** 1-based number of the offending line. */
  lineNumber: number;
  /** The start of the offending line, at most 200 characters. */
  excerpt: string;
}

/** The CLI printed something that is not what the protocol promises (not JSON, not an object). */
export class MalformedOutputError extends CodexError {
  /** 1-based number of the offending line. */
  readonly lineNumber: number;
  /** The start of the offending line, at most 200 characters. */
  readonly excerpt: string;

  /** Creates the error. */
  constructor(message: string, options: MalformedOutputErrorOptions) {
    super(message, options);
    this.name = "MalformedOutputError";
    this.lineNumber = options.lineNumber;
    this.excerpt = scrub(options.excerpt, options);
  }
}

/** Fields of {@linkcode OutputLimitError}. */
export interface OutputLimitErrorOptions extends CodexErrorOptions {
  /** The longest line accepted, in bytes (`maxLineBytes`). */
  limitBytes: number;
  /** 1-based number of the line that was too long. */
  lineNumber: number;
}

/**
 * The CLI printed a line longer than `maxLineBytes` (default 64 MiB); the run was stopped
 * rather than let memory grow without bound.
 */
export class OutputLimitError extends CodexError {
  /** The longest line accepted, in bytes. */
  readonly limitBytes: number;
  /** 1-based number of the line that was too long. */
  readonly lineNumber: number;

  /** Creates the error. */
  constructor(message: string, options: OutputLimitErrorOptions) {
    super(message, options);
    this.name = "OutputLimitError";
    this.limitBytes = options.limitBytes;
    this.lineNumber = options.lineNumber;
  }
}

/** Fields of {@linkcode SchemaMismatchError}. */
export interface SchemaMismatchErrorOptions extends CodexErrorOptions {
  /** The agent's raw final response. */
  rawText: string;
  /** What did not match, one line per problem. */
  issues: readonly string[];
}

/** The final response did not parse as JSON or did not match the turn's `outputSchema`. */
export class SchemaMismatchError extends CodexError {
  /** The agent's raw final response. */
  readonly rawText: string;
  /** What did not match, one line per problem. */
  readonly issues: readonly string[];

  /** Creates the error. */
  constructor(message: string, options: SchemaMismatchErrorOptions) {
    super(message, options);
    this.name = "SchemaMismatchError";
    this.rawText = scrub(options.rawText, options);
    this.issues = options.secrets?.length
      ? options.issues.map((issue) => scrub(issue, options))
      : options.issues;
  }
}

/** Fields of {@linkcode RpcError}. */
export interface RpcErrorOptions extends CodexErrorOptions {
  /** JSON-RPC error code. */
  code: number;
  /** JSON-RPC error data, when the server sent any. */
  data?: unknown;
  /** The method of the request that failed. */
  method: string;
}

/** The app-server answered a request with a JSON-RPC error. */
export class RpcError extends CodexError {
  /** JSON-RPC error code. */
  readonly code: number;
  /** JSON-RPC error data, when the server sent any. */
  readonly data: unknown;
  /** The method of the request that failed. */
  readonly method: string;

  /** Creates the error. */
  constructor(message: string, options: RpcErrorOptions) {
    super(message, options);
    this.name = "RpcError";
    this.code = options.code;
    this.data = scrubData(options.data, options);
    this.method = options.method;
  }
}

/** Fields of {@linkcode ConnectionClosedError}. */
export interface ConnectionClosedErrorOptions extends CodexErrorOptions {
  /** The server's exit code, when it was a child process that exited. */
  exitCode?: number | null;
  /** The signal that ended the server, when there was one. */
  signal?: string | null;
}

/** The app-server connection ended (process exit, socket close) with requests still pending. */
export class ConnectionClosedError extends CodexError {
  /** The server's exit code, when known. */
  readonly exitCode: number | null;
  /** The signal that ended the server, when known. */
  readonly signal: string | null;

  /** Creates the error. */
  constructor(message: string, options: ConnectionClosedErrorOptions = {}) {
    super(message, options);
    this.name = "ConnectionClosedError";
    this.exitCode = options.exitCode ?? null;
    this.signal = options.signal ?? null;
  }
}

/** Fields of {@linkcode FileFormatError}. */
export interface FileFormatErrorOptions extends CodexErrorOptions {
  /** The file that could not be read. */
  path: string;
  /** 1-based line of the problem, when known. */
  line?: number;
  /** 1-based column of the problem, when known. */
  column?: number;
}

/**
 * A file the SDK reads (config.toml, auth.json, a cache or manifest, a rollout) is not in the
 * expected format. The file is left untouched.
 */
export class FileFormatError extends CodexError {
  /** The file that could not be read. */
  readonly path: string;
  /** 1-based line of the problem, when known. */
  declare readonly line: number | undefined;
  /** 1-based column of the problem, when known. */
  declare readonly column: number | undefined;

  /** Creates the error. */
  constructor(message: string, options: FileFormatErrorOptions) {
    super(message, options);
    this.name = "FileFormatError";
    this.path = options.path;
    // JavaScriptCore (Bun) gives every Error its own `line` and `column` (of the throw site):
    // an unknown position must read as undefined, yet stay out of `console.log(error)`.
    if (options.line !== undefined) this.line = options.line;
    else hideUndefined(this, "line");
    if (options.column !== undefined) this.column = options.column;
    else hideUndefined(this, "column");
  }
}

/** Fields of {@linkcode FileSystemError}. */
export interface FileSystemErrorOptions extends CodexErrorOptions {
  /** The file, or `undefined` for a caller's stream. */
  path?: string;
  /** What was being done with it. */
  operation: "open" | "read" | "write" | "create" | "replace";
  /** The system error code (`"ENOSPC"`, `"EISDIR"`, ...), when there was one. */
  code?: string;
}

/**
 * A file the SDK writes or reads on the caller's behalf (a turn's `eventLog`, the temp file of
 * an `outputSchema`, a small file it reads) cannot be used: the disk is full, the path is a
 * directory, a FIFO or a device, permissions say no. `cause` is the system's error.
 */
export class FileSystemError extends CodexError {
  /** The file, or `undefined` for a caller's stream. */
  declare readonly path: string | undefined;
  /** What was being done with it: open, read, write, create or replace. */
  readonly operation: "open" | "read" | "write" | "create" | "replace";
  /** The system error code, when there was one. */
  declare readonly code: string | undefined;

  /** Creates the error. */
  constructor(message: string, options: FileSystemErrorOptions) {
    super(message, options);
    this.name = "FileSystemError";
    this.operation = options.operation;
    if (options.path !== undefined) this.path = options.path;
    if (options.code !== undefined) this.code = options.code;
  }
}

/** What the SDK was doing with a file when the file system said no. */
export type FileOperation = FileSystemErrorOptions["operation"];

/**
 * A {@linkcode FileSystemError} for `error` (what `node:fs` threw) while doing `operation` on
 * `path`: "Cannot write the event log /x: ENOSPC: no space left on device". `what` names the
 * file's role ("the event log", "the output schema file").
 */
export function fileSystemError(
  what: string,
  operation: FileOperation,
  path: string | undefined,
  error: unknown,
  secrets?: readonly string[],
): FileSystemError {
  const code = (error as { code?: unknown } | null)?.code;
  return new FileSystemError(
    `Cannot ${operation} ${what}${path === undefined ? "" : ` ${path}`}: ${systemReason(error)}`,
    {
      path,
      operation,
      code: typeof code === "string" ? code : undefined,
      cause: error,
      secrets,
    },
  );
}

/**
 * What a system error says, starting with its code on every runtime: Node and Bun put it
 * first ("ENOSPC: no space left on device, write"), Deno does not ("No space left on device
 * (os error 28)").
 */
export function systemReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  return typeof code === "string" && !reason.includes(code) ? `${code}: ${reason}` : reason;
}

/** Fields of {@linkcode UnsupportedError}. */
export interface UnsupportedErrorOptions extends CodexErrorOptions {
  /** The flag, subcommand or feature the CLI lacks. */
  feature: string;
  /** The CLI version, when known. */
  version?: string;
}

/** The installed CLI does not support a flag or feature the caller asked for. */
export class UnsupportedError extends CodexError {
  /** The flag, subcommand or feature the CLI lacks. */
  readonly feature: string;
  /** The CLI version, when known. */
  declare readonly version: string | undefined;

  /** Creates the error. */
  constructor(message: string, options: UnsupportedErrorOptions) {
    super(message, options);
    this.name = "UnsupportedError";
    this.feature = options.feature;
    if (options.version !== undefined) this.version = options.version;
  }
}

/** Fields of {@linkcode BundleError}. */
export interface BundleErrorOptions extends CodexErrorOptions {
  /** The path involved. */
  path?: string;
}

/** A pinned bundle is missing, invalid, or failed verification. */
export class BundleError extends CodexError {
  /** The path involved, when there is one. */
  declare readonly path: string | undefined;

  /** Creates the error. */
  constructor(message: string, options: BundleErrorOptions = {}) {
    super(message, options);
    this.name = "BundleError";
    if (options.path !== undefined) this.path = options.path;
  }
}

/**
 * The line of a failed run's stderr that says why: the last `Error:` line, else the last line
 * that is not a warning or a progress notice (0.169.0 warns about PATH aliases when
 * CODEX_HOME is under a temp dir; that line must not pose as the reason).
 */
export function exitReason(stderrTail: string | undefined): string | undefined {
  const lines = (stderrTail ?? "").split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const error = lines.findLast((line) => /^(error|fatal)\b/i.test(line));
  if (error) return error;
  return lines.findLast((line) =>
    !/^(warning|warn)\b/i.test(line) &&
    !/^Reading (additional )?(prompt|input) from stdin/i.test(line)
  );
}

/**
 * The message of a failed run, starting for an exec run as the official SDK's does ("Codex Exec
 * exited with code N" / "... with signal S") so code that matches on it keeps working; other
 * commands name themselves as `subject` ("codex mcp list exited with code 2: ...").
 */
export function execExitMessage(
  code: number | null,
  signal: string | null,
  stderrTail: string | undefined,
  subject = "Codex Exec",
): string {
  const how = signal ? `signal ${signal}` : `code ${code ?? 1}`;
  let reason = exitReason(stderrTail);
  if (reason && reason.length > 300) reason = `${reason.slice(0, 300)}...`;
  return `${subject} exited with ${how}${reason ? `: ${reason}` : ""}`;
}

function hideUndefined(target: object, key: string): void {
  Object.defineProperty(target, key, { value: undefined, enumerable: false, configurable: true });
}

/** Keeps the last `limit` characters of `text`, marking the cut. */
export function boundTail(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `[... ${text.length - limit} earlier characters cut]\n${text.slice(-limit)}`;
}

function scrub(text: string, options: CodexErrorOptions, cutStart = false): string {
  const secrets = options.secrets;
  return secrets?.length ? redactText(text, secrets, { cutStart }) : text;
}

/** Scrubs the strings of JSON-like data (what a server sent); other values pass unchanged. */
function scrubData(data: unknown, options: CodexErrorOptions): unknown {
  if (!options.secrets?.length) return data;
  if (typeof data === "string") return scrub(data, options);
  if (Array.isArray(data)) return data.map((item) => scrubData(item, options));
  if (
    typeof data === "object" && data !== null && Object.getPrototypeOf(data) === Object.prototype
  ) {
    // fromEntries defines own properties: a "__proto__" key stays a plain key.
    return Object.fromEntries(
      Object.entries(data).map(([key, value]) => [key, scrubData(value, options)]),
    );
  }
  return data;
}

function withStderr(message: string, stderrTail: string | undefined): string {
  const trimmed = stderrTail?.trim();
  return trimmed ? `${message}\nstderr (tail):\n${trimmed}` : message;
}

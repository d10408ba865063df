/**
 * The few error classes the SDK throws. Each has a fixed `name`, keeps its `cause`, carries
 * structured fields, and bounds what it quotes from the CLI (stderr tails, output lines).
 * Secrets never reach a message: argv is redacted and API keys only travel in a child's env.
 *
 * @module
 */

/** The most stderr an error keeps, in characters (the tail end: that is where codex says why). */
export const STDERR_TAIL_LIMIT = 4096;

/** Common fields of every error the SDK throws. */
export interface CodexErrorOptions {
  /** The underlying error, when there is one. */
  cause?: unknown;
  /** The command line that was run, already redacted. */
  command?: readonly string[];
  /** The last few KB of the child's stderr. */
  stderrTail?: string;
}

/** Base class of every error the SDK throws. */
export class CodexError extends Error {
  /** The command line that was run (redacted), when a process was involved. */
  readonly command: readonly string[] | undefined;
  /** The last few KB of the child's stderr, when a process was involved. */
  readonly stderrTail: string | undefined;

  /** Creates an error; `options.stderrTail` is bounded to {@linkcode STDERR_TAIL_LIMIT}. */
  constructor(message: string, options: CodexErrorOptions = {}) {
    const stderrTail = options.stderrTail === undefined
      ? undefined
      : boundTail(options.stderrTail, STDERR_TAIL_LIMIT);
    super(withStderr(message, stderrTail), { cause: options.cause });
    this.name = "CodexError";
    this.command = options.command;
    this.stderrTail = stderrTail;
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
    this.excerpt = options.excerpt;
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
    this.rawText = options.rawText;
    this.issues = options.issues;
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
    this.data = options.data;
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
  readonly line: number | undefined;
  /** 1-based column of the problem, when known. */
  readonly column: number | undefined;

  /** Creates the error. */
  constructor(message: string, options: FileFormatErrorOptions) {
    super(message, options);
    this.name = "FileFormatError";
    this.path = options.path;
    this.line = options.line;
    this.column = options.column;
  }
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
  readonly version: string | undefined;

  /** Creates the error. */
  constructor(message: string, options: UnsupportedErrorOptions) {
    super(message, options);
    this.name = "UnsupportedError";
    this.feature = options.feature;
    this.version = options.version;
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
  readonly path: string | undefined;

  /** Creates the error. */
  constructor(message: string, options: BundleErrorOptions = {}) {
    super(message, options);
    this.name = "BundleError";
    this.path = options.path;
  }
}

/** Keeps the last `limit` characters of `text`, marking the cut. */
export function boundTail(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `[... ${text.length - limit} earlier characters cut]\n${text.slice(-limit)}`;
}

function withStderr(message: string, stderrTail: string | undefined): string {
  const trimmed = stderrTail?.trim();
  return trimmed ? `${message}\nstderr (tail):\n${trimmed}` : message;
}

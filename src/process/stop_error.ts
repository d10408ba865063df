/**
 * The stop reason -> error stage: one wording for every way a run ends badly, on every transport
 * and for every command. Each error carries the command (redacted), the stderr tail, and the
 * run's known secrets, which `CodexError` scrubs from every string it holds; timeouts carry
 * `timedOut`, aborts `isCanceled`, exits the code and signal.
 *
 * @module
 */
import {
  AbortError,
  CodexError,
  ConnectTimeoutError,
  execExitMessage,
  ExitError,
  IdleTimeoutError,
  TimeoutError,
} from "../errors.ts";
import type { ExitStatus } from "../runtime/types.ts";
import type { StopReason } from "./limits.ts";

/** What an error says about the run besides why it stopped. */
export interface RunErrorContext {
  /**
   * How the message names the run, as a sentence starts (default `"The run"`; a command says
   * `"codex mcp list"`, an exec exit `"Codex Exec"`). Inside a sentence a leading "The" is
   * lowered.
   */
  subject?: string;
  /** The command line (redacted again by the error). */
  command?: readonly string[];
  /** The child's stderr so far (bounded by the error). */
  stderrTail?: string;
  /** Known secrets, scrubbed from every string of the error. */
  secrets?: readonly string[];
}

/**
 * The error for a run stopped by `reason`.
 *
 * @example A timeout
 * ```ts
 * import { stopError } from "./stop_error.ts";
 * const error = stopError({ kind: "timeout", timeoutMs: 50 }, { command: ["codex", "exec"] });
 * console.log(error.message); // "The run timed out after 50 ms"
 * ```
 */
export function stopError(reason: StopReason, context: RunErrorContext = {}): CodexError {
  const [Subject, subject] = names(context);
  const fields = {
    command: context.command,
    stderrTail: context.stderrTail,
    secrets: context.secrets,
  };
  switch (reason.kind) {
    case "abort":
      return new AbortError(`${Subject} was aborted`, { ...fields, cause: reason.reason });
    case "cancel":
      return new AbortError(`${Subject} was cancelled by its reader`, fields);
    case "timeout":
      return new TimeoutError(`${Subject} timed out after ${reason.timeoutMs} ms`, {
        ...fields,
        timeoutMs: reason.timeoutMs,
      });
    case "idle":
      return new IdleTimeoutError(`No event for ${reason.timeoutMs} ms; ${subject} was stopped`, {
        ...fields,
        timeoutMs: reason.timeoutMs,
      });
    case "connect":
      return new ConnectTimeoutError(
        `No event within ${reason.timeoutMs} ms of the start; ${subject} was stopped`,
        { ...fields, timeoutMs: reason.timeoutMs },
      );
    case "overflow":
      // A cut-off output would parse into wrong data: the run fails instead.
      return new CodexError(
        `${Subject} printed more than ${reason.limitBytes} bytes on ${reason.stream}; it was stopped (raise maxOutputBytes)`,
        fields,
      );
  }
}

/**
 * The error for a run that exited non-zero or was killed by a signal nobody asked for; the
 * message names the line of stderr that says why.
 *
 * @example
 * ```ts
 * import { exitError } from "./stop_error.ts";
 * const error = exitError({ code: 2, signal: null }, { subject: "Codex Exec" });
 * console.log(error.message); // "Codex Exec exited with code 2"
 * ```
 */
export function exitError(status: ExitStatus, context: RunErrorContext = {}): ExitError {
  const [Subject] = names(context);
  return new ExitError(execExitMessage(status.code, status.signal, context.stderrTail, Subject), {
    exitCode: status.code,
    signal: status.signal,
    command: context.command,
    stderrTail: context.stderrTail,
    secrets: context.secrets,
  });
}

function names(context: RunErrorContext): [string, string] {
  const subject = context.subject ?? "The run";
  return [subject, subject.startsWith("The ") ? `the ${subject.slice(4)}` : subject];
}

/**
 * What a thread's approval hooks see and answer (app-server transport): the option-facing
 * types. `../app_server/approvals.ts` routes the server's requests to them.
 *
 * The value lists' types are derived through `import()` (as in `../options.ts`), so the
 * entries that name the types need not name the lists.
 *
 * @module
 */
import type { ApprovalKind, CommandAction } from "../events.ts";

/** An approval request, as handed to `onApproval`. */
export interface ApprovalRequest {
  /** What is asked about. */
  kind: ApprovalKind;
  /** The wire method (`item/commandExecution/requestApproval`, ...). */
  method?: string;
  /** The server's request id. */
  requestId: string | number;
  /** The thread. */
  threadId: string;
  /** The turn. */
  turnId: string;
  /** The item the action belongs to. */
  itemId: string;
  /** The command line, for commands. */
  command?: string | null;
  /** The working directory, for commands. */
  cwd?: string | null;
  /** Why codex asks, when it says. */
  reason?: string | null;
  /** For commands: an exec-policy rule (argv prefix) that would allow similar commands. */
  proposedExecpolicyAmendment?: string[] | null;
  /** For commands: what the command does, as codex parsed it (wire shape), when it says. */
  commandActions?: CommandAction[];
  /** For a network access request: the host and protocol asked for. */
  networkApprovalContext?: { host: string; protocol: string } | null;
  /** For patches: a root the agent asks to write under for the session. */
  grantRoot?: string | null;
  /** For permission requests: what is asked for (wire shape). */
  permissions?: unknown;
  /** The whole request params, wire names, unknown fields included. */
  params: Record<string, unknown>;
}

/**
 * An answer: `accept` runs it; `acceptForSession` also stops asking for the same thing in this
 * session; `decline` skips it and the turn goes on; `cancel` skips it and interrupts the turn;
 * `acceptWithExecpolicyAmendment` (commands only) accepts and adds the rule the server proposed.
 */
export type ApprovalDecision =
  | "accept"
  | "acceptForSession"
  | "decline"
  | "cancel"
  | "acceptWithExecpolicyAmendment"
  | { acceptWithExecpolicyAmendment: { execpolicy_amendment: string[] } };

/** Context handed to `onApproval`. */
export interface ApprovalContext {
  /** Aborts when the answer is no longer wanted (timeout, turn ended, connection closed). */
  signal: AbortSignal;
}

/** Decides an approval; may be async. */
export type ApprovalHandler = (
  request: ApprovalRequest,
  context: ApprovalContext,
) => ApprovalDecision | Promise<ApprovalDecision>;

/** The static answers an `onApproval` policy may be. */
export const STATIC_APPROVAL_POLICIES = [
  "accept",
  "acceptForSession",
  "decline",
  "cancel",
] as const;

/** A callback, or a static answer to every request (`"accept"` = always accept). */
export type ApprovalPolicy =
  | ApprovalHandler
  | (typeof import("./approvals.ts"))["STATIC_APPROVAL_POLICIES"][number];

/** The answers `defaultApprovalDecision` may be. */
export const DEFAULT_APPROVAL_DECISIONS = ["decline", "cancel", "accept"] as const;

/** Approval settings of a thread. */
export interface ApprovalOptions {
  /** Answers approval requests. Without it every request gets `defaultApprovalDecision`. */
  onApproval?: ApprovalPolicy;
  /** How long `onApproval` may take, in ms (default: no limit). */
  approvalTimeoutMs?: number;
  /** The answer when the callback is missing, throws or is too slow (default `"decline"`). */
  defaultApprovalDecision?: (typeof import("./approvals.ts"))["DEFAULT_APPROVAL_DECISIONS"][number];
}

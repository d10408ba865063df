/**
 * Approvals: the app-server asks (a server->client request) whether a command may run, a patch
 * may apply or more permissions may be granted; the thread's `onApproval` answers. Every
 * request gets exactly one answer: the callback's, a static policy's, or the default (decline)
 * when there is no callback, it throws, it is too slow, or it returns something not allowed.
 *
 * @module
 */
import type {
  ApprovalDefaultReason,
  ApprovalKind,
  ApprovalSource,
  CommandAction,
} from "../events.ts";
import { setLongTimeout } from "../process/long_timer.ts";
import type { LongTimer } from "../process/long_timer.ts";
import { STATIC_APPROVAL_POLICIES } from "../options/approvals.ts";
import type { ApprovalDecision, ApprovalOptions, ApprovalRequest } from "../options/approvals.ts";
// Checked where the options enter (thread, lane); kept here too for this module's users.
export { checkApprovalOptions } from "../options/schema.ts";

/** The wire methods of the approval requests this SDK answers. */
export const APPROVAL_METHODS: Readonly<Record<string, ApprovalKind>> = {
  "item/commandExecution/requestApproval": "command",
  "item/fileChange/requestApproval": "file_change",
  "item/permissions/requestApproval": "permissions",
  // The older shapes of the same questions (params name the thread `conversationId`).
  "execCommandApproval": "command",
  "applyPatchApproval": "file_change",
};

/** The older approval methods, answered with a `ReviewDecision`. */
const LEGACY = new Set(["execCommandApproval", "applyPatchApproval"]);

/** How a request was answered. */
export interface ApprovalOutcome {
  /** The decision, as the SDK names it. */
  decision: ApprovalDecision;
  /** Who chose it. */
  source: ApprovalSource;
  /** Why the default was used. */
  reason?: ApprovalDefaultReason;
  /** The callback's error message, when it threw. */
  message?: string;
}

const STATIC: ReadonlySet<unknown> = new Set(STATIC_APPROVAL_POLICIES);

function text(value: unknown): string | null | undefined {
  return typeof value === "string" || value === null ? value : undefined;
}

/** Reads an approval request from its wire method and params; `undefined` for other methods. */
export function toApprovalRequest(
  method: string,
  params: unknown,
  requestId: string | number,
): ApprovalRequest | undefined {
  // Own keys only: a method named "constructor" is not an approval.
  const kind = Object.hasOwn(APPROVAL_METHODS, method) ? APPROVAL_METHODS[method] : undefined;
  if (kind === undefined) return undefined;
  const p = (typeof params === "object" && params !== null ? params : {}) as Record<
    string,
    unknown
  >;
  const request: ApprovalRequest = {
    kind,
    method,
    requestId,
    threadId: String(p.threadId ?? p.conversationId ?? ""),
    turnId: String(p.turnId ?? ""),
    itemId: String(p.itemId ?? p.callId ?? ""),
    reason: text(p.reason),
    params: p,
  };
  if (kind === "command") {
    request.command = Array.isArray(p.command) ? p.command.map(String).join(" ") : text(p.command);
    request.cwd = text(p.cwd);
    if (Array.isArray(p.proposedExecpolicyAmendment)) {
      request.proposedExecpolicyAmendment = p.proposedExecpolicyAmendment.map(String);
    }
    if (Array.isArray(p.commandActions)) {
      request.commandActions = p.commandActions.filter((a): a is CommandAction =>
        typeof a === "object" && a !== null && typeof (a as CommandAction).type === "string"
      );
    }
    const network = p.networkApprovalContext as { host?: unknown; protocol?: unknown } | null;
    if (network === null) request.networkApprovalContext = null;
    else if (typeof network === "object" && typeof network.host === "string") {
      request.networkApprovalContext = { host: network.host, protocol: String(network.protocol) };
    }
  } else if (kind === "file_change") {
    request.grantRoot = text(p.grantRoot);
  } else {
    request.cwd = text(p.cwd);
    request.permissions = p.permissions;
  }
  return request;
}

/** Whether `decision` is one `request` allows (the amendment only for commands that offer one). */
export function isAllowedDecision(request: ApprovalRequest, decision: unknown): boolean {
  if (typeof decision === "string") {
    if (STATIC.has(decision)) return true;
    return decision === "acceptWithExecpolicyAmendment" && request.kind === "command" &&
      (request.proposedExecpolicyAmendment?.length ?? 0) > 0;
  }
  if (typeof decision !== "object" || decision === null || request.kind !== "command") {
    return false;
  }
  const amendment =
    (decision as { acceptWithExecpolicyAmendment?: { execpolicy_amendment?: unknown } })
      .acceptWithExecpolicyAmendment?.execpolicy_amendment;
  return Array.isArray(amendment) && amendment.every((part) => typeof part === "string");
}

/**
 * The answers `request` allows, in wire form: the list the server sent (`availableDecisions`,
 * sent by codex 0.169.0 for commands), else what the SDK would accept for its kind.
 */
export function availableDecisions(request: ApprovalRequest): unknown[] {
  const sent = request.params.availableDecisions;
  if (Array.isArray(sent)) return sent;
  const decisions: unknown[] = ["accept", "acceptForSession", "decline", "cancel"];
  if (request.kind === "command" && (request.proposedExecpolicyAmendment?.length ?? 0) > 0) {
    decisions.splice(2, 0, wireDecision(request, "acceptWithExecpolicyAmendment"));
  }
  return decisions;
}

/** The decision in wire form: the amendment shorthand expands to the rule the server offered. */
export function wireDecision(request: ApprovalRequest, decision: ApprovalDecision): unknown {
  if (decision === "acceptWithExecpolicyAmendment") {
    return {
      acceptWithExecpolicyAmendment: {
        execpolicy_amendment: request.proposedExecpolicyAmendment ?? [],
      },
    };
  }
  return decision;
}

/**
 * The JSON-RPC result answering `request` with `decision`. Permission requests take a grant
 * instead of a decision: accept grants what was asked for this turn (`acceptForSession`: for
 * the session); decline and cancel grant nothing.
 */
export function approvalResult(request: ApprovalRequest, decision: ApprovalDecision): unknown {
  if (request.method !== undefined && LEGACY.has(request.method)) {
    return { decision: legacyDecision(request, decision) };
  }
  if (request.kind === "permissions") {
    const granted = decision !== "decline" && decision !== "cancel";
    return {
      permissions: granted ? (request.permissions ?? {}) : {},
      scope: decision === "acceptForSession" ? "session" : "turn",
    };
  }
  return { decision: wireDecision(request, decision) };
}

/**
 * Decides one request: the static policy, or the callback raced against `approvalTimeoutMs`
 * and `signal` (the turn ending). Never rejects: every failure becomes the default decision
 * with its reason.
 */
export async function decideApproval(
  request: ApprovalRequest,
  options: ApprovalOptions,
  signal?: AbortSignal,
): Promise<ApprovalOutcome> {
  const fallback = options.defaultApprovalDecision ?? "decline";
  const policy = options.onApproval;
  if (policy === undefined) return { decision: fallback, source: "default", reason: "no_callback" };
  if (typeof policy !== "function") return { decision: policy, source: "policy" };
  const controller = new AbortController();
  let timer: LongTimer | undefined;
  const stop = new Promise<ApprovalOutcome>((resolve) => {
    if (options.approvalTimeoutMs !== undefined) {
      timer = setLongTimeout(
        () => resolve({ decision: fallback, source: "default", reason: "timeout" }),
        options.approvalTimeoutMs,
      );
    }
    const onEnd = (): void =>
      resolve({ decision: fallback, source: "default", reason: "turn_ended" });
    if (signal?.aborted) onEnd();
    else signal?.addEventListener("abort", onEnd, { once: true });
  });
  const asked = (async (): Promise<ApprovalOutcome> => {
    try {
      const decision = await policy(request, { signal: controller.signal });
      if (!isAllowedDecision(request, decision)) {
        return {
          decision: fallback,
          source: "default",
          reason: "invalid_decision",
          message: `onApproval returned ${JSON.stringify(decision)}`,
        };
      }
      return { decision, source: "callback" };
    } catch (error) {
      return {
        decision: fallback,
        source: "default",
        reason: "callback_threw",
        message: error instanceof Error ? error.message : String(error),
      };
    }
  })();
  try {
    return await Promise.race([asked, stop]);
  } finally {
    timer?.clear();
    controller.abort();
  }
}

/** The older `ReviewDecision` spelling of a decision. */
function legacyDecision(request: ApprovalRequest, decision: ApprovalDecision): unknown {
  if (decision === "accept") return "approved";
  if (decision === "acceptForSession") return "approved_for_session";
  if (decision === "cancel") return "abort";
  if (decision === "decline") return { denied: { rejection: "Declined by the client" } };
  const wire = wireDecision(request, decision) as {
    acceptWithExecpolicyAmendment: { execpolicy_amendment: string[] };
  };
  return {
    approved_execpolicy_amendment: {
      proposed_execpolicy_amendment: wire.acceptWithExecpolicyAmendment.execpolicy_amendment,
    },
  };
}

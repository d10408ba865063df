/**
 * The server->client requests beyond approvals: the agent asks the user a question
 * (`item/tool/requestUserInput`), an MCP server asks for input (`mcpServer/elicitation/request`),
 * the model calls a tool the client declared (`item/tool/call`), the server needs fresh ChatGPT
 * tokens (`account/chatgptAuthTokens/refresh`) or an attestation (`attestation/generate`).
 *
 * Each request gets exactly one answer: the hook's, or the documented default when the hook is
 * missing, throws, returns something malformed, is slower than `serverRequestTimeoutMs`, or the
 * turn ends first:
 *
 * | request | hook | default |
 * |---|---|---|
 * | `item/tool/requestUserInput` | `onUserInput` | no answers (`{ answers: {} }`) |
 * | `mcpServer/elicitation/request` | `onElicitation` | `{ action: "decline" }` |
 * | `item/tool/call` | `onToolCall` | `{ success: false }` with a text saying no handler ran |
 * | `account/chatgptAuthTokens/refresh` | `onTokenRefresh` | error answer -32000 (refresh failed) |
 * | `attestation/generate` | `onAttestation` | error answer -32000 (no attestation) |
 * | any other, unknown method | none | error answer -32601, reported as a `server_request.answered` event |
 *
 * @module
 */
import { setLongTimeout } from "../process/long_timer.ts";
import type { LongTimer } from "../process/long_timer.ts";
import { RpcError } from "../errors.ts";
import type { ServerRequestDefaultReason, ServerRequestKind } from "../events.ts";
import type { ServerRequestOptions } from "../options/server_requests.ts";
// Checked where the options enter (thread, lane); kept here too for this module's users.
export { checkServerRequestOptions } from "../options/schema.ts";

/** The hook option of each request method, and its kind. */
export const SERVER_REQUEST_HOOKS: Readonly<
  Record<string, { kind: ServerRequestKind; hook: keyof ServerRequestOptions }>
> = {
  "item/tool/requestUserInput": { kind: "user_input", hook: "onUserInput" },
  "mcpServer/elicitation/request": { kind: "elicitation", hook: "onElicitation" },
  "item/tool/call": { kind: "tool_call", hook: "onToolCall" },
  "account/chatgptAuthTokens/refresh": { kind: "token_refresh", hook: "onTokenRefresh" },
  "attestation/generate": { kind: "attestation", hook: "onAttestation" },
};

/** Methods answered for a connection as a whole (their params carry no thread id). */
export const CONNECTION_REQUESTS: ReadonlySet<string> = new Set([
  "account/chatgptAuthTokens/refresh",
  "attestation/generate",
]);

const HOOK_NAMES = [
  "onUserInput",
  "onElicitation",
  "onToolCall",
  "onTokenRefresh",
  "onAttestation",
] as const;

/** Picks the hook options that are set (later objects win). */
export function mergeServerRequestOptions(
  ...layers: (ServerRequestOptions | undefined)[]
): ServerRequestOptions {
  const out: ServerRequestOptions = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const name of [...HOOK_NAMES, "serverRequestTimeoutMs"] as const) {
      if (layer[name] !== undefined) (out as Record<string, unknown>)[name] = layer[name];
    }
  }
  return out;
}

/** How a server request was answered. */
export interface ServerRequestOutcome {
  /** The JSON-RPC result sent, or `undefined` when an error was sent. */
  result?: unknown;
  /** The error sent instead of a result. */
  error?: RpcError;
  /** Who answered: the hook, or the default. */
  source: "callback" | "default";
  /** Why the default answered. */
  reason?: ServerRequestDefaultReason;
  /** The hook's error message, when it threw or returned something malformed. */
  message?: string;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

/** The default answer of `method`: a result, or an error for requests with no neutral answer. */
export function defaultServerAnswer(method: string, params: unknown): ServerRequestOutcome {
  switch (method) {
    case "item/tool/requestUserInput":
      return { result: { answers: {} }, source: "default" };
    case "mcpServer/elicitation/request":
      return { result: { action: "decline" }, source: "default" };
    case "item/tool/call": {
      const tool = String(record(params).tool ?? "");
      return {
        result: {
          success: false,
          contentItems: [{ type: "inputText", text: `No handler ran for the tool ${tool}` }],
        },
        source: "default",
      };
    }
    case "account/chatgptAuthTokens/refresh":
      return {
        error: new RpcError("No token refresh handler: the tokens cannot be refreshed", {
          code: -32000,
          method,
        }),
        source: "default",
      };
    case "attestation/generate":
      return {
        error: new RpcError("No attestation handler: no attestation is available", {
          code: -32000,
          method,
        }),
        source: "default",
      };
    default:
      return {
        error: new RpcError(`This client does not answer the server request ${method}`, {
          code: -32601,
          method,
        }),
        source: "default",
      };
  }
}

/** Whether `value` is a well-formed answer to `method` (a hook's answer is checked first). */
function wellFormed(method: string, value: unknown): boolean {
  const r = record(value);
  if (typeof value !== "object" || value === null) return false;
  switch (method) {
    case "item/tool/requestUserInput":
      return typeof r.answers === "object" && r.answers !== null &&
        Object.values(r.answers).every((a) => Array.isArray(record(a).answers));
    case "mcpServer/elicitation/request":
      return ["accept", "decline", "cancel"].includes(String(r.action));
    case "item/tool/call":
      return typeof r.success === "boolean" && Array.isArray(r.contentItems);
    case "account/chatgptAuthTokens/refresh":
      return typeof r.accessToken === "string" && typeof r.chatgptAccountId === "string";
    case "attestation/generate":
      return typeof r.token === "string";
    default:
      return true;
  }
}

/**
 * Answers one server request with its hook raced against the timeout and `signal`. Never
 * rejects: every failure becomes the default answer with its reason.
 */
export async function decideServerRequest(
  method: string,
  params: unknown,
  options: ServerRequestOptions,
  signal?: AbortSignal,
): Promise<ServerRequestOutcome> {
  const entry = Object.hasOwn(SERVER_REQUEST_HOOKS, method)
    ? SERVER_REQUEST_HOOKS[method]
    : undefined;
  const hook = entry ? options[entry.hook] as unknown : undefined;
  const fallback = defaultServerAnswer(method, params);
  if (typeof hook !== "function") {
    return { ...fallback, reason: entry ? "no_callback" : "unknown_request" };
  }
  const controller = new AbortController();
  // A limit of days is a fair choice for a human approver: past 2^31 - 1 ms a plain
  // setTimeout would fire at once.
  let timer: LongTimer | undefined;
  const stop = new Promise<ServerRequestOutcome>((resolve) => {
    const ms = options.serverRequestTimeoutMs;
    if (ms !== undefined) {
      timer = setLongTimeout(() => resolve({ ...fallback, reason: "timeout" }), ms);
    }
    const onEnd = (): void => resolve({ ...fallback, reason: "turn_ended" });
    if (signal?.aborted) onEnd();
    else signal?.addEventListener("abort", onEnd, { once: true });
  });
  const asked = (async (): Promise<ServerRequestOutcome> => {
    try {
      let value = await hook(params, { signal: controller.signal });
      if (method === "item/tool/call" && typeof value === "string") {
        value = { success: true, contentItems: [{ type: "inputText", text: value }] };
      }
      if (!wellFormed(method, value)) {
        return {
          ...fallback,
          reason: "invalid_answer",
          message: `${entry!.hook} returned ${JSON.stringify(value) ?? String(value)}`,
        };
      }
      return { result: value, source: "callback" };
    } catch (error) {
      return {
        ...fallback,
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

/** The kind of a server request method (`"unknown"` for methods this SDK has no hook for). */
export function serverRequestKind(method: string): ServerRequestKind {
  return Object.hasOwn(SERVER_REQUEST_HOOKS, method)
    ? SERVER_REQUEST_HOOKS[method].kind
    : "unknown";
}

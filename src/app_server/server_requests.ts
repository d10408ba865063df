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
import { RpcError } from "../errors.ts";
import type { ServerRequestDefaultReason, ServerRequestKind } from "../events.ts";

/** What the hooks get besides the request. */
export interface ServerRequestContext {
  /** Aborts when the answer is no longer wanted (timeout, turn ended, connection closed). */
  signal: AbortSignal;
}

/**
 * A question the agent asks (`item/tool/requestUserInput` params). Fields a newer CLI adds pass
 * through; the full wire type is `ToolRequestUserInputParams` in `@codexkit/sdk/app-server`.
 */
export interface UserInputRequest {
  /** The thread asking. */
  threadId: string;
  /** The turn asking. */
  turnId: string;
  /** The tool call item that asks. */
  itemId: string;
  /** Whether the turn waits for the answer. */
  isBlocking: boolean;
  /** The questions; answer each by its `id`. */
  questions: {
    /** What the answer is keyed by. */
    id: string;
    /** A short title. */
    header: string;
    /** The question itself. */
    question: string;
    /** The choices offered, when any. */
    options?: { label: string; description: string }[] | null;
    /** Whether a free answer besides the options is allowed. */
    isOther?: boolean;
    /** Whether the answer is a secret (do not echo it). */
    isSecret?: boolean;
    /** Any other wire field. */
    [key: string]: unknown;
  }[];
  /** Any other wire field. */
  [key: string]: unknown;
}

/** The answer to {@linkcode UserInputRequest}: the answers of each question, by question id. */
export interface UserInputResponse {
  /** Answers by question id. */
  answers: { [questionId: string]: { answers: string[] } };
  /** Any other field to send. */
  [key: string]: unknown;
}

/**
 * An MCP server asks for input (`mcpServer/elicitation/request` params): a form (`mode: "form"`,
 * `requestedSchema`) or a URL to visit (`mode: "url"`, `url`). The full wire type is
 * `McpServerElicitationRequestParams` in `@codexkit/sdk/app-server`.
 */
export interface ElicitationRequest {
  /** The thread it came in. */
  threadId: string;
  /** The turn, when the server could tell. */
  turnId?: string | null;
  /** The MCP server asking. */
  serverName: string;
  /** `"form"`, `"url"`, or a newer mode. */
  mode: string;
  /** What to show the user. */
  message: string;
  /** The JSON Schema of the form (form modes). */
  requestedSchema?: unknown;
  /** The URL to visit (`mode: "url"`). */
  url?: string;
  /** The elicitation's id (`mode: "url"`). */
  elicitationId?: string;
  /** Any other wire field. */
  [key: string]: unknown;
}

/** The answer to {@linkcode ElicitationRequest}. */
export interface ElicitationResponse {
  /** What the user did. */
  action: "accept" | "decline" | "cancel";
  /** The form's content (with `accept`). */
  content?: unknown;
  /** Any other field to send. */
  [key: string]: unknown;
}

/** The model calls a tool declared in `dynamicTools` (`item/tool/call` params). */
export interface ToolCallRequest {
  /** The thread it came in. */
  threadId: string;
  /** The turn it came in. */
  turnId: string;
  /** The call's id. */
  callId: string;
  /** The tool's name. */
  tool: string;
  /** The namespace of the tool, for tools declared in a namespace. */
  namespace?: string | null;
  /** The arguments the model passed (parsed JSON). */
  arguments: unknown;
  /** Any other wire field. */
  [key: string]: unknown;
}

/** The result of a tool call, as the model sees it. */
export interface ToolCallResponse {
  /** Whether the tool succeeded. */
  success: boolean;
  /** What the tool returned: text, or image and audio URLs. */
  contentItems: (
    | { type: "inputText"; text: string }
    | { type: "inputImage"; imageUrl: string }
    | { type: "inputAudio"; audioUrl: string }
  )[];
  /** Any other field to send. */
  [key: string]: unknown;
}

/** A tool the model may call, answered by `onToolCall`: a function, or a namespace of them. */
export type DynamicTool =
  | {
    type: "function";
    /** The tool's name. */
    name: string;
    /** What it does, for the model. */
    description: string;
    /** The JSON Schema of its arguments. */
    inputSchema: unknown;
    /** Whether the model loads it only when needed. */
    deferLoading?: boolean;
  }
  | {
    type: "namespace";
    /** The namespace's name. */
    name: string;
    /** What its tools are for. */
    description: string;
    /** Its tools. */
    tools: {
      type: "function";
      name: string;
      description: string;
      inputSchema: unknown;
      deferLoading?: boolean;
    }[];
  };

/** The server's ChatGPT tokens were refused (`account/chatgptAuthTokens/refresh` params). */
export interface TokenRefreshRequest {
  /** Why (`"unauthorized"`). */
  reason: string;
  /** The workspace/account id codex was using, when known. */
  previousAccountId?: string | null;
  /** Any other wire field. */
  [key: string]: unknown;
}

/** Fresh ChatGPT tokens. */
export interface TokenRefreshResponse {
  /** The access token. */
  accessToken: string;
  /** The ChatGPT workspace/account id. */
  chatgptAccountId: string;
  /** The plan, when known. */
  chatgptPlanType?: string | null;
  /** Any other field to send. */
  [key: string]: unknown;
}

/** What `attestation/generate` sends (no fields are defined yet). */
export interface AttestationRequest {
  /** Any wire field. */
  [key: string]: unknown;
}

/** An attestation. */
export interface AttestationResponse {
  /** The opaque attestation token. */
  token: string;
  /** Any other field to send. */
  [key: string]: unknown;
}

/** Answers a question the agent asks (`request_user_input`): answers by question id. */
export type UserInputHandler = (
  request: UserInputRequest,
  context: ServerRequestContext,
) => UserInputResponse | Promise<UserInputResponse>;

/** Answers an MCP server's elicitation (a form or a URL to visit). */
export type ElicitationHandler = (
  request: ElicitationRequest,
  context: ServerRequestContext,
) => ElicitationResponse | Promise<ElicitationResponse>;

/**
 * Runs a tool the client declared (`dynamicTools` of `thread/start`): return the full response,
 * or a string (success with that text).
 */
export type ToolCallHandler = (
  request: ToolCallRequest,
  context: ServerRequestContext,
) => ToolCallResponse | string | Promise<ToolCallResponse | string>;

/** Supplies fresh ChatGPT tokens when the server's were refused. */
export type TokenRefreshHandler = (
  request: TokenRefreshRequest,
  context: ServerRequestContext,
) => TokenRefreshResponse | Promise<TokenRefreshResponse>;

/** Supplies an attestation token. */
export type AttestationHandler = (
  request: AttestationRequest,
  context: ServerRequestContext,
) => AttestationResponse | Promise<AttestationResponse>;

/**
 * Hooks for the server->client requests that are not approvals (app-server lane). Declared on
 * threads and on the lane or connection; a thread's hook wins. Token refresh and attestation
 * belong to the connection: the lane's hook answers, else that of a thread with a running turn.
 */
export interface ServerRequestOptions {
  /** Answers `item/tool/requestUserInput` (default: no answers). */
  onUserInput?: UserInputHandler;
  /** Answers `mcpServer/elicitation/request` (default: decline). */
  onElicitation?: ElicitationHandler;
  /** Answers `item/tool/call` (default: `success: false`, "no handler"). */
  onToolCall?: ToolCallHandler;
  /**
   * Tools the model may call, answered by `onToolCall` (sent as `dynamicTools` in
   * `thread/start`; an experimental field of 0.169: the connection needs
   * `capabilities: { experimentalApi: true }`).
   */
  dynamicTools?: DynamicTool[];
  /** Answers `account/chatgptAuthTokens/refresh` (default: an error answer). */
  onTokenRefresh?: TokenRefreshHandler;
  /** Answers `attestation/generate` (default: an error answer). */
  onAttestation?: AttestationHandler;
  /** How long a hook may take, in ms, before the default answers (default: no limit). */
  serverRequestTimeoutMs?: number;
}

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

/** Checks hook options; throws a TypeError naming the bad option. */
export function checkServerRequestOptions(options: ServerRequestOptions, where = ""): void {
  for (const name of HOOK_NAMES) {
    const value = options[name];
    if (value !== undefined && typeof value !== "function") {
      throw new TypeError(`Cannot use ${where}${name}: expected a function, got ${typeof value}`);
    }
  }
  if (options.dynamicTools !== undefined && !Array.isArray(options.dynamicTools)) {
    throw new TypeError(`Cannot use ${where}dynamicTools: expected an array of tool specs`);
  }
  const ms = options.serverRequestTimeoutMs;
  if (ms !== undefined && !(typeof ms === "number" && Number.isFinite(ms) && ms > 0)) {
    throw new TypeError(
      `Cannot use ${where}serverRequestTimeoutMs: expected a positive number of ms, got ${
        JSON.stringify(ms)
      }`,
    );
  }
}

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
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = new Promise<ServerRequestOutcome>((resolve) => {
    const ms = options.serverRequestTimeoutMs;
    if (ms !== undefined) timer = setTimeout(() => resolve({ ...fallback, reason: "timeout" }), ms);
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
    clearTimeout(timer);
    controller.abort();
  }
}

/** The kind of a server request method (`"unknown"` for methods this SDK has no hook for). */
export function serverRequestKind(method: string): ServerRequestKind {
  return Object.hasOwn(SERVER_REQUEST_HOOKS, method)
    ? SERVER_REQUEST_HOOKS[method].kind
    : "unknown";
}

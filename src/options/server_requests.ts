/**
 * What a thread's hooks for the server's other requests see and answer (app-server
 * transport): the option-facing types. `../app_server/server_requests.ts` routes the requests
 * and documents the default answers.
 *
 * @module
 */

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

/**
 * Type-level checks, never run: `deno check tests/` fails when the generated protocol types
 * (regenerated from a newer CLI) stop fitting the SDK's own shapes of the hooks and the
 * conversation calls, in the direction the data flows.
 *
 * @module
 */
import type * as P from "../src/app_server/protocol/types.ts";
import type {
  AttestationRequest,
  AttestationResponse,
  DynamicTool,
  ElicitationRequest,
  ElicitationResponse,
  TokenRefreshRequest,
  TokenRefreshResponse,
  ToolCallRequest,
  ToolCallResponse,
  UserInputRequest,
  UserInputResponse,
} from "../src/options/server_requests.ts";
import type {
  AccountInfo,
  ConfigWritten,
  EffectiveConfig,
  McpServerState,
  ModelInfo,
  RateLimits,
} from "../src/app_server/conversations.ts";

/** What the server sends reaches the hooks as the SDK's request shapes. */
export function requestsFit(
  userInput: P.ToolRequestUserInputParams,
  elicitation: P.McpServerElicitationRequestParams,
  toolCall: P.DynamicToolCallParams,
  tokenRefresh: P.ChatgptAuthTokensRefreshParams,
  attestation: P.AttestationGenerateParams,
): void {
  const a: UserInputRequest = userInput;
  const b: ElicitationRequest = elicitation;
  const c: ToolCallRequest = toolCall;
  const d: TokenRefreshRequest = tokenRefresh;
  const e: AttestationRequest = attestation;
  void [a, b, c, d, e];
}

/** What the hooks answer is what the server accepts. */
export function responsesFit(
  userInput: UserInputResponse,
  elicitation: ElicitationResponse,
  toolCall: ToolCallResponse,
  tokenRefresh: TokenRefreshResponse,
  attestation: AttestationResponse,
): void {
  const a: P.ToolRequestUserInputResponse = userInput;
  const b: P.McpServerElicitationRequestResponse = elicitation;
  const c: P.DynamicToolCallResponse = toolCall;
  const d: P.ChatgptAuthTokensRefreshResponse = tokenRefresh;
  const e: P.AttestationGenerateResponse = attestation;
  void [a, b, c, d, e];
}

/** Declared tools go out as the wire's tool specs, and the wire's specs are accepted. */
export function toolsFit(sdk: DynamicTool, wire: P.DynamicToolSpec): void {
  const a: P.DynamicToolSpec = sdk;
  const b: DynamicTool = wire;
  void [a, b];
}

/** The conversation results carry the wire objects under the SDK's shapes. */
export function resultsFit(
  model: P.Model,
  account: P.Account,
  limits: P.RateLimitSnapshot,
  config: P.ConfigReadResponse,
  written: P.ConfigWriteResponse,
  mcp: P.McpServerStatus,
): void {
  const a: ModelInfo = model;
  const b: NonNullable<AccountInfo["account"]> = account;
  const c: RateLimits = limits;
  const d: EffectiveConfig = config;
  const e: ConfigWritten = written;
  const f: McpServerState = mcp;
  void [a, b, c, d, e, f];
}

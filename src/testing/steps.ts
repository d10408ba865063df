/**
 * Scripted answers of the fake Responses server: plain data a test can write by hand, plus
 * the {@linkcode item} and {@linkcode reply} builders that spell the wire shapes for you.
 *
 * Output items use wire names (`call_id`, `function_call`); `id` and `call_id` may be left out
 * and the server fills them from counters (`msg_1`, `call_1`, ...), so runs are deterministic.
 *
 * @module
 */

/** An assistant message. */
export interface MessageItem {
  /** Wire type. */
  type: "message";
  /** Always the assistant. */
  role: "assistant";
  /** Item id; filled by the server when omitted. */
  id?: string;
  /** The text parts. */
  content: { type: "output_text"; text: string }[];
}

/** A reasoning summary. */
export interface ReasoningItem {
  /** Wire type. */
  type: "reasoning";
  /** Item id; filled by the server when omitted. */
  id?: string;
  /** The summary parts. */
  summary: { type: "summary_text"; text: string }[];
}

/** A function tool call (`exec_command`, `update_plan`, or an MCP tool with `namespace`). */
export interface FunctionCallItem {
  /** Wire type. */
  type: "function_call";
  /** Tool name. */
  name: string;
  /** The arguments, as a JSON text (that is how the wire carries them). */
  arguments: string;
  /** `mcp__<server>` for MCP tools. */
  namespace?: string;
  /** Item id; filled by the server when omitted. */
  id?: string;
  /** Call id the CLI echoes in its `function_call_output`; filled when omitted. */
  call_id?: string;
}

/** A free-form tool call (`apply_patch`). */
export interface CustomToolCallItem {
  /** Wire type. */
  type: "custom_tool_call";
  /** Tool name. */
  name: string;
  /** The raw input text. */
  input: string;
  /** Item id; filled by the server when omitted. */
  id?: string;
  /** Call id the CLI echoes in its `custom_tool_call_output`; filled when omitted. */
  call_id?: string;
}

/** Any other output item: sent as given, for shapes a newer CLI understands. */
export interface OtherItem {
  /** Wire type. */
  type: string;
  /** Item id; filled by the server when omitted. */
  id?: string;
  /** Any other wire field. */
  [field: string]: unknown;
}

/** One output item of a scripted response. */
export type OutputItem =
  | MessageItem
  | ReasoningItem
  | FunctionCallItem
  | CustomToolCallItem
  | OtherItem;

/** Token usage reported in `response.completed` (wire names). */
export interface Usage {
  /** Prompt tokens. */
  input_tokens: number;
  /** Prompt tokens served from cache. */
  cached_tokens: number;
  /** Completion tokens. */
  output_tokens: number;
  /** Completion tokens spent reasoning. */
  reasoning_tokens: number;
}

/**
 * Usage sent when a step does not say: realistic sizes, always the same.
 *
 * @example Double the default prompt size
 * ```ts
 * import { DEFAULT_USAGE, reply } from "./steps.ts";
 * const step = { ...reply.message("hi"), usage: { input_tokens: DEFAULT_USAGE.input_tokens * 2 } };
 * ```
 */
export const DEFAULT_USAGE: Readonly<Usage> = Object.freeze({
  input_tokens: 1200,
  cached_tokens: 0,
  output_tokens: 24,
  reasoning_tokens: 0,
});

/** Timing and streaming knobs shared by streamed steps. */
export interface StreamOptions {
  /** Pause between SSE frames, in milliseconds (default 0). */
  delayMs?: number;
  /**
   * Keep the stream open before `response.completed` (or after `holdAfterFrames` frames) until
   * the promise settles, or, with `true`, until `server.release()` or `server.close()`.
   */
  hold?: boolean | Promise<unknown>;
  /** How many frames go out before the hold starts (default: all but the last). */
  holdAfterFrames?: number;
  /** Send `response.created`, then hold (same release rules as `hold: true`). */
  stallAfterCreated?: boolean;
}

/** A successful streamed response. */
export interface ResponseStep extends StreamOptions {
  /** Step kind. */
  kind: "response";
  /** The output items, in order. */
  output: OutputItem[];
  /** Usage in `response.completed`; missing fields come from {@linkcode DEFAULT_USAGE}. */
  usage?: Partial<Usage>;
  /**
   * Stream `response.output_item.added` and text deltas before each item's `done` frame.
   * The app-server forwards them; `codex exec` only shows finished items.
   */
  textDeltas?: boolean;
}

/** A streamed response that ends in `response.failed`. */
export interface FailedStep extends StreamOptions {
  /** Step kind. */
  kind: "failed";
  /** Error code, e.g. `"server_error"`. */
  code: string;
  /** Error message. */
  message: string;
}

/** A plain HTTP error instead of a stream. */
export interface HttpErrorStep {
  /** Step kind. */
  kind: "http_error";
  /** HTTP status, e.g. 500 or 429. */
  status: number;
  /** JSON body (default: an OpenAI-style error object). */
  body?: unknown;
}

/**
 * What the server answers to one `POST /v1/responses`.
 *
 * @example Steps written by hand
 * ```ts
 * import type { Step } from "./steps.ts";
 * const script: Step[] = [
 *   { kind: "response", output: [{ type: "message", role: "assistant", content: [{ type: "output_text", text: "hi" }] }], delayMs: 10 },
 *   { kind: "failed", code: "server_error", message: "boom" },
 *   { kind: "http_error", status: 503 },
 * ];
 * ```
 */
export type Step = ResponseStep | FailedStep | HttpErrorStep;

/** Options of {@linkcode item.execCommand}. */
export interface ExecCommandOptions {
  /** Working directory for the command. */
  workdir?: string;
  /** Extra argument fields, passed through as given (wire names). */
  extra?: Record<string, unknown>;
}

/** One entry of an `update_plan` call. */
export interface PlanStep {
  /** What to do. */
  step: string;
  /** Progress (default `"pending"`). */
  status?: "pending" | "in_progress" | "completed";
}

/**
 * Builds an `apply_patch` text that adds one file. Each content line becomes a `+` line.
 *
 * @example Patch adding a file
 * ```ts
 * import { addFilePatch } from "./steps.ts";
 * const patch = addFilePatch("hello.txt", "hello\n");
 * // "*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch\n"
 * ```
 */
export function addFilePatch(path: string, content: string): string {
  const body = content.endsWith("\n") ? content.slice(0, -1) : content;
  const lines = body === "" ? [] : body.split("\n").map((l) => `+${l}`);
  return ["*** Begin Patch", `*** Add File: ${path}`, ...lines, "*** End Patch", ""].join("\n");
}

/**
 * Builders for single output items, to combine several in one response with
 * {@linkcode reply.items}.
 *
 * @example Two items in one response
 * ```ts
 * import { item, reply } from "./steps.ts";
 * const step = reply.items([item.reasoning("Thinking"), item.message("Done")]);
 * ```
 */
export const item: {
  /** An assistant message with one text part. */
  message(text: string): MessageItem;
  /** A reasoning item with one summary part. */
  reasoning(summaryText: string): ReasoningItem;
  /** An `exec_command` function call running `cmd` in a shell. */
  execCommand(cmd: string, options?: ExecCommandOptions): FunctionCallItem;
  /** An `apply_patch` custom tool call carrying `patchText`. */
  applyPatch(patchText: string): CustomToolCallItem;
  /** An `apply_patch` call that adds `path` with `content`. */
  addFile(path: string, content: string): CustomToolCallItem;
  /** A call of MCP tool `tool` on server `server`. */
  mcpCall(server: string, tool: string, args?: Record<string, unknown>): FunctionCallItem;
  /** An `update_plan` call (needs `-c tools.update_plan.enabled=true`). */
  updatePlan(steps: readonly (string | PlanStep)[], explanation?: string): FunctionCallItem;
} = {
  message: (text) => ({
    type: "message",
    role: "assistant",
    content: [{ type: "output_text", text }],
  }),
  reasoning: (summaryText) => ({
    type: "reasoning",
    summary: [{ type: "summary_text", text: summaryText }],
  }),
  execCommand: (cmd, options = {}) => ({
    type: "function_call",
    name: "exec_command",
    arguments: JSON.stringify({
      cmd,
      ...(options.workdir === undefined ? {} : { workdir: options.workdir }),
      ...options.extra,
    }),
  }),
  applyPatch: (patchText) => ({ type: "custom_tool_call", name: "apply_patch", input: patchText }),
  addFile: (path, content) => item.applyPatch(addFilePatch(path, content)),
  mcpCall: (server, tool, args = {}) => ({
    type: "function_call",
    namespace: `mcp__${server}`,
    name: tool,
    arguments: JSON.stringify(args),
  }),
  updatePlan: (steps, explanation) => ({
    type: "function_call",
    name: "update_plan",
    arguments: JSON.stringify({
      ...(explanation === undefined ? {} : { explanation }),
      plan: steps.map((s) =>
        typeof s === "string"
          ? { step: s, status: "pending" }
          : { step: s.step, status: s.status ?? "pending" }
      ),
    }),
  }),
};

/**
 * Builders for whole steps. Steps are plain objects: add stream options by spreading,
 * e.g. `{ ...reply.message("hi"), textDeltas: true, delayMs: 5 }`.
 *
 * @example A tool call, then the final answer
 * ```ts
 * import { reply } from "./steps.ts";
 * const script = [reply.execCommand("echo hi"), reply.message("It printed hi.")];
 * ```
 */
export const reply: {
  /** A response carrying `output` items in order. */
  items(
    output: readonly OutputItem[],
    options?: Omit<ResponseStep, "kind" | "output">,
  ): ResponseStep;
  /** A response with one assistant message. */
  message(text: string): ResponseStep;
  /** A response with one reasoning summary (add a message with {@linkcode reply.items}). */
  reasoning(summaryText: string): ResponseStep;
  /** A response calling `exec_command`. */
  execCommand(cmd: string, options?: ExecCommandOptions): ResponseStep;
  /** A response calling `apply_patch` with `patchText`. */
  applyPatch(patchText: string): ResponseStep;
  /** A response calling `apply_patch` to add `path` with `content`. */
  addFile(path: string, content: string): ResponseStep;
  /** A response calling MCP tool `tool` on server `server`. */
  mcpCall(server: string, tool: string, args?: Record<string, unknown>): ResponseStep;
  /** A response calling `update_plan`. */
  updatePlan(steps: readonly (string | PlanStep)[], explanation?: string): ResponseStep;
  /** A stream that ends in `response.failed` with `code` and `message`. */
  failed(code: string, message: string): FailedStep;
  /** A plain HTTP error with `status` and an optional JSON `body`. */
  httpError(status: number, body?: unknown): HttpErrorStep;
} = {
  items: (output, options = {}) => ({ ...options, kind: "response", output: [...output] }),
  message: (text) => reply.items([item.message(text)]),
  reasoning: (summaryText) => reply.items([item.reasoning(summaryText)]),
  execCommand: (cmd, options) => reply.items([item.execCommand(cmd, options)]),
  applyPatch: (patchText) => reply.items([item.applyPatch(patchText)]),
  addFile: (path, content) => reply.items([item.addFile(path, content)]),
  mcpCall: (server, tool, args) => reply.items([item.mcpCall(server, tool, args)]),
  updatePlan: (steps, explanation) => reply.items([item.updatePlan(steps, explanation)]),
  failed: (code, message) => ({ kind: "failed", code, message }),
  httpError: (status, body) =>
    body === undefined ? { kind: "http_error", status } : {
      kind: "http_error",
      status,
      body,
    },
};

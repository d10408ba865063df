/**
 * Tools as TypeScript functions: define them with {@linkcode tool}, hand them to a thread
 * (`codex.startThread({ tools })`) or a turn (`run(input, { tools })`, exec). The model calls
 * them by name; the arguments are checked against the schema before the function runs.
 *
 * On `codex exec` the SDK serves them from an MCP server of its own on 127.0.0.1 for that run
 * only (a fresh bearer token, passed by name in codex's environment and kept from the agent's
 * commands); on the app-server they are the thread's `dynamicTools`. Either way a call shows in
 * the turn's events as an `mcp_tool_call` item (server `"codexkit"`).
 *
 * @example A thread with a tool
 * ```ts ignore
 * import * as v from "valibot";
 * import { Codex } from "@codexkit/sdk";
 * import { tool } from "@codexkit/sdk/tools";
 *
 * const weather = tool({
 *   name: "weather",
 *   description: "Today's weather in a city",
 *   parameters: v.object({ city: v.string() }),
 *   execute: ({ city }, { signal }) => fetch(`https://wttr.in/${city}?format=3`, { signal })
 *     .then((r) => r.text()),
 * });
 * const thread = new Codex().startThread({ tools: [weather] });
 * const turn = await thread.run("What is the weather in Oslo?");
 * ```
 *
 * @module
 */
export { tool } from "./tool.ts";
export type {
  Tool,
  ToolArgs,
  ToolContext,
  ToolDefinition,
  ToolParameters,
  ToolResult,
} from "./tool.ts";
export type {
  InferSchemaOutput,
  McpServerConfig,
  McpServerTools,
  StandardSchemaLike,
} from "../options.ts";

/**
 * Tools written as TypeScript functions: a name, a description for the model, the schema of
 * the arguments (a valibot schema or a JSON Schema object) and the function that runs. The
 * definition loads nothing; the code that serves a tool to codex loads with the first turn of
 * a thread that has tools.
 *
 * @module
 */
import type { InferSchemaOutput, StandardSchemaLike } from "../options.ts";

/** The schema of a tool's arguments: a valibot schema, or a JSON Schema object. */
export type ToolParameters = StandardSchemaLike | Record<string, unknown>;

/** What a tool's function gets besides its arguments. */
export interface ToolContext {
  /** Aborts when the call is no longer wanted (the turn was aborted or ended, or it timed out). */
  signal: AbortSignal;
  /** The thread the call came from, when known (a new exec thread's id arrives with its start). */
  threadId: string | undefined;
  /** The turn the call came from (app-server only: `codex exec` has no turn ids). */
  turnId: string | undefined;
}

/** What a tool returns: text, or any JSON value (sent to the model as its JSON text). */
export type ToolResult = unknown;

/** The arguments type of a tool: the valibot schema's output, or `Record<string, unknown>`. */
export type ToolArgs<P> = P extends StandardSchemaLike ? InferSchemaOutput<P>
  : Record<string, unknown>;

/** The definition of a tool, as given to {@linkcode tool}. */
export interface ToolDefinition<P extends ToolParameters = ToolParameters> {
  /** The name the model calls it by: letters, digits, `_` and `-`, at most 64. */
  name: string;
  /** What it does and when to use it, for the model. */
  description: string;
  /** The schema its arguments are checked against before `execute` runs. */
  parameters: P;
  /**
   * Runs the tool. A throw (or rejection) reaches the model as a tool error with the message,
   * and the turn goes on.
   */
  execute(args: ToolArgs<P>, context: ToolContext): ToolResult | Promise<ToolResult>;
}

/** A tool for the `tools` option of a thread or a turn; made by {@linkcode tool}. */
export interface Tool {
  /** The name the model calls it by. */
  readonly name: string;
  /** What it does, for the model. */
  readonly description: string;
  /** The schema of its arguments. */
  readonly parameters: ToolParameters;
  /** Runs the tool with checked arguments. */
  readonly execute: (args: never, context: ToolContext) => ToolResult | Promise<ToolResult>;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The name the tools are served under: the MCP server of an exec run, and the `server` of the
 * `mcp_tool_call` items of either transport.
 */
export const TOOLS_SERVER_NAME = "codexkit";
/** The variable that holds the tools server's bearer token in codex's environment (exec). */
export const TOOLS_TOKEN_ENV = "CODEXKIT_TOOLS_TOKEN";

/**
 * Defines a tool the model may call. The arguments are checked against `parameters` before
 * `execute` runs (a mismatch reaches the model as a tool error, `execute` does not run).
 * Throws a TypeError naming the field for a malformed definition.
 *
 * @example A tool with a valibot schema
 * ```ts
 * import * as v from "valibot";
 * import { tool } from "@codexkit/sdk/tools";
 *
 * const weather = tool({
 *   name: "weather",
 *   description: "Today's weather in a city",
 *   parameters: v.object({ city: v.string() }),
 *   execute: ({ city }) => `Sunny in ${city}`,
 * });
 * ```
 */
export function tool<P extends ToolParameters>(definition: ToolDefinition<P>): Tool {
  if (typeof definition !== "object" || definition === null) {
    throw new TypeError("Cannot define a tool: expected an object");
  }
  const { name, description, parameters, execute } = definition;
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new TypeError(
      `Cannot use tool name ${JSON.stringify(name)}: expected 1 to 64 letters, digits, "_" or "-"`,
    );
  }
  if (typeof description !== "string") {
    throw new TypeError(`Cannot use description of tool ${name}: expected a string`);
  }
  if (!isToolParameters(parameters)) {
    throw new TypeError(
      `Cannot use parameters of tool ${name}: expected a valibot schema or a JSON Schema object`,
    );
  }
  const standard = (parameters as Partial<StandardSchemaLike>)["~standard"];
  if (standard !== undefined && standard.vendor !== "valibot") {
    // The model needs a JSON Schema, and only valibot's converts (the output schema's rule).
    throw new TypeError(
      `Cannot use parameters of tool ${name}: only valibot schemas convert to JSON Schema (got ${standard.vendor})`,
    );
  }
  if (typeof execute !== "function") {
    throw new TypeError(`Cannot use execute of tool ${name}: expected a function`);
  }
  return Object.freeze({
    name,
    description,
    parameters,
    execute: execute as Tool["execute"],
  });
}

function isToolParameters(value: unknown): value is ToolParameters {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether `value` is a tool made by {@linkcode tool} (or shaped like one). */
export function isTool(value: unknown): value is Tool {
  const t = value as Partial<Tool> | null;
  return typeof t === "object" && t !== null && typeof t.name === "string" &&
    NAME.test(t.name) && typeof t.description === "string" && isToolParameters(t.parameters) &&
    typeof t.execute === "function";
}

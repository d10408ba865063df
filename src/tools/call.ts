/**
 * Running a tool for the model, the same on both transports: the arguments are checked against
 * the tool's schema first, `execute` runs with the call's signal, and whatever happens becomes
 * text for the model (a result, or a tool error it can react to; the turn goes on).
 *
 * @module
 */
import { checkJsonSchema } from "../exec/json_schema_check.ts";
import { standardIssues, valibotJsonSchema } from "../exec/output_schema.ts";
import type { StandardSchemaLike } from "../options.ts";
import type { Tool, ToolContext } from "./tool.ts";

/** What the model gets back from a call. */
export interface ToolCallOutcome {
  /** False when the arguments were bad, the tool was unknown or `execute` threw. */
  ok: boolean;
  /** The result as text (a JSON value as its JSON), or the error's message. */
  text: string;
}

/** A tool as codex is told of it: name, description and the JSON Schema of its arguments. */
export interface ToolSpec {
  /** The tool's name. */
  name: string;
  /** What it does. */
  description: string;
  /** The JSON Schema of its arguments (an object schema). */
  inputSchema: Record<string, unknown>;
}

function standard(tool: Tool): StandardSchemaLike["~standard"] | undefined {
  return (tool.parameters as Partial<StandardSchemaLike>)["~standard"];
}

/**
 * The specs of `tools`; throws a TypeError naming the option for duplicate names or a schema
 * that does not describe an object (tools take named arguments).
 */
export function toolSpecs(tools: readonly Tool[], option = "tools"): ToolSpec[] {
  const seen = new Set<string>();
  return tools.map((tool, i) => {
    if (seen.has(tool.name)) {
      throw new TypeError(`Cannot use ${option}[${i}]: a tool named ${tool.name} is already given`);
    }
    seen.add(tool.name);
    const inputSchema = standard(tool)
      ? valibotJsonSchema(tool.parameters as StandardSchemaLike)
      : tool.parameters as Record<string, unknown>;
    if (inputSchema.type !== "object") {
      throw new TypeError(
        `Cannot use ${option}[${i}] (${tool.name}): its parameters must describe an object, got type ${
          JSON.stringify(inputSchema.type)
        }`,
      );
    }
    // A JSON Schema dialect marker means nothing to the model; codex passes the rest on.
    const { $schema: _, ...rest } = inputSchema;
    return { name: tool.name, description: tool.description, inputSchema: rest };
  });
}

/** Checks `args` against the tool's schema: the checked value, or the problems. */
async function checkArgs(
  tool: Tool,
  args: unknown,
): Promise<{ value: unknown; issues?: undefined } | { issues: string[] }> {
  const std = standard(tool);
  if (std) {
    const result = await std.validate(args) as {
      value?: unknown;
      issues?: readonly { message: string; path?: readonly unknown[] }[];
    };
    return result.issues ? { issues: standardIssues(result.issues) } : { value: result.value };
  }
  const issues = checkJsonSchema(tool.parameters as Record<string, unknown>, args);
  return issues.length > 0 ? { issues } : { value: args };
}

/** Text for the model: a string as it is, anything else as JSON. */
function resultText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Runs the tool named `name` of `tools` with `args` (parsed JSON). Never rejects: an unknown
 * tool, bad arguments, a throw or an abort come back as `ok: false` with a message.
 */
export async function callTool(
  tools: readonly Tool[],
  name: string,
  args: unknown,
  context: ToolContext,
): Promise<ToolCallOutcome> {
  const tool = tools.find((t) => t.name === name);
  if (!tool) return { ok: false, text: `There is no tool named ${name}` };
  try {
    const checked = await checkArgs(tool, args ?? {});
    if (checked.issues) {
      return {
        ok: false,
        text: `Invalid arguments for the tool ${name}: ${checked.issues.slice(0, 5).join("; ")}`,
      };
    }
    context.signal.throwIfAborted();
    const value = await (tool.execute as (a: unknown, c: ToolContext) => unknown)(
      checked.value,
      context,
    );
    return { ok: true, text: resultText(value) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, text: `The tool ${name} failed: ${message}` };
  }
}

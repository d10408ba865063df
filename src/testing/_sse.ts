/**
 * Pure rendering of scripted steps into Responses API server-sent events.
 *
 * @module
 */
import { DEFAULT_USAGE } from "./steps.ts";
import type { FailedStep, OutputItem, ResponseStep } from "./steps.ts";

/** Counter-based ids (`resp_1`, `msg_1`, `call_1`, ...), one sequence per prefix. */
export interface IdSource {
  next(prefix: string): string;
}

/** Creates an {@linkcode IdSource} starting at 1 for every prefix. */
export function createIdSource(): IdSource {
  const counters = new Map<string, number>();
  return {
    next(prefix: string): string {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}_${n}`;
    },
  };
}

/** The rendered frames of one step and where the stream pauses, if it holds. */
export interface RenderedStream {
  frames: string[];
  /** Number of frames sent before holding, or `null` when the stream does not hold. */
  holdAt: number | null;
}

/** One SSE frame; the JSON repeats the event type, as the real API does. */
export function encodeFrame(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

const ID_PREFIX: Record<string, string> = {
  message: "msg",
  reasoning: "rs",
  function_call: "fc",
  custom_tool_call: "ctc",
};

/** Fills missing `id` / `call_id` fields from the counters; leaves given ones alone. */
export function withIds(output: OutputItem, ids: IdSource): OutputItem {
  const filled: Record<string, unknown> = { ...output };
  if (filled.id === undefined) filled.id = ids.next(ID_PREFIX[output.type] ?? "item");
  const isCall = output.type === "function_call" || output.type === "custom_tool_call";
  if (isCall && filled.call_id === undefined) filled.call_id = ids.next("call");
  return filled as OutputItem;
}

/** Splits text into word-sized deltas that join back to the same text. */
export function splitDeltas(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === "" ? [] : [text]);
}

function textsOf(out: Record<string, unknown>, field: "content" | "summary"): string[] {
  const parts = out[field];
  if (!Array.isArray(parts)) return [];
  return parts.map((p) => (typeof p?.text === "string" ? p.text : ""));
}

function deltaFrames(out: Record<string, unknown>, outputIndex: number): string[] {
  const id = out.id as string;
  const frames: string[] = [];
  if (out.type === "message") {
    frames.push(encodeFrame("response.output_item.added", {
      output_index: outputIndex,
      item: { ...out, status: "in_progress", content: [] },
    }));
    textsOf(out, "content").forEach((text, contentIndex) => {
      for (const delta of splitDeltas(text)) {
        frames.push(encodeFrame("response.output_text.delta", {
          item_id: id,
          output_index: outputIndex,
          content_index: contentIndex,
          delta,
        }));
      }
    });
  } else if (out.type === "reasoning") {
    frames.push(encodeFrame("response.output_item.added", {
      output_index: outputIndex,
      item: { ...out, summary: [] },
    }));
    textsOf(out, "summary").forEach((text, summaryIndex) => {
      for (const delta of splitDeltas(text)) {
        frames.push(encodeFrame("response.reasoning_summary_text.delta", {
          item_id: id,
          output_index: outputIndex,
          summary_index: summaryIndex,
          delta,
        }));
      }
    });
  } else {
    frames.push(
      encodeFrame("response.output_item.added", { output_index: outputIndex, item: out }),
    );
  }
  return frames;
}

/** The `usage` object of `response.completed`, in wire shape. */
export function wireUsage(usage: Partial<typeof DEFAULT_USAGE> = {}): Record<string, unknown> {
  const u = { ...DEFAULT_USAGE, ...usage };
  return {
    input_tokens: u.input_tokens,
    input_tokens_details: { cached_tokens: u.cached_tokens },
    output_tokens: u.output_tokens,
    output_tokens_details: { reasoning_tokens: u.reasoning_tokens },
    total_tokens: u.input_tokens + u.output_tokens,
  };
}

/** Renders a streamed step into its frames; ids are drawn from `ids` in output order. */
export function renderStep(step: ResponseStep | FailedStep, ids: IdSource): RenderedStream {
  const responseId = ids.next("resp");
  const frames = [
    encodeFrame("response.created", { response: { id: responseId, status: "in_progress" } }),
  ];
  if (step.kind === "response") {
    step.output.forEach((output, outputIndex) => {
      const out = withIds(output, ids) as Record<string, unknown>;
      if (step.textDeltas) frames.push(...deltaFrames(out, outputIndex));
      frames.push(
        encodeFrame("response.output_item.done", { output_index: outputIndex, item: out }),
      );
    });
    frames.push(encodeFrame("response.completed", {
      response: { id: responseId, status: "completed", usage: wireUsage(step.usage) },
    }));
  } else {
    frames.push(encodeFrame("response.failed", {
      response: {
        id: responseId,
        status: "failed",
        error: { code: step.code, message: step.message },
      },
    }));
  }
  let holdAt: number | null = null;
  if (step.stallAfterCreated) holdAt = 1;
  else if (step.hold !== undefined && step.hold !== false) {
    holdAt = Math.max(0, Math.min(step.holdAfterFrames ?? frames.length - 1, frames.length));
  }
  return { frames, holdAt };
}

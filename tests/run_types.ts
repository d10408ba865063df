/**
 * Type-level checks, never run: `deno check tests/` fails if `run()` stops inferring `output`
 * from a valibot schema, or if a program written for `@openai/codex-sdk` stops type-checking.
 *
 * @module
 */
import * as v from "valibot";
import type * as upstream from "@openai/codex-sdk";
import { Codex } from "../mod.ts";
import type {
  CodexOptions,
  CyberAccessProgram,
  Input,
  ModelReasoningEffort,
  RunResult,
  ThreadOptions,
  TurnOptions,
} from "../mod.ts";

/** `output` is typed from a valibot schema, with no type argument. */
export async function outputFromValibot(): Promise<void> {
  const thread = new Codex().startThread();
  const Answer = v.object({ n: v.number(), tag: v.picklist(["a", "b"]) });
  const turn = await thread.run("x", { outputSchema: Answer, timeoutMs: 1000 });
  const n: number | undefined = turn.output?.n;
  const tag: "a" | "b" | undefined = turn.output?.tag;
  // @ts-expect-error output.n is a number
  const wrong: string | undefined = turn.output?.n;
  // A plain JSON Schema gives `unknown`; an explicit type argument still works.
  const plain = await thread.run("x", { outputSchema: { type: "object" } });
  // @ts-expect-error output is unknown for a plain JSON Schema
  const notNumber: number = plain.output;
  const explicit = await thread.run<{ a: 1 }>("x");
  const a: 1 | undefined = explicit.output?.a;
  const result: RunResult = plain;
  void [n, tag, wrong, notNumber, a, result];
}

/** Options and input written against the official SDK's types are accepted as they are. */
export function upstreamOptionsFit(
  codex: upstream.CodexOptions,
  thread: upstream.ThreadOptions,
  turn: Omit<upstream.TurnOptions, "outputSchema">,
  input: upstream.Input,
  effort: upstream.ModelReasoningEffort,
  program: upstream.CyberAccessProgram,
): void {
  const ours: [CodexOptions, ThreadOptions, TurnOptions, Input, ModelReasoningEffort] = [
    codex,
    thread,
    turn,
    input,
    effort,
  ];
  const cyber: CyberAccessProgram = program;
  void [ours, cyber];
}

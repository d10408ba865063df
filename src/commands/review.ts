/**
 * `codex exec review`: a code review streamed like a turn. It runs on the exec lifecycle
 * (one race of exit, abort, timeout, idle; process-group stop) and the same event decoder,
 * and its result is collected by the same code as a turn's.
 *
 * @module
 */
import type { TurnLane, TurnRequest } from "../lanes/lane.ts";
import type { ThreadEvent } from "../events.ts";
import { runExec } from "../exec/run_exec.ts";
import { spawnerFor } from "../process/spawner.ts";
import { Thread } from "../thread.ts";
import type { StreamedTurn } from "../thread.ts";
import type { Turn } from "../turn.ts";
import { checkCommandOptions, prepareCommand } from "./_prepare.ts";
import type { CodexCommandOptions } from "./_prepare.ts";

/** What to review: exactly one of these, or none for the CLI's default. */
export interface ReviewTarget {
  /** Staged, unstaged and untracked changes (`--uncommitted`). */
  uncommitted?: boolean;
  /** Changes against a base branch (`--base`). */
  base?: string;
  /** The changes of one commit (`--commit`). */
  commit?: string;
}

/** Options of {@linkcode review} and {@linkcode reviewStreamed}. */
export interface ReviewOptions extends CodexCommandOptions, ReviewTarget {
  /** Custom review instructions instead of a target; sent on stdin, never in argv. */
  instructions?: string;
  /** A title shown in the review summary (`--title`). */
  title?: string;
  /** The model (`--model`). */
  model?: string;
  /** Allow running outside a Git repository (`--skip-git-repo-check`). */
  skipGitRepoCheck?: boolean;
  /** Write no session files (`--ephemeral`). */
  ephemeral?: boolean;
  /** Limit without any event, in ms. */
  idleTimeoutMs?: number;
  /** Each stderr line. */
  onStderr?: (line: string) => void;
}

/** The argv after the global flags: `exec --json review [options] [-]`. Pure. */
export function reviewArgs(options: Omit<ReviewOptions, keyof CodexCommandOptions> = {}): string[] {
  const targets = [options.uncommitted ? "uncommitted" : undefined, options.base, options.commit]
    .filter((t) => t !== undefined);
  if (targets.length > 1) {
    throw new TypeError("Cannot review: give at most one of uncommitted, base and commit");
  }
  const args = ["exec", "--json", "review"];
  if (options.uncommitted) args.push("--uncommitted");
  for (
    const [key, flag] of [["base", "--base"], ["commit", "--commit"], ["title", "--title"], [
      "model",
      "--model",
    ]] as const
  ) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || value === "" || value.startsWith("-")) {
      throw new TypeError(`Cannot review: options.${key} must be a non-empty string`);
    }
    args.push(flag, value);
  }
  if (options.skipGitRepoCheck) args.push("--skip-git-repo-check");
  if (options.ephemeral) args.push("--ephemeral");
  if (options.instructions !== undefined) {
    if (targets.length > 0) {
      // 0.169.0 refuses a prompt beside --uncommitted, --base or --commit.
      throw new TypeError(
        "Cannot review: instructions replace the target; drop uncommitted/base/commit",
      );
    }
    if (typeof options.instructions !== "string" || options.instructions.trim() === "") {
      throw new TypeError("Cannot review: options.instructions must be a non-empty string");
    }
    args.push("-");
  }
  return args;
}

/**
 * Starts a review and streams its events (`item.completed` agent messages carry the review).
 * Leaving the loop early stops the review and its process group.
 *
 * @example
 * ```ts ignore
 * import { reviewStreamed } from "@codexkit/sdk/commands";
 * const { events } = await reviewStreamed({ uncommitted: true, cwd: repo });
 * for await (const event of events) console.log(event.type);
 * ```
 */
export async function reviewStreamed(options: ReviewOptions = {}): Promise<StreamedTurn> {
  const { thread, instructions } = reviewThread(options);
  return await thread.runStreamed(instructions, { signal: options.signal });
}

/**
 * Runs a review to its end; `finalResponse` is the review text. Rejects like a turn
 * (`TurnFailedError`, `ExitError`, `TimeoutError`, `AbortError`, `UnsupportedError`).
 *
 * @example
 * ```ts ignore
 * import { review } from "@codexkit/sdk/commands";
 * const { finalResponse } = await review({ base: "main", cwd: repo });
 * ```
 */
export async function review(options: ReviewOptions = {}): Promise<Turn> {
  const { thread, instructions } = reviewThread(options);
  return await thread.run(instructions, { signal: options.signal });
}

function reviewThread(options: ReviewOptions): { thread: Thread; instructions: string } {
  checkCommandOptions(options);
  const args = reviewArgs(options);
  const lane: TurnLane = {
    runTurn(_request: TurnRequest): ReadableStream<ThreadEvent[]> {
      // The turn ends at `turn.completed`, and codex may still write its rollout for up to
      // `exitGraceMs` after. A client's close() waits for that; a one-shot command has no client,
      // so its stream ends only once codex has exited (or been stopped): nothing of the review
      // outlives the call, and a caller may remove the home right after.
      const exiting: Promise<void>[] = [];
      const events = runExec({
        background: (work) => exiting.push(work),
        spawner: spawnerFor(options),
        // Instructions are the prompt; with a target flag (--uncommitted, ...) there is none.
        stdinText: options.instructions ?? "",
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        idleTimeoutMs: options.idleTimeoutMs,
        onStderr: options.onStderr,
        killGraceMs: options.killGraceMs,
        async prepare() {
          const prepared = await prepareCommand(["exec", "review"], args, options);
          return {
            binary: prepared.binary.path,
            args: prepared.args,
            displayCommand: prepared.display,
            env: prepared.env,
            cwd: options.cwd,
          };
        },
      });
      return events.pipeThrough(
        new TransformStream<ThreadEvent[], ThreadEvent[]>({
          async flush() {
            await Promise.all(exiting);
          },
        }),
      );
    },
  };
  return {
    thread: new Thread(lane, {}, { kind: "new" }),
    // Thread refuses an empty prompt; the lane reads the instructions from the options, so a
    // review by target hands Thread a label that is never sent.
    instructions: options.instructions ?? "review the given target",
  };
}

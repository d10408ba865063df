/**
 * The exec lane: one `codex exec --json` process per turn.
 *
 * @module
 */
import type { ThreadEvent } from "../events.ts";
import type { TurnLane, TurnRequest } from "../lane.ts";
import type { CodexOptions } from "../options.ts";
import type { Spawner } from "../runtime/mod.ts";
import type { ResolvedBinary } from "../binary/resolve.ts";
import type { OptionGate } from "./gates.ts";
import { buildExecArgs, clientEnv, redactArgs } from "./args.ts";
import { writeSchemaFile } from "./schema_file.ts";
import { runExec } from "./run.ts";

/** What the exec lane needs from its client. */
export interface ExecLaneContext {
  /** The client's options. */
  options: CodexOptions;
  /** Spawns children. */
  spawner: Spawner;
  /** The binary (resolved once per client, lazily). */
  binary(): Promise<ResolvedBinary>;
  /** `CODEX_HOME` ready for use (created when missing), when the client sets one. */
  codexHome(): Promise<string | undefined>;
  /** The gate for optional flags; `options.capabilities` (unless `false`) when absent. */
  gate?(): Promise<OptionGate | undefined>;
}

/** Runs each turn as its own `codex exec --json` process. */
export class ExecLane implements TurnLane {
  #context: ExecLaneContext;

  /** Creates the lane for one client. */
  constructor(context: ExecLaneContext) {
    this.#context = context;
  }

  /** Starts a turn; see {@linkcode TurnLane.runTurn}. */
  runTurn(request: TurnRequest): ReadableStream<ThreadEvent[]> {
    const context = this.#context;
    const options = context.options;
    const { turnOptions, threadOptions } = request;
    return runExec({
      spawner: context.spawner,
      stdinText: request.input.prompt,
      signal: turnOptions.signal,
      timeoutMs: turnOptions.timeoutMs,
      idleTimeoutMs: turnOptions.idleTimeoutMs,
      onStderr: options.onStderr,
      killGraceMs: options.killGraceMs,
      async prepare() {
        const [binary, codexHome, gate] = await Promise.all([
          context.binary(),
          context.codexHome(),
          context.gate ? context.gate() : options.capabilities || undefined,
        ]);
        const schemaFile = turnOptions.outputSchema
          ? await writeSchemaFile(turnOptions.outputSchema)
          : undefined;
        try {
          const { args, warnings } = buildExecArgs({
            config: options.config,
            configOverrides: options.configOverrides,
            baseUrl: options.baseUrl,
            profile: options.profile,
            thread: threadOptions,
            threadId: request.threadId,
            resumeLast: request.resumeLast,
            fork: request.fork,
            images: [...request.input.images, ...(turnOptions.images ?? [])],
            outputSchemaFile: schemaFile?.path,
            outputLastMessage: turnOptions.outputLastMessage,
            gate,
            onUnsupported: options.onUnsupported,
          });
          for (const warning of warnings) options.onWarning?.(warning);
          return {
            binary: binary.path,
            args,
            displayCommand: [binary.path, ...redactArgs(args)],
            env: clientEnv(options, binary, codexHome),
            cwd: threadOptions.workingDirectory,
            onSettled: () => schemaFile?.remove(),
          };
        } catch (error) {
          await schemaFile?.remove();
          throw error;
        }
      },
    });
  }
}

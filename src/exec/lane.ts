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
import { buildExecArgs, clientEnv, redactArgs } from "./args.ts";
import { shellEnvPolicyArgs } from "./shell_env.ts";
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
      connectTimeoutMs: turnOptions.connectTimeoutMs,
      eventLog: turnOptions.eventLog,
      onStderr: options.onStderr,
      killGraceMs: options.killGraceMs,
      async prepare() {
        const [binary, codexHome] = await Promise.all([context.binary(), context.codexHome()]);
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
            gate: options.capabilities,
            onUnsupported: options.onUnsupported,
          });
          for (const warning of warnings) options.onWarning?.(warning);
          // Right after `exec --json`: codex's credentials stay out of the agent's commands.
          args.splice(2, 0, ...shellEnvPolicyArgs(options.config, options.configOverrides));
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

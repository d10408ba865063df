/**
 * The exec lane: one `codex exec --json` process per turn.
 *
 * @module
 */
import process from "node:process";
import { allSettled } from "../_settle.ts";
import type { ThreadEvent } from "../events.ts";
import type { TurnLane, TurnRequest } from "../lane.ts";
import type { CodexOptions } from "../options.ts";
import type { Spawner } from "../runtime/mod.ts";
import type { ResolvedBinary } from "../binary/resolve.ts";
import { resolveLayers } from "../options/layers.ts";
import { buildConfigArgs, clientEnv, redactArgs } from "./args.ts";
import { Redactor } from "../redact.ts";
import type { ExecArgs } from "./args.ts";
import { buildExecArgs } from "./args.ts";
import type { OptionGate } from "../options/gates.ts";
import type { ResolvedSettings } from "../options/layers.ts";
import { withShellEnvExclusion } from "./shell_env.ts";
import { configuredShellEnvExclude } from "../home/config_toml.ts";
import { defaultCodexHome } from "../home/layout.ts";
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
  #redactor: Redactor | undefined;

  /** Creates the lane for one client. */
  constructor(context: ExecLaneContext) {
    this.#context = context;
  }

  /** The client's known secrets: its API key and secret-looking config values. */
  get secrets(): readonly string[] {
    const options = this.#context.options;
    this.#redactor ??= Redactor.from({ apiKey: options.apiKey, args: buildConfigArgs(options) });
    return this.#redactor.secrets;
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
      onEventLogError: turnOptions.eventLogErrors === "warn"
        ? (error) => options.onWarning?.(error.message)
        : undefined,
      onStderr: options.onStderr,
      killGraceMs: options.killGraceMs,
      maxLineBytes: options.maxLineBytes,
      async prepare() {
        const [binary, codexHome, gate] = await allSettled([
          context.binary(),
          context.codexHome(),
          context.gate ? context.gate() : options.capabilities || undefined,
        ]);
        const configured = await configuredShellEnvExclude(
          codexHome ?? defaultCodexHome(options.env ?? process.env),
          options.profile,
        );
        const schemaFile = turnOptions.outputSchema
          ? await writeSchemaFile(turnOptions.outputSchema)
          : undefined;
        try {
          const layers = resolveLayers(options, threadOptions, turnOptions);
          // codex's credentials stay out of the agent's commands; the user's hidden names too.
          const settings = {
            ...layers,
            config: withShellEnvExclusion(layers.config, options.configOverrides, configured),
          };
          const { args, warnings } = turnExecArgs(options, request, settings, {
            outputSchemaFile: schemaFile?.path,
            gate,
          });
          for (const warning of warnings) options.onWarning?.(warning);
          return {
            binary: binary.path,
            args,
            displayCommand: [binary.path, ...redactArgs(args)],
            secrets: Redactor.from({ apiKey: options.apiKey, args }).secrets,
            env: clientEnv(options, binary, codexHome, settings.env),
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

/**
 * The argv of one exec turn from the client's options, the request and its resolved layers.
 * Pure; the exec lane runs it and the mock lane records it, so both build the same command.
 */
export function turnExecArgs(
  options: CodexOptions,
  request: TurnRequest,
  settings: ResolvedSettings,
  extras: { outputSchemaFile?: string; gate?: OptionGate },
): ExecArgs {
  return buildExecArgs({
    // The turn's own flags (`--cyber-access-program`, `--output-last-message`, ...).
    ...settings.turn,
    config: settings.config,
    configOverrides: options.configOverrides,
    baseUrl: options.baseUrl,
    profile: options.profile,
    thread: settings.thread,
    threadId: request.threadId,
    resumeLast: request.resumeLast,
    fork: request.fork,
    images: [...request.input.images, ...(settings.turn.images ?? [])],
    outputSchemaFile: extras.outputSchemaFile,
    gate: extras.gate,
    onUnsupported: options.onUnsupported,
  });
}

/**
 * The exec lane: one `codex exec --json` process per turn.
 *
 * @module
 */
import type { ThreadEvent } from "../events.ts";
import type { TurnLane, TurnRequest } from "../lanes/lane.ts";
import type { CodexOptions } from "../options.ts";
import type { TurnContext } from "../lanes/client_context.ts";
import { resolveLayers } from "../options/layers.ts";
import { clientEnv, localProviderUrl, mcpServersConfig, redactArgs } from "./args.ts";
import { CodexError } from "../errors.ts";
import { Redactor } from "../redact.ts";
import type { ExecArgs } from "./args.ts";
import { buildExecArgs } from "./args.ts";
import type { OptionGate } from "../options/gates.ts";
import type { ResolvedSettings } from "../options/layers.ts";
import { withShellEnvExclusion } from "./shell_env.ts";
import { writeSchemaFile, writeTempFile } from "./schema_file.ts";
import { stderrSink } from "../process/mirror.ts";
import { DEFAULT_EXIT_GRACE_MS, runExec } from "./run_exec.ts";
import { within } from "../process/long_timer.ts";
import { TOOLS_SERVER_NAME, TOOLS_TOKEN_ENV } from "../tools/tool.ts";

/** Runs each turn as its own `codex exec --json` process. */
export class ExecLane implements TurnLane {
  #context: TurnContext;

  /** Creates the lane for one client, from its resolved context. */
  constructor(context: TurnContext) {
    this.#context = context;
  }

  /** The client's known secrets: its API key and secret-looking config values. */
  get secrets(): readonly string[] {
    return this.#context.secrets;
  }

  runTurn(request: TurnRequest): ReadableStream<ThreadEvent[]> {
    const context = this.#context;
    const options = context.options;
    const { turnOptions, threadOptions } = request;
    const withTools = (threadOptions.tools?.length ?? 0) + (turnOptions.tools?.length ?? 0) > 0;
    // A new thread's id arrives with its first event; tools called later are told it.
    let threadId = request.fork ? undefined : request.threadId ?? undefined;
    // The child's environment, once prepared: where the rollout is read from at the end.
    let runEnv: Record<string, string> | undefined;
    const events = runExec({
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
      onStderr: stderrSink(options.onStderr, options.mirror, context.secrets),
      killGraceMs: options.killGraceMs,
      maxLineBytes: options.maxLineBytes,
      exitGraceMs: options.exitGraceMs,
      onWarning: options.onWarning,
      background: (work) => context.track?.(work),
      async atTurnEnd(events, startedId, exited) {
        // Waits no longer than codex is given to exit after the turn.
        const waitMs = options.exitGraceMs ?? DEFAULT_EXIT_GRACE_MS;
        // codex writes --output-last-message as it shuts down, after turn.completed (0.171):
        // a turn that asked for the file is not done before the file is.
        if (turnOptions.outputLastMessage !== undefined) await within(exited, waitMs);
        const id = startedId ?? request.threadId;
        // An ephemeral thread writes no rollout to read the context window from.
        if (id === null || runEnv === undefined || threadOptions.ephemeral) return events;
        // Loaded at the first turn's end: the rollout reader is not needed before.
        const { withContextWindow } = await import("./context_window.ts");
        return await withContextWindow(events, id, runEnv, exited, waitMs);
      },
      async prepare() {
        const { binary, codexHome, gate, configuredExclude } = await context.resolve({
          gate: true,
        });
        // Everything the run holds is released when it settles, or here if preparing fails.
        const held: (() => Promise<void>)[] = [];
        const release = () => Promise.all(held.map((free) => free())).then(() => {});
        try {
          const layers = resolveLayers(options, threadOptions, turnOptions);
          const schemaFile = turnOptions.outputSchema
            ? await writeSchemaFile(turnOptions.outputSchema)
            : undefined;
          if (schemaFile) held.push(schemaFile.remove);
          const base = layers.thread.baseInstructions;
          const instructions = base === undefined
            ? undefined
            : await writeTempFile("instructions.md", base);
          if (instructions) held.push(instructions.remove);
          const env: Record<string, string> = {};
          if (withTools) {
            if (layers.thread.mcpServers?.[TOOLS_SERVER_NAME] !== undefined) {
              throw new TypeError(
                `Cannot use mcpServers.${TOOLS_SERVER_NAME}: the name serves the thread's tools`,
              );
            }
            // Loaded only for a thread with tools: the MCP SDK is a large graph.
            const { startToolsServer } = await import("../tools/mcp_server.ts");
            const server = await startToolsServer({
              tools: layers.thread.tools!,
              threadId: () => threadId,
            });
            held.push(server.close);
            env[TOOLS_TOKEN_ENV] = server.token;
            layers.thread.mcpServers = {
              ...layers.thread.mcpServers,
              [TOOLS_SERVER_NAME]: {
                url: server.url,
                bearerTokenEnvVar: TOOLS_TOKEN_ENV,
                approveTools: true,
                // The turn waits until codex has listed the tools.
                required: true,
              },
            };
          }
          // The variables codex holds for MCP servers and tools join the hidden names.
          Object.assign(env, mcpServersConfig(layers.thread.mcpServers ?? {}).env);
          // codex's credentials stay out of the agent's commands; the user's hidden names too.
          const settings = {
            ...layers,
            config: withShellEnvExclusion(
              layers.config,
              options.configOverrides,
              configuredExclude,
              Object.keys(env),
            ),
          };
          const built = turnExecArgs(options, request, settings, {
            outputSchemaFile: schemaFile?.path,
            instructionsFile: instructions?.path,
            gate,
          });
          const { args, warnings } = built;
          Object.assign(env, built.env);
          for (const warning of warnings) options.onWarning?.(warning);
          const childEnv = clientEnv(options, binary, codexHome, settings.env);
          const oss = layers.thread.ossBaseUrl;
          if (oss !== undefined) {
            childEnv.CODEX_OSS_BASE_URL = localProviderUrl(oss);
            // A new thread asks first: a provider that is not running fails here, by name.
            if (request.threadId === null) {
              await checkLocalProvider(childEnv.CODEX_OSS_BASE_URL, turnOptions.signal);
            }
          }
          for (const [name, value] of Object.entries(env)) {
            if (childEnv[name] !== undefined && childEnv[name] !== value) {
              throw new TypeError(
                `Cannot use mcpServers: ${name} is already in codex's environment, and codex exec hands server variables over by name`,
              );
            }
            childEnv[name] = value;
          }
          runEnv = childEnv;
          return {
            binary: binary.path,
            args,
            displayCommand: [binary.path, ...redactArgs(args)],
            secrets: Redactor.from({ apiKey: options.apiKey, args, secrets: Object.values(env) })
              .secrets,
            env: childEnv,
            cwd: threadOptions.workingDirectory,
            onSettled: release,
          };
        } catch (error) {
          await release();
          throw error;
        }
      },
    });
    if (!withTools) return events;
    return events.pipeThrough(
      new TransformStream<ThreadEvent[], ThreadEvent[]>({
        transform(batch, controller) {
          for (const event of batch) {
            if (event.type === "thread.started") {
              threadId = (event as { thread_id: string }).thread_id;
            }
          }
          controller.enqueue(batch);
        },
      }),
    );
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
  extras: { outputSchemaFile?: string; instructionsFile?: string; gate?: OptionGate },
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
    instructionsFile: extras.instructionsFile,
    gate: extras.gate,
    onUnsupported: options.onUnsupported,
  });
}

/** How long a new oss thread waits for its local provider to answer at all. */
const PROVIDER_CHECK_MS = 3000;

/** Rejects with a `CodexError` naming `url` when nothing answers there (any HTTP answer will do). */
async function checkLocalProvider(url: string, signal: AbortSignal | undefined): Promise<void> {
  const limit = AbortSignal.timeout(PROVIDER_CHECK_MS);
  try {
    const response = await fetch(url, {
      signal: signal ? AbortSignal.any([signal, limit]) : limit,
    });
    await response.body?.cancel();
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new CodexError(
      `Cannot reach the local provider at ${url} (ossBaseUrl): nothing answered; start it or fix the URL`,
      { cause: error },
    );
  }
}

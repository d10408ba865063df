/**
 * How a `Codex` client builds its app-server lane: the same binary, home, config and
 * environment as its exec runs, one server for all its app-server threads.
 *
 * @module
 */
import { stderrSink } from "../process/mirror.ts";
import type { TurnContext } from "../lanes/client_context.ts";
import { buildConfigArgs, clientEnv } from "../exec/args.ts";
import { withShellEnvExclusion } from "../exec/shell_env.ts";
import type { TurnLane } from "../lanes/lane.ts";
import { createAppServerLane } from "./lane.ts";
import type { AppServerLane } from "./lane.ts";
import type { AppServer } from "./app_server.ts";

/** A lane for `transport: "app-server"` threads, closed with the client. */
export async function startAppServerLane(
  context: TurnContext,
): Promise<TurnLane & { close(): Promise<void>; connection(): Promise<AppServer> }> {
  const { options } = context;
  let lane: AppServerLane;
  // The client's own secrets, for a shared connection too (its turns' event logs show them).
  const secrets = context.secrets;
  if (options.appServer) {
    // The option is typed by the one method the door checks (the options import no
    // transport); what callers pass is an `AppServer`.
    lane = createAppServerLane({
      connection: options.appServer as AppServer,
      secrets,
      onWarning: options.onWarning,
    });
  } else {
    const { binary, codexHome, configuredExclude } = await context.resolve();
    // codex's credentials stay out of the agent's commands; the user's hidden names too.
    const config = withShellEnvExclusion(
      options.config,
      options.configOverrides,
      configuredExclude,
    );
    const args = buildConfigArgs({ ...options, config });
    lane = createAppServerLane({
      maxLineBytes: options.maxLineBytes,
      secrets,
      // Drift of a newer CLI's answers goes where the client's other warnings go.
      onWarning: options.onWarning,
      start: {
        binary: binary.path,
        args,
        env: clientEnv(options, binary, codexHome),
        spawner: context.spawner,
        onStderr: stderrSink(options.onStderr, options.mirror, secrets),
        killGraceMs: options.killGraceMs,
      },
    });
  }
  return {
    runTurn: (request) => lane.runTurn(request),
    secrets,
    interrupt: (threadId) => lane.interrupt(threadId),
    steer: (threadId, input) => lane.steer(threadId, input),
    close: () => lane.close(),
    connection: () => lane.connection(),
  };
}

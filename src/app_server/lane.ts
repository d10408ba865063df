/**
 * The app-server lane: runs turns on one lazily started `codex app-server` (or a shared
 * {@linkcode AppServer}) and hands back the same `ThreadEvent` stream as the exec lane. One
 * server serves many threads at once; notifications and approval requests are routed by
 * thread id, so events never cross.
 *
 * @module
 */
import { resolveLayers, webSearchMode } from "../options/layers.ts";
import { checkApprovalOptions, checkServerRequestOptions } from "../options/schema.ts";
import { CodexError } from "../errors.ts";
import { openLineLog } from "../fs/line_log.ts";
import type { LineLog } from "../fs/line_log.ts";
import type { ThreadEvent } from "../events.ts";
import type { NormalizedInput, TurnRequest } from "../lanes/lane.ts";
import type { SandboxMode, ThreadOptions } from "../options.ts";
import { killRunProcessesWith } from "../runtime/mod.ts";
import type { RuntimeName, Spawner } from "../runtime/mod.ts";
import { AppServer, spawnedServerSecrets } from "./app_server.ts";
import { connectionOptions } from "./options.ts";
import { spawnStdioTransport } from "./stdio_transport.ts";
import type { AppServerTransport } from "./stdio_transport.ts";
import type { AppServerOptions } from "./app_server.ts";
import {
  APPROVAL_METHODS,
  approvalResult,
  availableDecisions,
  decideApproval,
  toApprovalRequest,
  wireDecision,
} from "./approvals.ts";
import type { ApprovalOptions } from "../options/approvals.ts";
import { notificationEvents, TurnNormalizer } from "./notifications.ts";
import {
  CONNECTION_REQUESTS,
  decideServerRequest,
  mergeServerRequestOptions,
  SERVER_REQUEST_HOOKS,
  serverRequestKind,
} from "./server_requests.ts";
import type {
  DynamicTool,
  ServerRequestOptions,
  ToolCallHandler,
} from "../options/server_requests.ts";
import type { Tool } from "../tools/tool.ts";
import type { NormalizedEvent } from "./notifications.ts";
import { RunLimits } from "../process/limits.ts";
import { stopError } from "../process/stop_error.ts";
import type * as P from "./protocol/types.ts";
import type { AskForApproval } from "./protocol/types.ts";
import type { ThreadOpenResult, ThreadSettingsParams, WireUserInput } from "./typed_calls.ts";

/** Thread options as the app-server lane reads them: the common ones plus approvals and hooks. */
export type AppServerThreadOptions = ThreadOptions & ApprovalOptions & ServerRequestOptions;

/** How the lane starts its own server. */
export interface AppServerStart {
  /** The codex binary. */
  binary: string;
  /** Global flags (`--config k=v`, `--disable plugins`), placed before `app-server`. */
  args: string[];
  /** The child's whole environment. */
  env: Record<string, string>;
  /** The server's working directory. */
  cwd?: string;
  /** Process adapter. */
  runtime?: RuntimeName;
  /** Spawns the server (default: the adapter of `runtime`). */
  spawner?: Spawner;
  /** Receives each stderr line. */
  onStderr?: (line: string) => void;
  /** SIGTERM -> SIGKILL grace, in ms. */
  killGraceMs?: number;
}

/** Options of {@linkcode createAppServerLane}. */
export interface AppServerLaneOptions extends AppServerOptions {
  /** A connection to use (shared; the lane never closes it). */
  connection?: AppServer;
  /** How to start a server of the lane's own, on first use (when `connection` is not given). */
  start?: AppServerStart;
  /** Approval settings for threads that set none of their own. */
  approvals?: ApprovalOptions;
  /**
   * Hooks for the other server requests (user input, elicitation, tool calls, token refresh,
   * attestation) for threads that set none of their own.
   */
  serverRequests?: ServerRequestOptions;
}

/**
 * A lane on the app-server, of the same shape as the exec lane: its `runTurn` yields batches
 * of events (one notification arrives at a time, so each batch holds one event).
 */
export interface AppServerLane extends AsyncDisposable {
  /** Starts a turn; the stream ends with the turn and errors with its typed error. */
  runTurn(request: TurnRequest): ReadableStream<ThreadEvent[]>;
  /** Interrupts the running turn of `threadId`; does nothing when none runs. */
  interrupt(threadId: string): Promise<void>;
  /** Adds input to the running turn of `threadId`; rejects when none runs. */
  steer(threadId: string, input: NormalizedInput): Promise<void>;
  /** The connection (starting the server when the lane owns one and it has not started). */
  connection(): Promise<AppServer>;
  /** Ends the lane: its own server is closed; a shared connection is left open. */
  close(): Promise<void>;
}

interface ActiveTurn {
  threadId: string;
  normalizer: TurnNormalizer;
  emit: (event: NormalizedEvent) => void;
  fail: (error: unknown) => void;
  /** Ends the turn with `error` and interrupts it on the server. */
  stop: (error: unknown) => void;
  approvals: ApprovalOptions;
  hooks: ServerRequestOptions;
  ended: AbortController;
  turnId: Promise<string>;
  /** The turn's `eventLog`: each notification of the turn, one JSON line each. */
  log?: LineLog;
}

const encoder = new TextEncoder();

/**
 * Maps thread options onto `thread/start` / `thread/resume` / `thread/fork` settings, resolved
 * through the same layers as an exec turn. The client's config is on the server's own command
 * line, and a turn adds no layer here: its model, effort and sandbox go with `turn/start`
 * (see `turnSettings` in the lane), and the door refuses what turn/start has no field for.
 */
export function threadSettings(options: ThreadOptions): ThreadSettingsParams {
  const { thread, config: layered } = resolveLayers({}, options, {});
  const settings: ThreadSettingsParams = {};
  if (thread.model !== undefined) settings.model = thread.model;
  if (thread.workingDirectory !== undefined) settings.cwd = thread.workingDirectory;
  if (thread.sandboxMode !== undefined) settings.sandbox = thread.sandboxMode;
  // Options were checked where they entered (an "on-failure" policy, which the app-server
  // lacks, is refused there), so this only maps names.
  if (thread.approvalPolicy !== undefined) {
    settings.approvalPolicy = thread.approvalPolicy as AskForApproval;
  }
  if (thread.dangerouslyBypassApprovalsAndSandbox !== undefined) {
    settings.sandbox = "danger-full-access";
    settings.approvalPolicy = "never";
  }
  if (thread.ephemeral !== undefined) settings.ephemeral = thread.ephemeral;
  if (thread.serviceTier !== undefined) settings.serviceTier = thread.serviceTier;
  if (thread.approvalsReviewer !== undefined) {
    settings.approvalsReviewer = thread.approvalsReviewer;
  }
  const config: Record<string, unknown> = { ...layered };
  if (thread.reasoningSummary !== undefined) {
    config.model_reasoning_summary = thread.reasoningSummary;
  }
  if (thread.networkAccessEnabled !== undefined) {
    config["sandbox_workspace_write.network_access"] = thread.networkAccessEnabled;
  }
  const search = webSearchMode(thread);
  if (search !== undefined) config.web_search = search;
  if (thread.additionalDirectories?.length) {
    config["sandbox_workspace_write.writable_roots"] = thread.additionalDirectories;
  }
  if (thread.reviewModel !== undefined) config.review_model = thread.reviewModel;
  if (thread.toolOutputTokenLimit !== undefined) {
    config.tool_output_token_limit = thread.toolOutputTokenLimit;
  }
  if (thread.historyPersistence !== undefined) {
    config["history.persistence"] = thread.historyPersistence;
  }
  for (const name of thread.enable ?? []) config[`features.${name}`] = true;
  for (const name of thread.disable ?? []) config[`features.${name}`] = false;
  if (thread.modelReasoningEffort !== undefined) {
    config.model_reasoning_effort = thread.modelReasoningEffort;
  }
  // Config travels over the connection, not in argv: env and header values go as they are.
  for (const [name, server] of Object.entries(options.mcpServers ?? {})) {
    const wire: Record<string, unknown> = "url" in server
      ? {
        url: server.url,
        bearer_token_env_var: server.bearerTokenEnvVar,
        http_headers: server.headers,
      }
      : { command: server.command, args: server.args, env: server.env, cwd: server.cwd };
    wire.enabled_tools = server.enabledTools;
    wire.disabled_tools = server.disabledTools;
    if (server.approveTools) wire.default_tools_approval_mode = "approve";
    if (server.required) wire.required = true;
    for (const key of Object.keys(wire)) if (wire[key] === undefined) delete wire[key];
    config[`mcp_servers.${name}`] = wire;
  }
  if (Object.keys(config).length > 0) settings.config = config;
  if (options.developerInstructions !== undefined) {
    settings.developerInstructions = options.developerInstructions;
  }
  if (options.baseInstructions !== undefined) settings.baseInstructions = options.baseInstructions;
  return settings;
}

/** Maps normalised input (and extra images) onto `turn/start` input parts. */
export function turnInput(input: NormalizedInput, images: readonly string[] = []): WireUserInput[] {
  const parts: WireUserInput[] = [];
  if (input.parts !== undefined) {
    // Parts the prompt cannot hold keep their place among the text.
    for (const part of input.parts) {
      if (part.type === "text") parts.push({ type: "text", text: part.text });
      else if (part.type === "local_image") parts.push({ type: "localImage", path: part.path });
      else if (part.type === "image_url") parts.push({ type: "image", url: part.url });
      else parts.push({ type: part.type, name: part.name, path: part.path });
    }
  } else {
    if (input.prompt !== "") parts.push({ type: "text", text: input.prompt });
    for (const path of input.images) parts.push({ type: "localImage", path });
  }
  for (const path of images) parts.push({ type: "localImage", path });
  return parts;
}

/** The `turn/start` sandbox policy of a sandbox mode, with the thread's roots and network. */
export function sandboxPolicy(mode: SandboxMode, thread: ThreadOptions): P.SandboxPolicy {
  if (mode === "read-only") return { type: "readOnly" };
  if (mode === "danger-full-access") return { type: "dangerFullAccess" };
  return {
    type: "workspaceWrite",
    writableRoots: thread.additionalDirectories ?? [],
    networkAccess: thread.networkAccessEnabled ?? false,
  };
}

/** A thread's own settings, as the server reported them when it opened the thread. */
interface ThreadOwnSettings {
  model: string;
  /** `null` until looked up: the server reports none when the model's default applies. */
  effort: string | null;
  sandbox: P.SandboxPolicy;
}

/** What a turn overrode, so the next turn can put the thread's own settings back. */
type Overridable = "model" | "effort" | "sandboxPolicy";

/**
 * Creates the app-server lane. With `start` it starts one server on first use and serves every
 * thread on it; with `connection` it uses (and never closes) a shared one.
 *
 * @example Run a turn on the app-server
 * ```ts ignore
 * import { createAppServerLane } from "@codexkit/sdk/app-server";
 * await using lane = createAppServerLane({ start: { binary, args: [], env } });
 * const events = lane.runTurn({ input: { prompt: "hi", images: [] }, threadId: null,
 *   threadOptions: {}, turnOptions: {} });
 * ```
 */
export function createAppServerLane(options: AppServerLaneOptions): AppServerLane {
  if (!options.connection && !options.start) {
    throw new TypeError(
      "Cannot create the app-server lane: give options.connection or options.start",
    );
  }
  if (options.approvals) checkApprovalOptions(options.approvals);
  if (options.serverRequests) checkServerRequestOptions(options.serverRequests);
  let serverPromise: Promise<AppServer> | undefined;
  // The server being started, until its handshake completes: what a connect timeout ends.
  let starting: AppServerTransport | undefined;
  // The lane's own server process: where a stopped turn's commands are looked for.
  let ownTransport: AppServerTransport | undefined;
  // What errors of the lane's own server must not show.
  let ownSecrets: readonly string[] | undefined;
  const active = new Map<string, ActiveTurn>();
  const loaded = new Set<string>();
  const own = new Map<string, ThreadOwnSettings>();
  const overridden = new Map<string, Set<Overridable>>();
  let closed = false;
  // Whether the lane's own server was opened with the experimental API.
  let experimentalOpen = false;
  const detach: (() => void)[] = [];
  // Connection-wide notifications (config warnings, MCP startup, ...) that came while no turn
  // ran: the next turn shows them after its thread.started.
  const waiting: NormalizedEvent[] = [];
  const WAITING_MAX = 100;
  // What a turn's eventLog must not show: the secrets errors of this lane do not show.
  const logSecrets = options.start
    ? spawnedServerSecrets({ ...options, ...options.start })
    : options.secrets ?? [];

  function attach(server: AppServer): AppServer {
    detach.push(server.onNotification((method, params) => {
      const wire = params as { threadId?: unknown; thread?: { id?: unknown } } | null;
      const threadId = wire?.threadId ?? wire?.thread?.id;
      if (typeof threadId === "string") {
        const turn = active.get(threadId);
        if (!turn) return;
        if (turn.log) {
          const line = encoder.encode(`${JSON.stringify({ method, params })}\n`);
          try {
            Promise.resolve(turn.log.write(line)).catch(turn.stop);
          } catch (error) {
            // A file log fails at once: the turn ends here, before this notification's events.
            return turn.stop(error);
          }
        }
        for (const event of turn.normalizer.push(method, params)) turn.emit(event);
        return;
      }
      const events = notificationEvents(method, params);
      if (active.size === 0) {
        waiting.push(...events);
        waiting.splice(0, Math.max(0, waiting.length - WAITING_MAX));
      }
      for (const turn of active.values()) for (const event of events) turn.emit(event);
    }));
    detach.push(server.addRequestRoute({
      claims: (method, params) =>
        (Object.hasOwn(APPROVAL_METHODS, method) &&
          active.has(String((params as { threadId?: unknown } | null)?.threadId))) ||
        (Object.hasOwn(SERVER_REQUEST_HOOKS, method) &&
          (CONNECTION_REQUESTS.has(method) ||
            active.has(String((params as { threadId?: unknown } | null)?.threadId)))),
      handle: (method, params, id) =>
        Object.hasOwn(APPROVAL_METHODS, method)
          ? answerApproval(method, params, id)
          : answerServerRequest(method, params, id),
    }));
    server.closed.then((error) => {
      loaded.clear();
      overridden.clear();
      for (const turn of active.values()) turn.fail(error);
    });
    return server;
  }

  /**
   * The connection; `experimental`: the thread needs the experimental API (its tools are
   * `dynamicTools`, an experimental field of 0.169). The lane's own server opens it when the
   * first thread needs it, or is restarted for it while no turn runs (its threads are resumed
   * on their next turn).
   */
  function connection(experimental = false): Promise<AppServer> {
    if (closed) return Promise.reject(new CodexError("The app-server lane is closed"));
    if (options.connection) {
      serverPromise ??= Promise.resolve(attach(options.connection));
      return serverPromise;
    }
    if (experimental && !experimentalOpen && serverPromise && active.size === 0) {
      // Callers meanwhile wait for the reopened server rather than start one of their own.
      experimentalOpen = true;
      const stale = serverPromise;
      serverPromise = stale.then((server) => server.close(options.start?.killGraceMs), () => {})
        .then(() => {
          serverPromise = undefined;
          return connection(true);
        });
      return serverPromise;
    }
    if (experimental && !experimentalOpen && serverPromise) {
      return Promise.reject(
        new CodexError(
          "Cannot declare tools while another turn runs on a connection opened without the experimental API: start the thread with tools first, or pass capabilities: { experimentalApi: true }",
        ),
      );
    }
    if (!serverPromise) {
      experimentalOpen = experimental || options.capabilities?.experimentalApi === true;
      const capabilities = experimentalOpen
        ? { ...options.capabilities, experimentalApi: true }
        : options.capabilities;
      const start = options.start!;
      const spawnOptions = { ...options, ...start };
      ownSecrets = spawnedServerSecrets(spawnOptions);
      serverPromise = spawnStdioTransport(spawnOptions).then(async (transport) => {
        if (closed) {
          // Closed while the process started: it serves nobody.
          await transport.dispose(0);
          throw new CodexError("The app-server lane is closed");
        }
        starting = transport;
        ownTransport = transport;
        return AppServer.open(transport, {
          ...connectionOptions(options),
          ...(capabilities ? { capabilities } : {}),
          secrets: ownSecrets,
        });
      }).then(attach).finally(() => starting = undefined);
      // A failed start is not cached: the next turn tries again.
      serverPromise.catch(() => {
        serverPromise = undefined;
      });
    }
    return serverPromise.then((server) => {
      if (!server.isClosed) return server;
      serverPromise = undefined;
      return connection();
    });
  }

  async function answerApproval(method: string, params: unknown, id: string | number) {
    const request = toApprovalRequest(method, params, id)!;
    const turn = active.get(request.threadId);
    if (!turn) return approvalResult(request, "decline");
    turn.emit({
      type: "approval.requested",
      request_id: id,
      kind: request.kind,
      item_id: request.itemId,
      ...(request.command !== undefined ? { command: request.command } : {}),
      ...(request.cwd !== undefined ? { cwd: request.cwd } : {}),
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
      ...(request.commandActions !== undefined ? { command_actions: request.commandActions } : {}),
      ...(request.networkApprovalContext !== undefined
        ? { network_context: request.networkApprovalContext }
        : {}),
      available_decisions: availableDecisions(request),
    });
    const outcome = await decideApproval(request, turn.approvals, turn.ended.signal);
    turn.emit({
      type: "approval.resolved",
      request_id: id,
      kind: request.kind,
      item_id: request.itemId,
      decision: wireDecision(request, outcome.decision),
      source: outcome.source,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.message ? { message: outcome.message } : {}),
    });
    return approvalResult(request, outcome.decision);
  }

  /**
   * Answers a request that is not an approval: with the hook of the thread it names (a
   * connection-wide one: the lane's hook, else that of a running turn's thread), reported to
   * the turns concerned as `server_request.requested` / `server_request.answered`.
   */
  async function answerServerRequest(method: string, params: unknown, id: string | number) {
    const threadId = (params as { threadId?: unknown } | null)?.threadId;
    const turns = typeof threadId === "string"
      ? [active.get(threadId)].filter((t): t is ActiveTurn => t !== undefined)
      : [...active.values()];
    const hook = SERVER_REQUEST_HOOKS[method].hook;
    let hooks: ServerRequestOptions;
    if (typeof threadId === "string") hooks = turns[0]?.hooks ?? options.serverRequests ?? {};
    else {
      hooks = options.serverRequests?.[hook] !== undefined
        ? options.serverRequests
        : turns.find((t) => t.hooks[hook] !== undefined)?.hooks ?? options.serverRequests ?? {};
    }
    const kind = serverRequestKind(method);
    for (const turn of turns) {
      turn.emit({ type: "server_request.requested", request_id: id, method, kind, params });
    }
    const signal = typeof threadId === "string" ? turns[0]?.ended.signal : undefined;
    const outcome = await decideServerRequest(method, params, hooks, signal);
    for (const turn of turns) {
      turn.emit({
        type: "server_request.answered",
        request_id: id,
        method,
        kind,
        source: outcome.source,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
        ...(outcome.message ? { message: outcome.message } : {}),
      });
    }
    if (outcome.error) throw outcome.error;
    return outcome.result;
  }

  async function openThread(server: AppServer, request: TurnRequest): Promise<string> {
    const settings = threadSettings(request.threadOptions);
    let opened: ThreadOpenResult;
    if (request.threadId === null) {
      if (request.resumeLast) {
        throw new TypeError("Cannot use resumeLast on the app-server lane: pass a thread id");
      }
      const raw = (request.threadOptions as AppServerThreadOptions).dynamicTools;
      const tools = request.threadOptions.tools?.length
        ? [...(raw ?? []), ...await functionTools(request.threadOptions.tools)]
        : raw;
      const source = request.threadOptions.threadSource;
      opened = await server.call("thread/start", {
        ...settings,
        ...(tools !== undefined ? { dynamicTools: tools } : {}),
        // Only a new thread is labelled, as exec's --thread-source labels only new ones.
        ...(source !== undefined ? { threadSource: source } : {}),
      });
    } else if (request.fork) {
      opened = await server.call("thread/fork", { ...settings, threadId: request.threadId });
    } else if (loaded.has(request.threadId)) {
      return request.threadId;
    } else {
      const { ephemeral: _, ...resume } = settings;
      opened = await server.call("thread/resume", { ...resume, threadId: request.threadId });
    }
    loaded.add(opened.thread.id);
    own.set(opened.thread.id, {
      model: opened.model,
      effort: opened.reasoningEffort ?? null,
      sandbox: opened.sandbox,
    });
    return opened.thread.id;
  }

  /**
   * The per-turn settings of `turn/start`. codex 0.171.0 keeps them for later turns, so a
   * setting the previous turn overrode and this one does not is set back to the thread's own.
   */
  async function turnSettings(
    server: AppServer,
    threadId: string,
    request: TurnRequest,
  ): Promise<Pick<P.TurnStartParams, Overridable>> {
    const { model, modelReasoningEffort, sandboxMode } = request.turnOptions;
    const thread = own.get(threadId);
    const before = overridden.get(threadId) ?? new Set<Overridable>();
    const now = new Set<Overridable>();
    const wanted: Pick<P.TurnStartParams, Overridable> = {
      ...(model !== undefined ? { model } : {}),
      ...(modelReasoningEffort !== undefined ? { effort: modelReasoningEffort } : {}),
      ...(sandboxMode !== undefined
        ? { sandboxPolicy: sandboxPolicy(sandboxMode, request.threadOptions) }
        : {}),
    };
    if (Object.keys(wanted).length > 0 && thread === undefined) {
      throw new CodexError(
        `Cannot override settings for one turn of thread ${threadId}: its own settings are unknown to this connection`,
      );
    }
    if (wanted.effort !== undefined && thread!.effort === null) {
      // Sending no effort keeps the override; the thread's own is its model's default.
      thread!.effort = await defaultEffort(server, thread!.model);
    }
    const ownValue = {
      model: thread?.model,
      effort: thread?.effort,
      sandboxPolicy: thread?.sandbox,
    };
    const settings: Record<string, unknown> = {};
    for (const key of ["model", "effort", "sandboxPolicy"] as const) {
      if (wanted[key] !== undefined) {
        settings[key] = wanted[key];
        now.add(key);
      } else if (before.has(key) && ownValue[key] !== undefined) {
        settings[key] = ownValue[key];
      }
    }
    overridden.set(threadId, now);
    return settings as Pick<P.TurnStartParams, Overridable>;
  }

  /** The default reasoning effort of `model`, from `model/list`. */
  async function defaultEffort(server: AppServer, model: string): Promise<string> {
    let cursor: string | null | undefined;
    for (let page = 0; page < 20; page++) {
      const list = await server.call("model/list", {
        includeHidden: true,
        ...(cursor ? { cursor } : {}),
      });
      const found = list.data.find((m) => m.model === model || m.id === model);
      if (found) return found.defaultReasoningEffort;
      cursor = list.nextCursor;
      if (!cursor) break;
    }
    throw new CodexError(
      `Cannot use modelReasoningEffort for one turn: codex keeps it for later turns, and the thread's own effort (the default of model ${model}) is not in model/list`,
    );
  }

  function runTurn(request: TurnRequest): ReadableStream<ThreadEvent[]> {
    const threadOptions = request.threadOptions as AppServerThreadOptions;
    const approvals: ApprovalOptions = {
      ...options.approvals,
      ...(threadOptions.onApproval !== undefined ? { onApproval: threadOptions.onApproval } : {}),
      ...(threadOptions.approvalTimeoutMs !== undefined
        ? { approvalTimeoutMs: threadOptions.approvalTimeoutMs }
        : {}),
      ...(threadOptions.defaultApprovalDecision !== undefined
        ? { defaultApprovalDecision: threadOptions.defaultApprovalDecision }
        : {}),
    };
    // The thread's hooks were checked where the thread entered (`checkThreadOptions`), the
    // lane's in `createAppServerLane`: nothing here checks again.
    const hooks = mergeServerRequestOptions(options.serverRequests, threadOptions);
    if (threadOptions.tools?.length) {
      hooks.onToolCall = toolCallHook(threadOptions.tools, hooks.onToolCall);
    }
    const { signal, timeoutMs, idleTimeoutMs, connectTimeoutMs, eventLog } = request.turnOptions;
    let log: LineLog | undefined;
    let turn: ActiveTurn | undefined;
    let finished = false;
    let server: AppServer | undefined;
    let limits: RunLimits | undefined;

    const finish = (): void => {
      finished = true;
      limits?.finish();
      void log?.close().catch(() => {});
      if (turn) {
        turn.ended.abort();
        if (active.get(turn.threadId) === turn) active.delete(turn.threadId);
      }
    };
    const stopTurn = (): void => {
      if (!turn || !server || server.isClosed) return;
      const { threadId } = turn;
      const child = ownTransport?.child;
      turn.turnId.then((turnId) => server!.call("turn/interrupt", { threadId, turnId }))
        .catch(() => {})
        // codex 0.169.0 leaves an interrupted turn's running command (and its sandbox) alive:
        // end the processes of this thread, the server stays.
        .finally(() => child && killRunProcessesWith(child, `CODEX_THREAD_ID=${threadId}`));
    };

    return new ReadableStream<ThreadEvent[]>({
      start: (controller) => {
        const fail = (error: unknown): void => {
          if (finished) return;
          finish();
          controller.error(error);
        };
        const stopWith = (error: unknown): void => {
          if (finished) return;
          stopTurn();
          fail(error);
        };
        const emit = (event: NormalizedEvent): void => {
          if (finished) return;
          limits!.activity();
          controller.enqueue([event as ThreadEvent]);
          if (
            turn?.normalizer.done &&
            (event.type === "turn.completed" || event.type === "turn.failed")
          ) {
            finish();
            controller.close();
          }
        };
        // The same race and the same words as an exec run; the command and stderr tail are
        // those of the lane's own server (a shared connection shows its command only).
        limits = new RunLimits({ signal, timeoutMs, idleTimeoutMs, connectTimeoutMs }, (reason) => {
          // A server hung before its handshake serves nobody: end it, the next turn starts a
          // fresh one.
          if (reason.kind === "connect") void starting?.dispose(0);
          stopWith(stopError(reason, {
            command: (server ?? options.connection)?.command ?? ownTransport?.command,
            stderrTail: ownTransport?.stderrTail?.(),
            secrets: ownSecrets ?? options.secrets,
          }));
        });
        limits.arm();
        if (finished) return;
        try {
          if (eventLog !== undefined) {
            log = openLineLog(eventLog, {
              secrets: logSecrets,
              onError: request.turnOptions.eventLogErrors === "warn"
                ? (error) => options.onWarning?.(error.message)
                : undefined,
            });
          }
        } catch (error) {
          return fail(error);
        }
        (async () => {
          server = await connection((threadOptions.tools?.length ?? 0) > 0);
          limits.connected();
          if (finished) return;
          const threadId = await openThread(server, request);
          if (finished) return;
          if (active.has(threadId)) {
            throw new CodexError(`A turn is already running on thread ${threadId}`);
          }
          emit({ type: "thread.started", thread_id: threadId });
          let resolveTurnId!: (id: string) => void;
          let rejectTurnId!: (error: unknown) => void;
          const turnIdPromise = new Promise<string>((resolve, reject) => {
            resolveTurnId = resolve;
            rejectTurnId = reject;
          });
          turnIdPromise.catch(() => {});
          turn = {
            threadId,
            normalizer: new TurnNormalizer(),
            emit,
            fail,
            stop: stopWith,
            approvals,
            hooks,
            ended: new AbortController(),
            turnId: turnIdPromise,
            log,
          };
          active.set(threadId, turn);
          for (const event of waiting.splice(0)) emit(event);
          try {
            const { outputSchema, images } = request.turnOptions;
            const started = await server.call("turn/start", {
              threadId,
              input: turnInput(request.input, images),
              ...(outputSchema !== undefined ? { outputSchema } : {}),
              ...await turnSettings(server, threadId, request),
            });
            turn.normalizer.turnId ??= started.turn.id;
            resolveTurnId(started.turn.id);
          } catch (error) {
            rejectTurnId(error);
            throw error;
          }
        })().catch(fail);
      },
      cancel: () => {
        if (finished) return;
        stopTurn();
        finish();
      },
    });
  }

  async function withRunningTurn(threadId: string): Promise<[AppServer, string] | undefined> {
    const turn = active.get(threadId);
    if (!turn || !serverPromise) return undefined;
    const server = await serverPromise;
    return [server, await turn.turnId];
  }

  const lane: AppServerLane = {
    runTurn,
    async interrupt(threadId) {
      const running = await withRunningTurn(threadId);
      if (!running) return;
      await running[0].call("turn/interrupt", { threadId, turnId: running[1] });
    },
    async steer(threadId, input) {
      const running = await withRunningTurn(threadId);
      if (!running) throw new CodexError(`No turn is running on thread ${threadId} to steer`);
      await running[0].call("turn/steer", {
        threadId,
        expectedTurnId: running[1],
        input: turnInput(input),
      });
    },
    connection,
    async close() {
      if (closed) return;
      closed = true;
      for (const remove of detach.splice(0)) remove();
      const pending = serverPromise;
      serverPromise = undefined;
      // Ending the turns first answers their open approval requests (default, "turn_ended").
      for (const turn of [...active.values()]) {
        turn.fail(new CodexError("The app-server lane closed"));
      }
      if (!pending || options.connection) return;
      // A server still in its handshake may never finish it (one that never answers
      // initialize): end its process, which fails the handshake and settles `pending`.
      await starting?.dispose(0);
      const server = await pending.catch(() => undefined);
      await server?.close(options.start?.killGraceMs);
    },
    [Symbol.asyncDispose]() {
      return lane.close();
    },
  };
  return lane;
}

/** The `dynamicTools` of a thread's `tools` (the spec code loads with the first such thread). */
async function functionTools(tools: readonly Tool[]): Promise<DynamicTool[]> {
  const { toolSpecs } = await import("../tools/call.ts");
  return toolSpecs(tools).map((spec) => ({ type: "function", ...spec }));
}

/** Answers `item/tool/call` for the thread's `tools`; other tools go to `fallback`. */
function toolCallHook(tools: readonly Tool[], fallback?: ToolCallHandler): ToolCallHandler {
  return async (request, context) => {
    if (request.namespace || !tools.some((t) => t.name === request.tool)) {
      if (fallback) return fallback(request, context);
    }
    const { callTool } = await import("../tools/call.ts");
    const outcome = await callTool(tools, request.tool, request.arguments, {
      signal: context.signal,
      threadId: request.threadId,
      turnId: request.turnId,
    });
    return { success: outcome.ok, contentItems: [{ type: "inputText", text: outcome.text }] };
  };
}

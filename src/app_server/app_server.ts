/**
 * `AppServer`: one connection to a `codex app-server` (a stdio child or a WebSocket), after
 * the `initialize` handshake. Typed, validated methods; a raw `request` for everything else;
 * notifications to listeners; server->client requests routed to whoever claims them.
 *
 * @module
 */
import { RpcError } from "../errors.ts";
import { Redactor } from "../redact.ts";
import type { ConnectionClosedError, MalformedOutputError } from "../errors.ts";
import { approvalResult, toApprovalRequest } from "./approvals.ts";
import {
  checkParams,
  checkResult,
  isUnknownMethodError,
  unsupportedMethod,
} from "./typed_calls.ts";
import type {
  AppServerMethod,
  AppServerParams,
  AppServerResult,
  InitializeResult,
} from "./typed_calls.ts";
import type { P } from "./_wire.ts";
import type { GatedOption, OptionGate } from "../options/gates.ts";
import { otherMethodNames } from "./renames.ts";
import { RpcConnection } from "./rpc.ts";
import type { NotificationListener, RequestOptions, RpcId } from "./rpc.ts";
import { decideServerRequest } from "./server_requests.ts";
import type { ServerRequestOptions } from "../options/server_requests.ts";
import {
  checkConnectOptions,
  checkOpenOptions,
  checkSpawnOptions,
  connectionOptions,
} from "./options.ts";
import { spawnStdioTransport } from "./stdio_transport.ts";
import type { AppServerTransport, StdioServerOptions } from "./stdio_transport.ts";
import { connectWebSocketTransport } from "./websocket_transport.ts";
import type { WebSocketTransportOptions } from "./websocket_transport.ts";

/**
 * How long the handshake waits for `initialize` by default: a started codex answers in well
 * under a second; a minute leaves room for a machine that is very busy.
 */
export const DEFAULT_INITIALIZE_TIMEOUT_MS = 60_000;

/** Options of a connection, whatever its transport. */
export interface AppServerOptions {
  /** Sent in `initialize` (default `{ name: "codexkit", version: "0.1.0" }`). */
  clientInfo?: { name: string; title?: string; version: string };
  /** Sent in `initialize`: experimental API, notification methods to leave out. */
  capabilities?: P.InitializeCapabilities;
  /** Default time limit of every request, in ms (default: none). */
  requestTimeoutMs?: number;
  /** Gets each output line that is not JSON; the connection goes on. */
  onMalformed?: (error: MalformedOutputError) => void;
  /** Gets errors of listeners and handlers; the connection goes on. */
  onError?: (error: unknown) => void;
  /**
   * Gets warnings, such as drift: a result whose shape the SDK's pinned protocol does not
   * describe (a newer CLI changed it). Such a result passes through unchanged; each kind of
   * drift is reported once per connection. A lane also reports here a turn's `eventLog` that
   * stopped (`eventLogErrors: "warn"`). Default: none are printed.
   */
  onWarning?: (message: string) => void;
  /** Leave out the handshake (to observe the server before it). */
  skipInitialize?: boolean;
  /**
   * Time limit of the handshake's `initialize`, in ms (default `requestTimeoutMs`, else
   * {@linkcode DEFAULT_INITIALIZE_TIMEOUT_MS}): a server that never answers makes `open` reject
   * with a `TimeoutError` and stops it, instead of waiting forever.
   */
  initializeTimeoutMs?: number;
  /**
   * The longest output line accepted, in bytes (default 64 MiB); a longer one ends the
   * connection with an `OutputLimitError` as the cause of its `ConnectionClosedError`.
   */
  maxLineBytes?: number;
  /**
   * Known secrets, scrubbed from every error of this connection. A spawned server adds the
   * API key of its `env` and the values of secret-looking `--config` pairs of its `args`.
   */
  secrets?: readonly string[];
  /**
   * Hooks for server requests no route claims (user input, elicitation, tool calls, token
   * refresh, attestation); without one, each gets its documented default answer.
   */
  serverRequests?: ServerRequestOptions;
  /**
   * Capabilities of the binary: a method it answers `"unsupported"` for (`app-server.<method>`)
   * fails with `UnsupportedError` before anything is sent.
   */
  gate?: OptionGate;
}

/** The arguments of {@linkcode AppServer.call} after the method: params (optional when none). */
export type CallArgs<M extends AppServerMethod> = undefined extends AppServerParams<M>
  ? [params?: AppServerParams<M>, options?: RequestOptions]
  : [params: AppServerParams<M>, options?: RequestOptions];

/** Claims and answers some server->client requests. */
export interface ServerRequestRoute {
  /** Whether this route answers the request. */
  claims(method: string, params: unknown): boolean;
  /** The answer's `result`; throw an `RpcError` to answer with an error. */
  handle(method: string, params: unknown, id: RpcId): unknown | Promise<unknown>;
}

/**
 * A connection to `codex app-server`. Create it with {@linkcode AppServer.spawn} or
 * {@linkcode AppServer.connect}; end it with `close()` or `await using`.
 *
 * @example Start a server and list models
 * ```ts ignore
 * import { AppServer } from "@codexkit/sdk/app-server";
 * await using server = await AppServer.spawn({ binary: "/path/to/codex", args: [] });
 * const { data } = await server.call("model/list", {});
 * ```
 */
export class AppServer implements AsyncDisposable {
  #rpc: RpcConnection;
  #transport: AppServerTransport;
  #options: AppServerOptions;
  #routes = new Set<ServerRequestRoute>();
  #info: InitializeResult | undefined;
  #unsupported = new Set<string>();
  // Methods this server knows by another name (see renames.ts): the name that worked.
  #renamed = new Map<string, string>();
  #closing: Promise<void> | undefined;
  #redactor: Redactor;
  #drift = new Set<string>();

  /** Wraps a connected transport; use the static constructors instead. */
  private constructor(transport: AppServerTransport, options: AppServerOptions) {
    this.#transport = transport;
    this.#options = options;
    this.#redactor = new Redactor(options.secrets);
    this.#rpc = new RpcConnection(transport, {
      onMalformed: options.onMalformed,
      onListenerError: options.onError,
      requestTimeoutMs: options.requestTimeoutMs,
      describeClose: () => transport.describeClose(),
      peer: transport.description,
      maxLineBytes: options.maxLineBytes,
      secrets: options.secrets,
    });
    this.#rpc.setRequestHandler((method, params, id) => this.#route(method, params, id));
  }

  /**
   * Starts `codex [args] app-server` on stdio and completes the handshake. Bad or unknown
   * options are a TypeError naming the option, before anything is spawned.
   */
  static async spawn(options: StdioServerOptions & AppServerOptions): Promise<AppServer> {
    checkSpawnOptions(options);
    return await AppServer.#open(await spawnStdioTransport(options), {
      ...connectionOptions(options),
      secrets: spawnedServerSecrets(options),
    });
  }

  /**
   * Connects to `codex app-server --listen ws://...` and completes the handshake. Bad or
   * unknown options are a TypeError naming the option, before anything is dialled.
   */
  static async connect(
    url: string | URL,
    options: WebSocketTransportOptions & AppServerOptions = {},
  ): Promise<AppServer> {
    checkConnectOptions(options);
    return await AppServer.#open(
      await connectWebSocketTransport(url, options),
      connectionOptions(options),
    );
  }

  /**
   * Opens a connection over any transport and completes the handshake. Bad or unknown options
   * are a TypeError naming the option, before anything is sent.
   */
  static async open(
    transport: AppServerTransport,
    options: AppServerOptions = {},
  ): Promise<AppServer> {
    checkOpenOptions(options);
    return await AppServer.#open(transport, options);
  }

  // The doors above have checked the options; the lane hands over the connection's own.
  static async #open(transport: AppServerTransport, options: AppServerOptions): Promise<AppServer> {
    const server = new AppServer(transport, options);
    if (options.skipInitialize) return server;
    try {
      await server.initialize();
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  /** What the server said in the handshake (`undefined` before it). */
  get info(): InitializeResult | undefined {
    return this.#info;
  }

  /** Resolves (never rejects) once the connection has ended. */
  get closed(): Promise<ConnectionClosedError> {
    return this.#rpc.closed;
  }

  /** Whether the connection has ended. */
  get isClosed(): boolean {
    return this.#rpc.isClosed;
  }

  /** The command line of a spawned server. */
  get command(): readonly string[] | undefined {
    return this.#transport.command;
  }

  /** Sends `initialize`, then `initialized`; does it once. */
  async initialize(): Promise<InitializeResult> {
    if (this.#info) return this.#info;
    const timeoutMs = this.#options.initializeTimeoutMs ?? this.#options.requestTimeoutMs ??
      DEFAULT_INITIALIZE_TIMEOUT_MS;
    const info = await this.call("initialize", {
      clientInfo: this.#options.clientInfo ?? { name: "codexkit", version: "0.1.0" },
      ...(this.#options.capabilities ? { capabilities: this.#options.capabilities } : {}),
    }, { timeoutMs });
    await this.#rpc.notify("initialized");
    this.#info = info;
    return info;
  }

  /**
   * Calls a client request of the protocol, typed from the generated tables: params are
   * checked before sending (a TypeError names the bad field); of the result, only what the SDK
   * reads can fail the call (`AppServerProtocolError`), and a shape the pinned protocol does not
   * describe passes through, reported once to `onWarning`. Unknown fields pass through. A method the server lacks (an
   * older CLI) rejects with `UnsupportedError` naming it; later calls fail without sending.
   */
  async call<M extends AppServerMethod>(
    method: M,
    ...[params, options]: CallArgs<M>
  ): Promise<AppServerResult<M>> {
    this.#checkSupported(method);
    const redact = (text: string) => this.#redactor.text(text);
    await checkParams(method, params, { redact });
    const result = await this.#send(method, params, options);
    return await checkResult(method, result, {
      redact,
      onDrift: this.#options.onWarning,
      reported: this.#drift,
      version: this.version,
    }) as AppServerResult<M>;
  }

  /** Calls any method, unchecked (a method the server lacks is an `UnsupportedError`). */
  request(method: string, params?: unknown, options?: RequestOptions): Promise<unknown> {
    try {
      this.#checkSupported(method);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#send(method, params, options);
  }

  /**
   * Whether the server answers `method`: `false` once it said it does not know it (or the
   * gate says so), `undefined` while nothing is known.
   */
  supports(method: string): boolean | undefined {
    if (this.#renamed.has(method)) return true;
    if (this.#unsupported.has(method)) return false;
    const answer = this.#options.gate?.support(`app-server.${method}` as GatedOption);
    return answer === "unsupported" ? false : answer === "supported" ? true : undefined;
  }

  /** The server's version, read from its user agent (`undefined` before the handshake). */
  get version(): string | undefined {
    return this.#info?.userAgent.match(/\/(\d+\.\d+\.\d+[^\s;)]*)/)?.[1];
  }

  #checkSupported(method: string): void {
    const viaOtherName = this.#renamed.has(method) ||
      otherMethodNames(method).some((other) => this.supports(other) !== false);
    if (this.supports(method) === false && !viaOtherName) {
      throw unsupportedMethod(method, this.version ?? this.#options.gate?.version);
    }
  }

  async #send(method: string, params: unknown, options?: RequestOptions): Promise<unknown> {
    const renamed = this.#renamed.get(method);
    if (renamed !== undefined) return await this.#rpc.request(renamed, params, options);
    let unknown: unknown;
    if (this.supports(method) !== false) {
      try {
        return await this.#rpc.request(method, params, options);
      } catch (error) {
        if (!isUnknownMethodError(error, method)) throw error;
        this.#unsupported.add(method);
        unknown = error;
      }
    }
    // A method codex renamed (src/app_server/renames.ts): the server may know the other name.
    // Only an unknown-method answer leads here; codex 0.171 sends -32600 "unknown variant"
    // rather than -32601, and `isUnknownMethodError` takes both.
    for (const other of otherMethodNames(method)) {
      if (this.supports(other) === false) continue;
      try {
        const result = await this.#rpc.request(other, params, options);
        this.#renamed.set(method, other);
        return result;
      } catch (error) {
        if (!isUnknownMethodError(error, other)) throw error;
        this.#unsupported.add(other);
      }
    }
    throw unsupportedMethod(method, this.version, unknown);
  }

  /** Sends a notification. */
  notify(method: string, params?: unknown): Promise<void> {
    return this.#rpc.notify(method, params);
  }

  /** Adds a notification listener; returns its remover. */
  onNotification(listener: NotificationListener): () => void {
    return this.#rpc.onNotification(listener);
  }

  /**
   * Adds a listener for one notification method, with its params typed from the generated
   * protocol (fields a newer CLI adds are there too); returns its remover.
   */
  on<M extends keyof P.ServerNotifications>(
    method: M,
    listener: (params: P.ServerNotifications[M]) => void,
  ): () => void {
    return this.#rpc.onNotification((name, params) => {
      if (name === method) listener(params as P.ServerNotifications[M]);
    });
  }

  /**
   * Adds a route for server->client requests; returns its remover. Unclaimed approval requests
   * are declined; the others get the `serverRequests` hook's answer or their documented
   * default; a method with no hook at all gets error -32601 and is reported to `onError`.
   */
  addRequestRoute(route: ServerRequestRoute): () => void {
    this.#routes.add(route);
    return () => this.#routes.delete(route);
  }

  /** Closes stdin (or the socket), waits for the server to end, then escalates. Idempotent. */
  close(graceMs = 2000): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.#rpc.close(graceMs);
      } finally {
        await this.#transport.dispose(graceMs);
      }
    })();
    return this.#closing;
  }

  /** Same as `close()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #route(method: string, params: unknown, id: RpcId): Promise<unknown> {
    for (const route of this.#routes) {
      if (route.claims(method, params)) return await route.handle(method, params, id);
    }
    const approval = toApprovalRequest(method, params, id);
    if (approval) return approvalResult(approval, "decline");
    const outcome = await decideServerRequest(method, params, this.#options.serverRequests ?? {});
    if (outcome.reason === "unknown_request") {
      this.#options.onError?.(
        new RpcError(`Answered the unknown server request ${method} (id ${id}) with -32601`, {
          code: -32601,
          method,
        }),
      );
    }
    if (outcome.error) throw outcome.error;
    return outcome.result;
  }
}

/**
 * The secrets a spawned server's errors must not show: the API key in its environment, the
 * secret-looking `--config` values of its argv, and the caller's own.
 */
export function spawnedServerSecrets(
  options: Pick<StdioServerOptions, "env" | "args" | "serverArgs"> & AppServerOptions,
): readonly string[] {
  return Redactor.from({
    apiKey: options.env?.CODEX_API_KEY,
    args: [...(options.args ?? []), ...(options.serverArgs ?? [])],
    secrets: options.secrets,
  }).secrets;
}

/**
 * The JSON-RPC core of the app-server lane: newline-delimited JSON over any duplex of web byte
 * streams. Requests carry ids and wait in a pending map; notifications and server->client
 * requests are delivered in arrival order. Transport-free, so tests drive it over in-memory
 * stream pairs.
 *
 * codex app-server speaks JSON-RPC 2.0 without the `jsonrpc` field (0.169.0); this client
 * neither sends nor requires it.
 *
 * @module
 */
import { setLongTimeout } from "../process/long_timer.ts";
import type { LongTimer } from "../process/long_timer.ts";
import { ConnectionClosedError, RpcError, TimeoutError } from "../errors.ts";
import type { ConnectionClosedErrorOptions, MalformedOutputError } from "../errors.ts";
import { JsonLinesStream } from "../streams/json_lines_stream.ts";
import { LineSplitterStream } from "../streams/line_splitter.ts";

/** A pair of byte streams: what the server writes, and where to write to it. */
export interface RpcDuplex {
  /** Bytes from the server. */
  readable: ReadableStream<Uint8Array>;
  /** Bytes to the server. */
  writable: WritableStream<Uint8Array>;
}

/** A JSON-RPC request id. */
export type RpcId = number | string;

/** The error object of a JSON-RPC error response. */
export interface RpcErrorObject {
  /** Error code (-32600 "Not initialized", -32601 unknown method, ...). */
  code: number;
  /** Message. */
  message: string;
  /** Extra data, when the sender gave any. */
  data?: unknown;
}

/** Receives a notification: its method, its params and the whole message. */
export type NotificationListener = (
  method: string,
  params: unknown,
  message: Record<string, unknown>,
) => void;

/**
 * Answers a server->client request. Its return value becomes the `result`; a thrown
 * {@linkcode RpcError} (or any error) becomes an error response. Exactly one answer is sent.
 */
export type ServerRequestHandler = (
  method: string,
  params: unknown,
  id: RpcId,
) => unknown | Promise<unknown>;

/** Options of one request. */
export interface RequestOptions {
  /** Reject with `TimeoutError` when no answer came within this many ms. */
  timeoutMs?: number;
  /** Reject with the signal's reason when it aborts (the server is not told). */
  signal?: AbortSignal;
}

/** Options of {@linkcode RpcConnection}. */
export interface RpcConnectionOptions {
  /** Gets each line that is not a JSON object; the connection goes on. Default: ignored. */
  onMalformed?: (error: MalformedOutputError) => void;
  /** Gets errors thrown by listeners and failures to answer; the connection goes on. */
  onListenerError?: (error: unknown) => void;
  /** Default `timeoutMs` of every request (default: none). */
  requestTimeoutMs?: number;
  /**
   * Describes why the connection ended (exit code, signal, stderr tail), for the
   * `ConnectionClosedError` that pending requests reject with.
   */
  describeClose?: () => Promise<ConnectionClosedErrorOptions & { reason?: string }>;
  /** What the peer is, for messages (default `"app-server"`). */
  peer?: string;
  /**
   * The longest line accepted from the peer, in bytes (default 64 MiB). A longer one ends the
   * connection; its `ConnectionClosedError` has the `OutputLimitError` as its cause.
   */
  maxLineBytes?: number;
  /** Known secrets (API key, secret config values), scrubbed from every error built here. */
  secrets?: readonly string[];
}

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  cleanup: () => void;
}

const encoder = new TextEncoder();

/**
 * A JSON-RPC client over a duplex of byte streams. Reading starts at construction. When the
 * readable ends or errors, every pending and later request rejects with
 * {@linkcode ConnectionClosedError}.
 *
 * @example Call a method over an in-memory pair
 * ```ts ignore
 * import { RpcConnection } from "./rpc.ts";
 * const rpc = new RpcConnection({ readable, writable });
 * const result = await rpc.request("model/list", {});
 * ```
 */
export class RpcConnection {
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #writeChain: Promise<void> = Promise.resolve();
  #nextId = 1;
  #pending = new Map<RpcId, Pending>();
  #listeners = new Set<NotificationListener>();
  #requestHandler: ServerRequestHandler | undefined;
  #options: RpcConnectionOptions;
  #closedError: ConnectionClosedError | undefined;
  #closed: Promise<ConnectionClosedError>;
  #reader: ReadableStreamDefaultReader<Record<string, unknown>>;
  #inFlightAnswers = new Set<Promise<void>>();

  /** Starts reading `duplex.readable` at once. */
  constructor(duplex: RpcDuplex, options: RpcConnectionOptions = {}) {
    this.#options = options;
    this.#writer = duplex.writable.getWriter();
    this.#writer.closed.catch(() => {});
    const source = `${options.peer ?? "app-server"} output`;
    const messages = duplex.readable
      .pipeThrough(new LineSplitterStream({ maxLineBytes: options.maxLineBytes, source }))
      .pipeThrough(
        new JsonLinesStream({
          source,
          secrets: options.secrets,
          onMalformed: (error) => this.#safely(() => options.onMalformed?.(error)),
        }),
      );
    this.#reader = messages.getReader();
    this.#closed = this.#readLoop();
  }

  /** Resolves, never rejects, once the connection has ended, with the error requests got. */
  get closed(): Promise<ConnectionClosedError> {
    return this.#closed;
  }

  /** Whether the connection has ended. */
  get isClosed(): boolean {
    return this.#closedError !== undefined;
  }

  /** How many requests wait for an answer. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Sends a request and resolves with its `result`; rejects with `RpcError` on an error answer. */
  request(method: string, params?: unknown, options: RequestOptions = {}): Promise<unknown> {
    if (this.#closedError) return Promise.reject(this.#closedError);
    const id = this.#nextId++;
    const timeoutMs = options.timeoutMs ?? this.#options.requestTimeoutMs;
    return new Promise<unknown>((resolve, reject) => {
      // A caller's limit may be days: a plain setTimeout past 2^31 - 1 ms would fire at once.
      let timer: LongTimer | undefined;
      const onAbort = (): void => {
        this.#settle(id)?.reject(options.signal?.reason);
      };
      const cleanup = (): void => {
        timer?.clear();
        options.signal?.removeEventListener("abort", onAbort);
      };
      this.#pending.set(id, { method, resolve, reject, cleanup });
      if (timeoutMs !== undefined) {
        timer = setLongTimeout(() => {
          this.#settle(id)?.reject(
            new TimeoutError(`Request ${method} got no answer within ${timeoutMs} ms`, {
              timeoutMs,
            }),
          );
        }, timeoutMs);
      }
      if (options.signal) {
        if (options.signal.aborted) return onAbort();
        options.signal.addEventListener("abort", onAbort, { once: true });
      }
      const message = params === undefined ? { id, method } : { id, method, params };
      this.#send(message).catch((error) => this.#settle(id)?.reject(error));
    });
  }

  /** Sends a notification. */
  notify(method: string, params?: unknown): Promise<void> {
    if (this.#closedError) return Promise.reject(this.#closedError);
    return this.#send(params === undefined ? { method } : { method, params });
  }

  /** Adds a notification listener; returns its remover. A listener that throws is reported. */
  onNotification(listener: NotificationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Sets the handler of server->client requests. Without one, each is answered with error
   * -32601. Replaces any earlier handler.
   */
  setRequestHandler(handler: ServerRequestHandler | undefined): void {
    this.#requestHandler = handler;
  }

  /**
   * Ends the connection: closes the writable (for a child, its stdin), then waits until the
   * readable ends or `graceMs` passes. Pending requests reject with `ConnectionClosedError`.
   */
  async close(graceMs = 2000): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    try {
      // Answers still being decided go out first, so no server request is left unanswered.
      const flushed = Promise.allSettled([...this.#inFlightAnswers])
        .then(() => this.#writeChain)
        .then(() => this.#writer.close())
        .catch(() => {});
      await Promise.race([flushed, grace]);
      await Promise.race([this.#closed, grace]);
    } finally {
      clearTimeout(timer);
    }
    if (!this.#closedError) {
      // The peer did not end on its own: stop reading, which fails every pending request.
      await this.#reader.cancel().catch(() => {});
      await this.#closed;
    }
  }

  #send(message: Record<string, unknown>): Promise<void> {
    const bytes = encoder.encode(`${JSON.stringify(message)}\n`);
    const next = this.#writeChain.then(() => this.#writer.write(bytes));
    this.#writeChain = next.catch(() => {});
    return next.catch(async (error) => {
      // A write fails when the peer has died; the close that follows knows how it ended (exit
      // code, signal, stderr), so wait a moment for it rather than report a bare EPIPE.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const closed = this.#closedError ?? await Promise.race([
        this.#closed,
        new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), 1000)),
      ]);
      clearTimeout(timer);
      throw closed ??
        new ConnectionClosedError(`Cannot write to ${this.#peer()}: ${errorText(error)}`, {
          cause: error,
          secrets: this.#options.secrets,
        });
    });
  }

  #settle(id: RpcId): Pending | undefined {
    const entry = this.#pending.get(id);
    if (!entry) return undefined;
    this.#pending.delete(id);
    entry.cleanup();
    return entry;
  }

  async #readLoop(): Promise<ConnectionClosedError> {
    let failure: unknown;
    try {
      while (true) {
        const { done, value } = await this.#reader.read();
        if (done) break;
        this.#dispatch(value);
      }
    } catch (error) {
      failure = error;
    }
    let info: ConnectionClosedErrorOptions & { reason?: string } = {};
    try {
      info = (await this.#options.describeClose?.()) ?? {};
    } catch {
      // A description is a courtesy; the closure itself is what matters.
    }
    const { reason, ...fields } = info;
    const why = reason ?? (failure === undefined ? "its output ended" : errorText(failure));
    const error = new ConnectionClosedError(`The ${this.#peer()} connection closed: ${why}`, {
      cause: failure,
      ...fields,
      secrets: this.#options.secrets,
    });
    this.#closedError = error;
    for (const id of [...this.#pending.keys()]) this.#settle(id)?.reject(error);
    // Closing the writable of a dead child can stay pending forever (Node); do not wait on it.
    this.#writer.close().catch(() => {});
    return error;
  }

  #dispatch(message: Record<string, unknown>): void {
    const id = message.id;
    const method = message.method;
    const hasId = typeof id === "number" || typeof id === "string";
    if (typeof method === "string") {
      if (hasId) this.#answer(id, method, message.params);
      else {
        for (const listener of [...this.#listeners]) {
          this.#safely(() => listener(method, message.params, message));
        }
      }
      return;
    }
    if (!hasId) return this.#safely(() => this.#report(`a message with neither id nor method`));
    const entry = this.#settle(id);
    if (!entry) return this.#safely(() => this.#report(`an answer to unknown request ${id}`));
    if (message.error !== undefined) {
      const raw = (message.error ?? {}) as Partial<RpcErrorObject>;
      const code = typeof raw.code === "number" ? raw.code : -32603;
      const text = typeof raw.message === "string" ? raw.message : "unknown error";
      entry.reject(
        new RpcError(`${entry.method} failed: ${text} (code ${code})`, {
          code,
          data: raw.data,
          method: entry.method,
          secrets: this.#options.secrets,
        }),
      );
    } else entry.resolve(message.result);
  }

  #answer(id: RpcId, method: string, params: unknown): void {
    const handler = this.#requestHandler;
    const work = (async () => {
      let reply: Record<string, unknown>;
      try {
        if (!handler) {
          throw new RpcError(`Unsupported server request ${method}`, { code: -32601, method });
        }
        const result = await handler(method, params, id);
        reply = { id, result: result ?? null };
      } catch (error) {
        const code = error instanceof RpcError ? error.code : -32603;
        const data = error instanceof RpcError ? error.data : undefined;
        const text = error instanceof Error ? error.message : String(error);
        reply = {
          id,
          error: data === undefined ? { code, message: text } : { code, message: text, data },
        };
      }
      if (this.#closedError) return;
      await this.#send(reply).catch((error) => this.#safely(() => this.#report(errorText(error))));
    })();
    this.#inFlightAnswers.add(work);
    work.finally(() => this.#inFlightAnswers.delete(work));
  }

  #report(problem: string): void {
    this.#options.onListenerError?.(new Error(`Ignored from ${this.#peer()}: ${problem}`));
  }

  #safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      try {
        this.#options.onListenerError?.(error);
      } catch {
        // A reporter that throws has nowhere left to report to.
      }
    }
  }

  #peer(): string {
    return this.#options.peer ?? "app-server";
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

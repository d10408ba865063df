/**
 * The WebSocket transport: `codex app-server --listen ws://IP:PORT` through the runtime's
 * global `WebSocket` (Deno, Bun and Node 24 all have one). Each JSON-RPC message is one text
 * frame; the frames are turned into the same newline-delimited byte duplex as stdio, so the
 * JSON-RPC core does not know which transport it runs on.
 *
 * @module
 */
import { ConnectionClosedError } from "../errors.ts";
import type { AppServerTransport } from "./stdio_transport.ts";

/** Options of {@linkcode connectWebSocketTransport}. */
export interface WebSocketTransportOptions {
  /**
   * Bearer token (`--ws-auth capability-token`). Sent only over `wss://` or to a loopback
   * `ws://` address; anything else throws a TypeError before connecting.
   */
  token?: string;
  /** Give up connecting after this many ms (default 10000). */
  connectTimeoutMs?: number;
}

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]", "::1"]);

/**
 * Whether a bearer token may be sent to `url`: over `wss://` always, over `ws://` only to a
 * loopback host (127.0.0.0/8, ::1, localhost), where nothing leaves the machine.
 */
export function mayCarryToken(url: URL): boolean {
  if (url.protocol === "wss:") return true;
  if (url.protocol !== "ws:") return false;
  const host = url.hostname.toLowerCase();
  return LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Parses and checks `url` and `token`; throws a TypeError naming the problem. */
export function checkWebSocketTarget(url: string | URL, token: string | undefined): URL {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new TypeError(`Cannot connect to the app-server: url ${String(url)} is not a URL`);
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
    throw new TypeError(
      `Cannot connect to the app-server: url must be ws:// or wss://, not ${parsed.protocol}//`,
    );
  }
  if (token !== undefined && !mayCarryToken(parsed)) {
    throw new TypeError(
      "Cannot send options.token: a bearer token only travels over wss:// or to a loopback ws:// address",
    );
  }
  return parsed;
}

interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: unknown) => void): void;
}

type WebSocketConstructor = new (
  url: string,
  options?: { headers?: Record<string, string> } | string[],
) => WebSocketLike;

/**
 * Opens a WebSocket to a running app-server and wraps it as a byte duplex. Rejects with
 * {@linkcode ConnectionClosedError} when the socket cannot open (refused, 401, timeout).
 */
export async function connectWebSocketTransport(
  url: string | URL,
  options: WebSocketTransportOptions = {},
): Promise<AppServerTransport> {
  const target = checkWebSocketTarget(url, options.token);
  const Ctor = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof Ctor !== "function") {
    throw new TypeError("Cannot connect to the app-server: this runtime has no global WebSocket");
  }
  // Deno, Bun and Node (undici) all accept a non-standard `headers` init; browsers would not.
  const socket = options.token === undefined
    ? new Ctor(target.href)
    : new Ctor(target.href, { headers: { Authorization: `Bearer ${options.token}` } });
  const where = `${target.protocol}//${target.host}`;
  let closeInfo = { code: 0, reason: "" };
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const readable = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      socket.close(1000);
    },
  });
  socket.addEventListener("message", (event) => {
    const data = (event as { data: unknown }).data;
    const text = typeof data === "string" ? data : new TextDecoder().decode(data as ArrayBuffer);
    try {
      controller.enqueue(encoder.encode(text.endsWith("\n") ? text : `${text}\n`));
    } catch {
      // The reader is gone; late frames have nowhere to go.
    }
  });
  socket.addEventListener("close", (event) => {
    const e = event as { code?: number; reason?: string };
    closeInfo = { code: e.code ?? 0, reason: e.reason ?? "" };
    try {
      controller.close();
    } catch {
      // Already closed or cancelled.
    }
    resolveClosed();
  });
  socket.binaryType = "arraybuffer";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new ConnectionClosedError(`Cannot connect to the app-server at ${where}: timed out`));
    }, options.connectTimeoutMs ?? 10000);
    socket.addEventListener("open", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.addEventListener("error", (event) => {
      clearTimeout(timer);
      const message = (event as { message?: string }).message;
      reject(
        new ConnectionClosedError(
          `Cannot connect to the app-server at ${where}${message ? `: ${message}` : ""}`,
        ),
      );
    });
  });
  let pending = "";
  const decoder = new TextDecoder();
  const writable = new WritableStream<Uint8Array>({
    write(chunk) {
      if (socket.readyState !== 1) throw new Error(`the socket to ${where} is not open`);
      pending += decoder.decode(chunk, { stream: true });
      let nl;
      while ((nl = pending.indexOf("\n")) >= 0) {
        socket.send(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    },
    close() {
      socket.close(1000);
    },
    abort() {
      socket.close(1000);
    },
  });
  return {
    description: `app-server at ${where}`,
    readable,
    writable,
    describeClose: () =>
      Promise.resolve({
        reason: `the socket closed (code ${closeInfo.code}${
          closeInfo.reason ? `, ${closeInfo.reason}` : ""
        })`,
      }),
    async dispose(graceMs = 2000) {
      if (socket.readyState < 2) socket.close(1000);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    },
  };
}

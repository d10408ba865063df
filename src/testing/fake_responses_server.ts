/**
 * A scripted stand-in for the OpenAI Responses API on 127.0.0.1, so the real codex binary can
 * run whole turns offline. Built on `node:http`, which Deno, Bun and Node all provide.
 *
 * @module
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { createIdSource, renderStep } from "./_sse.ts";
import type { FailedStep, HttpErrorStep, ResponseStep, Step } from "./steps.ts";

/**
 * One request the server received, as recorded.
 *
 * @example Inspect what codex sent
 * ```ts ignore
 * const [first] = await server.waitForRequests(1);
 * const body = first.body as { model: string; prompt_cache_key: string };
 * ```
 */
export interface RecordedRequest {
  /** Position among all recorded requests, from 0. */
  index: number;
  /** Which script step answered it (the n-th `POST /v1/responses`), or `null` for others. */
  step: number | null;
  /** HTTP method. */
  method: string;
  /** Request path without the query string, e.g. `/v1/responses`. */
  path: string;
  /** Lower-cased headers; `authorization` is always `"Bearer ***"`. */
  headers: Record<string, string>;
  /** The parsed JSON body, the raw text when it is not JSON, or `undefined` when empty. */
  body: unknown;
  /** The HTTP status the server answered with. */
  status: number;
}

/** The script: a list of steps, or a function choosing the step for each call. */
export type Script =
  | readonly Step[]
  | ((request: RecordedRequest, index: number) => Step | Promise<Step>);

/** Options of {@linkcode startFakeResponsesServer}. */
export interface FakeResponsesServerOptions {
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
}

/**
 * A running fake Responses server.
 *
 * @example Hold a stream to test cancellation
 * ```ts ignore
 * await using server = await startFakeResponsesServer([{ ...reply.message("late"), hold: true }]);
 * // start a turn, then:
 * await server.waitForHold();
 * server.release(); // or abort the turn and check the child is gone
 * ```
 */
export interface FakeResponsesServer extends AsyncDisposable {
  /** Base URL to give codex as `base_url`, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Every request received so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Resolves with the recorded `POST /v1/responses` requests once at least `n` arrived;
   * rejects after `timeoutMs` (default 10000) naming how many came.
   */
  waitForRequests(n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /**
   * Resolves once `n` streams (in total, default 1) have reached their hold point; rejects
   * after `timeoutMs` (default 10000).
   */
  waitForHold(n?: number, timeoutMs?: number): Promise<void>;
  /** Lets every stream held by `hold: true` / `stallAfterCreated` go on; returns how many. */
  release(): number;
  /** Stops listening and destroys open connections, held streams included. Idempotent. */
  close(): Promise<void>;
}

const RESPONSES_PATH = "/v1/responses";

/** Renders a header map for recording, hiding the credential. */
export function redactHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    headers[key] = key === "authorization"
      ? "Bearer ***"
      : Array.isArray(value)
      ? value.join(", ")
      : value;
  }
  return headers;
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of req) chunks.push(chunk as Uint8Array);
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
  });
  res.end(text);
}

function errorBody(message: string, type = "server_error"): unknown {
  return { error: { message, type, code: null } };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Starts a fake Responses API on 127.0.0.1. Step `i` of `script` answers the `i`-th
 * `POST /v1/responses`; when the steps run out the server answers HTTP 500 naming the request.
 * Any other method or path gets a 404 JSON error (and is recorded).
 *
 * @example Answer one turn with a message
 * ```ts ignore
 * import { reply, startFakeResponsesServer } from "@codexkit/sdk/testing";
 * await using server = await startFakeResponsesServer([reply.message("Hello!")]);
 * // point codex at server.url (see offlineCodexConfig), run a turn, then:
 * const [request] = await server.waitForRequests(1);
 * ```
 */
export async function startFakeResponsesServer(
  script: Script,
  options: FakeResponsesServerOptions = {},
): Promise<FakeResponsesServer> {
  if (!Array.isArray(script) && typeof script !== "function") {
    throw new TypeError(
      "Cannot start the fake server: script must be an array of steps or a function",
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`Cannot start the fake server: options.port ${port} is not a port number`);
  }

  const requests: RecordedRequest[] = [];
  const ids = createIdSource();
  const sockets = new Set<Socket>();
  const responses = new Set<ServerResponse>();
  const releasers = new Set<() => void>();
  const watchers = new Set<() => void>();
  let stepCount = 0;
  let holdCount = 0;
  let closed = false;

  const notify = (): void => {
    for (const watch of [...watchers]) watch();
  };

  const wait = (ready: () => boolean, timeoutMs: number, what: () => string): Promise<void> => {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`Fake Responses server: timed out after ${timeoutMs} ms ${what()}`));
      }, timeoutMs);
      const check = (): void => {
        if (!ready()) return;
        clearTimeout(timer);
        watchers.delete(check);
        resolve();
      };
      watchers.add(check);
    });
  };

  const holdUntilReleased = (hold: true | Promise<unknown>): Promise<void> => {
    holdCount += 1;
    notify();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        releasers.delete(done);
        resolve();
      };
      releasers.add(done);
      if (hold !== true) hold.then(done, done);
    });
  };

  const stream = async (res: ServerResponse, step: ResponseStep | FailedStep): Promise<void> => {
    const { frames, holdAt } = renderStep(step, ids);
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "connection": "keep-alive",
    });
    // Some node:http ports buffer until the first write; flush the head now.
    res.flushHeaders?.();
    for (let i = 0; i < frames.length; i++) {
      if (i === holdAt) {
        await holdUntilReleased(step.hold instanceof Promise ? step.hold : true);
      } else if (i > 0 && step.delayMs) {
        await sleep(step.delayMs);
      }
      if (closed || res.destroyed) return;
      res.write(frames[i]);
    }
    if (holdAt === frames.length) {
      await holdUntilReleased(step.hold instanceof Promise ? step.hold : true);
    }
    if (!closed && !res.destroyed) res.end();
  };

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const text = await readBody(req);
    const path = (req.url ?? "/").split("?")[0];
    const isCall = req.method === "POST" && path === RESPONSES_PATH;
    const recorded: RecordedRequest = {
      index: requests.length,
      step: isCall ? stepCount++ : null,
      method: req.method ?? "GET",
      path,
      headers: redactHeaders(req.headers),
      body: parseBody(text),
      status: 0,
    };
    requests.push(recorded);
    if (!isCall) {
      recorded.status = 404;
      notify();
      sendJson(res, 404, errorBody(`No route for ${recorded.method} ${path}`, "not_found"));
      return;
    }
    const n = recorded.step as number;
    let step: Step | undefined;
    try {
      step = typeof script === "function" ? await script(recorded, n) : script[n];
    } catch (error) {
      recorded.status = 500;
      notify();
      sendJson(
        res,
        500,
        errorBody(
          `Fake Responses server: the script threw on request #${n + 1} (index ${n}): ${
            String(error)
          }`,
        ),
      );
      return;
    }
    if (step === undefined) {
      recorded.status = 500;
      notify();
      const steps = Array.isArray(script) ? ` (the script has ${script.length} steps)` : "";
      sendJson(
        res,
        500,
        errorBody(`Fake Responses server: no step for request #${n + 1} (index ${n})${steps}`),
      );
      return;
    }
    if (step.kind === "http_error") {
      recorded.status = step.status;
      notify();
      sendJson(res, step.status, httpErrorBody(step));
      return;
    }
    recorded.status = 200;
    notify();
    await stream(res, step);
  };

  const server: Server = createServer((req, res) => {
    responses.add(res);
    res.on("close", () => responses.delete(res));
    answer(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, errorBody("Fake Responses server: internal error"));
      else res.destroy();
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address !== null ? address.port : port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      closed = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const res of responses) res.destroy();
      for (const socket of sockets) socket.destroy();
      for (const release of [...releasers]) release();
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await done;
    })();
    return closing;
  };

  const calls = (): RecordedRequest[] => requests.filter((r) => r.step !== null);

  return {
    url: `http://127.0.0.1:${boundPort}/v1`,
    port: boundPort,
    requests,
    async waitForRequests(n: number, timeoutMs = 10_000): Promise<RecordedRequest[]> {
      await wait(
        () => calls().length >= n,
        timeoutMs,
        () => `waiting for ${n} POST ${RESPONSES_PATH} requests (got ${calls().length})`,
      );
      return calls();
    },
    waitForHold(n = 1, timeoutMs = 10_000): Promise<void> {
      return wait(
        () => holdCount >= n,
        timeoutMs,
        () => `waiting for ${n} held streams (got ${holdCount})`,
      );
    },
    release(): number {
      const pending = [...releasers];
      for (const release of pending) release();
      return pending.length;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function httpErrorBody(step: HttpErrorStep): unknown {
  return step.body === undefined
    ? errorBody(`Fake Responses server: scripted HTTP ${step.status}`)
    : step.body;
}

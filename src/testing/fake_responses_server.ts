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
  /**
   * Also stand in for a local model server, for threads with `oss: true` and this
   * `localProvider` (give codex `CODEX_OSS_BASE_URL=server.url`, see `offlineOssConfig`). What
   * codex 0.169.0 asks before the turn:
   * - both: `GET /v1/models`, answered as an OpenAI model list of `localModels`;
   * - `"ollama"`: `GET /api/version` (answered with `ollamaVersion`) and `GET /api/tags`
   *   (`localModels` as installed models);
   * - `"lmstudio"`: a `POST /v1/responses` without `stream: true` that loads the model, answered
   *   with an empty completed response. It does not use a script step (codex sends it in the
   *   background, so it may come before or after the turn's call, or not at all).
   *
   * These requests are recorded in `requests` with `step: null`; `waitForRequests` does not
   * count them.
   */
  localProvider?: "ollama" | "lmstudio";
  /**
   * Model ids the local provider reports as installed (default: the one codex picks for `--oss`
   * without `-m`, `["gpt-oss:20b"]` for ollama, `["openai/gpt-oss-20b"]` for lmstudio). List
   * every model the thread uses: for a missing one codex tries a download before the turn
   * (Ollama: `POST /api/pull`, which this server answers 404, failing the turn; LM Studio: its
   * `lms` command, when one is installed).
   */
  localModels?: readonly string[];
  /**
   * The Ollama version `GET /api/version` reports (default `"0.13.4"`, the oldest codex 0.169.0
   * accepts; an older one makes it refuse before the turn).
   */
  ollamaVersion?: string;
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

/** What codex 0.169.0 runs with `--oss --local-provider <id>` and no `-m`. */
const DEFAULT_LOCAL_MODELS = {
  ollama: ["gpt-oss:20b"],
  lmstudio: ["openai/gpt-oss-20b"],
} as const;

type LocalProvider = keyof typeof DEFAULT_LOCAL_MODELS;

/** The local provider's own routes: status and body, or `undefined` when it has none there. */
function localRoute(
  local: { provider: LocalProvider; models: readonly string[]; version: string },
  method: string,
  path: string,
  body: unknown,
): { status: number; body: unknown } | undefined {
  if (method === "GET" && path === "/v1/models") {
    return {
      status: 200,
      body: {
        object: "list",
        data: local.models.map((id) => ({ id, object: "model", owned_by: local.provider })),
      },
    };
  }
  if (local.provider === "ollama" && method === "GET") {
    if (path === "/api/version") return { status: 200, body: { version: local.version } };
    if (path === "/api/tags") {
      return { status: 200, body: { models: local.models.map((name) => ({ name, model: name })) } };
    }
  }
  const streamed = typeof body === "object" && body !== null &&
    (body as { stream?: unknown }).stream === true;
  if (local.provider === "lmstudio" && method === "POST" && path === RESPONSES_PATH && !streamed) {
    const model = (body as { model?: unknown } | undefined)?.model;
    return {
      status: 200,
      body: { id: "resp_load", object: "response", status: "completed", model, output: [] },
    };
  }
  return undefined;
}

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
 * With `options.localProvider` it also answers what codex asks a local Ollama or LM Studio
 * server before an `oss` turn. Any other method or path gets a 404 JSON error (and is recorded).
 *
 * @example Answer one turn with a message
 * ```ts ignore
 * import { reply, startFakeResponsesServer } from "@codexkit/sdk/testing";
 * await using server = await startFakeResponsesServer([reply.message("Hello!")]);
 * // point codex at server.url (see offlineCodexConfig), run a turn, then:
 * const [request] = await server.waitForRequests(1);
 * ```
 *
 * @example Stand in for a local Ollama
 * ```ts ignore
 * import { offlineOssConfig, reply, startFakeResponsesServer } from "@codexkit/sdk/testing";
 * await using server = await startFakeResponsesServer([reply.message("Hi from a local model")], {
 *   localProvider: "ollama",
 * });
 * const { config, env } = offlineOssConfig(server); // env: { CODEX_OSS_BASE_URL: server.url }
 * // new Codex({ config, env: { PATH, ...env }, codexHome })
 * //   .startThread({ oss: true, localProvider: "ollama", skipGitRepoCheck: true }).run("hi")
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
  const local = localOptions(options);

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
    const method = req.method ?? "GET";
    const body = parseBody(text);
    const localAnswer = local && localRoute(local, method, path, body);
    const isCall = !localAnswer && method === "POST" && path === RESPONSES_PATH;
    const recorded: RecordedRequest = {
      index: requests.length,
      step: isCall ? stepCount++ : null,
      method,
      path,
      headers: redactHeaders(req.headers),
      body,
      status: 0,
    };
    requests.push(recorded);
    if (localAnswer) {
      recorded.status = localAnswer.status;
      notify();
      sendJson(res, localAnswer.status, localAnswer.body);
      return;
    }
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

function localOptions(
  options: FakeResponsesServerOptions,
): { provider: LocalProvider; models: readonly string[]; version: string } | undefined {
  const { localProvider: provider, localModels, ollamaVersion } = options;
  if (provider === undefined) {
    if (localModels !== undefined || ollamaVersion !== undefined) {
      throw new TypeError(
        "Cannot start the fake server: options.localModels and options.ollamaVersion need " +
          'options.localProvider ("ollama" or "lmstudio")',
      );
    }
    return undefined;
  }
  if (!Object.hasOwn(DEFAULT_LOCAL_MODELS, provider)) {
    throw new TypeError(
      `Cannot start the fake server: options.localProvider ${
        JSON.stringify(provider)
      } is not "ollama" or "lmstudio"`,
    );
  }
  const models = localModels ?? DEFAULT_LOCAL_MODELS[provider];
  if (
    !Array.isArray(models) || models.length === 0 ||
    !models.every((m) => typeof m === "string" && m !== "")
  ) {
    throw new TypeError(
      `Cannot start the fake server: options.localModels ${
        JSON.stringify(localModels)
      } is not a non-empty list of model ids`,
    );
  }
  const version = ollamaVersion ?? "0.13.4";
  if (typeof version !== "string" || !/^\d+\.\d+\.\d+/.test(version)) {
    throw new TypeError(
      `Cannot start the fake server: options.ollamaVersion ${
        JSON.stringify(ollamaVersion)
      } is not a version like "0.13.4"`,
    );
  }
  return { provider, models, version };
}

function httpErrorBody(step: HttpErrorStep): unknown {
  return step.body === undefined
    ? errorBody(`Fake Responses server: scripted HTTP ${step.status}`)
    : step.body;
}

/**
 * `codex responses-api-proxy`: a local HTTP proxy that adds the API key to requests it
 * forwards to the Responses API, so the processes that call it never hold the key.
 *
 * @module
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CodexError } from "../errors.ts";
import { DEFAULT_KILL_GRACE_MS, terminate, writeStdin } from "../runtime/mod.ts";
import type { ExitStatus } from "../runtime/mod.ts";
import { StderrCollector } from "../process/stderr.ts";
import { redactText } from "../redact.ts";
import { checkCommandOptions, prepareCommand } from "./_prepare.ts";
import type { CodexCommandOptions } from "./_prepare.ts";

/** Options of {@linkcode startResponsesApiProxy}. */
export interface ResponsesApiProxyOptions extends CodexCommandOptions {
  /** The key the proxy adds to each request; written to its stdin, never to argv or env. */
  key: string;
  /** Port to listen on (default: an ephemeral one). */
  port?: number;
  /** Where requests go (`--upstream-url`; default the CLI's, OpenAI's Responses endpoint). */
  upstreamUrl?: string;
  /** Write each request and response as JSON into this directory (`--dump-dir`). */
  dumpDir?: string;
  /** Serve `GET /shutdown` (`--http-shutdown`). */
  httpShutdown?: boolean;
  /** How long to wait for the proxy to report its port, in ms (default 10000). */
  startTimeoutMs?: number;
}

/** A running proxy. Dispose (or `stop()`) ends it. */
export interface ResponsesApiProxy extends AsyncDisposable {
  /** The port it listens on, on 127.0.0.1. */
  readonly port: number;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The proxy's process id. */
  readonly pid: number;
  /** Settles when the proxy has exited. */
  readonly exited: Promise<ExitStatus>;
  /** Stops the proxy's process group (SIGTERM, then SIGKILL after the grace). */
  stop(): Promise<ExitStatus>;
}

/** The argv of `codex responses-api-proxy`. Pure. */
export function responsesApiProxyArgs(
  serverInfo: string,
  options: Pick<ResponsesApiProxyOptions, "port" | "upstreamUrl" | "dumpDir" | "httpShutdown">,
): string[] {
  const args = ["responses-api-proxy", "--server-info", serverInfo];
  if (options.port !== undefined) {
    if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
      throw new TypeError(
        `Cannot start the proxy: options.port must be a port number, got ${String(options.port)}`,
      );
    }
    args.push("--port", String(options.port));
  }
  if (options.upstreamUrl !== undefined) {
    if (typeof options.upstreamUrl !== "string" || !/^https?:\/\//.test(options.upstreamUrl)) {
      throw new TypeError("Cannot start the proxy: options.upstreamUrl must be an http(s) URL");
    }
    args.push("--upstream-url", options.upstreamUrl);
  }
  if (options.dumpDir !== undefined) args.push("--dump-dir", options.dumpDir);
  if (options.httpShutdown) args.push("--http-shutdown");
  return args;
}

/**
 * Starts the proxy and resolves once it listens (it reports its port in a server-info file).
 *
 * @example
 * ```ts ignore
 * import { startResponsesApiProxy } from "@codexkit/sdk/commands";
 * await using proxy = await startResponsesApiProxy({ key: Deno.env.get("OPENAI_API_KEY")! });
 * // point a client at `${proxy.url}/v1/responses`; it never sees the key
 * ```
 */
export async function startResponsesApiProxy(
  options: ResponsesApiProxyOptions,
): Promise<ResponsesApiProxy> {
  checkCommandOptions(options);
  if (typeof options.key !== "string" || options.key.trim() === "") {
    throw new TypeError("Cannot start the proxy: options.key must be a non-empty string");
  }
  const dir = await mkdtemp(join(tmpdir(), "codexkit-proxy-"));
  const infoFile = join(dir, "server-info.json");
  try {
    const args = responsesApiProxyArgs(infoFile, options);
    const prepared = await prepareCommand(["responses-api-proxy"], args, {
      ...options,
      secrets: [...(options.secrets ?? []), options.key],
    });
    const grace = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    const child = await prepared.spawner.spawn(prepared.binary.path, prepared.args, {
      cwd: options.cwd,
      env: prepared.env,
      stdin: "piped",
    });
    const stderr = new StderrCollector(child.stderr);
    void child.stdout.cancel().catch(() => {});
    // The key goes on stdin only, never in argv or the environment.
    await writeStdin(child, options.key);
    const stop = () => terminate(child, grace);
    const onAbort = () => void stop();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    void child.exited.then(() => options.signal?.removeEventListener("abort", onAbort));
    try {
      const port = await waitForPort(infoFile, child.exited, options.startTimeoutMs ?? 10_000);
      return {
        port,
        url: `http://127.0.0.1:${port}`,
        pid: child.pid,
        exited: child.exited,
        stop,
        [Symbol.asyncDispose]: async () => {
          await stop();
        },
      };
    } catch (error) {
      await stop();
      await stderr.done;
      const tail = redactText(stderr.tail(), prepared.secrets);
      throw new CodexError(`codex responses-api-proxy did not start: ${(error as Error).message}`, {
        command: prepared.display,
        stderrTail: tail,
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function waitForPort(
  file: string,
  exited: Promise<ExitStatus>,
  timeoutMs: number,
): Promise<number> {
  let done: ExitStatus | undefined;
  void exited.then((status) => (done = status));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(file, "utf8").catch(() => "");
    if (text.trim() !== "") {
      try {
        const info = JSON.parse(text) as { port?: unknown };
        if (typeof info.port === "number") return info.port;
      } catch {
        // Written but not yet complete; read again.
      }
    }
    if (done) throw new Error(`it exited with code ${done.code ?? done.signal}`);
    if (Date.now() > deadline) throw new Error(`no port reported within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

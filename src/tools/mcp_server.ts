/**
 * The tools of one exec run, served to codex as a streamable HTTP MCP server on 127.0.0.1,
 * built on `@modelcontextprotocol/sdk`. It lives exactly as long as the run: the run starts it
 * before the spawn and closes it on every way the run ends, which aborts every call still
 * running. Only a client holding the run's bearer token is served.
 *
 * Each HTTP request gets its own stateless MCP server and transport (the SDK's stateless
 * mode), so nothing is shared between requests but the tools.
 *
 * @module
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes, timingSafeEqual } from "node:crypto";
// The SDK's "./*" export maps types to "*.d.ts", which Deno 2.9 reads as "types.js.d.ts"; the
// extension-less names below have the same declarations (tsc and the runtimes take the .js).
// @ts-types="@modelcontextprotocol/sdk/server"
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { callTool, toolSpecs } from "./call.ts";
import type { Tool } from "./tool.ts";

/** A running tools server; `close()` (or dispose) stops it and aborts the calls under way. */
export interface ToolsServer extends AsyncDisposable {
  /** The streamable HTTP endpoint, `http://127.0.0.1:PORT/mcp`. */
  readonly url: string;
  /** The bearer token a client must send (a fresh random one per server). */
  readonly token: string;
  /** Stops listening, drops open connections and aborts every running `execute`. */
  close(): Promise<void>;
}

/** Options of {@linkcode startToolsServer}. */
export interface ToolsServerOptions {
  /** The tools served. */
  tools: readonly Tool[];
  /** The thread the calls belong to, asked at each call (a new exec thread learns it late). */
  threadId?: () => string | undefined;
}

const MAX_BODY = 4 * 1024 * 1024;

/**
 * Starts serving `tools` on an ephemeral loopback port. Throws a TypeError naming `tools` for
 * malformed tools (checked before anything listens).
 */
export async function startToolsServer(options: ToolsServerOptions): Promise<ToolsServer> {
  const specs = toolSpecs(options.tools);
  const token = randomBytes(32).toString("base64url");
  const expected = Buffer.from(`Bearer ${token}`);
  const stopped = new AbortController();

  const mcp = (): Server => {
    const server = new Server(
      { name: "codexkit-tools", version: "1.0.0" },
      { capabilities: { tools: {} } },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      // Our tools act for the program that gave them, so codex may run them without asking.
      tools: specs.map((spec) => ({ ...spec, inputSchema: spec.inputSchema as never })),
    }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const signal = AbortSignal.any([stopped.signal, extra.signal]);
      const outcome = await callTool(options.tools, request.params.name, request.params.arguments, {
        signal,
        threadId: options.threadId?.(),
        turnId: undefined,
      });
      return { content: [{ type: "text", text: outcome.text }], isError: !outcome.ok };
    });
    return server;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const auth = Buffer.from(String(req.headers.authorization ?? ""));
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      res.writeHead(401, { "content-type": "text/plain" }).end("unauthorized");
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(key, value);
      else if (Array.isArray(value)) { for (const v of value) headers.append(key, v); }
    }
    const method = req.method ?? "GET";
    const request = new Request(`http://127.0.0.1${req.url ?? "/"}`, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
    });
    const server = mcp();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    try {
      await server.connect(transport);
      const response = await transport.handleRequest(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } finally {
      await server.close().catch(() => {});
    }
  };

  const http = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", () => {
      http.off("error", reject);
      resolve();
    });
  });
  const address = http.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    closing ??= new Promise<void>((resolve) => {
      stopped.abort(new Error("The run ended"));
      http.close(() => resolve());
      http.closeAllConnections?.();
    });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    token,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * A `fetch` that also trusts extra CA certificates, on each runtime: Deno through an HTTP
 * client with `caCerts`, Bun through `fetch`'s `tls.ca`, Node through `node:https` (its global
 * fetch takes no CA without the undici package). The system's roots stay trusted too.
 *
 * @module
 */
import { rootCertificates } from "node:tls";
import { detectRuntime } from "./detect.ts";
import type { RuntimeName } from "./types.ts";

/** A fetch trusting extra CAs; `close()` releases what the runtime holds for it. */
export interface TrustingFetch extends AsyncDisposable {
  /** Fetches like the global fetch, trusting the extra CAs too. */
  fetch: typeof fetch;
  /** Releases the runtime's client (Deno); idempotent. */
  close(): Promise<void>;
}

interface DenoHttp {
  createHttpClient(options: { caCerts: string[] }): { close(): void };
}

/**
 * A fetch that trusts `caPem` (one or more PEM certificates) besides the system roots.
 *
 * @example
 * ```ts ignore
 * await using trusted = fetchTrusting(await readFile("/etc/corp-ca.pem", "utf8"));
 * const response = await trusted.fetch("https://registry.corp.example/@openai%2fcodex");
 * ```
 */
export function fetchTrusting(
  caPem: string,
  runtime: RuntimeName = detectRuntime(),
): TrustingFetch {
  const nothing = () => Promise.resolve();
  let trusting: { fetch: typeof fetch; close: () => Promise<void> };
  if (runtime === "deno") {
    const deno = (globalThis as unknown as { Deno: DenoHttp }).Deno;
    const client = deno.createHttpClient({ caCerts: [caPem] });
    let closed = false;
    trusting = {
      fetch: ((input: string | URL | Request, init?: RequestInit) =>
        fetch(input, { ...init, client } as RequestInit)) as typeof fetch,
      close: () => {
        if (!closed) {
          client.close();
        }
        closed = true;
        return Promise.resolve();
      },
    };
  } else if (runtime === "bun") {
    // Bun's tls.ca replaces the default roots, as Node's does: keep them.
    const ca = [...rootCertificates, caPem];
    trusting = {
      fetch: ((input: string | URL | Request, init?: RequestInit) =>
        fetch(input, { ...init, tls: { ca } } as RequestInit)) as typeof fetch,
      close: nothing,
    };
  } else {
    const ca = [...rootCertificates, caPem];
    trusting = {
      fetch: ((input: string | URL | Request, init?: RequestInit) =>
        nodeFetch(input, init ?? {}, ca)) as typeof fetch,
      close: nothing,
    };
  }
  return { ...trusting, [Symbol.asyncDispose]: trusting.close };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** GET and HEAD without a body over `node:https`/`node:http`, following redirects. */
async function nodeFetch(
  input: string | URL | Request,
  init: RequestInit,
  ca: string[],
): Promise<Response> {
  if (init.body !== undefined && init.body !== null) {
    throw new TypeError("Cannot send a body: the CA-trusting fetch on Node does GET and HEAD");
  }
  const method = (init.method ?? "GET").toUpperCase();
  if (method !== "GET" && method !== "HEAD") {
    throw new TypeError(`Cannot send a ${method}: the CA-trusting fetch on Node does GET and HEAD`);
  }
  const https = await import("node:https");
  const http = await import("node:http");
  const { Readable } = await import("node:stream");
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, key) => headers[key] = value);
  let url = new URL(input instanceof Request ? input.url : String(input));
  for (let hop = 0;; hop++) {
    const response = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
      const options = { method, headers, signal: init.signal ?? undefined };
      const request = url.protocol === "https:"
        ? https.request(url, { ...options, ca }, resolve)
        : http.request(url, options, resolve);
      request.on("error", reject);
      request.end();
    });
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (REDIRECTS.has(status) && location && hop < MAX_REDIRECTS) {
      response.resume();
      url = new URL(location, url);
      continue;
    }
    const out = new Headers();
    for (const [key, value] of Object.entries(response.headers)) {
      if (Array.isArray(value)) { for (const one of value) out.append(key, one); }
      else if (value !== undefined) out.set(key, value);
    }
    const empty = method === "HEAD" || status === 204 || status === 304;
    if (empty) response.resume();
    const body = empty ? null : Readable.toWeb(response) as ReadableStream<Uint8Array>;
    return new Response(body, { status, statusText: response.statusMessage, headers: out });
  }
}

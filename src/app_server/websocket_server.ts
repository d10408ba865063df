/**
 * Starting `codex app-server --listen ws://HOST:PORT` with WebSocket authentication, typed
 * (flags of codex 0.140.0 to 0.171.0 `app-server --help`): `--ws-auth capability-token` with the
 * token in a file (`--ws-token-file`) or only its digest in argv (`--ws-token-sha256`), or
 * `--ws-auth signed-bearer-token` with the shared secret in a file (`--ws-shared-secret-file`),
 * `--ws-issuer`, `--ws-audience`, `--ws-max-clock-skew-seconds`. A secret never goes into argv:
 * it is written to a 0600 file in a private temp dir, removed when the server stops.
 *
 * The server is ready when it prints `listening on: ws://...` on stderr (0.171.0); port 0 lets
 * it pick a free one, which the banner then names.
 *
 * @module
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CodexError } from "../errors.ts";
import { AppServer } from "./app_server.ts";
import type { AppServerOptions } from "./app_server.ts";
import { within } from "../process/long_timer.ts";
import { checkListenOptions } from "./options.ts";
import { startServerProcess } from "./stdio_transport.ts";
import type { StdioServerOptions } from "./stdio_transport.ts";
import type { WebSocketTransportOptions } from "./websocket_transport.ts";

/** How clients prove themselves to the WebSocket server. */
export type WebSocketAuth =
  | {
    /** A shared capability token, sent by clients as `Authorization: Bearer <token>`. */
    mode: "capability-token";
    /** The token (default: 32 random bytes, base64url); readable as `server.token`. */
    token?: string;
    /**
     * How the server learns it: a 0600 file (`--ws-token-file`, default) or its SHA-256 digest
     * in argv (`--ws-token-sha256`: no file at all, and the digest reveals nothing).
     */
    pass?: "file" | "sha256";
  }
  | {
    /** HS256 JWTs signed with a shared secret ({@linkcode signWebSocketBearer} makes them). */
    mode: "signed-bearer-token";
    /** The shared secret; written to a 0600 file for `--ws-shared-secret-file`. */
    sharedSecret: string;
    /** Expected `iss` (`--ws-issuer`). */
    issuer?: string;
    /** Expected `aud` (`--ws-audience`). */
    audience?: string;
    /** Allowed clock skew (`--ws-max-clock-skew-seconds`). */
    maxClockSkewSeconds?: number;
  };

/** Options of {@linkcode startWebSocketAppServer}. */
export interface WebSocketServerOptions extends StdioServerOptions {
  /** Address to bind (default `127.0.0.1`; codex binds loopback addresses). */
  host?: string;
  /** Port (default 0: a free one, read from the banner). */
  port?: number;
  /** Authentication; none when omitted (then only loopback clients should reach it). */
  auth?: WebSocketAuth;
  /** How long to wait for the server to listen, in ms (default 30000). */
  readyTimeoutMs?: number;
}

/** A running WebSocket app-server. */
export interface WebSocketAppServer extends AsyncDisposable {
  /** Where it listens (`ws://127.0.0.1:PORT`). */
  readonly url: string;
  /** The capability token clients present, when `auth.mode` is `capability-token`. */
  readonly token: string | undefined;
  /** The server's argv after the binary (no secret in it). */
  readonly command: readonly string[];
  /** Connects a client, presenting the capability token unless `options.token` says otherwise. */
  connect(options?: WebSocketTransportOptions & AppServerOptions): Promise<AppServer>;
  /** Stops the server and removes its secret files. Idempotent. */
  stop(): Promise<void>;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Starts `codex app-server` listening on a WebSocket and waits until it listens. Bad options
 * are a TypeError before anything is spawned; a server that exits or stays silent is a
 * `CodexError` with its stderr tail.
 *
 * @example A token-protected server and a client
 * ```ts ignore
 * await using server = await startWebSocketAppServer({
 *   binary: "/path/to/codex",
 *   auth: { mode: "capability-token" },
 * });
 * await using client = await server.connect();
 * console.log(server.url, (await client.call("thread/list", {})).data.length);
 * ```
 */
export async function startWebSocketAppServer(
  options: WebSocketServerOptions,
): Promise<WebSocketAppServer> {
  checkListenOptions(options);
  const auth = options.auth;
  const authArgs: string[] = [];
  let token: string | undefined;
  let secrets: string | undefined;
  const removeSecrets = async () => {
    if (secrets !== undefined) await rm(secrets, { recursive: true, force: true });
    secrets = undefined;
  };
  const secretFile = async (name: string, text: string): Promise<string> => {
    secrets ??= await mkdtemp(join(tmpdir(), "codexkit-ws-")); // mode 0700
    const path = join(secrets, name);
    await writeFile(path, text, { mode: 0o600 });
    return path;
  };
  try {
    if (auth?.mode === "capability-token") {
      token = auth.token ?? randomToken();
      authArgs.push("--ws-auth", "capability-token");
      if (auth.pass === "sha256") authArgs.push("--ws-token-sha256", await sha256Hex(token));
      else authArgs.push("--ws-token-file", await secretFile("token", token));
    } else if (auth?.mode === "signed-bearer-token") {
      authArgs.push("--ws-auth", "signed-bearer-token");
      authArgs.push("--ws-shared-secret-file", await secretFile("secret", auth.sharedSecret));
      if (auth.issuer !== undefined) authArgs.push("--ws-issuer", auth.issuer);
      if (auth.audience !== undefined) authArgs.push("--ws-audience", auth.audience);
      if (auth.maxClockSkewSeconds !== undefined) {
        authArgs.push("--ws-max-clock-skew-seconds", String(auth.maxClockSkewSeconds));
      }
    }
    let listening!: (url: string) => void;
    const banner = new Promise<string>((resolve) => listening = resolve);
    const started = await startServerProcess({
      ...options,
      serverArgs: [
        "--listen",
        `ws://${options.host ?? "127.0.0.1"}:${options.port ?? 0}`,
        ...authArgs,
        ...(options.serverArgs ?? []),
      ],
      onStderr: (line) => {
        const url = /listening on: (wss?:\/\/\S+)/.exec(line)?.[1];
        if (url) listening(url);
        options.onStderr?.(line);
      },
    });
    // Nothing is expected on stdout; read it so that the server never blocks on a full pipe.
    started.child.stdout.pipeTo(new WritableStream()).catch(() => {});
    // Whichever comes first: the banner, the server's exit, or the time limit.
    let url: string | undefined;
    const first = Promise.race([banner.then((u) => url = u), started.child.exited]);
    await within(first, options.readyTimeoutMs ?? 30_000);
    if (url === undefined) {
      await started.stop(0);
      throw new CodexError("Cannot start the WebSocket app-server: it never said it listens", {
        command: started.command,
        stderrTail: started.stderrTail(),
      });
    }
    const listeningOn: string = url;
    let stopping: Promise<void> | undefined;
    const stop = () =>
      stopping ??= (async () => {
        // A WebSocket server does not end when its stdin closes (0.171.0): SIGTERM, then
        // SIGKILL after the grace period.
        await started.stop(0);
        await removeSecrets();
      })();
    return {
      url: listeningOn,
      token,
      command: started.command.slice(1),
      connect: (connectOptions = {}) =>
        AppServer.connect(listeningOn, {
          ...(token !== undefined ? { token } : {}),
          ...connectOptions,
        }),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await removeSecrets();
    throw error;
  }
}

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/**
 * Signs an HS256 JWT for a `signed-bearer-token` server: `iat` now, `exp` after
 * `expiresInSeconds` (default 300), `iss`/`aud` when given. Pass it as `token` to `connect`.
 */
export async function signWebSocketBearer(options: {
  sharedSecret: string;
  issuer?: string;
  audience?: string;
  expiresInSeconds?: number;
  subject?: string;
}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iat: now,
    exp: now + (options.expiresInSeconds ?? 300),
    ...(options.issuer !== undefined ? { iss: options.issuer } : {}),
    ...(options.audience !== undefined ? { aud: options.audience } : {}),
    ...(options.subject !== undefined ? { sub: options.subject } : {}),
  };
  const text = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
  const unsigned = `${text({ alg: "HS256", typ: "JWT" })}.${text(claims)}`;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(options.sharedSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(unsigned));
  return `${unsigned}.${base64url(new Uint8Array(signature))}`;
}

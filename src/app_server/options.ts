/**
 * The option tables of the app-server entry's doors: `AppServer.spawn`, `AppServer.connect`,
 * `AppServer.open` and `startWebSocketAppServer` check
 * what they are given with the options' one checker, in its one message form ("Cannot use
 * options.port: expected ..., got ..."), before anything is spawned or dialled. A key no table
 * lists is refused with the nearest known one, as the client's options are. Each table has a
 * row per key of its options type, so an option added without a row does not compile.
 *
 * @module
 */
import {
  array,
  checkOptions,
  custom,
  literal,
  number,
  optional,
  picklist,
  strictObject,
  string,
  variant,
} from "../options/_check.ts";
import type { Check } from "../options/_check.ts";
import {
  callbackCheck,
  codexOptionsSchema,
  envCheck,
  flagCheck,
  positiveMsCheck,
  runtimeCheck,
  serverRequestsCheck,
  textCheck,
  withMethod,
} from "../options/schema.ts";
import type { AppServerOptions } from "./app_server.ts";
import type { StdioServerOptions } from "./stdio_transport.ts";
import type { WebSocketTransportOptions } from "./websocket_transport.ts";
import type { WebSocketServerOptions } from "./websocket_server.ts";

/** A check for every key of `T`, optional ones included. */
type Rows<T> = { readonly [K in keyof Required<T>]: Check };

const text = textCheck;
const positiveMs = positiveMsCheck;
// What a connection shares with the client's options is checked by the client's rows.
const CLIENT = codexOptionsSchema.shape!;
const strings = optional(array(string("expected a string"), "expected an array of strings"));
const object = optional(
  custom((value) => typeof value === "object" && value !== null, "expected an object"),
);

/** The rows of {@linkcode AppServerOptions}: a connection, whatever its transport. */
const CONNECTION: Rows<AppServerOptions> = {
  clientInfo: optional(strictObject({
    name: text,
    title: optional(string("expected a string")),
    version: text,
  }, "expected { name, title?, version }")),
  // The protocol's own object, sent as given: a newer codex may take fields this SDK lacks.
  capabilities: object,
  requestTimeoutMs: positiveMs,
  onMalformed: callbackCheck,
  onError: callbackCheck,
  onWarning: callbackCheck,
  skipInitialize: flagCheck,
  initializeTimeoutMs: positiveMs,
  maxLineBytes: CLIENT.maxLineBytes,
  secrets: strings,
  serverRequests: serverRequestsCheck,
  gate: optional(withMethod("support", "an option gate (an object with support())")),
};

/** The rows of {@linkcode StdioServerOptions}: how a server is started. */
const STDIO: Rows<StdioServerOptions> = {
  binary: custom(
    (value) => typeof value === "string" && value.length > 0,
    "expected the path of the codex binary",
  ),
  args: strings,
  serverArgs: strings,
  env: envCheck,
  cwd: text,
  runtime: runtimeCheck,
  spawner: optional(withMethod("spawn", "a spawner (an object with spawn())")),
  onStderr: CLIENT.onStderr,
  killGraceMs: CLIENT.killGraceMs,
};

/** The rows of {@linkcode WebSocketTransportOptions}: how a client dials. */
const WEBSOCKET_CLIENT: Rows<WebSocketTransportOptions> = {
  token: optional(string("expected a string")),
  connectTimeoutMs: positiveMs,
};

type ListenOptions = Omit<WebSocketServerOptions, keyof StdioServerOptions>;

const AUTH = variant("mode", [
  strictObject({
    mode: literal("capability-token", ""),
    token: optional(custom(
      (value) => typeof value === "string" && value.length >= 16,
      "expected a string of 16 characters or more",
    )),
    pass: optional(picklist(["file", "sha256"], 'expected "file" or "sha256"')),
  }, "expected an object"),
  strictObject({
    mode: literal("signed-bearer-token", ""),
    sharedSecret: custom(
      (value) => typeof value === "string" && value.length >= 32,
      "expected a string of 32 characters or more",
    ),
    issuer: optional(string("expected a string")),
    audience: optional(string("expected a string")),
    maxClockSkewSeconds: optional(number(
      (n) => Number.isInteger(n) && n >= 0,
      "expected a whole number of seconds >= 0",
    )),
  }, "expected an object"),
], 'expected "capability-token" or "signed-bearer-token"');

/** The rows a WebSocket server adds to {@linkcode STDIO}: where and how it listens. */
const LISTEN: Rows<ListenOptions> = {
  host: text,
  port: optional(number(
    (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
    "expected a port number from 0 to 65535",
  )),
  auth: optional(AUTH),
  readyTimeoutMs: positiveMs,
};

const spawnSchema = strictObject({ ...STDIO, ...CONNECTION }, "expected an object");
const connectSchema = strictObject({ ...WEBSOCKET_CLIENT, ...CONNECTION }, "expected an object");
const openSchema = strictObject(CONNECTION, "expected an object");
const listenSchema = strictObject({ ...STDIO, ...LISTEN }, "expected an object");

// The keys of AppServerOptions, to hand a connection only its own options.
const CONNECTION_KEYS: readonly (keyof AppServerOptions)[] = Object.keys(
  CONNECTION,
) as (keyof AppServerOptions)[];

/** The options of `AppServer.spawn`; throws a TypeError naming the first bad one. */
export function checkSpawnOptions(options: unknown): void {
  checkOptions(spawnSchema, options, "options", "options.");
}

/** The options of `AppServer.connect`; throws a TypeError naming the first bad one. */
export function checkConnectOptions(options: unknown): void {
  checkOptions(connectSchema, options, "options", "options.");
}

/** The options of `AppServer.open`; throws a TypeError naming the first bad one. */
export function checkOpenOptions(options: unknown): void {
  checkOptions(openSchema, options, "options", "options.");
}

/** The options of `startWebSocketAppServer`; throws a TypeError naming the first bad one. */
export function checkListenOptions(options: unknown): void {
  checkOptions(listenSchema, options, "options", "options.");
}

/** Only the connection's own options of `options` (a lane's carry more). */
export function connectionOptions(options: AppServerOptions): AppServerOptions {
  const out: Record<string, unknown> = {};
  for (const key of CONNECTION_KEYS) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  return out as AppServerOptions;
}

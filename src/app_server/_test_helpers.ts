/**
 * A transport whose far end is a test: it records what the client sends, answers the client's
 * requests from a script (like a real server would, an unknown method gets the 0.x servers'
 * "unknown variant" error), and lets the test send its own messages. Test-only.
 *
 * @module
 */
import type { AppServerTransport } from "./stdio_transport.ts";

/** A wire message. */
export type Message = Record<string, unknown>;

/** The answers of a scripted server: a result per method, or a function of the params. */
export type Script = Record<string, unknown | ((params: unknown) => unknown)>;

/** A script answer that is an error response instead of a result. */
export class ScriptedError {
  /** The error object sent. */
  readonly error: { code: number; message: string };
  /** Creates the answer. */
  constructor(code: number, message: string) {
    this.error = { code, message };
  }
}

/**
 * Reads what a client writes, one JSON message per line, handing each to `onMessage` (awaited,
 * in order) until the client closes its end.
 */
export async function readMessages(
  readable: ReadableStream<Uint8Array>,
  onMessage: (message: Message) => void | Promise<void>,
): Promise<void> {
  let buffer = "";
  for await (const chunk of readable.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const message = JSON.parse(buffer.slice(0, nl)) as Message;
      buffer = buffer.slice(nl + 1);
      await onMessage(message);
    }
  }
}

/** A scripted transport and the far end's controls. */
export interface ScriptedTransport {
  /** The transport to open an `AppServer` on. */
  transport: AppServerTransport;
  /** Sends a message to the client. */
  send(message: Message): Promise<void>;
  /** Everything the client sent, in order. */
  sent: Message[];
  /** The client's answer to the server request `id`, once it comes. */
  answerTo(id: number | string): Promise<Message>;
}

/**
 * A scripted app-server. `initialize` answers like a server of `userAgentVersion` (default
 * 0.169.0); every other request gets its `script` result.
 */
export function scriptedTransport(
  script: Script = {},
  options: { userAgentVersion?: string } = {},
): ScriptedTransport {
  const toClient = new TransformStream<Uint8Array, Uint8Array>();
  const toServer = new TransformStream<Uint8Array, Uint8Array>();
  const writer = toClient.writable.getWriter();
  const sent: Message[] = [];
  const waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  const encoder = new TextEncoder();
  const send = (message: Message): Promise<void> =>
    writer.write(encoder.encode(`${JSON.stringify(message)}\n`));
  const answer = (message: Message): Promise<void> => {
    const method = message.method as string;
    if (method === "initialize") {
      return send({
        id: message.id,
        result: {
          userAgent: `codexkit/${options.userAgentVersion ?? "0.169.0"} (test)`,
          codexHome: "/h",
          platformFamily: "unix",
          platformOs: "linux",
        },
      });
    }
    if (Object.hasOwn(script, method)) {
      const entry = script[method];
      const result = typeof entry === "function" ? entry(message.params) : entry;
      if (result instanceof ScriptedError) return send({ id: message.id, error: result.error });
      return send({ id: message.id, result });
    }
    return send({
      id: message.id,
      error: {
        code: -32600,
        message: `Invalid request: unknown variant \`${method}\`, expected one of`,
      },
    });
  };
  (async () => {
    await readMessages(toServer.readable, async (message) => {
      sent.push(message);
      for (const w of [...waiters]) {
        if (w.match(message)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(message);
        }
      }
      if (typeof message.method === "string" && message.id !== undefined) {
        await answer(message);
      }
    });
    // Like the real server: stdin closed, so it ends its output.
    await writer.close().catch(() => {});
  })();
  function answerTo(id: number | string): Promise<Message> {
    const found = sent.find((m) => m.id === id && m.method === undefined);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) =>
      waiters.push({ match: (m) => m.id === id && m.method === undefined, resolve })
    );
  }
  const transport: AppServerTransport = {
    readable: toClient.readable,
    writable: toServer.writable,
    description: "scripted app-server",
    describeClose: () => Promise.resolve({}),
    dispose: async () => {
      await writer.close().catch(() => {});
    },
  };
  return { transport, send, sent, answerTo };
}

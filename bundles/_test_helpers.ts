/**
 * Test helpers for bundles: a tiny tar writer, gzip over CompressionStream, SRI strings, a fake
 * `@openai/codex` platform tarball and a fake npm registry on 127.0.0.1. Never used by the SDK.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { platformInfo } from "./platform.ts";
import type { PlatformLabel } from "./platform.ts";

/** One entry for {@linkcode makeTar}. */
export interface TarInput {
  path: string;
  body?: string | Uint8Array;
  type?: "file" | "directory" | "symlink" | "hardlink";
  mode?: number;
  linkName?: string;
  /** Write the path in a pax header instead of the ustar name field. */
  pax?: boolean;
}

/** A ustar archive of `entries` (with pax headers where asked), ending in two zero blocks. */
export function makeTar(entries: readonly TarInput[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const e of entries) {
    const body = typeof e.body === "string"
      ? new TextEncoder().encode(e.body)
      : e.body ?? new Uint8Array(0);
    const flag = { file: "0", directory: "5", symlink: "2", hardlink: "1" }[e.type ?? "file"];
    if (e.pax) {
      const record = paxRecord("path", e.path);
      blocks.push(header("PaxHeader", record.length, "x", 0o644, ""), pad(record));
    }
    const name = e.pax ? "placeholder" : e.path;
    blocks.push(
      header(name, flag === "0" ? body.length : 0, flag, e.mode ?? 0o644, e.linkName ?? ""),
    );
    if (flag === "0") blocks.push(pad(body));
  }
  blocks.push(new Uint8Array(1024));
  return concat(blocks);
}

/** gzip via CompressionStream. */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const zip = new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>;
  const stream = new Blob([bytes as BufferSource]).stream().pipeThrough(zip);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The sha512 SRI string of `bytes`. */
export function sri(bytes: Uint8Array): string {
  return `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
}

/** Hex sha256 of `bytes`. */
export function sha256Hex(bytes: string | Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The fake executable inside {@linkcode codexTarball}: a shell script printing its version. */
export function fakeCodexScript(version: string): string {
  return `#!/bin/sh\necho "codex-cli ${version}"\n`;
}

/** A gzipped platform package shaped like `@openai/codex@<version>-<suffix>`. */
export function codexTarball(version: string, platform: PlatformLabel): Promise<Uint8Array> {
  const info = platformInfo(platform);
  const v = `package/vendor/${info.triple}`;
  return gzip(makeTar([
    { path: "package/package.json", body: JSON.stringify({ name: "@openai/codex", version }) },
    { path: "package/README.md", body: "not unpacked" },
    { path: `${v}/bin/${info.executable}`, body: fakeCodexScript(version), mode: 0o755 },
    { path: `${v}/bin/codex-code-mode-host`, body: "#!/bin/sh\n", mode: 0o755 },
    {
      path: `${v}/codex-package.json`,
      body: JSON.stringify({ version, entrypoint: `bin/${info.executable}` }),
    },
    { path: `${v}/codex-path`, type: "directory", mode: 0o755 },
    { path: `${v}/codex-path/rg`, body: "#!/bin/sh\necho rg\n", mode: 0o755 },
    { path: `${v}/codex-resources/bwrap`, body: "#!/bin/sh\n", mode: 0o755, pax: true },
    { path: `${v}/other/ignored.txt`, body: "not unpacked" },
  ]));
}

/** One version the fake registry serves. */
export interface FakeVersion {
  tarball: Uint8Array;
  /** What the registry claims; the tarball's real SRI when omitted. */
  integrity?: string;
}

/** A running fake registry. */
export interface FakeRegistry {
  /** Base URL ending in `/`. */
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves `@openai/codex` version documents, an abbreviated packument and tarballs for
 * `versions` (keyed by npm version, e.g. `0.169.0-linux-x64`) on 127.0.0.1.
 * With `versionDocuments: false` it answers 404 to version documents, like registries that
 * only serve packuments. `distTags` go into the packument (`{ latest: "0.169.0" }`).
 */
export async function startFakeRegistry(
  versions: Record<string, FakeVersion>,
  options: {
    versionDocuments?: boolean;
    distTags?: Record<string, string>;
    /** Serve HTTPS with this key and certificate (PEM). */
    tls?: { key: string; cert: string };
  } = {},
): Promise<FakeRegistry> {
  const requests: string[] = [];
  let base = "";
  const doc = (v: string) => ({
    name: "@openai/codex",
    version: v,
    dist: {
      tarball: `${base}tarballs/codex-${v}.tgz`,
      integrity: versions[v].integrity ?? sri(versions[v].tarball),
    },
  });
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(req.url ?? "");
    requests.push(path);
    const send = (status: number, body: string | Uint8Array, type = "application/json") => {
      res.writeHead(status, { "content-type": type, "content-length": String(body.length) });
      res.end(body);
    };
    const tarball = /^\/tarballs\/codex-(.+)\.tgz$/.exec(path);
    if (tarball && Object.hasOwn(versions, tarball[1])) {
      return send(200, versions[tarball[1]].tarball, "application/octet-stream");
    }
    const versionDoc = /^\/@openai\/codex\/([^/]+)$/.exec(path);
    if (versionDoc) {
      if (options.versionDocuments === false || !Object.hasOwn(versions, versionDoc[1])) {
        return send(404, JSON.stringify({ error: "not found" }));
      }
      return send(200, JSON.stringify(doc(versionDoc[1])));
    }
    if (path === "/@openai/codex") {
      const all = Object.fromEntries(Object.keys(versions).map((v) => [v, doc(v)]));
      const distTags = options.distTags ?? {};
      return send(
        200,
        JSON.stringify({ name: "@openai/codex", "dist-tags": distTags, versions: all }),
      );
    }
    send(404, JSON.stringify({ error: "not found" }));
  };
  const server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `${options.tls ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  return { url: base, requests, close, [Symbol.asyncDispose]: close };
}

function header(
  name: string,
  size: number,
  flag: string,
  mode: number,
  linkName: string,
): Uint8Array {
  const h = new Uint8Array(512);
  const put = (text: string, offset: number, length: number) => {
    const bytes = new TextEncoder().encode(text);
    if (bytes.length > length) throw new Error(`tar field too long: ${text}`);
    h.set(bytes, offset);
  };
  const oct = (n: number, length: number) => `${n.toString(8).padStart(length - 1, "0")}\0`;
  put(name, 0, 100);
  put(oct(mode, 8), 100, 8);
  put(oct(0, 8), 108, 8);
  put(oct(0, 8), 116, 8);
  put(oct(size, 12), 124, 12);
  put(oct(0, 12), 136, 12);
  put("        ", 148, 8);
  put(flag, 156, 1);
  put(linkName, 157, 100);
  put("ustar\0", 257, 6);
  put("00", 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  return h;
}

function paxRecord(key: string, value: string): Uint8Array {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
  return new TextEncoder().encode(`${length}${body}`);
}

function pad(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 512) * 512);
  out.set(bytes);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

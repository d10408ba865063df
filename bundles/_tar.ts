/**
 * A small streaming tar reader over web streams: enough for npm tarballs (ustar, pax and GNU
 * long names), nothing more. Entries are yielded one at a time; a body that is not read is
 * skipped. Paths that are absolute or climb with `..` are refused outright.
 *
 * @module
 */
import { BundleError } from "../src/errors.ts";

/** The kinds of tar entries told apart. */
export type TarEntryType = "file" | "directory" | "symlink" | "hardlink" | "other";

/** One entry of a tar stream. */
export interface TarEntry {
  /** Normalised relative path (no leading `./`, no trailing `/`). */
  path: string;
  type: TarEntryType;
  /** Permission bits from the header. */
  mode: number;
  /** Size of the body in bytes. */
  size: number;
  /** Link target, for links. */
  linkName: string;
  /** The body in chunks; valid only until the next entry is requested. */
  body(): AsyncIterable<Uint8Array>;
}

const BLOCK = 512;
const META_LIMIT = 1 << 20;

/** Reads the tar entries of an (already decompressed) byte stream. */
export async function* readTar(stream: ReadableStream<Uint8Array>): AsyncGenerator<TarEntry> {
  const bytes = new ByteReader(stream.getReader());
  try {
    let paxPath: string | undefined;
    let paxLink: string | undefined;
    let paxSize: number | undefined;
    for (;;) {
      const header = await bytes.exact(BLOCK);
      if (header === undefined || header.every((b) => b === 0)) return;
      checkChecksum(header);
      const flag = String.fromCharCode(header[156] || 48);
      let size = paxSize ?? octal(header, 124, 12);
      const padding = (BLOCK - (size % BLOCK)) % BLOCK;

      if (flag === "x" || flag === "g" || flag === "L" || flag === "K") {
        if (size > META_LIMIT) throw bad(`a ${flag} header of ${size} bytes`);
        const meta = (await bytes.exact(size)) ?? truncated();
        await bytes.skip(padding);
        if (flag === "x") {
          const records = parsePax(meta);
          paxPath = records.path ?? paxPath;
          paxLink = records.linkpath ?? paxLink;
          if (records.size !== undefined) paxSize = Number(records.size);
        } else if (flag === "L") {
          paxPath = cString(meta, 0, meta.length);
        } else if (flag === "K") {
          paxLink = cString(meta, 0, meta.length);
        }
        continue;
      }

      const isUstar = cString(header, 257, 6) === "ustar";
      const name = cString(header, 0, 100);
      const prefix = isUstar ? cString(header, 345, 155) : "";
      const rawPath = paxPath ?? (prefix ? `${prefix}/${name}` : name);
      const linkName = paxLink ?? cString(header, 157, 100);
      paxPath = paxLink = paxSize = undefined;
      const type = entryType(flag);
      if (type === "directory" || type === "symlink" || type === "hardlink") size = 0;
      const path = safePath(rawPath);

      let remaining = size;
      let done = false;
      yield {
        path,
        type,
        mode: octal(header, 100, 8) & 0o7777,
        size,
        linkName,
        body: () => {
          if (done) throw new Error(`Cannot read the body of ${path} twice`);
          done = true;
          return (async function* () {
            for await (const chunk of bytes.take(remaining)) {
              remaining -= chunk.length;
              yield chunk;
            }
          })();
        },
      };
      done = true;
      await bytes.skip(remaining + padding);
    }
  } finally {
    await bytes.close();
  }
}

/**
 * The normalised form of a tar path; throws a BundleError for absolute paths, `..` segments,
 * backslashes or NUL. Pure.
 */
export function safePath(raw: string): string {
  if (raw.includes("\0") || raw.includes("\\")) throw bad(`entry ${JSON.stringify(raw)}`);
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw)) {
    throw bad(`entry ${JSON.stringify(raw)} with an absolute path`);
  }
  const parts = raw.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw bad(`entry ${JSON.stringify(raw)} climbing with ".."`);
  if (parts.length === 0) throw bad(`entry ${JSON.stringify(raw)} with an empty path`);
  return parts.join("/");
}

function entryType(flag: string): TarEntryType {
  switch (flag) {
    case "0":
    case "7":
      return "file";
    case "5":
      return "directory";
    case "2":
      return "symlink";
    case "1":
      return "hardlink";
    default:
      return "other";
  }
}

function checkChecksum(header: Uint8Array): void {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i];
  if (sum !== octal(header, 148, 8)) throw bad("a header with a wrong checksum");
}

function octal(buf: Uint8Array, offset: number, length: number): number {
  if (buf[offset] & 0x80) {
    // base-256 (GNU) for sizes beyond 8 GiB: big-endian after the marker bit
    let value = buf[offset] & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + buf[offset + i];
    return value;
  }
  const text = cString(buf, offset, length).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw bad(`a header field ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}

function cString(buf: Uint8Array, offset: number, length: number): string {
  const slice = buf.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return new TextDecoder().decode(end === -1 ? slice : slice.subarray(0, end));
}

function parsePax(meta: Uint8Array): Record<string, string> {
  const text = new TextDecoder().decode(meta);
  const out: Record<string, string> = {};
  let at = 0;
  while (at < text.length) {
    const space = text.indexOf(" ", at);
    const length = Number(text.slice(at, space));
    if (space === -1 || !Number.isInteger(length) || length <= 0) throw bad("a pax header");
    // lengths count bytes; the records npm writes are ASCII, where bytes and characters agree
    const record = text.slice(space + 1, at + length - 1);
    const eq = record.indexOf("=");
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return out;
}

function bad(what: string): BundleError {
  return new BundleError(`Cannot unpack the tarball: it has ${what}`);
}

function truncated(): never {
  throw new BundleError("Cannot unpack the tarball: it ends in the middle of an entry");
}

/** Pulls exact byte counts out of a stream reader, keeping what it over-read. */
class ByteReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #pending: Uint8Array = new Uint8Array(0);

  constructor(reader: ReadableStreamDefaultReader<Uint8Array>) {
    this.#reader = reader;
  }

  /** Exactly `n` bytes; `undefined` at a clean end of stream before any byte. */
  async exact(n: number): Promise<Uint8Array | undefined> {
    const out = new Uint8Array(n);
    let filled = 0;
    for await (const chunk of this.take(n)) {
      out.set(chunk, filled);
      filled += chunk.length;
    }
    if (filled === 0 && n > 0) return undefined;
    if (filled < n) truncated();
    return out;
  }

  /** Up to `n` bytes as chunks, without copying; throws when the stream ends first. */
  async *take(n: number): AsyncGenerator<Uint8Array> {
    let left = n;
    while (left > 0) {
      if (this.#pending.length === 0) {
        const { value, done } = await this.#reader.read();
        if (done) {
          if (left === n) return;
          truncated();
        }
        this.#pending = value;
      }
      const piece = this.#pending.subarray(0, Math.min(left, this.#pending.length));
      this.#pending = this.#pending.subarray(piece.length);
      left -= piece.length;
      yield piece;
    }
  }

  async skip(n: number): Promise<void> {
    let got = 0;
    for await (const chunk of this.take(n)) got += chunk.length;
    if (got < n) truncated();
  }

  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

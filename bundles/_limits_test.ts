import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BundleError } from "../src/errors.ts";
import { addToBundle } from "./add.ts";
import { checkLimitOptions, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_BYTES } from "./_limits.ts";
import { codexTarball, sri } from "./_test_helpers.ts";

const VERSION = "0.169.0";

/**
 * A registry on 127.0.0.1 whose version document is fine and whose tarball is served by
 * `tarball`. Open responses are ended on close.
 */
async function badRegistry(
  tarball: (req: IncomingMessage, res: ServerResponse) => void,
  integrity = sri(new Uint8Array(1)),
) {
  const timers = new Set<ReturnType<typeof setInterval>>();
  const server = createServer((req, res) => {
    if (decodeURIComponent(req.url ?? "") === `/@openai/codex/${VERSION}-linux-x64`) {
      const doc = { dist: { tarball: `${base}t.tgz`, integrity } };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(doc));
    } else {
      tarball(req, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url: base,
    timers,
    async [Symbol.asyncDispose]() {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-limits-"));
  try {
    await fn(join(dir, "bundle"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function leftovers(root: string): Promise<string[]> {
  return await readdir(root).catch(() => []);
}

test("addToBundle gives up on a registry that never answers (idleTimeoutMs)", () =>
  withRoot(async (root) => {
    await using registry = await badRegistry(() => {/* never answers */});
    await assert.rejects(
      addToBundle({
        root,
        version: VERSION,
        platforms: ["linux-x64"],
        registry: registry.url,
        idleTimeoutMs: 200,
      }),
      // On a busy machine the 200 ms can run out on the metadata request already: either
      // request going quiet is the registry not answering.
      (e) =>
        e instanceof BundleError &&
        /sent nothing for 200 ms \(option idleTimeoutMs\)/.test(e.message) &&
        e.message.includes(registry.url),
    );
    assert.deepEqual(await leftovers(root), []);
  }));

test("addToBundle gives up on a body that stalls half-way (idleTimeoutMs)", () =>
  withRoot(async (root) => {
    await using registry = await badRegistry((_req, res) => {
      res.writeHead(200, { "content-length": "1000000" });
      res.write(new Uint8Array(1000));
    });
    await assert.rejects(
      addToBundle({
        root,
        version: VERSION,
        platforms: ["linux-x64"],
        registry: registry.url,
        idleTimeoutMs: 200,
      }),
      (e) => e instanceof BundleError && /sent nothing for 200 ms/.test(e.message),
    );
    assert.deepEqual(await leftovers(root), []);
  }));

test("addToBundle stops an endless body at maxBytes and leaves nothing behind", () =>
  withRoot(async (root) => {
    await using registry = await badRegistry((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const chunk = new Uint8Array(64 << 10);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    });
    await assert.rejects(
      addToBundle({
        root,
        version: VERSION,
        platforms: ["linux-x64"],
        registry: registry.url,
        maxBytes: 1 << 20,
      }),
      (e) =>
        e instanceof BundleError &&
        /t\.tgz sent more than 1048576 bytes \(option maxBytes\)/.test(e.message),
    );
    assert.deepEqual(await leftovers(root), []);
  }));

test("addToBundle refuses a body announced larger than maxBytes before reading it", () =>
  withRoot(async (root) => {
    await using registry = await badRegistry((_req, res) => {
      res.writeHead(200, { "content-length": String(10 << 20) });
      res.write(new Uint8Array(10));
    });
    await assert.rejects(
      addToBundle({
        root,
        version: VERSION,
        platforms: ["linux-x64"],
        registry: registry.url,
        maxBytes: 1 << 20,
      }),
      (e) => e instanceof BundleError && /has 10485760 bytes, more than 1048576/.test(e.message),
    );
  }));

test("addToBundle ends at timeoutMs however steadily a slow body trickles", () =>
  withRoot(async (root) => {
    await using registry = await badRegistry((_req, res) => {
      res.writeHead(200, { "content-length": "1000000" });
      const timer = setInterval(() => res.write(new Uint8Array(1)), 20);
      registry.timers.add(timer);
    });
    await assert.rejects(
      addToBundle({
        root,
        version: VERSION,
        platforms: ["linux-x64"],
        registry: registry.url,
        timeoutMs: 300,
      }),
      (e) =>
        e instanceof BundleError &&
        /took longer than 300 ms \(option timeoutMs\)/.test(e.message),
    );
    assert.deepEqual(await leftovers(root), []);
  }));

test("addToBundle reports a dropped connection as a BundleError, not a TypeError", () =>
  withRoot(async (root) => {
    const tarball = await codexTarball(VERSION, "linux-x64");
    await using registry = await badRegistry((_req, res) => {
      res.writeHead(200, { "content-length": String(tarball.length) });
      res.write(tarball.subarray(0, 100), () => res.destroy());
    }, sri(tarball));
    await assert.rejects(
      addToBundle({ root, version: VERSION, platforms: ["linux-x64"], registry: registry.url }),
      (e) =>
        e instanceof BundleError &&
        /^Cannot download http:\/\/127\.0\.0\.1:\d+\/t\.tgz: \S/.test(e.message),
    );
    assert.deepEqual(await leftovers(root), []);
  }));

test("checkLimitOptions applies the defaults and names a bad option", () => {
  assert.equal(checkLimitOptions({}).maxBytes, DEFAULT_MAX_BYTES);
  assert.equal(checkLimitOptions({}).idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS);
  for (const name of ["maxBytes", "idleTimeoutMs", "timeoutMs"] as const) {
    for (const bad of [0, -1, Number.NaN, "5"]) {
      assert.throws(
        () => checkLimitOptions({ [name]: bad }),
        (e) => e instanceof TypeError && e.message.startsWith(`Invalid option ${name}: `),
      );
    }
  }
});

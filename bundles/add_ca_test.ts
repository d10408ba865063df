/**
 * Bundle downloads over HTTPS from a registry whose certificate a test CA signed (made here
 * with openssl): refused without the CA, accepted with it from `caCertificate`,
 * `CODEX_CA_CERTIFICATE` or `SSL_CERT_FILE`, like codex's own HTTP.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addToBundle } from "./add.ts";
import type { AddToBundleOptions } from "./add.ts";
import { codexTarball, startFakeRegistry } from "./_test_helpers.ts";
import { BundleError } from "../src/errors.ts";
import { runToEnd } from "../src/process/run_to_end.ts";
import { getSpawner } from "../src/runtime/mod.ts";
import { fetchTrusting } from "../src/runtime/tls_fetch.ts";

const VERSION = "0.169.0";

interface Pki {
  caPem: string;
  key: string;
  cert: string;
}

/** A CA and a 127.0.0.1 server certificate it signed, in memory; `undefined` without openssl. */
async function makePki(): Promise<Pki | undefined> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-ca-"));
  try {
    const spawner = getSpawner();
    await writeFile(join(dir, "san.cnf"), "subjectAltName=IP:127.0.0.1\n");
    const steps = [
      "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=codexkit-test-CA",
      "req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1",
      "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 -extfile san.cnf",
    ];
    for (const step of steps) {
      const result = await runToEnd("openssl", step.split(" "), {
        spawner,
        cwd: dir,
        timeoutMs: 60_000,
      }).catch(() => undefined);
      if (result === undefined || result.exitCode !== 0) return undefined;
    }
    const read = (name: string) => readFile(join(dir, name), "utf8");
    return {
      caPem: await read("ca.pem"),
      key: await read("server.key"),
      cert: await read("server.pem"),
    };
  } finally {
    // Kept in memory only: no key is left on disk when the file ends.
    await rm(dir, { recursive: true, force: true });
  }
}

const pki = await makePki();
const skip = pki ? false : "openssl is not on this machine";

/** A registry with the test CA's certificate, a scratch dir holding `ca.pem`, a bundle root. */
async function withRegistry(
  fn: (registry: { url: string }, ca: string, root: string) => Promise<void>,
): Promise<void> {
  const tarball = await codexTarball(VERSION, "linux-x64");
  await using registry = await startFakeRegistry(
    { [`${VERSION}-linux-x64`]: { tarball } },
    { tls: { key: pki!.key, cert: pki!.cert } },
  );
  const dir = await mkdtemp(join(tmpdir(), "codexkit-ca-bundle-"));
  try {
    await writeFile(join(dir, "ca.pem"), pki!.caPem);
    await fn(registry, join(dir, "ca.pem"), join(dir, "bundle"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const add = (root: string, registry: string, extra: Partial<AddToBundleOptions>) =>
  addToBundle({ root, version: VERSION, platforms: ["linux-x64"], registry, env: {}, ...extra });

test(
  "addToBundle refuses a registry whose certificate no trusted CA signed",
  { skip },
  () =>
    withRegistry(async (registry, _ca, root) => {
      await assert.rejects(add(root, registry.url, {}), BundleError);
    }),
);

test(
  "addToBundle trusts the CA of the caCertificate option",
  { skip },
  () =>
    withRegistry(async (registry, ca, root) => {
      const result = await add(root, registry.url, { caCertificate: ca });
      assert.equal(result.added[0].unchanged, false);
    }),
);

test(
  "addToBundle trusts the CA named by CODEX_CA_CERTIFICATE, before SSL_CERT_FILE",
  { skip },
  () =>
    withRegistry(async (registry, ca, root) => {
      const env = { CODEX_CA_CERTIFICATE: ca, SSL_CERT_FILE: `${ca}.missing` };
      const result = await add(root, registry.url, { env });
      assert.equal(result.added.length, 1);
    }),
);

test(
  "addToBundle trusts the CA named by SSL_CERT_FILE",
  { skip },
  () =>
    withRegistry(async (registry, ca, root) => {
      const result = await add(root, registry.url, { env: { SSL_CERT_FILE: ca } });
      assert.equal(result.added.length, 1);
    }),
);

test(
  "A CA file that is missing or holds no certificate is a BundleError naming it and its source",
  {
    skip,
  },
  () =>
    withRegistry(async (registry, ca, root) => {
      await assert.rejects(
        add(root, registry.url, { env: { CODEX_CA_CERTIFICATE: `${ca}.missing` } }),
        (error: unknown) =>
          error instanceof BundleError && /\.missing \(CODEX_CA_CERTIFICATE\)/.test(error.message),
      );
      await writeFile(`${ca}.txt`, "not a certificate\n");
      await assert.rejects(
        add(root, registry.url, { caCertificate: `${ca}.txt` }),
        (error: unknown) =>
          error instanceof BundleError &&
          /\.txt \(caCertificate\): no PEM certificate/.test(error.message),
      );
    }),
);

test("caCertificate with a custom fetch, or not a path, is a TypeError before any request", async () => {
  const isCaTypeError = (error: unknown) =>
    error instanceof TypeError && /caCertificate/.test(error.message);
  await assert.rejects(
    addToBundle({ root: "/nonexistent", version: VERSION, caCertificate: "/ca.pem", fetch }),
    isCaTypeError,
  );
  await assert.rejects(
    addToBundle({ root: "/nonexistent", version: VERSION, caCertificate: "" }),
    isCaTypeError,
  );
});

test("fetchTrusting reads a body from the test CA's server, which the plain fetch refuses", {
  skip,
}, () =>
  withRegistry(async (registry) => {
    const url = `${registry.url}@openai/codex/${VERSION}-linux-x64`;
    await assert.rejects(fetch(url));
    await using trusted = fetchTrusting(pki!.caPem);
    const response = await trusted.fetch(url, { headers: { accept: "application/json" } });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { version: string }).version, `${VERSION}-linux-x64`);
  }));

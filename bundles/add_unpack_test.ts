import { test } from "node:test";
import assert from "node:assert/strict";
import { lstat, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BundleError } from "../src/errors.ts";
import { addToBundle } from "./add.ts";
import { platformInfo } from "./platform.ts";
import { fakeCodexScript, gzip, makeTar, startFakeRegistry } from "./_test_helpers.ts";
import type { TarInput } from "./_test_helpers.ts";

const VERSION = "0.169.0";
const V = `package/vendor/${platformInfo("linux-x64").triple}`;

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-unpack-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Adds a tarball made of `bytes` (served with its real integrity) to `<dir>/bundle`. */
async function addBytes(dir: string, bytes: Uint8Array) {
  await using registry = await startFakeRegistry({ [`${VERSION}-linux-x64`]: { tarball: bytes } });
  return await addToBundle({
    root: join(dir, "bundle"),
    version: VERSION,
    platforms: ["linux-x64"],
    registry: registry.url,
  });
}

function withBinary(entries: TarInput[]): TarInput[] {
  return [{ path: `${V}/bin/codex`, body: fakeCodexScript(VERSION), mode: 0o755 }, ...entries];
}

async function assertNothingAdded(dir: string): Promise<void> {
  // the version dir never appeared, and the temp dir went with the failure
  assert.deepEqual(await readdir(join(dir, "bundle")), []);
}

test("addToBundle refuses a link that a later entry would climb through, writing nothing", () =>
  withTemp(async (dir) => {
    // `d -> .` is textually deep but really shallow; the second link climbs out through it
    const tgz = await gzip(makeTar(withBinary([
      { path: `${V}/codex-resources/d`, type: "symlink", linkName: "." },
      { path: `${V}/codex-resources/d/d/e`, type: "symlink", linkName: "../../../../escape" },
      { path: `${V}/codex-resources/d/d/e/pwned`, body: "outside" },
    ])));
    await assert.rejects(
      addBytes(dir, tgz),
      (e) =>
        e instanceof BundleError &&
        e.message.includes(`entry ${V}/codex-resources/d is a symbolic link`),
    );
    await assertNothingAdded(dir);
    await assert.rejects(lstat(join(dir, "escape")), { code: "ENOENT" });
  }));

test("addToBundle refuses a link to an absolute path and a hard link", () =>
  withTemp(async (dir) => {
    const absolute = await gzip(makeTar(withBinary([
      { path: `${V}/codex-path/sh`, type: "symlink", linkName: "/usr/bin" },
    ])));
    await assert.rejects(
      addBytes(dir, absolute),
      (e) =>
        e instanceof BundleError &&
        e.message.includes(`entry ${V}/codex-path/sh is a symbolic link (to "/usr/bin")`),
    );
    await assertNothingAdded(dir);
    const hard = await gzip(makeTar(withBinary([
      { path: `${V}/codex-path/rg`, type: "hardlink", linkName: `${V}/bin/codex` },
    ])));
    await assert.rejects(
      addBytes(dir, hard),
      (e) =>
        e instanceof BundleError && e.message.includes(`entry ${V}/codex-path/rg is a hard link`),
    );
    await assertNothingAdded(dir);
  }));

test("addToBundle refuses a link even outside the part it unpacks", () =>
  withTemp(async (dir) => {
    const tgz = await gzip(makeTar(withBinary([
      { path: "package/docs/link", type: "symlink", linkName: "README.md" },
    ])));
    await assert.rejects(
      addBytes(dir, tgz),
      (e) => e instanceof BundleError && /package\/docs\/link is a symbolic link/.test(e.message),
    );
  }));

test("addToBundle refuses a file where a directory is needed and an entry that comes twice", () =>
  withTemp(async (dir) => {
    const clash = await gzip(makeTar(withBinary([
      { path: `${V}/codex-resources/x`, body: "a file" },
      { path: `${V}/codex-resources/x/y`, body: "below a file" },
    ])));
    await assert.rejects(
      addBytes(dir, clash),
      (e) =>
        e instanceof BundleError &&
        /codex-resources\/x is both a file and a directory/.test(e.message),
    );
    const twice = await gzip(makeTar(withBinary([
      { path: `${V}/codex-resources/bwrap`, body: "one" },
      { path: `${V}/codex-resources/bwrap`, body: "two" },
    ])));
    await assert.rejects(
      addBytes(dir, twice),
      (e) => e instanceof BundleError && /codex-resources\/bwrap comes twice/.test(e.message),
    );
    await assertNothingAdded(dir);
  }));

test("addToBundle keeps the tarball's modes under the umask, never wider", () =>
  withTemp(async (dir) => {
    const tgz = await gzip(makeTar([
      { path: `${V}/bin/codex`, body: fakeCodexScript(VERSION), mode: 0o750 },
      { path: `${V}/codex-package.json`, body: "{}", mode: 0o600 },
      { path: `${V}/codex-path/rg`, body: "#!/bin/sh\n", mode: 0o755 },
      { path: `${V}/codex-resources/bwrap`, body: "#!/bin/sh\n", mode: 0o4777 },
      { path: `${V}/codex-resources/data`, body: "x", mode: 0o200 },
    ]));
    await addBytes(dir, tgz);
    const vdir = join(dir, "bundle", "linux-x64", VERSION);
    // What a file created with 0777 gets here: the umask of this process, measured.
    const probe = join(dir, "probe");
    await writeFile(probe, "", { mode: 0o777 });
    const umask = ~(await stat(probe)).mode & 0o777;
    const modeOf = async (rel: string) => (await stat(join(vdir, rel))).mode & 0o7777;
    assert.equal(await modeOf("codex"), 0o750 & ~umask);
    assert.equal(await modeOf("codex-package.json"), 0o600 & ~umask);
    assert.equal(await modeOf("codex-path/rg"), 0o755 & ~umask);
    // setuid is dropped; 0777 stays within the umask (0755 under the usual 022)
    assert.equal(await modeOf("codex-resources/bwrap"), 0o777 & ~umask);
    assert.equal(await modeOf("codex-resources/bwrap") & 0o7000, 0);
    // owner read is added, nothing else
    assert.equal(await modeOf("codex-resources/data"), 0o600 & ~umask);
  }));

test("addToBundle makes the binary executable by its owner when the tarball did not", () =>
  withTemp(async (dir) => {
    const tgz = await gzip(makeTar([
      { path: `${V}/bin/codex`, body: fakeCodexScript(VERSION), mode: 0o644 },
    ]));
    await addBytes(dir, tgz);
    const mode = (await stat(join(dir, "bundle", "linux-x64", VERSION, "codex"))).mode;
    assert.equal(mode & 0o100, 0o100);
    assert.equal(mode & 0o011, 0, "group and others get no execute bit the tarball did not give");
  }));

for (
  const [name, make] of [
    [
      "corrupt gzip",
      async () => (await gzip(makeTar(withBinary([])))).map((b, i) => i > 20 ? b ^ 0x5a : b),
    ],
    ["truncated gzip", async () => (await gzip(makeTar(withBinary([])))).slice(0, 60)],
    ["an empty body", () => Promise.resolve(new Uint8Array(0))],
    ["bytes that are not gzip", () => Promise.resolve(new TextEncoder().encode("not a tarball"))],
    [
      "trailing garbage",
      async () => {
        const tgz = await gzip(makeTar(withBinary([])));
        const out = new Uint8Array(tgz.length + 4096).fill(0x41);
        out.set(tgz);
        return out;
      },
    ],
  ] as [string, () => Promise<Uint8Array>][]
) {
  test(`addToBundle reports ${name} as a BundleError with a message`, () =>
    withTemp(async (dir) => {
      const bytes = await make();
      let error: unknown;
      try {
        await addBytes(dir, bytes);
      } catch (e) {
        error = e;
      }
      if (error === undefined) {
        // A runtime may stop reading at the tar's end marker and never see trailing bytes.
        assert.equal(name, "trailing garbage", "only trailing garbage may go unnoticed");
        return;
      }
      assert.ok(error instanceof BundleError, `${name}: ${error}`);
      assert.match(error.message, /^Cannot (unpack|add) @openai\/codex@0\.169\.0-linux-x64: \S/);
      await assertNothingAdded(dir);
    }));
}

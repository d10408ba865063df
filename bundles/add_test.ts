import { test } from "node:test";
import assert from "node:assert/strict";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  utimes,
  writeFile,
} from "node:fs/promises";
import process from "node:process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BundleError } from "../src/errors.ts";
import { TEMP_PREFIX } from "../src/fs/atomic_write.ts";
import { addToBundle, selectTarget } from "./add.ts";
import type { BundleProgress } from "./add.ts";
import { readBundleManifest, recordBundleEntry } from "./manifest.ts";
import { withFileLock } from "./_lock.ts";
import { npmPlatformVersion, PLATFORM_LABELS } from "./platform.ts";
import { resolveBundledBinary } from "./resolve.ts";
import {
  codexTarball,
  fakeCodexScript,
  sha256Hex,
  sri,
  startFakeRegistry,
} from "./_test_helpers.ts";
import type { FakeVersion } from "./_test_helpers.ts";

const VERSION = "0.169.0";

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-add-"));
  try {
    await fn(dir);
  } finally {
    await chmod(dir, 0o755).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

async function registryWith(versions: Record<string, FakeVersion>, versionDocuments = true) {
  return await startFakeRegistry(versions, { versionDocuments });
}

test("addToBundle unpacks the verified binary, its path dir and resources and records them", () =>
  withTemp(async (dir) => {
    const tarball = await codexTarball(VERSION, "linux-x64");
    await using registry = await registryWith({ [`${VERSION}-linux-x64`]: { tarball } });
    const root = join(dir, "bundle");
    const events: BundleProgress[] = [];
    const result = await addToBundle({
      root,
      version: VERSION,
      platforms: ["linux-x64"],
      registry: registry.url,
      onProgress: (e) => events.push(e),
    });
    const vdir = join(root, "linux-x64", VERSION);
    assert.deepEqual((await readdir(vdir)).sort(), [
      "codex",
      "codex-code-mode-host",
      "codex-package.json",
      "codex-path",
      "codex-resources",
    ]);
    assert.equal(await readFile(join(vdir, "codex"), "utf8"), fakeCodexScript(VERSION));
    assert.equal((await stat(join(vdir, "codex"))).mode & 0o777, 0o755);
    assert.equal((await stat(join(vdir, "codex-path", "rg"))).mode & 0o111, 0o111);
    assert.equal((await stat(join(vdir, "codex-package.json"))).mode & 0o111, 0);
    assert.deepEqual((await readdir(root)).sort(), ["bundle.jsonc", "linux-x64"]);

    const entry = (await readBundleManifest(root))!.entries[VERSION]["linux-x64"];
    assert.equal(entry.sha256, sha256Hex(fakeCodexScript(VERSION)));
    assert.equal(entry.source.integrity, sri(tarball));
    assert.equal(entry.source.tarball, `${registry.url}tarballs/codex-${VERSION}-linux-x64.tgz`);
    assert.equal(result.added[0].unchanged, false);
    assert.deepEqual(events.map((e) => e.type), [
      "registry",
      "metadata",
      "download",
      "download",
      "verified",
      "unpacked",
      "added",
    ]);
    assert.deepEqual(registry.requests, [
      `/@openai/codex/${VERSION}-linux-x64`,
      `/tarballs/codex-${VERSION}-linux-x64.tgz`,
    ]);

    const resolved = await resolveBundledBinary({ root, version: VERSION, platform: "linux-x64" });
    assert.equal(resolved.verified, "sha256");
    assert.ok(resolved.pathDir && resolved.resourcesDir);
  }));

test("addToBundle adds several platforms and skips one already present", () =>
  withTemp(async (dir) => {
    await using registry = await registryWith({
      [`${VERSION}-linux-x64`]: { tarball: await codexTarball(VERSION, "linux-x64") },
      [`${VERSION}-windows-x64`.replace("windows", "win32")]: {
        tarball: await codexTarball(VERSION, "windows-x64"),
      },
    });
    const root = join(dir, "bundle");
    await addToBundle({ root, version: VERSION, platforms: ["linux-x64"], registry: registry.url });
    const again = await addToBundle({
      root,
      version: VERSION,
      platforms: ["linux-x64", "windows-x64"],
      registry: registry.url,
    });
    assert.deepEqual(again.added.map((a) => [a.platform, a.unchanged]), [["linux-x64", true], [
      "windows-x64",
      false,
    ]]);
    assert.ok((await lstat(join(root, "windows-x64", VERSION, "codex.exe"))).isFile());
    const manifest = await readBundleManifest(root);
    assert.deepEqual(Object.keys(manifest!.entries[VERSION]).sort(), ["linux-x64", "windows-x64"]);
    assert.equal(registry.requests.filter((r) => r.startsWith("/tarballs/")).length, 2);
  }));

test("addToBundle falls back to the packument when the registry serves no version documents", () =>
  withTemp(async (dir) => {
    await using registry = await registryWith({
      [`${VERSION}-linux-x64`]: { tarball: await codexTarball(VERSION, "linux-x64") },
    }, false);
    const result = await addToBundle({
      root: join(dir, "b"),
      version: VERSION,
      platforms: ["linux-x64"],
      registry: registry.url,
    });
    assert.equal(result.added.length, 1);
    assert.ok(registry.requests.includes("/@openai/codex"));
  }));

test("addToBundle rejects a tarball that does not match its integrity and writes nothing", () =>
  withTemp(async (dir) => {
    const tarball = await codexTarball(VERSION, "linux-x64");
    const other = await codexTarball("0.0.1", "linux-x64");
    await using registry = await registryWith({
      [`${VERSION}-linux-x64`]: { tarball, integrity: sri(other) },
    });
    const root = join(dir, "bundle");
    await assert.rejects(
      addToBundle({ root, version: VERSION, platforms: ["linux-x64"], registry: registry.url }),
      (e) =>
        e instanceof BundleError &&
        /does not match the registry's integrity sha512/.test(e.message),
    );
    assert.deepEqual(await readdir(root), []);
  }));

test("addToBundle rejects an unknown version with a BundleError", () =>
  withTemp(async (dir) => {
    await using registry = await registryWith({});
    const root = join(dir, "bundle");
    await assert.rejects(
      addToBundle({ root, version: "9.9.9", platforms: ["linux-x64"], registry: registry.url }),
      (e) =>
        e instanceof BundleError &&
        /Cannot find @openai\/codex@9\.9\.9-linux-x64 on the registry .*: unknown version/.test(
          e.message,
        ),
    );
    await assert.rejects(lstat(root), { code: "ENOENT" });
  }));

test("addToBundle rejects a root it cannot create and writes nothing", () =>
  withTemp(async (dir) => {
    await using registry = await registryWith({
      [`${VERSION}-linux-x64`]: { tarball: await codexTarball(VERSION, "linux-x64") },
    });
    await writeFile(join(dir, "file"), "a file, not a dir");
    await assert.rejects(
      addToBundle({
        root: join(dir, "file", "bundle"),
        version: VERSION,
        platforms: ["linux-x64"],
        registry: registry.url,
      }),
      (e) => e instanceof BundleError && /Cannot create the bundle root/.test(e.message),
    );
    assert.deepEqual(await readdir(dir), ["file"]);
    assert.equal(registry.requests.filter((r) => r.startsWith("/tarballs/")).length, 0);
  }));

test("addToBundle on a read-only root either fails cleanly or (as root) completes", () =>
  withTemp(async (dir) => {
    await using registry = await registryWith({
      [`${VERSION}-linux-x64`]: { tarball: await codexTarball(VERSION, "linux-x64") },
    });
    const root = join(dir, "bundle");
    await mkdir(root);
    await chmod(root, 0o555);
    // a superuser ignores the mode; learn which case this is by trying
    const writable = await writeFile(join(root, "probe"), "").then(() => true, () => false);
    await rm(join(root, "probe"), { force: true });
    const run = addToBundle({
      root,
      version: VERSION,
      platforms: ["linux-x64"],
      registry: registry.url,
    });
    if (writable) {
      const result = await run;
      assert.equal(result.added[0].unchanged, false);
      assert.deepEqual((await readdir(root)).sort(), ["bundle.jsonc", "linux-x64"]);
    } else {
      await assert.rejects(
        run,
        (e) => e instanceof BundleError && /Cannot write to the bundle root/.test(e.message),
      );
      assert.deepEqual(await readdir(root), []);
    }
  }));

test("addToBundle checks options before any network or file access", async () => {
  const calls: string[] = [];
  const fetch = ((url: string) => {
    calls.push(url);
    throw new Error("no");
  }) as unknown as typeof globalThis.fetch;
  const base = { root: "/nonexistent/bundle", registry: "http://127.0.0.1:9/", fetch };
  await assert.rejects(addToBundle({ ...base, version: "../../etc" }), /option version/);
  await assert.rejects(
    addToBundle({ ...base, version: VERSION, platforms: ["linux-x86" as never] }),
    /option platform/,
  );
  await assert.rejects(
    addToBundle({ ...base, version: VERSION, registry: "file:///etc" }),
    /option registry/,
  );
  assert.deepEqual(calls, []);
});

test("addToBundle takes the registry from npm_config_registry when no option is given", () =>
  withTemp(async (dir) => {
    await using registry = await registryWith({
      [`${VERSION}-linux-x64`]: { tarball: await codexTarball(VERSION, "linux-x64") },
    });
    const result = await addToBundle({
      root: join(dir, "b"),
      version: VERSION,
      platforms: ["linux-x64"],
      env: { NPM_CONFIG_REGISTRY: registry.url },
    });
    assert.equal(result.registry, registry.url);
  }));

test("addToBundle resolves latest through the registry's dist-tags", () =>
  withTemp(async (dir) => {
    await using registry = await startFakeRegistry({
      [`${VERSION}-linux-x64`]: { tarball: await codexTarball(VERSION, "linux-x64") },
    }, { distTags: { latest: VERSION } });
    const events: BundleProgress[] = [];
    const result = await addToBundle({
      root: join(dir, "b"),
      version: "latest",
      platforms: ["linux-x64"],
      registry: registry.url,
      onProgress: (e) => events.push(e),
    });
    assert.equal(result.version, VERSION);
    assert.deepEqual(events.find((e) => e.type === "latest"), { type: "latest", version: VERSION });
    assert.ok((await readBundleManifest(join(dir, "b")))!.entries[VERSION]["linux-x64"]);
  }));

test("addToBundle refuses a latest dist-tag that is not an exact version", () =>
  withTemp(async (dir) => {
    await using registry = await startFakeRegistry({}, { distTags: { latest: "../../etc" } });
    await assert.rejects(
      addToBundle({ root: join(dir, "b"), version: "latest", registry: registry.url }),
      (e) =>
        e instanceof BundleError && /names "\.\.\/\.\.\/etc", not an exact version/.test(e.message),
    );
    assert.deepEqual(await readdir(dir), []);
  }));

test("concurrent addToBundle calls on one root all end up in the manifest", () =>
  withTemp(async (dir) => {
    const versions: Record<string, FakeVersion> = {};
    for (const platform of PLATFORM_LABELS) {
      versions[npmPlatformVersion(platform, VERSION)] = {
        tarball: await codexTarball(VERSION, platform),
      };
    }
    await using registry = await registryWith(versions);
    const root = join(dir, "bundle");
    await Promise.all(
      PLATFORM_LABELS.map((platform) =>
        addToBundle({ root, version: VERSION, platforms: [platform], registry: registry.url })
      ),
    );
    const manifest = await readBundleManifest(root);
    assert.deepEqual(Object.keys(manifest!.entries[VERSION]).sort(), [...PLATFORM_LABELS].sort());
    assert.ok(!(await readdir(root)).some((name) => name.includes(".lock")), "lock released");
  }));

test("addToBundle waits for the manifest lock and keeps what another writer recorded meanwhile", () =>
  withTemp(async (dir) => {
    await using registry = await registryWith({
      [`${VERSION}-linux-x64`]: { tarball: await codexTarball(VERSION, "linux-x64") },
    });
    const root = join(dir, "bundle");
    await mkdir(root);
    let release!: () => void;
    let locked!: () => void;
    const gotLock = new Promise<void>((resolve) => locked = resolve);
    const holder = withFileLock(join(root, "bundle.jsonc.lock"), async () => {
      locked();
      await new Promise<void>((resolve) => release = resolve);
    });
    await gotLock;
    let finished = false;
    const add = addToBundle({
      root,
      version: VERSION,
      platforms: ["linux-x64"],
      registry: registry.url,
    }).finally(() => finished = true);
    // let the add download and unpack: all it has left is what the lock guards
    for (let i = 0; i < 400; i++) {
      const tmp = (await readdir(root)).find((n) => n.startsWith(TEMP_PREFIX));
      if (tmp && (await readdir(join(root, tmp))).includes("out")) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    // another writer, holding the lock, records an entry the add has not seen
    const other = {
      sha256: "0".repeat(64),
      size: 1,
      source: { tarball: "https://h.test/t.tgz", integrity: "sha512-x" },
      addedAt: new Date(0).toISOString(),
    };
    await recordBundleEntry(root, VERSION, "darwin-arm64", other);
    assert.equal(finished, false, "the add finished while another held the lock");
    release();
    await holder;
    const result = await add;
    assert.equal(result.added[0].unchanged, false);
    const manifest = await readBundleManifest(root);
    assert.deepEqual(Object.keys(manifest!.entries[VERSION]).sort(), ["darwin-arm64", "linux-x64"]);
  }));

test("addToBundle removes the temp dirs of adds whose process is gone, and only those", () =>
  withTemp(async (dir) => {
    await using registry = await registryWith({
      [`${VERSION}-linux-x64`]: { tarball: await codexTarball(VERSION, "linux-x64") },
    });
    const root = join(dir, "bundle");
    // pid 99999999 is above every pid_max: no such process exists
    const dead = `${TEMP_PREFIX}99999999-0123456789ab-bundle`;
    const live = `${TEMP_PREFIX}${process.pid}-0123456789ab-bundle`;
    const legacyOld = ".bundle-tmp-AbCdEf";
    const legacyNew = ".bundle-tmp-GhIjKl";
    for (const name of [dead, live, legacyOld, legacyNew]) {
      await mkdir(join(root, name, "out", "codex-resources"), { recursive: true });
      await writeFile(join(root, name, "package.tgz"), new Uint8Array(1 << 16));
    }
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(join(root, legacyOld), twoHoursAgo, twoHoursAgo);
    await addToBundle({ root, version: VERSION, platforms: ["linux-x64"], registry: registry.url });
    assert.deepEqual(
      (await readdir(root)).sort(),
      [live, legacyNew, "bundle.jsonc", "linux-x64"].sort(),
    );
  }));

test("selectTarget keeps only the binary, helpers, path and resources dirs", () => {
  const table: [string, string | undefined][] = [
    ["bin/codex", "codex"],
    ["bin/codex-code-mode-host", "codex-code-mode-host"],
    ["bin/sub/x", undefined],
    ["codex-path/rg", "codex-path/rg"],
    ["codex-resources/voice/lib/a.so", "codex-resources/voice/lib/a.so"],
    ["codex-package.json", "codex-package.json"],
    ["codex-pathology/x", undefined],
    ["README.md", undefined],
  ];
  for (const [rel, want] of table) assert.equal(selectTarget(rel, "codex"), want, rel);
});

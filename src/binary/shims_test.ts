import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { BinaryNotFoundError } from "../errors.ts";
import { globalInstallDirs, resolveCodexBinary } from "./resolve.ts";

async function executable(path: string, text = "#!/bin/sh\n"): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  await chmod(path, 0o755);
}

async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "codexkit-shims-"));
  try {
    await fn(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** An `@openai/codex` package at `pkg` with its platform package nested, current layout. */
async function codexPackage(pkg: string, platform = "linux", version = "0.171.0"): Promise<string> {
  const [suffix, triple, exe] = platform === "win32"
    ? ["win32-x64", "x86_64-pc-windows-msvc", "codex.exe"]
    : ["linux-x64", "x86_64-unknown-linux-musl", "codex"];
  await executable(join(pkg, "bin", "codex.js"), "#!/usr/bin/env node\n");
  const vendor = join(pkg, "node_modules", "@openai", `codex-${suffix}`, "vendor", triple);
  await executable(join(vendor, "bin", exe));
  await writeFile(
    join(vendor, "codex-package.json"),
    JSON.stringify({ entrypoint: `bin/${exe}`, version }),
  );
  return join(vendor, "bin", exe);
}

const resolveWith = (
  root: string,
  env: Record<string, string>,
  platform = "linux",
  cwd?: string,
) => resolveCodexBinary({ searchFrom: [join(root, "app")], env, platform, arch: "x64", cwd });

test("CODEX_BINARY names the binary as CODEX_PATH does, and CODEX_PATH wins when both are set", () =>
  withRoot(async (root) => {
    await executable(join(root, "a", "codex"));
    await executable(join(root, "b", "codex"));
    const one = await resolveWith(root, { CODEX_BINARY: join(root, "b", "codex"), PATH: "" });
    assert.deepEqual([one.path, one.source], [join(root, "b", "codex"), "env"]);
    const both = await resolveWith(root, {
      CODEX_PATH: join(root, "a", "codex"),
      CODEX_BINARY: join(root, "b", "codex"),
      PATH: "",
    });
    assert.equal(both.path, join(root, "a", "codex"));
  }));

test("On Windows a global npm install's codex.cmd leads to the native codex.exe, never itself", () =>
  withRoot(async (root) => {
    const prefix = join(root, "AppData", "Roaming", "npm");
    const cmd = join(prefix, "codex.cmd");
    await executable(
      cmd,
      '@ECHO off\r\nnode "%dp0%\\node_modules\\@openai\\codex\\bin\\codex.js" %*\r\n',
    );
    const exe = await codexPackage(join(prefix, "node_modules", "@openai", "codex"), "win32");
    const found = await resolveWith(root, { PATH: prefix }, "win32");
    assert.equal(found.path, exe);
    assert.equal(found.shim, cmd);
    assert.match(found.path, /codex\.exe$/);
  }));

test("On Windows a codex.cmd whose codex.exe is missing is refused, naming it, not spawned", () =>
  withRoot(async (root) => {
    const prefix = join(root, "npm");
    await executable(
      join(prefix, "codex.cmd"),
      'node "%dp0%\\node_modules\\@openai\\codex\\bin\\codex.js" %*\r\n',
    );
    await mkdir(join(prefix, "node_modules", "@openai", "codex"), { recursive: true });
    await assert.rejects(resolveWith(root, { PATH: prefix }, "win32"), (e: unknown) => {
      assert.ok(e instanceof BinaryNotFoundError);
      assert.match(
        e.message,
        /codex\.cmd \(an npm \.cmd launcher whose codex\.exe was not found\)/,
      );
      return true;
    });
  }));

test("An asdf shim is followed to the nodejs version .tool-versions picks for the directory", () =>
  withRoot(async (root) => {
    const data = join(root, ".asdf");
    const shim = join(data, "shims", "codex");
    await executable(
      shim,
      '#!/usr/bin/env bash\n# asdf-plugin: nodejs 20.11.0\n# asdf-plugin: nodejs 22.11.0\nexec asdf exec "codex" "$@"\n',
    );
    for (const v of ["20.11.0", "22.11.0"]) {
      const lib = join(data, "installs", "nodejs", v, "lib", "node_modules", "@openai", "codex");
      await codexPackage(lib, "linux", v === "22.11.0" ? "0.171.0" : "0.170.0");
    }
    const project = join(root, "project", "sub");
    await mkdir(project, { recursive: true });
    await writeFile(join(root, "project", ".tool-versions"), "python 3.12.1\nnodejs 22.11.0\n");
    const found = await resolveWith(root, { PATH: dirname(shim), HOME: root }, "linux", project);
    assert.match(found.path, /installs\/nodejs\/22\.11\.0\/.*\/bin\/codex$/);
    assert.equal(found.version, "0.171.0");
    assert.equal(found.shim, shim);
    // ASDF_NODEJS_VERSION beats the file, as asdf itself does.
    const pinned = await resolveWith(
      root,
      { PATH: dirname(shim), HOME: root, ASDF_NODEJS_VERSION: "20.11.0" },
      "linux",
      project,
    );
    assert.equal(pinned.version, "0.170.0");
    // Nothing says which: the shim itself runs, and asdf decides.
    const unsure = await resolveWith(root, { PATH: dirname(shim), HOME: root }, "linux", root);
    assert.equal(unsure.path, shim);
  }));

test("A mise shim and a volta shim are followed to the one install that holds codex", () =>
  withRoot(async (root) => {
    const mise = join(root, "mise");
    await executable(join(mise, "bin", "mise"));
    await mkdir(join(mise, "shims"), { recursive: true });
    await symlink(join(mise, "bin", "mise"), join(mise, "shims", "codex"));
    const miseExe = await codexPackage(
      join(mise, "installs", "node", "22.11.0", "lib", "node_modules", "@openai", "codex"),
    );
    await symlink(join(mise, "installs", "node", "22.11.0"), join(mise, "installs", "node", "22"));
    const viaMise = await resolveWith(root, { PATH: join(mise, "shims"), MISE_DATA_DIR: mise });
    assert.equal(viaMise.path, miseExe);

    const volta = join(root, ".volta");
    await executable(join(volta, "bin", "volta-shim"));
    await symlink(join(volta, "bin", "volta-shim"), join(volta, "bin", "codex"));
    await mkdir(join(volta, "tools", "user", "bins"), { recursive: true });
    await writeFile(
      join(volta, "tools", "user", "bins", "codex.json"),
      JSON.stringify({ name: "codex", package: "@openai/codex", version: "0.171.0" }),
    );
    const voltaExe = await codexPackage(
      join(
        volta,
        "tools",
        "image",
        "packages",
        "@openai",
        "codex",
        "lib",
        "node_modules",
        "@openai",
        "codex",
      ),
    );
    const viaVolta = await resolveWith(root, { PATH: join(volta, "bin"), VOLTA_HOME: volta });
    assert.equal(viaVolta.path, voltaExe);
    assert.equal(viaVolta.shim, join(volta, "bin", "codex"));
  }));

test("Without codex on PATH, the usual global install dirs are searched and listed", () =>
  withRoot(async (root) => {
    assert.deepEqual(
      globalInstallDirs({ HOME: "/h" }, "linux").slice(0, 3),
      ["/h/.npm-global/bin", "/h/.local/bin", "/h/.bun/bin"],
    );
    assert.deepEqual(globalInstallDirs({ APPDATA: "C:\\A" }, "win32").length, 1);
    // The machine's own /usr/local/bin and /opt/homebrew/bin stay out of this test.
    const mine = globalInstallDirs({ HOME: root }, "linux").filter((d) => d.startsWith(root));
    const search = () =>
      resolveCodexBinary({
        searchFrom: [join(root, "app")],
        env: { PATH: "", HOME: root },
        platform: "linux",
        arch: "x64",
        installDirs: mine,
      });
    await assert.rejects(search(), (e: unknown) => {
      assert.ok(e instanceof BinaryNotFoundError);
      assert.match(e.message, /usual install dirs/);
      return true;
    });
    const local = join(root, ".local", "bin", "codex");
    await executable(local);
    const found = await search();
    assert.equal(found.path, local);
  }));

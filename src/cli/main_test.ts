import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { getSpawner } from "../runtime/mod.ts";
import { readBundleManifest } from "../../bundles/mod.ts";
import { codexTarball, startFakeRegistry } from "../../bundles/_test_helpers.ts";
import { NATIVE_CODEX, TEST_CODEX_VERSION } from "../../tests/_codex.ts";

const MAIN = join(dirname(fileURLToPath(import.meta.url)), "main.ts");
const NATIVE = NATIVE_CODEX;

/** Runs the CLI as a child under the runtime running this test. */
async function cli(args: string[], env: Record<string, string>, cwd: string) {
  const runtimeArgs = "Deno" in globalThis ? ["run", "-A", MAIN] : [MAIN];
  const child = await getSpawner().spawn(process.execPath, [...runtimeArgs, ...args], {
    env,
    cwd,
    stdin: "null",
  });
  const [stdout, stderr, status] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { stdout, stderr, code: status.code };
}

async function withTemp(
  fn: (dir: string, env: Record<string, string>) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-cli-"));
  try {
    const home = join(dir, "codex-home");
    const tmp = join(dir, "tmp");
    const work = join(dir, "work");
    for (const d of [home, tmp, work, join(dir, "user")]) await mkdir(d);
    // runtimes keep caches under HOME (~/.bun, ~/.cache): give them their own place
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: join(dir, "user"),
      CODEX_HOME: home,
      TMPDIR: tmp,
      NO_COLOR: "1",
    };
    await fn(work, env);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("cli bundle add pins a version from the npm_config_registry registry", () =>
  withTemp(async (dir, env) => {
    await using registry = await startFakeRegistry({
      "0.169.0-linux-x64": { tarball: await codexTarball("0.169.0", "linux-x64") },
      "0.169.0-darwin-arm64": { tarball: await codexTarball("0.169.0", "darwin-arm64") },
    });
    const run = await cli(
      ["bundle", "add", "0.169.0", "--root", "b", "--platform", "linux-x64,darwin-arm64"],
      { ...env, npm_config_registry: registry.url },
      dir,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^linux-x64\tadded\t.*b\/linux-x64\/0\.169\.0\/codex\t/m);
    assert.match(run.stdout, /^darwin-arm64\tadded\t/m);
    assert.match(run.stderr, /integrity verified/);
    const manifest = await readBundleManifest(join(dir, "b"));
    assert.deepEqual(Object.keys(manifest!.entries["0.169.0"]).sort(), [
      "darwin-arm64",
      "linux-x64",
    ]);
  }));

test("cli bundle add fails with exit 1 on an unknown version and exit 2 on ../../etc", () =>
  withTemp(async (dir, env) => {
    await using registry = await startFakeRegistry({});
    const unknown = await cli(
      ["bundle", "add", "9.9.9", "--root", "b", "--registry", registry.url],
      env,
      dir,
    );
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /BundleError: Cannot find @openai\/codex@9\.9\.9-linux-x64 .*unknown version/,
    );
    const traversal = await cli(
      ["bundle", "add", "../../etc", "--registry", registry.url],
      env,
      dir,
    );
    assert.equal(traversal.code, 2);
    assert.match(traversal.stderr, /Invalid option version: "\.\.\/\.\.\/etc"/);
    assert.deepEqual(await readdir(dir), []);
    assert.deepEqual(registry.requests, ["/@openai/codex/9.9.9-linux-x64", "/@openai/codex"]);
  }));

test("cli probe --json prints the snapshot and gate answers of the native binary", () =>
  withTemp(async (dir, env) => {
    const run = await cli(["probe", NATIVE, "--json"], env, dir);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.binary, NATIVE);
    assert.equal(out.snapshot.version.semver, TEST_CODEX_VERSION);
    assert.equal(out.gates["exec.output-schema"].status, "supported");
  }));

test("cli doctor reports the binary, version and an API-key login without the key", () =>
  withTemp(async (dir, env) => {
    await writeFile(
      join(env.CODEX_HOME, "auth.json"),
      JSON.stringify({ auth_mode: "apikey", OPENAI_API_KEY: "sk-test-secret-0987654321" }),
      { mode: 0o600 },
    );
    const run = await cli(["doctor", "--binary", NATIVE], env, dir);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`^binary   ${NATIVE.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"),
    );
    assert.match(run.stdout, /^via +override$/m);
    assert.match(
      run.stdout,
      new RegExp(`^version +${TEST_CODEX_VERSION.replaceAll(".", "\\.")}$`, "m"),
    );
    assert.match(run.stdout, /^auth +API key configured /m);
    assert.ok(!run.stdout.includes("sk-test") && !run.stderr.includes("sk-test"));
  }));

test("cli doctor --json reports a logged-out home and a missing bundle", () =>
  withTemp(async (dir, env) => {
    const loggedOut = await cli(["doctor", "--binary", NATIVE, "--json"], env, dir);
    assert.equal(loggedOut.code, 0, loggedOut.stderr);
    const report = JSON.parse(loggedOut.stdout);
    assert.equal(report.auth.state, "logged-out");
    assert.equal(report.auth.codexHome, env.CODEX_HOME);
    const missing = await cli(
      ["doctor", "--bundle", join(dir, "nowhere"), "--version", "0.169.0"],
      env,
      dir,
    );
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /^binary +NOT FOUND$/m);
    assert.match(missing.stdout, /Cannot find the bundle root/);
  }));

test("cli --help prints usage and exits 0", () =>
  withTemp(async (dir, env) => {
    const run = await cli(["--help"], env, dir);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /codexkit bundle add <version>/);
  }));

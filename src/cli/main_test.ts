import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { getSpawner } from "../runtime/mod.ts";
import { readBundleManifest } from "../../bundles/mod.ts";
import { codexTarball, startFakeRegistry } from "../../bundles/_test_helpers.ts";
import { NATIVE_CODEX, TEST_CODEX_VERSION } from "../../tests/_codex.ts";
import { runCli } from "./dispatch.ts";
import { CODEXKIT_VERSION } from "./version.ts";

const MAIN = join(dirname(fileURLToPath(import.meta.url)), "main.ts");
const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
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

test("cli bundle add reports a corrupt tarball as a bundle failure (exit 1), not a usage error", () =>
  withTemp(async (dir, env) => {
    const corrupt = (await codexTarball("0.169.0", "linux-x64")).map((b, i) =>
      i > 20 ? b ^ 0x5a : b
    );
    await using registry = await startFakeRegistry({ "0.169.0-linux-x64": { tarball: corrupt } });
    const run = await cli(
      [
        "bundle",
        "add",
        "0.169.0",
        "--root",
        "b",
        "--platform",
        "linux-x64",
        "--registry",
        registry.url,
      ],
      env,
      dir,
    );
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /codexkit: BundleError: Cannot unpack @openai\/codex@0\.169\.0-linux-x64: \S/,
    );
    assert.doesNotMatch(run.stderr, /--help/);
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

test("cli doctor --json reports a logged_out home and a missing bundle", () =>
  withTemp(async (dir, env) => {
    const loggedOut = await cli(["doctor", "--binary", NATIVE, "--json"], env, dir);
    assert.equal(loggedOut.code, 0, loggedOut.stderr);
    const report = JSON.parse(loggedOut.stdout);
    assert.equal(report.auth.state, "logged_out");
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
    assert.match(run.stdout, /^ {2}bundle add <version\|latest> +pin a codex version/m);
  }));

/** Runs the CLI in this process with captured streams. */
async function runIn(
  argv: string[],
  options: { env?: Record<string, string | undefined>; tty?: boolean } = {},
) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    env: options.env ?? { NO_COLOR: "1" },
    outIsTTY: options.tty,
    errIsTTY: options.tty,
    columns: 100,
  });
  return { code, stdout, stderr };
}

test("cli --version prints the package version from deno.json", async () => {
  const run = await runIn(["--version"]);
  const deno = JSON.parse(await readFile(join(REPO, "deno.json"), "utf8"));
  assert.equal(run.code, 0);
  assert.equal(CODEXKIT_VERSION, deno.version);
  assert.equal(run.stdout, `codexkit ${deno.version}\n`);
});

test("cli usage errors are one line of ours plus a hint, exit 2", async () => {
  const table: [string[], string, string][] = [
    [["help", "nope"], 'no help for "nope"', "codexkit"],
    [["prob"], 'unknown command "prob" (did you mean "probe"?)', "codexkit"],
    [["--nope"], "unknown option --nope", "codexkit"],
    [["bundle", "add", "0.169.0", "--x"], "unknown option --x", "codexkit bundle add"],
    [["bundle", "add", "0.169.0", "--root"], "option --root needs a value", "codexkit bundle add"],
    [["bundle", "remove"], 'unknown subcommand "remove" (there is: add)', "codexkit bundle"],
    [
      ["probe", "--timeout", "soon"],
      '--timeout must be a positive number of milliseconds, not "soon"',
      "codexkit probe",
    ],
  ];
  for (const [argv, message, where] of table) {
    const run = await runIn(argv);
    assert.equal(run.code, 2, argv.join(" "));
    assert.equal(run.stdout, "");
    assert.equal(run.stderr, `codexkit: ${message}\nRun "${where} --help" for usage.\n`);
  }
});

test("cli help pages: overview, a command's page, and --help anywhere on its line", async () => {
  const overview = await runIn(["help"]);
  assert.equal(overview.code, 0);
  for (const command of ["bundle add", "probe", "doctor", "help"]) {
    assert.match(overview.stdout, new RegExp(`^  ${command} `, "m"));
  }
  assert.match(overview.stdout, /deno run -A jsr:@codexkit\/sdk\/cli/);
  const page = await runIn(["help", "doctor"]);
  assert.match(page.stdout, /^codexkit doctor \[options\]/);
  const inline = await runIn(["bundle", "add", "0.169.0", "--help"]);
  assert.equal(inline.code, 0);
  assert.match(inline.stdout, /^codexkit bundle add <version\|latest>/);
});

test("cli probe of a missing binary says so once and exits 1", async () => {
  const run = await runIn(["probe", "/nonexistent/codex"]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, "");
  assert.equal(run.stderr, "codexkit: cannot probe /nonexistent/codex: no such file\n");
});

test("cli colours errors on a terminal only and never with NO_COLOR", async () => {
  const tty = await runIn(["nope"], { env: {}, tty: true });
  assert.ok(tty.stderr.includes("\x1b[31mcodexkit:"), tty.stderr);
  const noColor = await runIn(["nope"], { env: { NO_COLOR: "1" }, tty: true });
  assert.ok(!noColor.stderr.includes("\x1b["), noColor.stderr);
  const pipe = await runIn(["nope"], { env: {}, tty: false });
  assert.ok(!pipe.stderr.includes("\x1b["), pipe.stderr);
});

test("cli bundle add keeps the cause when the registry cannot be reached", async () => {
  // a port that was just listening and is now closed refuses connections
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  const dir = await mkdtemp(join(tmpdir(), "codexkit-cli-"));
  try {
    const add = (registry: string) =>
      runIn(["bundle", "add", "0.169.0", "--root", join(dir, "b"), "--registry", registry]);
    const run = await add(`http://127.0.0.1:${port}/`);
    assert.equal(run.code, 1);
    const line = run.stderr.trim().split("\n").at(-1)!;
    assert.match(
      line,
      new RegExp(
        `^codexkit: BundleError: Cannot reach the registry at http://127\\.0\\.0\\.1:${port}/\\S+: .+`,
      ),
    );
    assert.match(line, /refused/i);
    // credentials in the registry URL never reach the message, whatever the runtime says
    const secret = await add(`http://user:hunter2@127.0.0.1:${port}/`);
    assert.equal(secret.code, 1);
    assert.ok(!secret.stderr.includes("hunter2"), secret.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("cli bundle add latest pins the registry's latest, with a bar on a terminal", () =>
  withTemp(async (dir) => {
    await using registry = await startFakeRegistry({
      "0.169.0-linux-x64": { tarball: await codexTarball("0.169.0", "linux-x64") },
      "0.168.0-linux-x64": { tarball: await codexTarball("0.168.0", "linux-x64") },
    }, { distTags: { latest: "0.169.0" } });
    const root = join(dir, "b");
    const argv = ["bundle", "add", "latest", "--root", root, "--platform", "linux-x64"];
    const tty = await runIn(argv, { env: { npm_config_registry: registry.url }, tty: true });
    assert.equal(tty.code, 0, tty.stderr);
    assert.match(tty.stderr, /latest is 0\.169\.0/);
    // deno-lint-ignore no-control-regex
    assert.match(tty.stderr, /\rlinux-x64 \x1b\[32m█+\x1b\[39m.* 100% .*done\x1b\[K\n/);
    assert.match(tty.stdout, /^linux-x64\tadded\t.*\/linux-x64\/0\.169\.0\/codex\t/m);
    const manifest = await readBundleManifest(root);
    assert.deepEqual(Object.keys(manifest!.entries), ["0.169.0"]);

    // not a terminal: plain lines, no carriage returns and no colour
    await rm(root, { recursive: true });
    const pipe = await runIn(argv, { env: { npm_config_registry: registry.url }, tty: false });
    assert.equal(pipe.code, 0, pipe.stderr);
    assert.ok(!pipe.stderr.includes("\r") && !pipe.stderr.includes("\x1b"), pipe.stderr);
    assert.match(pipe.stderr, /^linux-x64: downloaded .* of .*$/m);
    assert.match(pipe.stderr, /^linux-x64: integrity verified/m);

    // a terminal with NO_COLOR: the bar still redraws, without colour
    await rm(root, { recursive: true });
    const plain = await runIn(argv, {
      env: { npm_config_registry: registry.url, NO_COLOR: "1" },
      tty: true,
    });
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stderr, /\rlinux-x64 █+ +100%/);
    // deno-lint-ignore no-control-regex
    assert.ok(!/\x1b\[\d+m/.test(plain.stderr), plain.stderr);
  }));

test("cli: two bundle add processes on one root both end up in the manifest", () =>
  withTemp(async (dir, env) => {
    const platforms = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"] as const;
    const versions: Record<string, { tarball: Uint8Array }> = {};
    for (const p of platforms) {
      versions[`0.169.0-${p}`] = { tarball: await codexTarball("0.169.0", p) };
    }
    await using registry = await startFakeRegistry(versions);
    const add = (list: string) =>
      cli(["bundle", "add", "0.169.0", "--root", "b", "--platform", list], {
        ...env,
        npm_config_registry: registry.url,
      }, dir);
    const runs = await Promise.all([add("linux-x64,darwin-x64"), add("linux-arm64,darwin-arm64")]);
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const manifest = await readBundleManifest(join(dir, "b"));
    assert.deepEqual(Object.keys(manifest!.entries["0.169.0"]).sort(), [...platforms].sort());
    assert.ok(!(await readdir(join(dir, "b"))).includes("bundle.jsonc.lock"));
  }));

/**
 * What the exec lane hands codex, seen by a recording fake codex: the argv order with images
 * after the subcommand, the flags of newer options, and the layered environment.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Codex } from "../src/codex.ts";
import type { CodexOptions } from "../src/options.ts";

const TURN = [
  `printf '%s\\n' '{"type":"thread.started","thread_id":"'"\${THREAD_ID:-fake-thread}"'"}'`,
  `printf '%s\\n' '{"type":"turn.started"}'`,
  `printf '%s\\n' '{"type":"item.completed","item":{"id":"item_0","type":"agent_message","text":"ok"}}'`,
  `printf '%s\\n' '{"type":"turn.completed","usage":{"input_tokens":1,"cached_input_tokens":0,"output_tokens":1}}'`,
].join("\n");

/** A fake codex that records its argv (one per line) and environment, then runs a turn. */
async function recorder(): Promise<
  & { path: string; dir: string; argv(): Promise<string[]>; env(): Promise<Record<string, string>> }
  & AsyncDisposable
> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-argv-"));
  const path = join(dir, "codex");
  await writeFile(
    path,
    `#!/bin/sh\ncat >/dev/null\nprintf '%s\\n' "$@" > "${dir}/argv"\nenv > "${dir}/env"\n${TURN}\n`,
  );
  await chmod(path, 0o755);
  return {
    path,
    dir,
    argv: async () => (await readFile(join(dir, "argv"), "utf8")).trimEnd().split("\n"),
    env: async () =>
      Object.fromEntries(
        (await readFile(join(dir, "env"), "utf8")).trimEnd().split("\n").map((line) => {
          const eq = line.indexOf("=");
          return [line.slice(0, eq), line.slice(eq + 1)];
        }),
      ),
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
}

const client = (path: string, options: CodexOptions = {}) =>
  new Codex({
    codexPathOverride: path,
    capabilities: false,
    env: { PATH: "/usr/bin:/bin", THREAD_ID: "t-1" },
    ...options,
  });

test("A resumed turn with images puts resume <id> and - before every --image", async () => {
  await using fake = await recorder();
  const thread = client(fake.path).resumeThread("t-1");
  await thread.run([
    { type: "text", text: "look" },
    { type: "local_image", path: "a.png" },
  ], { images: ["b.png"] });
  const argv = await fake.argv();
  assert.deepEqual(argv.slice(-7), ["resume", "t-1", "-", "--image", "a.png", "--image", "b.png"]);
  assert.equal(argv.indexOf("--image"), argv.indexOf("-") + 1);
});

test("oss, localProvider and cyberAccessProgram reach codex as their flags", async () => {
  await using fake = await recorder();
  await client(fake.path).startThread({ oss: true, localProvider: "ollama" }).run("hi", {
    cyberAccessProgram: "daybreak_red",
  });
  const argv = await fake.argv();
  const at = (flag: string) => argv[argv.indexOf(flag) + 1];
  assert.ok(argv.includes("--oss"));
  assert.equal(at("--local-provider"), "ollama");
  assert.equal(at("--cyber-access-program"), "daybreak_red");
});

test("env layers: the client's env is the base, thread and turn env add or replace keys", async () => {
  await using fake = await recorder();
  const codex = client(fake.path, {
    env: { PATH: "/usr/bin:/bin", THREAD_ID: "t", A: "client", B: "client" },
  });
  const thread = codex.startThread({ env: { B: "thread", C: "thread" } });
  await thread.run("hi", { env: { C: "turn" } });
  const env = await fake.env();
  assert.equal(env.A, "client");
  assert.equal(env.B, "thread");
  assert.equal(env.C, "turn");
  assert.equal(env.CODEX_INTERNAL_ORIGINATOR_OVERRIDE, "codex_sdk_ts");
  await thread.run("again");
  assert.equal((await fake.env()).C, "thread", "the turn's env was for that turn only");
});

test("The binary's PATH dirs are not added again when PATH already lists them", async () => {
  await using fake = await recorder();
  const bundle = {
    describe: () => "test bundle",
    resolve: () => Promise.resolve({ path: fake.path, pathDirs: [fake.dir] }),
  };
  await new Codex({ bundle, env: { PATH: `/usr/bin:${fake.dir}:/bin` } }).startThread().run("hi");
  assert.equal((await fake.env()).PATH, `/usr/bin:${fake.dir}:/bin`);
  await new Codex({ bundle, env: { PATH: "/usr/bin:/bin" } }).startThread().run("hi");
  assert.equal((await fake.env()).PATH, `${fake.dir}:/usr/bin:/bin`);
});

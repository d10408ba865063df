/**
 * `oss` threads (`--oss --local-provider ollama|lmstudio`) against the REAL codex, with the fake
 * Responses server standing in for the local Ollama or LM Studio server (CODEX_OSS_BASE_URL).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../src/codex.ts";
import { ExitError } from "../src/errors.ts";
import type { CodexOptions } from "../src/options.ts";
import { offlineOssConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { FakeResponsesServer, RecordedRequest } from "../src/testing/mod.ts";
import { NATIVE_CODEX, NATIVE_CODEX_PATH_DIR } from "./_codex.ts";

/** A client whose children see only PATH, a scratch HOME/TMPDIR and the local provider URL. */
async function ossClient(
  server: FakeResponsesServer,
): Promise<{ codex: Codex; work: string } & AsyncDisposable> {
  const scratch = await mkdtemp(join(tmpdir(), "codexkit-oss-"));
  const work = join(scratch, "work");
  const tmp = join(scratch, "tmp");
  await mkdir(work);
  await mkdir(tmp);
  const { config, env } = offlineOssConfig(server);
  const codex = new Codex({
    codexPathOverride: NATIVE_CODEX,
    codexHome: join(scratch, "home"),
    config: config as CodexOptions["config"],
    env: {
      PATH: [NATIVE_CODEX_PATH_DIR, process.env.PATH ?? "/usr/bin:/bin"].filter(Boolean).join(":"),
      HOME: scratch,
      TMPDIR: tmp,
      ...env,
    },
  });
  return {
    codex,
    work,
    async [Symbol.asyncDispose]() {
      await codex.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

const routes = (server: FakeResponsesServer): string[] =>
  server.requests.map((r) => `${r.method} ${r.path} ${r.status}`);

const model = (request: RecordedRequest): unknown => (request.body as { model?: unknown }).model;

/** One turn of an oss thread on `localProvider`, against `server` standing in for it. */
async function ossTurn(
  server: FakeResponsesServer,
  localProvider: "ollama" | "lmstudio",
  prompt: string,
  thread: { model?: string } = {},
) {
  await using client = await ossClient(server);
  return await client.codex.startThread({
    oss: true,
    localProvider,
    skipGitRepoCheck: true,
    workingDirectory: client.work,
    ...thread,
  }).run(prompt);
}

/**
 * Some releases cannot run an oss turn through exec at all (0.166.0 answers "This chat uses
 * ollama, but your current provider is openai": modelProviderMismatch). One turn tells; the
 * turn tests then skip with that reason instead of failing on the CLI's defect.
 */
async function ossDefect(): Promise<string | false> {
  await using server = await startFakeResponsesServer([reply.message("probe")], {
    localProvider: "ollama",
  });
  try {
    await ossTurn(server, "ollama", "probe");
    return false;
  } catch (error) {
    if (error instanceof ExitError && /modelProviderMismatch/.test(error.message)) {
      return `this codex cannot run oss turns through exec: ${error.message.split("\n")[0]}`;
    }
    return false; // Any other failure is for the tests themselves to report.
  }
}

const OSS_DEFECT = await ossDefect();

test(
  "An oss thread on Ollama runs a turn against the fake local server",
  { skip: OSS_DEFECT },
  async () => {
    await using server = await startFakeResponsesServer([reply.message("Hi from a local model")], {
      localProvider: "ollama",
    });
    const turn = await ossTurn(server, "ollama", "Say hi");
    assert.equal(turn.finalResponse, "Hi from a local model");
    // The Ollama checks came first: --oss and --local-provider ollama reached codex.
    const seen = routes(server);
    assert.ok(seen.includes("GET /api/version 200"), seen.join(", "));
    assert.ok(seen.includes("GET /api/tags 200"), seen.join(", "));
    const [call] = await server.waitForRequests(1);
    assert.ok(call.index > seen.indexOf("GET /api/tags 200"), "the checks precede the turn");
    assert.equal(model(call), "gpt-oss:20b", "codex's default local model for ollama");
    assert.equal((call.body as { stream?: unknown }).stream, true);
  },
);

test("An oss thread on Ollama sends the thread's model when the local server lists it", {
  skip: OSS_DEFECT,
}, async () => {
  await using server = await startFakeResponsesServer([reply.message("qwen here")], {
    localProvider: "ollama",
    localModels: ["gpt-oss:20b", "qwen3:8b"],
  });
  const turn = await ossTurn(server, "ollama", "Who are you?", { model: "qwen3:8b" });
  assert.equal(turn.finalResponse, "qwen here");
  assert.equal(model((await server.waitForRequests(1))[0]), "qwen3:8b");
});

test(
  "An oss thread on LM Studio runs a turn against the fake local server",
  { skip: OSS_DEFECT },
  async () => {
    await using server = await startFakeResponsesServer([reply.message("Hi from LM Studio")], {
      localProvider: "lmstudio",
    });
    const turn = await ossTurn(server, "lmstudio", "Say hi");
    assert.equal(turn.finalResponse, "Hi from LM Studio");
    const seen = routes(server);
    assert.ok(seen.includes("GET /v1/models 200"), seen.join(", "));
    assert.ok(!seen.some((r) => r.includes("/api/")), `no Ollama routes: ${seen.join(", ")}`);
    const calls = await server.waitForRequests(1);
    assert.equal(calls.length, 1, "the background model load used no script step");
    assert.equal(model(calls[0]), "openai/gpt-oss-20b", "codex's default local model for lmstudio");
  },
);

test("An Ollama older than codex accepts fails the turn before any model call", async () => {
  await using server = await startFakeResponsesServer([reply.message("never sent")], {
    localProvider: "ollama",
    ollamaVersion: "0.1.0",
  });
  await assert.rejects(
    ossTurn(server, "ollama", "Say hi"),
    (e: unknown) => e instanceof ExitError && e.exitCode !== 0 && e.message.includes("0.1.0"),
  );
  assert.ok(routes(server).includes("GET /api/version 200"));
  assert.equal(server.requests.filter((r) => r.step !== null).length, 0, "no turn was sent");
});

test("A model the fake Ollama does not list makes codex try a pull, and the turn fails", async () => {
  await using server = await startFakeResponsesServer([reply.message("never sent")], {
    localProvider: "ollama",
    localModels: ["qwen3:8b"],
  });
  await assert.rejects(ossTurn(server, "ollama", "Say hi"), ExitError);
  assert.ok(routes(server).includes("POST /api/pull 404"), routes(server).join(", "));
  assert.equal(server.requests.filter((r) => r.step !== null).length, 0, "no turn was sent");
});

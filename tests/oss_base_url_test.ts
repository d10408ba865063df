/**
 * `ossBaseUrl` for `oss` threads against the REAL codex, with the fake Responses server standing
 * in for a local Ollama: the root URL is enough, and nothing answering fails by name.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../src/codex.ts";
import { CodexError } from "../src/errors.ts";
import type { CodexOptions } from "../src/options.ts";
import { offlineOssConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { FakeResponsesServer } from "../src/testing/mod.ts";
import { NATIVE_CODEX, NATIVE_CODEX_PATH_DIR } from "./_codex.ts";

/** One oss turn on Ollama at `url`, from a client whose environment names no provider URL. */
async function ossTurn(server: FakeResponsesServer, url: string) {
  const scratch = await mkdtemp(join(tmpdir(), "codexkit-oss-url-"));
  try {
    await mkdir(join(scratch, "work"));
    await mkdir(join(scratch, "tmp"));
    await using codex = new Codex({
      codexPathOverride: NATIVE_CODEX,
      codexHome: join(scratch, "home"),
      config: offlineOssConfig(server).config as CodexOptions["config"],
      env: {
        PATH: [NATIVE_CODEX_PATH_DIR, process.env.PATH ?? "/usr/bin:/bin"].join(":"),
        HOME: scratch,
        TMPDIR: join(scratch, "tmp"),
      },
    });
    return await codex.startThread({
      oss: true,
      localProvider: "ollama",
      ossBaseUrl: url,
      skipGitRepoCheck: true,
      workingDirectory: join(scratch, "work"),
    }).run("Say hi");
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

test("ossBaseUrl needs oss and an http(s) URL", () => {
  const codex = new Codex({ capabilities: false });
  assert.throws(
    () => codex.startThread({ ossBaseUrl: "http://127.0.0.1:11434" }),
    /Cannot use thread options.ossBaseUrl without oss: true/,
  );
  assert.throws(
    () => codex.startThread({ oss: true, ossBaseUrl: "127.0.0.1:11434" }),
    /Cannot use ossBaseUrl: expected an http\(s\) URL/,
  );
});

test("An oss thread reaches Ollama at the root URL it was given", async () => {
  await using server = await startFakeResponsesServer([reply.message("local hi")], {
    localProvider: "ollama",
  });
  const root = server.url.replace(/\/v1$/, "");
  const turn = await ossTurn(server, root);
  assert.equal(turn.finalResponse, "local hi");
  assert.ok(server.requests.some((r) => r.path === "/v1/api/version" || r.path === "/api/version"));
});

test("A new oss thread whose provider does not answer fails naming the URL, before codex runs", async () => {
  const server = await startFakeResponsesServer([reply.message("never")], {
    localProvider: "ollama",
  });
  const root = server.url.replace(/\/v1$/, "");
  // Closed first: nothing listens at the URL any more.
  await server.close();
  await assert.rejects(
    ossTurn(server, root),
    (error) =>
      error instanceof CodexError && error.message.includes(`${root}/v1`) &&
      /nothing answered/.test(error.message),
  );
});

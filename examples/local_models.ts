/**
 * Local models: a thread on an Ollama-style local server (`oss: true, localProvider: "ollama"`).
 * Codex finds the server through `CODEX_OSS_BASE_URL`; here the embedded fake Responses server
 * stands in for Ollama, so the example runs offline.
 *
 *   deno run -A examples/local_models.ts   (or: bun / node examples/local_models.ts)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../mod.ts";
import type { CodexOptions } from "../mod.ts";
import { offlineOssConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";

const scratch = await mkdtemp(join(tmpdir(), "codexkit-example-"));
try {
  await using server = await startFakeResponsesServer(
    [reply.message("Hello from a local model.")],
    {
      localProvider: "ollama", // also answers Ollama's version and model-list calls
    },
  );
  // env holds CODEX_OSS_BASE_URL; a real app sets it to http://127.0.0.1:11434/v1 for Ollama.
  const { config, env } = offlineOssConfig(server);
  await using codex = new Codex({
    config: config as CodexOptions["config"],
    env: { PATH: process.env.PATH ?? "", HOME: scratch, TMPDIR: scratch, ...env },
    codexHome: join(scratch, "home"),
  });
  const thread = codex.startThread({
    oss: true,
    localProvider: "ollama",
    model: "gpt-oss:20b",
    workingDirectory: scratch,
    skipGitRepoCheck: true,
  });
  const turn = await thread.run("Say hello");
  const model = (server.requests.find((r) => r.step !== null)?.body as { model?: string })?.model;
  console.log(`model ${model}: ${turn.finalResponse}`);
} finally {
  await rm(scratch, { recursive: true, force: true });
}

/**
 * Sandboxing: the same command under `read-only` and under `workspace-write`. The read-only
 * sandbox keeps the file from being written; workspace-write lets the agent write inside the
 * working directory. Offline against the embedded fake Responses server.
 *
 *   deno run -A examples/sandboxing.ts   (or: bun / node examples/sandboxing.ts)
 */
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../mod.ts";
import type { SandboxMode } from "../mod.ts";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";

const scratch = await mkdtemp(join(tmpdir(), "codexkit-example-"));
try {
  for (const sandboxMode of ["read-only", "workspace-write"] satisfies SandboxMode[]) {
    const work = join(scratch, sandboxMode);
    await mkdir(work);
    await using server = await startFakeResponsesServer([
      reply.execCommand("touch note.txt"),
      reply.message("Tried to write note.txt."),
    ]);
    const { config, env } = offlineCodexConfig(server);
    await using codex = new Codex({
      config,
      env: { PATH: process.env.PATH ?? "", TMPDIR: scratch, ...env },
      codexHome: join(scratch, `home-${sandboxMode}`),
    });
    const thread = codex.startThread({
      workingDirectory: work,
      skipGitRepoCheck: true,
      sandboxMode,
    });
    await thread.run("Create note.txt");
    const written = await stat(join(work, "note.txt")).then(() => true, () => false);
    console.log(`${sandboxMode}: note.txt ${written ? "written" : "not written"}`);
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

/**
 * Structured output with a valibot schema: `turn.output` is parsed, checked and typed.
 * Offline against the embedded fake Responses server (the real codex does the rest).
 *
 *   deno run -A examples/structured_output.ts   (or: bun / node examples/structured_output.ts)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import * as v from "valibot";
import { Codex, SchemaMismatchError } from "../mod.ts";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";

const Review = v.object({
  verdict: v.picklist(["approve", "request_changes"]),
  issues: v.array(v.object({ file: v.string(), line: v.number(), note: v.string() })),
});

const scratch = await mkdtemp(join(tmpdir(), "codexkit-example-"));
try {
  await using server = await startFakeResponsesServer([
    reply.message(
      JSON.stringify({
        verdict: "request_changes",
        issues: [{ file: "a.ts", line: 3, note: "unused import" }],
      }),
    ),
    reply.message('{"verdict":"maybe"}'),
  ]);
  const { config, env } = offlineCodexConfig(server);
  await using codex = new Codex({
    config,
    env: { PATH: process.env.PATH ?? "", TMPDIR: scratch, ...env },
    codexHome: join(scratch, "home"),
  });
  const thread = codex.startThread({ workingDirectory: scratch, skipGitRepoCheck: true });

  const turn = await thread.run<v.InferOutput<typeof Review>>("Review the change", {
    outputSchema: Review,
  });
  console.log(`verdict: ${turn.output?.verdict}; first issue: ${turn.output?.issues[0]?.note}`);

  try {
    await thread.run("Review it again", { outputSchema: Review });
  } catch (error) {
    if (!(error instanceof SchemaMismatchError)) throw error;
    console.log(`second answer rejected: ${error.issues.join("; ")} (raw: ${error.rawText})`);
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

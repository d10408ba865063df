/**
 * The exec pieces, for hosts that schedule codex processes themselves: build the argv and the
 * environment, then run one `codex exec --json` process as a stream of event batches. Offline
 * against the embedded fake Responses server.
 *
 *   deno run -A examples/exec_pieces.ts   (or: bun / node examples/exec_pieces.ts)
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { buildExecArgs, buildExecEnv, runExec, spawnerFor } from "../src/exec/mod.ts";
import { resolveCodexBinary } from "../bundles/mod.ts";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";

const scratch = await mkdtemp(join(tmpdir(), "codexkit-example-"));
try {
  await using server = await startFakeResponsesServer([
    reply.execCommand("echo scheduled"),
    reply.message("The job printed scheduled."),
  ]);
  const offline = offlineCodexConfig(server);
  const binary = await resolveCodexBinary();
  const { args } = buildExecArgs({
    config: offline.config,
    thread: { workingDirectory: scratch, skipGitRepoCheck: true, sandboxMode: "read-only" },
    threadId: null,
  });
  const env = buildExecEnv({
    base: { PATH: process.env.PATH ?? "", TMPDIR: scratch, ...offline.env },
    codexHome: join(scratch, "home"),
    pathDirs: binary.pathDirs,
  });
  // The prompt is never in argv: `-` makes codex read it from stdin.
  console.log(`argv: codex ${args.slice(0, 2).join(" ")} ... ${args.slice(-5).join(" ")}`);
  // The stream ends at turn.completed; codex's own exit is waited for in the background, and a
  // host that removes the home afterwards waits for that first.
  const exits: Promise<void>[] = [];
  const events = runExec({
    spawner: spawnerFor(),
    background: (exit) => void exits.push(exit),
    // Runs when the stream is first read: the place for the binary lookup or a temp home.
    // CODEX_HOME must exist before codex starts (0.171).
    prepare: async () => {
      await mkdir(join(scratch, "home"), { recursive: true });
      return { binary: binary.path, args, displayCommand: ["codex", ...args], env };
    },
    stdinText: "Run the job",
    timeoutMs: 120_000,
  });
  for await (const batch of events) {
    for (const event of batch) {
      if (event.type === "item.completed") console.log(`item ${event.item.type}`);
      if (event.type === "turn.completed") console.log("turn completed");
    }
  }
  await Promise.all(exits);
} finally {
  await rm(scratch, { recursive: true, force: true });
}

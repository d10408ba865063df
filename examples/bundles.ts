/**
 * Bundles: run turns on a pinned codex the app ships, never on whatever `codex` is on PATH. The
 * bundle here is made from the installed npm package so the example runs offline; a real app
 * makes one with `codexkit bundle add <version> --root ./codex-bundle`.
 *
 *   deno run -A examples/bundles.ts   (or: bun / node examples/bundles.ts)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Codex } from "../mod.ts";
import { bundleSource } from "../bundles/mod.ts";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { makeLocalBundle } from "./bun-bundle/local_bundle.ts";

const scratch = await mkdtemp(join(tmpdir(), "codexkit-example-"));
try {
  const root = join(scratch, "codex-bundle");
  const version = await makeLocalBundle(root);
  // verifiedDir keeps the remembered checksum inside the scratch dir rather than the user cache.
  const bundle = bundleSource({ root, version, verifiedDir: join(scratch, "verified") });

  await using server = await startFakeResponsesServer([reply.message("Ran on the bundle.")]);
  const { config, env } = offlineCodexConfig(server);
  await using codex = new Codex({
    bundle,
    config,
    env: { PATH: process.env.PATH ?? "", TMPDIR: scratch, ...env },
    codexHome: join(scratch, "home"),
  });
  const binary = await codex.binary();
  console.log(
    `binary from ${binary.source}: ${
      binary.path.startsWith(root) ? "inside" : "outside"
    } the bundle`,
  );
  const thread = codex.startThread({ workingDirectory: scratch, skipGitRepoCheck: true });
  console.log(`codex ${version}: ${(await thread.run("Say where you run")).finalResponse}`);
} finally {
  await rm(scratch, { recursive: true, force: true });
}

/**
 * A Bun app that ships its own pinned codex: the bundle sits next to the app (next to the
 * executable once compiled with `bun build --compile`) and is the only codex it will run.
 *
 * @module
 */
import { delimiter, dirname, join } from "node:path";
import process from "node:process";
// In an app of your own: import { resolveBundledBinary } from "@codexkit/sdk/bundles";
import { resolveBundledBinary } from "../../bundles/mod.ts";

declare const Bun: {
  spawn(
    cmd: string[],
    options: { env: Record<string, string | undefined>; stdout: "pipe"; stderr: "pipe" },
  ): {
    stdout: ReadableStream<Uint8Array>;
    stderr: ReadableStream<Uint8Array>;
    exited: Promise<number>;
  };
};

/** The version this app was built and tested with. */
const PINNED_CODEX = "0.169.0";

/**
 * Where the app lives. A compiled Bun executable reports its modules under a virtual file
 * system (`/$bunfs/...`, `B:\~BUN\...` on Windows), so the real place is the executable's dir.
 */
function appDir(): string {
  const here = import.meta.dirname ?? dirname(new URL(import.meta.url).pathname);
  const compiled = here.startsWith("/$bunfs") || /^[A-Za-z]:[\\/]~BUN/.test(here);
  return compiled ? dirname(process.execPath) : here;
}

const root = join(appDir(), "codex-bundle");
const { binary, pathDir, verified } = await resolveBundledBinary({ root, version: PINNED_CODEX });

const child = Bun.spawn([binary, "--version"], {
  env: { ...process.env, PATH: [pathDir, process.env.PATH].filter(Boolean).join(delimiter) },
  stdout: "pipe",
  stderr: "pipe",
});
const [version, , code] = await Promise.all([
  new Response(child.stdout).text(),
  new Response(child.stderr).text(),
  child.exited,
]);
console.log(`codex  ${binary} (${verified})`);
console.log(`says   ${version.trim()} (exit ${code})`);
process.exitCode = code;

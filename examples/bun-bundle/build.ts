/**
 * Builds the example: compiles app.ts to a single executable with `bun build --compile` and
 * copies a bundle next to it.
 *
 *   bun examples/bun-bundle/build.ts --bundle <bundle root> [--out <dir>]
 *
 * @module
 */
import { cp, mkdir, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";

declare const Bun: {
  spawn(
    cmd: string[],
    options: { stdout: "inherit"; stderr: "inherit" },
  ): { exited: Promise<number> };
};

const here = dirname(new URL(import.meta.url).pathname);
const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { bundle: { type: "string" }, out: { type: "string" } },
});
if (!values.bundle) {
  console.error("usage: bun examples/bun-bundle/build.ts --bundle <bundle root> [--out <dir>]");
  process.exit(2);
}
const out = resolve(values.out ?? join(here, "dist"));
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const exe = join(out, process.platform === "win32" ? "app.exe" : "app");
const build = Bun.spawn(
  [process.execPath, "build", "--compile", join(here, "app.ts"), "--outfile", exe],
  { stdout: "inherit", stderr: "inherit" },
);
if ((await build.exited) !== 0) process.exit(1);

// The bundle goes beside the executable: the app resolves it from process.execPath's dir.
await cp(resolve(values.bundle), join(out, "codex-bundle"), {
  recursive: true,
  verbatimSymlinks: true,
});
console.log(`built ${exe} with its bundle in ${join(out, "codex-bundle")}`);

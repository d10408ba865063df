import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { findFlag, parseHelp } from "./parse_help.ts";

const fixture = (name: string) => readFile(new URL(`./testdata/${name}`, import.meta.url), "utf8");

test("parseHelp reads exec flags, aliases and values from the long form", async () => {
  const help = parseHelp(await fixture("help_exec_0.169.0.txt"));
  assert.deepEqual(help.usagePath, ["codex", "exec"]);
  assert.deepEqual(help.subcommands.map((s) => s.name), ["resume", "fork", "review"]);
  const table: [string, string | undefined, string | undefined, boolean, string | undefined][] = [
    ["--json", "--json", undefined, false, undefined],
    ["--output-schema", "--output-schema", undefined, true, "FILE"],
    ["-o", "--output-last-message", "-o", true, "FILE"],
    ["-i", "--image", "-i", true, "FILE"],
    ["--ephemeral", "--ephemeral", undefined, false, undefined],
    ["--add-dir", "--add-dir", undefined, true, "DIR"],
    ["-p", "--profile", "-p", true, "CONFIG_PROFILE_V2"],
    ["--oss", "--oss", undefined, false, undefined],
    ["--local-provider", "--local-provider", undefined, true, "OSS_PROVIDER"],
    ["-C", "--cd", "-C", true, "DIR"],
  ];
  for (const [spelling, long, short, takesValue, valueName] of table) {
    const flag = findFlag(help, spelling);
    assert.equal(flag?.long, long, spelling);
    assert.equal(flag?.short, short, spelling);
    assert.equal(flag?.takesValue, takesValue, spelling);
    assert.equal(flag?.valueName, valueName, spelling);
  }
  assert.equal(findFlag(help, "-i")?.repeatable, true);
  assert.deepEqual(findFlag(help, "-s")?.values, [
    "read-only",
    "workspace-write",
    "danger-full-access",
  ]);
  assert.deepEqual(findFlag(help, "--color")?.values, ["always", "never", "auto"]);
  assert.equal(findFlag(help, "--search"), undefined);
});

test("parseHelp gives the same flags for the short -h form", async () => {
  const long = parseHelp(await fixture("help_exec_0.169.0.txt"));
  const short = parseHelp(await fixture("help_exec_short_0.169.0.txt"));
  const key = (h: typeof long) => h.flags.map((f) => `${f.short} ${f.long} ${f.takesValue}`);
  assert.deepEqual(key(short), key(long));
  assert.deepEqual(short.subcommands, long.subcommands);
});

test("parseHelp reads the root page: aliases, approval values, --search", async () => {
  const help = parseHelp(await fixture("help_root_0.169.0.txt"));
  assert.deepEqual(help.usagePath, ["codex"]);
  assert.deepEqual(help.subcommands.find((s) => s.name === "exec")?.aliases, ["e"]);
  assert.deepEqual(help.subcommands.find((s) => s.name === "apply")?.aliases, ["a"]);
  assert.ok(help.subcommands.some((s) => s.name === "features"));
  assert.ok(!help.subcommands.some((s) => s.name === "help"));
  assert.deepEqual(findFlag(help, "-a")?.values, ["on-request", "never"]);
  assert.equal(findFlag(help, "--search")?.takesValue, false);
});

test("parseHelp reads the usage path of a nested page", async () => {
  const help = parseHelp(await fixture("help_exec_resume_0.169.0.txt"));
  assert.deepEqual(help.usagePath, ["codex", "exec", "resume"]);
  assert.equal(findFlag(help, "--last")?.takesValue, false);
  assert.deepEqual(help.subcommands, []);
});

test("parseHelp tolerates text that is not a help page", () => {
  assert.deepEqual(parseHelp("error: something broke\n"), {
    usagePath: [],
    flags: [],
    subcommands: [],
  });
});

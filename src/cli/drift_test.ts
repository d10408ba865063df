import { test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { NATIVE_CODEX, TEST_CODEX_VERSION } from "../../tests/_codex.ts";
import { KNOWN_VERSIONS } from "../../capabilities/known.ts";
import { runCli } from "./dispatch.ts";

async function cli(argv: string[], env: Record<string, string | undefined> = {}) {
  let out = "";
  let err = "";
  const code = await runCli(argv, {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    env: { PATH: process.env.PATH, ...env },
  });
  return { code, out, err };
}

test("cli drift between two recorded releases prints the report without fetching", async () => {
  const [from, to] = [KNOWN_VERSIONS[0], KNOWN_VERSIONS[KNOWN_VERSIONS.length - 1]];
  const text = await cli(["drift", from, to]);
  assert.equal(text.code, 0, text.err);
  assert.equal(text.err, "", "nothing was fetched");
  assert.ok(text.out.startsWith(`codex ${from} -> ${to}\n`), text.out);
  assert.match(text.out, /^flags of codex exec \(\+\d+ -\d+\)$/m);
  assert.match(text.out, /^app-server methods \(\+\d+ -\d+\)$/m);
  const json = await cli(["drift", from, to, "--json"]);
  const report = JSON.parse(json.out);
  assert.equal(report.from, from);
  assert.equal(report.to, to);
  const titles = report.sections.map((s: { title: string }) => s.title);
  for (const title of ["subcommands", "features", "app-server notifications"]) {
    assert.ok(titles.includes(title), title);
  }
});

test("cli drift --installed compares the resolved codex with the newest known snapshot", async () => {
  const run = await cli(["drift", "--installed", "--json"], { CODEX_PATH: NATIVE_CODEX });
  assert.equal(run.code, 0, run.err);
  const report = JSON.parse(run.out);
  assert.equal(report.from, KNOWN_VERSIONS[KNOWN_VERSIONS.length - 1]);
  assert.equal(report.to, TEST_CODEX_VERSION);
});

test("cli drift usage errors exit 2", async () => {
  for (const argv of [["drift"], ["drift", "0.163.0"], ["drift", "--installed", "0.163.0"]]) {
    const run = await cli(argv);
    assert.equal(run.code, 2, argv.join(" "));
    assert.match(run.err, /drift takes two versions/);
  }
});

// The fleet example, run as a newcomer runs it (not a terminal): a worker is killed mid-turn and
// the turn finishes on another one; every turn commits with its history.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { getSpawner } from "../src/runtime/mod.ts";
import { natsAvailable } from "./_fleet.ts";

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), "..", "examples", "fleet", "main.ts");
const isNodeRunner = !("Deno" in globalThis) && !("Bun" in globalThis);

if (!isNodeRunner) {
  test("the fleet example runs under node's runner", () => {
    console.log(
      "the fleet example test runs under node's runner (the fleet tests cover all three runtimes)",
    );
  });
} else {
  test("the fleet example kills a worker mid-turn and the turn finishes elsewhere", {
    skip: !natsAvailable("the fleet example test"),
  }, async () => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      NO_COLOR: "1",
    };
    if (process.env.NATS_SERVER_BIN) env.NATS_SERVER_BIN = process.env.NATS_SERVER_BIN;
    if (process.env.HOME) env.HOME = process.env.HOME;
    const child = await getSpawner().spawn(process.execPath, [EXAMPLE], { env, stdin: "null" });
    const [stdout, stderr, status] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    assert.equal(status.code, 0, `${stdout}\n${stderr}`);
    const killed = /killed w2 \(SIGKILL\) while it ran thread (\d) turn (\d)/.exec(stdout);
    assert.ok(killed, stdout);
    assert.match(
      stdout,
      new RegExp(`thread ${killed[1]} turn ${killed[2]} finished on w[13] \\(attempt 2\\)`),
    );
    assert.match(stdout, /all 18 turns committed/);
    // Each answer counts the turns its thread saw: turn k answers seen=k.
    const answers = [
      ...stdout.matchAll(/turn (\d)(?:: committed on w\d| finished on [^"]*): "seen=(\d)"/g),
    ];
    assert.equal(answers.length, 18);
    for (const [, turn, seen] of answers) assert.equal(seen, turn);
  });
}

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { failedTestNames, failingTests } from "./matrix.ts";

// Excerpts of what scripts/test.sh keeps of each runner (node --test-reporter=spec, deno test,
// bun test) for a file with one passing and one failing test.
const NODE_LOG = `✔ Thread.run returns the final response (812.5ms)
✖ Thread.run rejects on turn.failed (95.1ms)
ℹ tests 2
ℹ pass 1
ℹ fail 1

✖ failing tests:

test at tests/exec_cli_test.ts:40:1
✖ Thread.run rejects on turn.failed (95.1ms)
  AssertionError [ERR_ASSERTION]: Missing expected rejection.
`;
const DENO_LOG = `running 2 tests from ./tests/exec_cli_test.ts
Thread.run returns the final response ... ok (801ms)
Thread.run rejects on turn.failed ... FAILED (92ms)

 ERRORS 

Thread.run rejects on turn.failed => ./tests/exec_cli_test.ts:40:1
error: AssertionError: Missing expected rejection.

 FAILURES 

Thread.run rejects on turn.failed => ./tests/exec_cli_test.ts:40:1

FAILED | 1 passed | 1 failed (1s)
`;
const BUN_LOG = `tests/exec_cli_test.ts:
(pass) Thread.run returns the final response [790.12ms]
(fail) Thread.run rejects on turn.failed [90.40ms]

 1 pass
 1 fail
`;

test("failedTestNames reads the failed tests of node, deno and bun logs, each once", () => {
  for (const log of [NODE_LOG, DENO_LOG, BUN_LOG]) {
    assert.deepEqual(failedTestNames(log), ["Thread.run rejects on turn.failed"]);
  }
  assert.deepEqual(failedTestNames("✔ all good (1ms)\nℹ fail 0\n"), []);
});

test("failingTests reads test.sh's <runtime>/<file>.log layout and names a file that died", async () => {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-matrix-"));
  try {
    const put = async (rt: string, slug: string, log: string, count: string) => {
      await mkdir(join(dir, rt), { recursive: true });
      await writeFile(join(dir, rt, `${slug}.log`), log);
      await writeFile(join(dir, rt, `${slug}.count`), count);
    };
    await put("node", "tests_exec_cli_test.ts", NODE_LOG, "1 1 1 3\n");
    await put("node", "tests_gating_test.ts", "✔ fine (1ms)\n", "1 0 0 1\n");
    await put("deno", "tests_exec_cli_test.ts", DENO_LOG, "1 1 1 3\n");
    await put("bun", "tests_home_e2e_test.ts", "Segmentation fault\n", "0 1 139 0\n");
    assert.deepEqual(await failingTests(dir, ["node", "deno", "bun"]), [
      "node tests_exec_cli_test.ts: Thread.run rejects on turn.failed",
      "deno tests_exec_cli_test.ts: Thread.run rejects on turn.failed",
      "bun tests_home_e2e_test.ts: exit 139",
    ]);
    assert.deepEqual(await failingTests(join(dir, "absent"), ["node"]), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { review, reviewStreamed } from "./review.ts";

/**
 * A codex stand-in that prints a whole review turn, then, as a real codex finishing its rollout
 * does, keeps writing in its home for a while before it exits.
 */
async function lingeringCodex(dir: string): Promise<string> {
  const path = join(dir, "codex");
  const turn = [
    { type: "thread.started", thread_id: "t-1" },
    { type: "turn.started" },
    { type: "item.completed", item: { id: "i-1", type: "agent_message", text: "Looks fine." } },
    { type: "turn.completed", usage: { input_tokens: 1, output_tokens: 1 } },
  ].map((event) => JSON.stringify(event)).join("\n");
  await writeFile(
    path,
    `#!/bin/sh\ncat >/dev/null\ncat <<'EOF'\n${turn}\nEOF\nsleep 0.3\ntouch "$CODEX_HOME/late"\n`,
  );
  await chmod(path, 0o755);
  return path;
}

for (const form of ["review", "reviewStreamed"] as const) {
  test(`${form} returns only once codex has exited: its home can be removed right after`, async () => {
    const dir = await mkdtemp(join(tmpdir(), "codexkit-review-"));
    try {
      const home = join(dir, "home");
      await mkdir(home);
      const options = {
        codexPathOverride: await lingeringCodex(dir),
        codexHome: home,
        capabilities: false as const,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
        uncommitted: true,
      };
      if (form === "review") {
        assert.equal((await review(options)).finalResponse, "Looks fine.");
      } else {
        const types: string[] = [];
        for await (const event of (await reviewStreamed(options)).events) types.push(event.type);
        assert.equal(types.at(-1), "turn.completed");
      }
      // What codex wrote after its turn is there: it was done before the call returned.
      assert.ok(existsSync(join(home, "late")), "codex was still running after the call");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

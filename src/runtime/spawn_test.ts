import { test } from "node:test";
import assert from "node:assert/strict";
import { detectRuntime, getSpawner, terminate } from "./mod.ts";
import type { ChildProcess, RuntimeName } from "./mod.ts";
import { SpawnError } from "../errors.ts";

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return await new Response(stream).text();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const runtimes: RuntimeName[] = [...new Set<RuntimeName>([detectRuntime(), "node"])];

test("detectRuntime names the runtime it runs on", () => {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  const expected = g.Bun ? "bun" : g.Deno ? "deno" : "node";
  assert.equal(detectRuntime(), expected);
});

test("getSpawner refuses a runtime other than the current one, naming it", () => {
  const other: RuntimeName = detectRuntime() === "deno" ? "bun" : "deno";
  assert.throws(
    () => getSpawner(other),
    (e: unknown) => e instanceof TypeError && e.message.includes(other),
  );
});

for (const rt of runtimes) {
  const spawner = getSpawner(rt);

  test(`${rt} adapter: stdout, stderr and exit code come back`, async () => {
    const child = await spawner.spawn("sh", ["-c", "echo out; echo err >&2; exit 3"]);
    const [out, err, status] = await Promise.all([
      text(child.stdout),
      text(child.stderr),
      child.exited,
    ]);
    assert.equal(out, "out\n");
    assert.equal(err, "err\n");
    assert.deepEqual(status, { code: 3, signal: null });
  });

  test(`${rt} adapter: piped stdin reaches the child and env replaces the parent's`, async () => {
    const child = await spawner.spawn(
      "sh",
      ["-c", 'cat; printf "|%s|%s" "$ONLY" "${HOME:-none}"'],
      {
        stdin: "piped",
        env: { ONLY: "yes", PATH: process.env.PATH ?? "/usr/bin:/bin" },
      },
    );
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode("hello"));
    await writer.close();
    assert.equal(await text(child.stdout), "hello|yes|none");
    assert.equal((await child.exited).code, 0);
  });

  test(`${rt} adapter: stdin "null" gives the child an empty stdin`, async () => {
    const child = await spawner.spawn("sh", ["-c", "cat; echo done"], { stdin: "null" });
    assert.equal(await text(child.stdout), "done\n");
  });

  test(`${rt} adapter: a missing program rejects with SpawnError`, async () => {
    await assert.rejects(
      spawner.spawn("/nonexistent/codex-missing", []),
      (e: unknown) => e instanceof SpawnError && e.message.includes("/nonexistent/codex-missing"),
    );
  });

  test(`${rt} adapter: kill reaches the whole process group`, async () => {
    const child: ChildProcess = await spawner.spawn("sh", ["-c", "sleep 30 & echo $!; wait"]);
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const { value } = await reader.read();
    const grandchild = Number(value!.trim());
    assert.ok(alive(grandchild));
    const status = await terminate(child, 1000);
    assert.equal(status.signal, "SIGTERM");
    await reader.cancel();
    // The zombie may linger until reaped, so ask ps for its state rather than kill(0). The
    // signal is sent; on a busy machine the grandchild may take a moment to act on it.
    const state = async () => {
      const ps = await spawner.spawn("sh", ["-c", `ps -o stat= -p ${grandchild} || true`]);
      return (await text(ps.stdout)).trim();
    };
    let stat = await state();
    for (const deadline = Date.now() + 10_000; stat !== "" && !stat.startsWith("Z");) {
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 20));
      stat = await state();
    }
    assert.ok(
      stat === "" || stat.startsWith("Z"),
      `grandchild ${grandchild} still running: ${stat}`,
    );
  });

  test(`${rt} adapter: terminate escalates to SIGKILL when SIGTERM is ignored`, async () => {
    const child = await spawner.spawn("sh", [
      "-c",
      "trap '' TERM; echo ready; while :; do sleep 0.05; done",
    ]);
    const reader = child.stdout.getReader();
    await reader.read();
    const status = await terminate(child, 200);
    assert.equal(status.signal, "SIGKILL");
    await reader.cancel();
  });
}

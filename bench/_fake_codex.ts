/**
 * Bench helpers: a fake `codex` that replays a prebuilt JSONL file with `cat` (so the producer
 * is never the bottleneck), and the runtime's own spawn, used as the baseline the SDK's seam
 * is measured against. Benches only: the SDK itself spawns through `src/runtime/`.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, open, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The checkout this bench runs from. */
export const ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where generated event files and fake binaries are kept between runs (git-ignored). */
export const CACHE_DIR: string = join(ROOT, ".cache", "bench");

/** Which runtime runs this file. */
export function runtimeName(): "deno" | "bun" | "node" {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Bun !== undefined) return "bun";
  if (g.Deno !== undefined) return "deno";
  return "node";
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs the runtime's full GC when it is exposed (node/deno `--expose-gc`, Bun always). */
export function fullGc(): boolean {
  const g = globalThis as { gc?: () => void; Bun?: { gc(force: boolean): void } };
  if (g.Bun) {
    g.Bun.gc(true);
    return true;
  }
  if (typeof g.gc === "function") {
    g.gc();
    g.gc();
    return true;
  }
  return false;
}

/** A small deterministic generator, so every runtime replays the same bytes. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS = [
  "the",
  "test",
  "suite",
  "passes",
  "after",
  "fixing",
  "import",
  "path",
  "in",
  "src/exec/run_exec.ts",
  "and",
  "rerunning",
  "deno",
  "bun",
  "node",
  "with",
  "stream",
  "events",
];

function words(next: () => number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(WORDS[Math.floor(next() * WORDS.length)]);
  return out.join(" ");
}

/**
 * Builds `count` lines of realistic `codex exec --json` output: thread and turn start, then
 * command executions (started + completed) and agent messages, then `turn.completed`. Lines
 * are 150-300 bytes; the body is `item.*` events as in a long agentic turn.
 */
export function* fakeEventLines(count: number): Generator<string> {
  const next = lcg(42);
  yield JSON.stringify({
    type: "thread.started",
    thread_id: "0199a213-81c0-7800-8aa1-bbab2a035a53",
  });
  yield JSON.stringify({ type: "turn.started" });
  let item = 0;
  let emitted = 2;
  while (emitted < count - 1) {
    const pick = next();
    if (pick < 0.6 && emitted < count - 2) {
      const id = `item_${item++}`;
      const command = `/bin/bash -lc 'rg -n "${words(next, 2)}" src/${words(next, 1)}'`;
      yield JSON.stringify({
        type: "item.started",
        item: {
          id,
          type: "command_execution",
          command,
          aggregated_output: "",
          exit_code: null,
          status: "in_progress",
        },
      });
      yield JSON.stringify({
        type: "item.completed",
        item: {
          id,
          type: "command_execution",
          command,
          aggregated_output: `src/exec/run_exec.ts:${Math.floor(next() * 400)}: ${
            words(next, 6 + Math.floor(next() * 6))
          }\n`,
          exit_code: 0,
          status: "completed",
        },
      });
      emitted += 2;
    } else {
      yield JSON.stringify({
        type: "item.completed",
        item: {
          id: `item_${item++}`,
          type: "agent_message",
          text: `${words(next, 18 + Math.floor(next() * 18))}.`,
        },
      });
      emitted += 1;
    }
  }
  yield JSON.stringify({
    type: "turn.completed",
    usage: {
      input_tokens: 24763,
      cached_input_tokens: 24448,
      cache_write_input_tokens: 0,
      output_tokens: 122,
      reasoning_output_tokens: 64,
    },
  });
}

/** A fake codex binary and what it replays. */
export interface FakeCodex {
  /** Executable script: drains stdin, then `cat`s the events file. */
  bin: string;
  /** The JSONL file. */
  events: string;
  /** Number of lines (events) in it. */
  count: number;
  /** Its size in bytes. */
  bytes: number;
}

/**
 * Writes (once; later calls reuse the cached files) a JSONL file of `count` events and a
 * `/bin/sh` script that reads its stdin to the end, as codex does with a prompt, then
 * replays the file.
 */
export async function ensureFakeCodex(count: number, dir: string = CACHE_DIR): Promise<FakeCodex> {
  await mkdir(dir, { recursive: true });
  const events = join(dir, `events-${count}.jsonl`);
  const bin = join(dir, `codex-${count}.sh`);
  if (!existsSync(events)) {
    const partial = `${events}.${process.pid}.tmp`;
    const file = await open(partial, "w");
    try {
      let batch: string[] = [];
      for (const line of fakeEventLines(count)) {
        batch.push(line);
        if (batch.length === 10_000) {
          await file.write(batch.join("\n") + "\n");
          batch = [];
        }
      }
      if (batch.length) await file.write(batch.join("\n") + "\n");
    } finally {
      await file.close();
    }
    await rename(partial, events);
  }
  if (!existsSync(bin)) {
    const partial = `${bin}.${process.pid}.tmp`;
    await writeFile(partial, `#!/bin/sh\ncat >/dev/null\nexec cat '${events}'\n`);
    await chmod(partial, 0o755);
    await rename(partial, bin);
  }
  const { stat } = await import("node:fs/promises");
  return { bin, events, count, bytes: (await stat(events)).size };
}

/** What {@linkcode spawnNative} hands back: the child's stdout as chunks, and its exit. */
export interface NativeChild {
  /** Calls `onChunk` for every stdout chunk; resolves at end of stdout. */
  read(onChunk: (chunk: Uint8Array) => void): Promise<void>;
  /** Exit code. */
  exited: Promise<number | null>;
}

/**
 * Spawns with the runtime's own API (`Deno.Command`, `Bun.spawn`, `node:child_process`),
 * writing `stdinText` (then closing stdin) and discarding stderr: the leanest way each
 * runtime offers to read a child's output, which is what the SDK is compared with.
 */
export async function spawnNative(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; stdinText?: string } = {},
): Promise<NativeChild> {
  const input = new TextEncoder().encode(options.stdinText ?? "");
  const g = globalThis as unknown as {
    Deno?: typeof Deno;
    Bun?: {
      spawn(o: Record<string, unknown>): {
        stdin: { write(b: Uint8Array): void; end(): void };
        stdout: ReadableStream<Uint8Array>;
        exited: Promise<number>;
      };
    };
  };
  if (g.Bun) {
    const child = g.Bun.spawn({
      cmd: [command, ...args],
      cwd: options.cwd,
      env: options.env,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "ignore",
    });
    child.stdin.write(input);
    child.stdin.end();
    return {
      read: async (onChunk) => {
        for await (const chunk of child.stdout) onChunk(chunk);
      },
      exited: child.exited,
    };
  }
  if (g.Deno) {
    const child = new g.Deno.Command(command, {
      args: [...args],
      cwd: options.cwd,
      env: options.env,
      clearEnv: options.env !== undefined,
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    writer.write(input).then(() => writer.close()).catch(() => {});
    return {
      read: async (onChunk) => {
        for await (const chunk of child.stdout) onChunk(chunk);
      },
      exited: child.status.then((s) => s.code),
    };
  }
  const { spawn } = await import("node:child_process");
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["pipe", "pipe", "ignore"],
  });
  const exited = new Promise<number | null>((settle) =>
    child.once("close", (code) => settle(code))
  );
  child.stdin!.on("error", () => {});
  child.stdin!.end(input);
  return {
    read: (onChunk) =>
      new Promise<void>((done, fail) => {
        child.stdout!.on("data", onChunk);
        child.stdout!.once("end", done);
        child.stdout!.once("error", fail);
      }),
    exited,
  };
}

/**
 * The bare baseline: UTF-8 decode, split on `\n`, `JSON.parse` each line. Returns a chunk
 * consumer and a function giving the count of parsed values at the end.
 */
export function bareParser(): { push(chunk: Uint8Array): void; end(): number } {
  const decoder = new TextDecoder();
  let rest = "";
  let count = 0;
  let sink: unknown;
  const lines = (text: string) => {
    let start = 0;
    let nl = text.indexOf("\n");
    while (nl !== -1) {
      if (nl > start) {
        sink = JSON.parse(text.slice(start, nl));
        count++;
      }
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    rest = text.slice(start);
  };
  return {
    push(chunk) {
      lines(rest + decoder.decode(chunk, { stream: true }));
    },
    end() {
      lines(rest + decoder.decode() + "\n");
      void sink;
      return count;
    },
  };
}

/**
 * The `Bun.spawn` adapter.
 *
 * @module
 */
import { SpawnError } from "../errors.ts";
import process from "node:process";
import { closedWritable, killGroup } from "./_web.ts";
import { newRunTag, RUN_TAG_ENV, trackChild } from "./lifeline.ts";
import type { ChildProcess, ExitStatus, Spawner } from "./types.ts";

// The slice of Bun's API this adapter uses, typed here so that `deno check` needs no bun-types.
interface BunFileSink {
  write(chunk: Uint8Array): number | Promise<number>;
  flush(): number | Promise<number>;
  end(): number | Promise<number>;
}
interface BunSubprocess {
  readonly pid: number;
  readonly stdin: BunFileSink | undefined;
  readonly stdout: ReadableStream<Uint8Array>;
  readonly stderr: ReadableStream<Uint8Array>;
  readonly exited: Promise<number>;
  readonly exitCode: number | null;
  readonly signalCode: string | null;
}
interface BunGlobal {
  spawn(options: {
    cmd: string[];
    cwd?: string;
    env?: Record<string, string>;
    stdin: "pipe" | "ignore";
    stdout: "pipe";
    stderr: "pipe";
    detached: boolean;
  }): BunSubprocess;
}

/** Spawns through `Bun.spawn`. Only usable on Bun. */
export const bunSpawner: Spawner = {
  runtime: "bun",
  spawn(command, args, options = {}) {
    const bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;
    let child: BunSubprocess;
    const tag = newRunTag();
    try {
      child = bun.spawn({
        cmd: [command, ...args],
        cwd: options.cwd,
        env: { ...(options.env ?? process.env), [RUN_TAG_ENV]: tag } as Record<string, string>,
        stdin: options.stdin === "piped" ? "pipe" : "ignore",
        stdout: "pipe",
        stderr: "pipe",
        detached: true,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return Promise.reject(
        new SpawnError(`Cannot spawn ${command}: ${message}`, { cause: error }),
      );
    }
    let done = false;
    const exited = child.exited.then((): ExitStatus => {
      done = true;
      return child.signalCode
        ? { code: null, signal: child.signalCode }
        : { code: child.exitCode, signal: null };
    });
    const pid = child.pid;
    trackChild(pid, exited);
    const result: ChildProcess = {
      pid,
      tag,
      stdin: child.stdin ? sinkToWritable(child.stdin) : closedWritable(),
      stdout: child.stdout,
      stderr: child.stderr,
      exited,
      kill(signal = "SIGTERM") {
        if (done) return;
        killGroup((p, s) => process.kill(p, s), pid, signal);
      },
    };
    return Promise.resolve(result);
  },
};

function sinkToWritable(sink: BunFileSink): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      await sink.write(chunk);
      await sink.flush();
    },
    async close() {
      await sink.end();
    },
    async abort() {
      try {
        await sink.end();
      } catch {
        // The child may already be gone.
      }
    },
  });
}

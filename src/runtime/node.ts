/**
 * The `node:child_process` adapter. Also the fallback for any runtime that offers Node's
 * built-in modules.
 *
 * @module
 */
import type { spawn as nodeSpawnType } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { SpawnError } from "../errors.ts";
import process from "node:process";
import { closedWritable, killGroup } from "./_web.ts";
import { newRunTag, RUN_TAG_ENV, trackChild } from "./lifeline.ts";
import type { ChildProcess, ExitStatus, Spawner } from "./types.ts";

let nodeSpawn: typeof nodeSpawnType | undefined;

/** Spawns through `node:child_process`. */
export const nodeSpawner: Spawner = {
  runtime: "node",
  async spawn(command, args, options = {}) {
    const tag = newRunTag();
    // Loaded on first spawn: importing the SDK on Deno or Bun never needs node:child_process.
    nodeSpawn ??= (await import("node:child_process")).spawn;
    const spawnChild = nodeSpawn;
    return await new Promise<ChildProcess>((resolve, reject) => {
      const child = spawnChild(command, [...args], {
        cwd: options.cwd,
        env: { ...(options.env ?? process.env), [RUN_TAG_ENV]: tag },
        detached: true,
        stdio: [options.stdin === "piped" ? "pipe" : "ignore", "pipe", "pipe"],
        windowsHide: true,
      });
      let status: ExitStatus | undefined;
      const exited = new Promise<ExitStatus>((settle) => {
        child.once("exit", (code, signal) => {
          status = { code, signal };
          settle(status);
        });
      });
      child.once("error", (error) => {
        // Spawn failures (ENOENT, EACCES) arrive as an "error" before "spawn"; later errors
        // (a failed kill) are not fatal to the run.
        if (child.pid === undefined) {
          reject(new SpawnError(`Cannot spawn ${command}: ${error.message}`, { cause: error }));
        }
      });
      child.once("spawn", () => {
        const pid = child.pid!;
        trackChild(pid, exited);
        resolve({
          pid,
          tag,
          stdin: child.stdin ? toWritable(child.stdin) : closedWritable(),
          stdout: toReadable(child.stdout!),
          stderr: toReadable(child.stderr!),
          exited,
          kill(signal = "SIGTERM") {
            if (status) return;
            killGroup((p, s) => process.kill(p, s), pid, signal);
          },
        });
      });
    });
  },
};

// Hand-rolled rather than Readable.toWeb: pausing the Node stream on backpressure and
// resuming on pull keeps memory flat under floods and costs less per chunk.
function toReadable(stream: Readable): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      stream.on("data", (chunk: Uint8Array) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) stream.pause();
      });
      stream.once("end", () => {
        try {
          controller.close();
        } catch {
          // Already cancelled.
        }
      });
      stream.once("error", (error) => controller.error(error));
    },
    pull() {
      stream.resume();
    },
    cancel() {
      stream.destroy();
    },
  }, new CountQueuingStrategy({ highWaterMark: 16 }));
}

function toWritable(stream: Writable): WritableStream<Uint8Array> {
  // EPIPE when the child exits before reading its stdin is not the caller's failure.
  stream.on("error", () => {});
  return new WritableStream<Uint8Array>({
    write(chunk) {
      return new Promise<void>((resolve, reject) => {
        stream.write(chunk, (error) => (error ? reject(error) : resolve()));
      });
    },
    close() {
      return new Promise<void>((resolve) => stream.end(resolve));
    },
    abort() {
      stream.destroy();
    },
  });
}

/**
 * The `Deno.Command` adapter.
 *
 * @module
 */
import { SpawnError } from "../errors.ts";
import { closedWritable, killGroup } from "./_web.ts";
import { newRunTag, RUN_TAG_ENV, trackChild } from "./lifeline.ts";
import type { ChildProcess, ExitStatus, Spawner } from "./types.ts";

/** Spawns through `Deno.Command`. Only usable on Deno. */
export const denoSpawner: Spawner = {
  runtime: "deno",
  spawn(command, args, options = {}) {
    let child: Deno.ChildProcess;
    // Without clearEnv Deno adds these entries to the inherited environment.
    const tag = newRunTag();
    try {
      child = new Deno.Command(command, {
        args: [...args],
        cwd: options.cwd,
        env: { ...options.env, [RUN_TAG_ENV]: tag },
        clearEnv: options.env !== undefined,
        stdin: options.stdin === "piped" ? "piped" : "null",
        stdout: "piped",
        stderr: "piped",
        detached: true,
      }).spawn();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return Promise.reject(
        new SpawnError(`Cannot spawn ${command}: ${message}`, { cause: error }),
      );
    }
    let done = false;
    const exited = child.status.then((s): ExitStatus => {
      done = true;
      return s.signal ? { code: null, signal: s.signal } : { code: s.code, signal: null };
    });
    const pid = child.pid;
    trackChild(pid, exited);
    const result: ChildProcess = {
      pid,
      tag,
      stdin: options.stdin === "piped" ? child.stdin : closedWritable(),
      stdout: child.stdout,
      stderr: child.stderr,
      exited,
      kill(signal = "SIGTERM") {
        if (done) return;
        killGroup((p, s) => Deno.kill(p, s), pid, signal);
      },
    };
    return Promise.resolve(result);
  },
};

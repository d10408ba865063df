/**
 * The `Deno.Command` adapter.
 *
 * @module
 */
import { SpawnError } from "../errors.ts";
import { closedWritable, killGroup } from "./_web.ts";
import type { ChildProcess, ExitStatus, Spawner } from "./types.ts";

/** Spawns through `Deno.Command`. Only usable on Deno. */
export const denoSpawner: Spawner = {
  runtime: "deno",
  spawn(command, args, options = {}) {
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(command, {
        args: [...args],
        cwd: options.cwd,
        env: options.env,
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
    const result: ChildProcess = {
      pid,
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

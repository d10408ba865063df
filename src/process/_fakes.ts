/**
 * Fakes for the process stages' unit tests: a clock that moves only when told, and a spawner
 * whose children write, end and exit when the test says.
 *
 * @module
 */
import type { TimerClock } from "./long_timer.ts";
import { MAX_TIMER_DELAY } from "./long_timer.ts";
import type { ChildProcess, ExitStatus, Spawner, SpawnOptions } from "../runtime/types.ts";

/** A clock whose time moves only when the test says; records every delay it was asked for. */
export function fakeClock(): TimerClock & { advance(ms: number): void; delays: number[] } {
  let now = 0;
  let next = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const delays: number[] = [];
  return {
    delays,
    now: () => now,
    setTimeout(fn, ms) {
      // What a real runtime does with an over-long delay: it fires after about 1 ms.
      const effective = ms > MAX_TIMER_DELAY ? 1 : ms;
      delays.push(ms);
      const id = next++;
      timers.set(id, { at: now + effective, fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const end = now + ms;
      while (true) {
        let first: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of timers) if (!first || entry[1].at < first[1].at) first = entry;
        if (!first || first[1].at > end) break;
        timers.delete(first[0]);
        now = first[1].at;
        first[1].fn();
      }
      now = end;
    },
  };
}

/** A child of {@linkcode fakeSpawner}, driven by the test. */
export interface FakeChild extends ChildProcess {
  /** What it was started with. */
  readonly command: string;
  readonly args: readonly string[];
  readonly options: SpawnOptions | undefined;
  /** Signals it was sent, in order. */
  readonly signals: string[];
  /** Writes to one of its outputs. */
  write(stream: "stdout" | "stderr", text: string): void;
  /** Ends one of its outputs. */
  end(stream: "stdout" | "stderr"): void;
  /** Ends it with `status`; its outputs end too unless `holdPipes` (a leftover holds them). */
  exit(status: ExitStatus, options?: { holdPipes?: boolean }): void;
  /** Everything written to its stdin, once stdin is closed. */
  readonly stdinText: Promise<string>;
}

/**
 * A spawner of fake children. `behave` runs on each new child; a kill ends the child with
 * that signal (its pipes stay open when `holdPipes` is set, as when a background process holds
 * them). Pids are far above any pid_max, so the real stop code signals nothing that exists.
 */
export function fakeSpawner(
  behave: (child: FakeChild) => void = () => {},
  settings: { holdPipes?: boolean; fail?: Error } = {},
): Spawner & { children: FakeChild[] } {
  const children: FakeChild[] = [];
  return {
    runtime: "node",
    children,
    spawn(command, args, options) {
      if (settings.fail) return Promise.reject(settings.fail);
      const outs: Record<string, ReadableStreamDefaultController<Uint8Array>> = {};
      const open = { stdout: true, stderr: true };
      const stream = (name: "stdout" | "stderr") =>
        new ReadableStream<Uint8Array>({
          start: (c) => void (outs[name] = c),
          cancel: () => void (open[name] = false),
        });
      let exitWith!: (status: ExitStatus) => void;
      const exited = new Promise<ExitStatus>((resolve) => exitWith = resolve);
      let ended = false;
      const chunks: Uint8Array[] = [];
      let stdinDone!: (text: string) => void;
      const stdinText = new Promise<string>((resolve) => stdinDone = resolve);
      const decode = () => new TextDecoder().decode(concat(chunks));
      const child: FakeChild = {
        pid: 2 ** 30 + children.length,
        command,
        args,
        options,
        signals: [],
        stdin: new WritableStream({
          write: (chunk) => void chunks.push(chunk),
          close: () => stdinDone(decode()),
        }),
        stdout: stream("stdout"),
        stderr: stream("stderr"),
        exited,
        stdinText,
        kill(signal = "SIGTERM") {
          child.signals.push(signal);
          child.exit({ code: null, signal }, settings);
        },
        write(name, text) {
          if (open[name]) outs[name].enqueue(new TextEncoder().encode(text));
        },
        end(name) {
          if (!open[name]) return;
          open[name] = false;
          outs[name].close();
        },
        exit(status, exitOptions) {
          if (ended) return;
          ended = true;
          if (!exitOptions?.holdPipes) {
            child.end("stdout");
            child.end("stderr");
          }
          exitWith(status);
        },
      };
      if (options?.stdin !== "piped") void child.stdin.close().catch(() => {});
      children.push(child);
      behave(child);
      return Promise.resolve(child);
    },
  };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

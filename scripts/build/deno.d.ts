// The slice of the Deno namespace that src/runtime/deno.ts uses, so the npm build compiles with
// Node's types alone. Only the build reads this file; `deno check` uses Deno's own types.
declare namespace Deno {
  type Signal = string;
  interface CommandStatus {
    readonly success: boolean;
    readonly code: number;
    readonly signal: Signal | null;
  }
  interface ChildProcess {
    readonly pid: number;
    readonly stdin: WritableStream<Uint8Array>;
    readonly stdout: ReadableStream<Uint8Array>;
    readonly stderr: ReadableStream<Uint8Array>;
    readonly status: Promise<CommandStatus>;
  }
  interface CommandOptions {
    args?: string[];
    cwd?: string;
    env?: Record<string, string>;
    clearEnv?: boolean;
    stdin?: "piped" | "inherit" | "null";
    stdout?: "piped" | "inherit" | "null";
    stderr?: "piped" | "inherit" | "null";
    detached?: boolean;
  }
  class Command {
    constructor(command: string, options?: CommandOptions);
    spawn(): ChildProcess;
  }
  function kill(pid: number, signal?: Signal): void;
}

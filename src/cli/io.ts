/**
 * What a CLI command may touch of its process: output streams and the environment. `main.ts`
 * hands the real ones; tests hand strings.
 *
 * @module
 */

/** The process side of a command. */
export interface CliIo {
  /** Writes to stdout. */
  out(text: string): void;
  /** Writes to stderr. */
  err(text: string): void;
  /** The environment. */
  env: Record<string, string | undefined>;
}

/**
 * What a CLI command may touch of its process: output streams, the environment and whether the
 * streams are terminals. `main.ts` hands the real ones; tests hand strings.
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
  /** True when stdout is a terminal (colour only then). */
  outIsTTY?: boolean;
  /** True when stderr is a terminal (colour and progress redrawn in place only then). */
  errIsTTY?: boolean;
  /** Width of the terminal on stderr, in columns. */
  columns?: number;
}

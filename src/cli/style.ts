/**
 * Terminal colour for `codexkit`: only on a terminal, never with `NO_COLOR`, always with
 * `FORCE_COLOR` (other than `0`). Pure.
 *
 * @module
 */

/** Whether to colour a stream, from the environment and whether the stream is a terminal. */
export function colorEnabled(
  env: Record<string, string | undefined>,
  isTTY: boolean | undefined,
): boolean {
  // https://no-color.org: present and not empty disables colour, whatever else is set
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (env.TERM === "dumb") return false;
  return isTTY === true;
}

/** Colour functions that return the text unchanged when colour is off. */
export interface Style {
  /** Whether the functions add escape codes. */
  enabled: boolean;
  /** Bold text. */
  bold(text: string): string;
  /** Faint text. */
  dim(text: string): string;
  /** Errors and failures. */
  red(text: string): string;
  /** Success. */
  green(text: string): string;
  /** Warnings and things missing. */
  yellow(text: string): string;
  /** Names and paths. */
  cyan(text: string): string;
}

/** The colour functions, on or off. */
export function makeStyle(enabled: boolean): Style {
  const sgr = (open: number, close: number) => (text: string) =>
    enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}

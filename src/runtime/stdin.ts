/**
 * Feeding a child its whole standard input, then closing it.
 *
 * @module
 */
import type { ChildProcess } from "./types.ts";

/**
 * Writes `text` to the child's stdin and closes it; does nothing for `undefined`. Never
 * rejects: a child that exits before reading says why through its exit status, not EPIPE.
 */
export async function writeStdin(child: ChildProcess, text: string | undefined): Promise<void> {
  if (text === undefined) return;
  const writer = child.stdin.getWriter();
  try {
    await writer.write(new TextEncoder().encode(text));
    await writer.close();
  } catch {
    // See above: the exit status tells the story.
  } finally {
    writer.releaseLock();
  }
}

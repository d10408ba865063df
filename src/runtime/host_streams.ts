/**
 * The host process's own stdout and stderr, for mirroring a child's output as it comes
 * (`mirror`). `node:process` is the one spelling all three runtimes share.
 *
 * @module
 */
import process from "node:process";

/** Writes `text` to the host's own `stream`; a closed host stream is ignored. */
export function writeHostStream(stream: "stdout" | "stderr", text: string): void {
  try {
    process[stream].write(text);
  } catch {
    // The host closed its stream: mirroring is best effort, the run goes on.
  }
}

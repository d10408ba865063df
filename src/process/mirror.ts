/**
 * The `mirror` option: a child's stderr (and, for commands, stdout) copied to the host's own
 * streams as it arrives, with the known secrets scrubbed.
 *
 * @module
 */
import { redactText } from "../redact.ts";
import { writeHostStream } from "../runtime/host_streams.ts";

/** Which of a child's streams `mirror` copies to the host's own: `true` is stderr alone. */
export type MirrorOption = boolean | { stderr?: boolean; stdout?: boolean };

/** Whether `mirror` copies `stream`: `true` copies stderr alone, an object says per stream. */
export function mirrors(mirror: MirrorOption | undefined, stream: "stdout" | "stderr"): boolean {
  return typeof mirror === "object"
    ? mirror[stream] === true
    : mirror === true && stream === "stderr";
}

/** The stderr line callback of a child: `onStderr`, and the host's stderr when mirrored. */
export function stderrSink(
  onStderr: ((line: string) => void) | undefined,
  mirror: MirrorOption | undefined,
  secrets: readonly string[],
): ((line: string) => void) | undefined {
  if (!mirrors(mirror, "stderr")) return onStderr;
  return (line) => {
    writeHostStream("stderr", `${redactText(line, secrets)}\n`);
    onStderr?.(line);
  };
}

/**
 * A runner's `onOutput` that mirrors the whole lines each stream added since the last call (the
 * text so far grows); called with `final` at the end, it writes what is left.
 */
export function outputMirror(
  mirror: MirrorOption | undefined,
  secrets: readonly string[],
): ((stdout: string, stderr: string, final?: boolean) => void) | undefined {
  const streams = (["stdout", "stderr"] as const).filter((s) => mirrors(mirror, s));
  if (streams.length === 0) return undefined;
  const written = { stdout: 0, stderr: 0 };
  return (stdout, stderr, final = false) => {
    const text = { stdout, stderr };
    for (const stream of streams) {
      const added = text[stream].slice(written[stream]);
      // Whole lines only, so a secret split across chunks is still scrubbed.
      const end = final ? added.length : added.lastIndexOf("\n") + 1;
      if (end === 0) continue;
      written[stream] += end;
      writeHostStream(stream, redactText(added.slice(0, end), secrets));
    }
  };
}

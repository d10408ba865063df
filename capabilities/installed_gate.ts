/**
 * The gate a `Codex` client uses when its `capabilities` option is left out: the snapshot of
 * the binary it runs, from the on-disk capability cache (a probe only when the binary's
 * fingerprint is new), with the committed snapshot of its version as an honest fallback when
 * probing fails. Loaded by the client on its first turn.
 *
 * @module
 */
import { BinaryNotFoundError } from "../src/errors.ts";
import { CapabilityCache } from "./cache.ts";
import { gateFromSnapshot } from "./gate.ts";
import type { SnapshotGate } from "./gate.ts";
import { fingerprintBinary } from "./fingerprint.ts";
import { knownSnapshot } from "./known.ts";
import type { CapabilitySnapshot } from "./types.ts";

/** The binary a gate is asked about. */
export interface GatedBinary {
  /** Absolute path of the executable. */
  path: string;
  /** The version its npm package or bundle says it is, when known (used for the fallback). */
  version?: string;
}

/** Options of {@linkcode installedGate}. */
export interface InstalledGateOptions {
  /** The cache to use; one shared per process (default on-disk directory) when omitted. */
  cache?: CapabilityCache;
  /** Receives one line when the gate falls back or the probe left gaps. */
  onWarning?: (message: string) => void;
}

let sharedCache: CapabilityCache | undefined;

/**
 * Returns a function that gives the gate of a binary. Lookups of a binary already seen in
 * this process cost one `stat` (the fingerprint); a new fingerprint reads the disk cache, and
 * only a miss there probes. When the probe learns nothing (the binary does not answer
 * `--version` or `--help`) and the binary's version has a committed snapshot, the gate answers
 * from that snapshot with `fallback: true` and says so in a warning and in every note. A
 * binary that does not exist is an error ({@linkcode BinaryNotFoundError}), never a fallback.
 *
 * @example Gate on whatever codex the client runs
 * ```ts ignore
 * const gateOf = installedGate({ onWarning: console.warn });
 * const gate = await gateOf({ path: "/usr/local/bin/codex" });
 * gate.support("exec.thread-source");
 * ```
 */
export function installedGate(
  options: InstalledGateOptions = {},
): (binary: GatedBinary) => Promise<SnapshotGate> {
  const cache = options.cache ?? (sharedCache ??= new CapabilityCache());
  const warn = options.onWarning ?? (() => {});
  const gates = new Map<string, SnapshotGate>();
  const warned = new Set<string>();
  return async (binary) => {
    await fingerprintBinary(binary.path).catch((error: unknown) => {
      throw new BinaryNotFoundError([{
        source: "override",
        path: binary.path,
        reason: `cannot read it to learn its capabilities: ${(error as Error).message}`,
      }], { cause: error });
    });
    const { snapshot, origin } = await cache.lookup(binary.path);
    const fp = snapshot.fingerprint;
    const key = [fp?.path ?? binary.path, fp?.size, fp?.mtimeMs, snapshot.collectedAt, origin]
      .concat(binary.version ?? "").join("\n");
    const hit = gates.get(key);
    if (hit) return hit;
    const gate = buildGate(snapshot, origin === "known", binary, (line) => {
      if (warned.has(line)) return;
      warned.add(line);
      warn(line);
    });
    gates.set(key, gate);
    return gate;
  };
}

/** Builds the gate and reports how much of it rests on a fallback. */
function buildGate(
  snapshot: CapabilitySnapshot,
  cacheFellBack: boolean,
  binary: GatedBinary,
  warn: (line: string) => void,
): SnapshotGate {
  const learntNothing = snapshot.version === null && Object.keys(snapshot.commands).length === 0;
  const reasons = snapshot.gaps.map((g) => `${g.step}: ${g.reason}`).join("; ");
  if (cacheFellBack) {
    warn(
      `Gating flags on the known snapshot of codex ${snapshot.version?.semver}: probing ${binary.path} failed (${reasons})`,
    );
    return gateFromSnapshot(snapshot, undefined, { fallback: true });
  }
  if (learntNothing) {
    const known = binary.version ? knownSnapshot(binary.version) : undefined;
    if (known) {
      warn(
        `Gating flags on the known snapshot of codex ${binary.version}: probing ${binary.path} failed (${reasons})`,
      );
      return gateFromSnapshot({ ...known, gaps: [...known.gaps, ...snapshot.gaps] }, undefined, {
        fallback: true,
      });
    }
    warn(
      `Not gating flags: probing ${binary.path} failed and no known snapshot matches it (${reasons})`,
    );
  } else if (snapshot.gaps.length > 0) {
    warn(`Some flags of ${binary.path} are not gated: the probe left gaps (${reasons})`);
  }
  return gateFromSnapshot(snapshot);
}

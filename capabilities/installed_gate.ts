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
import { GATED_OPTIONS, gateFromSnapshot } from "./gate.ts";
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

/** Gives the gate of a binary; see {@linkcode installedGate}. */
export interface InstalledGate {
  /** The gate of `binary`. */
  (binary: GatedBinary): Promise<SnapshotGate>;
  /** Settles when no background probe (the confirmation of a known snapshot) is running. */
  settled(): Promise<void>;
}

/**
 * Returns a function that gives the gate of a binary. Lookups of a binary already seen in
 * this process cost one `stat` (the fingerprint); a new fingerprint reads the disk cache.
 * On a miss there, a binary whose version (one `--version`, about 5 ms) has a committed
 * snapshot is gated on that snapshot at once, and the full probe (a few hundred ms) runs in
 * the background: it fills the cache, later lookups answer from it, and a disagreement with
 * the committed snapshot is reported in a warning. Any other binary is probed before its
 * first answer. When the probe learns nothing (the binary does not answer `--version` or
 * `--help`) and the binary's version has a committed snapshot, the gate answers from that
 * snapshot with `fallback: true` and says so in a warning and in every note. A binary that
 * does not exist is an error ({@linkcode BinaryNotFoundError}), never a fallback.
 *
 * @example Gate on whatever codex the client runs
 * ```ts ignore
 * const gateOf = installedGate({ onWarning: console.warn });
 * const gate = await gateOf({ path: "/usr/local/bin/codex" });
 * gate.support("exec.thread-source");
 * await gateOf.settled();
 * ```
 */
export function installedGate(options: InstalledGateOptions = {}): InstalledGate {
  const cache = options.cache ?? (sharedCache ??= new CapabilityCache());
  const warnOnce = once(options.onWarning ?? (() => {}));
  const gates = new Map<string, SnapshotGate>();
  const provisional = new Map<string, Promise<SnapshotGate | undefined>>();
  const confirming = new Set<Promise<void>>();

  // The committed snapshot of the binary's version, while the probe confirms it.
  const fromKnownVersion = (binary: GatedBinary): Promise<SnapshotGate | undefined> => {
    let pending = provisional.get(binary.path);
    if (pending) return pending;
    pending = cache.version(binary.path).then(({ version }) => {
      const known = version ? knownSnapshot(version.semver) : undefined;
      if (!known) {
        provisional.delete(binary.path);
        return undefined;
      }
      const confirm: Promise<void> = cache.lookup(binary.path).then(
        ({ snapshot, origin }) => {
          if (origin === "known" || learntNothing(snapshot)) return;
          const differ = disagreements(known, snapshot);
          if (differ.length === 0) return;
          warnOnce(
            `The probe of ${binary.path} disagrees with the known snapshot of codex ${
              version!.semver
            } on ${differ.join(", ")}: later turns gate on the probe`,
          );
        },
        (error: unknown) =>
          warnOnce(`Cannot confirm the capabilities of ${binary.path}: ${String(error)}`),
      ).finally(() => {
        provisional.delete(binary.path);
        confirming.delete(confirm);
      });
      confirming.add(confirm);
      return gateFromSnapshot(known);
    }, () => {
      provisional.delete(binary.path);
      return undefined;
    });
    provisional.set(binary.path, pending);
    return pending;
  };

  const gateOf = async (binary: GatedBinary): Promise<SnapshotGate> => {
    await fingerprintBinary(binary.path).catch((error: unknown) => {
      throw new BinaryNotFoundError([{
        source: "override",
        path: binary.path,
        reason: `cannot read it to learn its capabilities: ${(error as Error).message}`,
      }], { cause: error });
    });
    const stored = await cache.cached(binary.path);
    if (!stored) {
      const quick = await fromKnownVersion(binary);
      if (quick) return quick;
    }
    const { snapshot, origin } = stored ?? await cache.lookup(binary.path);
    const fp = snapshot.fingerprint;
    const key = [fp?.path ?? binary.path, fp?.size, fp?.mtimeMs, snapshot.collectedAt, origin]
      .concat(binary.version ?? "").join("\n");
    const hit = gates.get(key);
    if (hit) return hit;
    const gate = buildGate(snapshot, origin === "known", binary, warnOnce);
    gates.set(key, gate);
    return gate;
  };
  return Object.assign(gateOf, {
    settled: async (): Promise<void> => {
      while (confirming.size > 0) await Promise.all(confirming);
    },
  });
}

function once(warn: (line: string) => void): (line: string) => void {
  const warned = new Set<string>();
  return (line) => {
    if (warned.has(line)) return;
    warned.add(line);
    warn(line);
  };
}

function learntNothing(snapshot: CapabilitySnapshot): boolean {
  return snapshot.version === null && Object.keys(snapshot.commands).length === 0;
}

/** The gated options on which two snapshots answer differently. */
export function disagreements(a: CapabilitySnapshot, b: CapabilitySnapshot): string[] {
  const ga = gateFromSnapshot(a);
  const gb = gateFromSnapshot(b);
  return GATED_OPTIONS.filter((option) => ga.support(option) !== gb.support(option));
}

/** Builds the gate and reports how much of it rests on a fallback. */
function buildGate(
  snapshot: CapabilitySnapshot,
  cacheFellBack: boolean,
  binary: GatedBinary,
  warn: (line: string) => void,
): SnapshotGate {
  const reasons = snapshot.gaps.map((g) => `${g.step}: ${g.reason}`).join("; ");
  if (cacheFellBack) {
    warn(
      `Gating flags on the known snapshot of codex ${snapshot.version?.semver}: probing ${binary.path} failed (${reasons})`,
    );
    return gateFromSnapshot(snapshot, undefined, { fallback: true });
  }
  if (learntNothing(snapshot)) {
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

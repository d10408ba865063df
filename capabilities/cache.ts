/**
 * The capability cache: memory first (keyed by canonical path + fingerprint, one probe in
 * flight per binary), then the on-disk cache, then a fresh probe.
 *
 * @module
 */
import { AbortError } from "../src/errors.ts";
import { defaultCacheDir, readCacheFile, writeCacheFile } from "./disk_cache.ts";
import { fingerprintBinary, sameFingerprint } from "./fingerprint.ts";
import { sha256File } from "../src/fs/sha256_file.ts";
import { knownSnapshot } from "./known.ts";
import { applyOverrides } from "./overrides.ts";
import type { CapabilityOverrides } from "./overrides.ts";
import { probeCapabilities, probeVersion } from "./probe.ts";
import type { ProbeOptions, VersionProbe } from "./probe.ts";
import { decideCacheUse, DEFAULT_TTL_MS } from "./ttl.ts";
import type { CachePolicy } from "./ttl.ts";
import type { CapabilitySnapshot, Fingerprint } from "./types.ts";

/** Options of {@linkcode CapabilityCache}. */
export interface CapabilityCacheOptions {
  /** On-disk cache directory; `null` keeps the cache in memory only. Default: the OS cache dir. */
  dir?: string | null;
  /** Base time to live of an entry in ms (default one day; see `effectiveTtl`). */
  ttlMs?: number;
  /** How probes run (time limit, env, hash, seam). */
  probe?: Omit<ProbeOptions, "signal">;
  /** When a probe learns nothing at all, use the committed snapshot of this version instead. */
  fallbackVersion?: string;
  /** Called with a line an operator may want to see (ignored cache files, failed writes). */
  onWarning?: (message: string) => void;
}

/** Options of one lookup. */
export interface LookupOptions {
  /** `preferCache` (default) reuses a fresh entry; `refresh` probes and stores; `bypass` probes only. */
  policy?: CachePolicy;
  /** Stops waiting; rejects with an `AbortError`. */
  signal?: AbortSignal;
  /** Applied on top of whatever snapshot is found. */
  overrides?: CapabilityOverrides;
}

/** Where a lookup's snapshot came from. */
export type LookupOrigin = "memory" | "disk" | "probe" | "known";

/** A snapshot and where it came from. */
export interface LookupResult {
  /** The snapshot, overrides applied. */
  snapshot: CapabilitySnapshot;
  /** Where it came from. */
  origin: LookupOrigin;
}

interface MemoryEntry {
  snapshot: CapabilitySnapshot;
  fingerprint: Fingerprint;
}

interface InFlight {
  promise: Promise<CapabilitySnapshot>;
  controller: AbortController;
  waiters: number;
}

/**
 * Caches capability snapshots per binary. Concurrent lookups of one binary share a single
 * probe; failed probes (or ones with transient gaps) are never cached.
 *
 * @example Look up a binary twice
 * ```ts ignore
 * const cache = new CapabilityCache();
 * const first = await cache.lookup("/usr/local/bin/codex"); // probes (or reads the disk cache)
 * const again = await cache.lookup("/usr/local/bin/codex"); // origin "memory"
 * ```
 */
export class CapabilityCache {
  #dir: string | null;
  #ttlMs: number;
  #probe: Omit<ProbeOptions, "signal">;
  #fallbackVersion: string | undefined;
  #warn: (message: string) => void;
  #memory = new Map<string, MemoryEntry>();
  #inFlight = new Map<string, InFlight>();

  /** Creates a cache; nothing is read until the first lookup. */
  constructor(options: CapabilityCacheOptions = {}) {
    const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    if (!(ttlMs >= 0)) {
      throw new TypeError(`Cannot create the cache: option ttlMs must be >= 0, got ${ttlMs}`);
    }
    this.#dir = options.dir === undefined ? defaultCacheDir() : options.dir;
    this.#ttlMs = ttlMs;
    this.#probe = { ...options.probe };
    this.#fallbackVersion = options.fallbackVersion;
    this.#warn = options.onWarning ?? (() => {});
  }

  /** The on-disk directory, or `null` when the cache is memory only. */
  get dir(): string | null {
    return this.#dir;
  }

  /** The snapshot of `binary` (overrides applied); see {@linkcode LookupOptions}. */
  async get(binary: string, options: LookupOptions = {}): Promise<CapabilitySnapshot> {
    return (await this.lookup(binary, options)).snapshot;
  }

  /** Like {@linkcode CapabilityCache.get}, also saying where the snapshot came from. */
  async lookup(binary: string, options: LookupOptions = {}): Promise<LookupResult> {
    const policy = options.policy ?? "preferCache";
    if (policy !== "preferCache" && policy !== "refresh" && policy !== "bypass") {
      throw new TypeError(`Cannot look up capabilities: unknown option policy "${policy}"`);
    }
    throwIfAborted(options.signal);
    // With `hash`, every lookup reads the content: only the hash tells a same-size rewrite apart
    // when the file system keeps no reliable ctime.
    const fingerprint = await fingerprintBinary(binary, { hash: this.#probe.hash })
      .catch(() => undefined);
    const done = (snapshot: CapabilitySnapshot, origin: LookupOrigin): LookupResult => ({
      snapshot: applyOverrides(snapshot, options.overrides),
      origin,
    });
    if (!fingerprint) {
      // Nothing to key a cache on; the probe records why in its gaps.
      return this.#fresh(await this.#share(binary, binary, options.signal), done);
    }
    const key = keyOf(fingerprint);
    if (policy === "preferCache") {
      const hit = await this.#stored(key, fingerprint);
      if (hit) return done(hit.snapshot, hit.origin);
    }
    const snapshot = policy === "bypass"
      ? await probeCapabilities(binary, { ...this.#probe, signal: options.signal })
      : await this.#share(key, binary, options.signal);
    if (policy !== "bypass" && cacheable(snapshot)) {
      this.#memory.set(key, { snapshot, fingerprint: snapshot.fingerprint ?? fingerprint });
      if (this.#dir !== null) {
        await writeCacheFile(this.#dir, snapshot).catch((error: unknown) =>
          this.#warn(`Cannot write capability cache in ${this.#dir}: ${String(error)}`)
        );
      }
    }
    return this.#fresh(snapshot, done);
  }

  /**
   * The snapshot of `binary` when memory or the disk cache holds a fresh one for its current
   * fingerprint, else `undefined`; never probes.
   */
  async cached(binary: string): Promise<LookupResult | undefined> {
    const fingerprint = await fingerprintBinary(binary, { hash: this.#probe.hash })
      .catch(() => undefined);
    if (!fingerprint) return undefined;
    return await this.#stored(keyOf(fingerprint), fingerprint);
  }

  /** The version of `binary` from `--version` alone, run with this cache's probe options. */
  version(binary: string): Promise<VersionProbe> {
    return probeVersion(binary, this.#probe);
  }

  async #stored(
    key: string,
    fingerprint: Fingerprint,
  ): Promise<{ snapshot: CapabilitySnapshot; origin: LookupOrigin } | undefined> {
    const hit = this.#memory.get(key);
    if (
      hit &&
      this.#reusable(hit.snapshot, hit.fingerprint, await hashedLike(hit.fingerprint, fingerprint))
    ) {
      return { snapshot: hit.snapshot, origin: "memory" };
    }
    if (this.#dir === null) return undefined;
    const read = await readCacheFile(this.#dir, fingerprint);
    if (read.status === "ignored") {
      this.#warn(`Ignoring capability cache ${read.path}: ${read.reason}`);
    }
    if (
      read.status === "hit" &&
      this.#reusable(
        read.snapshot,
        read.snapshot.fingerprint!,
        await hashedLike(read.snapshot.fingerprint!, fingerprint),
      )
    ) {
      this.#memory.set(key, { snapshot: read.snapshot, fingerprint });
      return { snapshot: read.snapshot, origin: "disk" };
    }
    return undefined;
  }

  /** Forgets every in-memory entry (the disk cache stays). */
  clear(): void {
    this.#memory.clear();
  }

  #fresh(
    snapshot: CapabilitySnapshot,
    done: (s: CapabilitySnapshot, o: LookupOrigin) => LookupResult,
  ): LookupResult {
    const learntNothing = snapshot.version === null && Object.keys(snapshot.commands).length === 0;
    const known = learntNothing && this.#fallbackVersion !== undefined
      ? knownSnapshot(this.#fallbackVersion)
      : undefined;
    if (known) return done({ ...known, gaps: [...known.gaps, ...snapshot.gaps] }, "known");
    return done(snapshot, "probe");
  }

  #reusable(snapshot: CapabilitySnapshot, cached: Fingerprint, now: Fingerprint): boolean {
    const ageMs = Date.now() - Date.parse(snapshot.collectedAt);
    return decideCacheUse({
      policy: "preferCache",
      ageMs: Number.isNaN(ageMs) ? -1 : ageMs,
      fingerprintMatches: sameFingerprint(cached, now),
      mtimeKnown: now.mtimeMs !== null,
      ttlMs: this.#ttlMs,
    }).decision === "reuse";
  }

  // One probe per key; it is aborted only when every caller waiting on it has given up.
  #share(
    key: string,
    binary: string,
    signal: AbortSignal | undefined,
  ): Promise<CapabilitySnapshot> {
    let flight = this.#inFlight.get(key);
    if (!flight) {
      const controller = new AbortController();
      const promise = probeCapabilities(binary, { ...this.#probe, signal: controller.signal })
        .finally(() => {
          if (this.#inFlight.get(key) === created) this.#inFlight.delete(key);
        });
      const created: InFlight = { promise, controller, waiters: 0 };
      flight = created;
      this.#inFlight.set(key, flight);
    }
    const shared = flight;
    shared.waiters++;
    return this.#race(shared.promise, signal, () => {
      if (--shared.waiters === 0) {
        this.#inFlight.delete(key);
        shared.controller.abort(signal?.reason);
      }
    }).finally(() => {
      if (!signal?.aborted) shared.waiters--;
    });
  }

  #race<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort?: () => void): Promise<T> {
    if (!signal) return promise;
    return new Promise<T>((resolve, reject) => {
      const abort = () => {
        onAbort?.();
        reject(new AbortError("The capability lookup was aborted", { cause: signal.reason }));
      };
      if (signal.aborted) return abort();
      signal.addEventListener("abort", abort, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
    });
  }
}

/**
 * `now` with the content's hash when `cached` has one: a fingerprint read within its ctime's
 * tick was hashed ({@linkcode fingerprintBinary}), and only the hash can vouch for it later.
 */
async function hashedLike(cached: Fingerprint, now: Fingerprint): Promise<Fingerprint> {
  if (cached.sha256 === undefined || now.sha256 !== undefined) return now;
  const sha256 = await sha256File(now.path).catch(() => undefined);
  return sha256 === undefined ? now : { ...now, sha256 };
}

function keyOf(fingerprint: Fingerprint): string {
  return [
    fingerprint.path,
    fingerprint.size,
    fingerprint.mtimeMs,
    fingerprint.ctimeMs,
    fingerprint.dev,
    fingerprint.ino,
  ].join("\n");
}

/** Whether a snapshot may be stored: it has a fingerprint and no step failed for a passing reason. */
function cacheable(snapshot: CapabilitySnapshot): boolean {
  return snapshot.fingerprint !== undefined && !snapshot.gaps.some((g) => g.transient);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AbortError("The capability lookup was aborted", { cause: signal.reason });
  }
}

/**
 * The shapes of a capability snapshot: what one codex binary said about itself.
 *
 * @module
 */

/**

 * The version of the snapshot format; a cache or file with another one is ignored.
 * @example Check a snapshot's format
 * ```ts ignore
 * snapshot.schemaVersion === SNAPSHOT_SCHEMA_VERSION;
 * ```
 */
export const SNAPSHOT_SCHEMA_VERSION = 1;

/** Release channel: `"stable"`, or the pre-release tag's leading word (`"alpha"`, `"beta"`, `"rc"`, ...). */
export type Channel = string;

/** A parsed semantic version, with the text it came from. */
export interface VersionInfo {
  /** The line the CLI printed (`"codex-cli 0.169.0"`), or the override text. */
  raw: string;
  /** The semver part alone (`"0.169.0"`, `"0.170.0-alpha.2"`). */
  semver: string;
  /** Major number. */
  major: number;
  /** Minor number. */
  minor: number;
  /** Patch number. */
  patch: number;
  /** Dot-separated pre-release identifiers; empty for a release. */
  prerelease: string[];
  /** `"stable"` for a release, otherwise the pre-release tag's leading word. */
  channel: Channel;
}

/** One row of `codex features list`. */
export interface Feature {
  /** Feature name (`"plugins"`). */
  name: string;
  /**
   * Stage as printed: `stable`, `experimental`, `under development`, `deprecated`, `removed`,
   * or anything a newer CLI invents (kept as is).
   */
  stage: string;
  /**
   * Effective state under the probe's config; `null` when the probe itself forced it (the
   * probe passes `--disable plugins`, so `plugins` reads false whatever its default is).
   */
  enabled: boolean | null;
  /** Columns after the known three, kept for newer CLIs. */
  extra?: string[];
}

/** One option of a help page. */
export interface Flag {
  /** Long form with dashes (`"--output-schema"`), when there is one. */
  long?: string;
  /** Short alias with its dash (`"-o"`), when there is one. */
  short?: string;
  /** Whether the option takes a value. */
  takesValue: boolean;
  /** The value placeholder (`"FILE"`), when it takes one. */
  valueName?: string;
  /** Whether the option may repeat / take several values (`<FILE>...`). */
  repeatable?: boolean;
  /** The accepted values, when the help lists them. */
  values?: string[];
}

/** One subcommand listed by a help page. */
export interface Subcommand {
  /** Subcommand name (`"resume"`). */
  name: string;
  /** Aliases (`exec` has `e`). */
  aliases: string[];
}

/** What one help page says. */
export interface CommandInfo {
  /** The options it lists. */
  flags: Flag[];
  /** The subcommands it lists (`help` excluded). */
  subcommands: Subcommand[];
}

/** The identity of a binary file, used to notice an upgrade or a swap in place. */
export interface Fingerprint {
  /** The canonical path (symlinks resolved). */
  path: string;
  /** Size in bytes. */
  size: number;
  /** Modification time in ms since the epoch; `null` when the file system does not say. */
  mtimeMs: number | null;
  /**
   * Status change time in ms since the epoch (any write, rename over, `touch -r` or chmod moves
   * it; a program cannot set it back); `null` when the file system does not say.
   */
  ctimeMs?: number | null;
  /** Inode number: a file replaced by rename gets a new one, whatever its size and times. */
  ino?: number;
  /** Device of the inode. */
  dev?: number;
  /** SHA-256 of the content (hex), only when asked for. */
  sha256?: string;
  /**
   * When the stat was read (ms since the epoch, taken just before it): a stat read within the
   * ctime's own tick cannot vouch for the content (`statSettled`).
   */
  seenAtMs?: number;
}

/** One probe step that did not give an answer. */
export interface Gap {
  /** The step (`"version"`, `"features"`, `"help:codex exec fork"`, `"fingerprint"`). */
  step: string;
  /** Why, for an operator. */
  reason: string;
  /**
   * `true` when another attempt could answer (timeout, abort, spawn failure): such snapshots
   * are never cached. `false` for answers that will not change (unparsable output).
   */
  transient: boolean;
}

/** Where a snapshot came from. */
export type SnapshotSource = "probe" | "cache" | "known" | "file";

/** Everything learnt about one codex binary. */
export interface CapabilitySnapshot {
  /** Always {@linkcode SNAPSHOT_SCHEMA_VERSION}. */
  schemaVersion: number;
  /** Where it came from. */
  source: SnapshotSource;
  /** When it was collected (ISO 8601). */
  collectedAt: string;
  /** The version, or `null` when the version step left a gap. */
  version: VersionInfo | null;
  /** `features list` rows, or `null` when that step left a gap. */
  features: Feature[] | null;
  /** Help pages by command path (`"codex"`, `"codex exec"`, `"codex exec resume"`). */
  commands: Record<string, CommandInfo>;
  /** The binary's identity; absent in known snapshots and when it could not be read. */
  fingerprint?: Fingerprint;
  /** Steps that did not answer. */
  gaps: Gap[];
}

/**
 * Platform labels of a bundle and how each maps to the npm platform package and the Rust target
 * of `@openai/codex`.
 *
 * The Linux binaries of codex are static musl builds, so one label (`linux-x64`, `linux-arm64`)
 * serves glibc and musl systems alike: there is no separate `-musl` label.
 *
 * @module
 */

/**
 * A platform a bundle can hold a binary for.
 *
 * @example Pick platforms to ship
 * ```ts ignore
 * const targets: PlatformLabel[] = ["linux-x64", "darwin-arm64", "windows-x64"];
 * ```
 */
export type PlatformLabel =
  | "linux-x64"
  | "linux-arm64"
  | "darwin-x64"
  | "darwin-arm64"
  | "windows-x64"
  | "windows-arm64";

/**
 * What a platform label stands for.
 *
 * @example Rust target of a label
 * ```ts ignore
 * const info: PlatformInfo = platformInfo("linux-arm64");
 * console.log(info.triple); // aarch64-unknown-linux-musl
 * ```
 */
export interface PlatformInfo {
  /** The bundle's label, also the directory name under the bundle root. */
  label: PlatformLabel;
  /** `process.platform` of this target. */
  os: "linux" | "darwin" | "win32";
  /** `process.arch` of this target. */
  arch: "x64" | "arm64";
  /** Suffix of the npm version that carries this platform: `@openai/codex@<version>-<suffix>`. */
  npmSuffix: string;
  /** The alias the `@openai/codex` launcher installs it under (`@openai/codex-linux-x64`). */
  npmAlias: string;
  /** The Rust target triple, also the directory under the package's `vendor/`. */
  triple: string;
  /** File name of the executable. */
  executable: "codex" | "codex.exe";
}

/** The npm package whose platform versions carry the native binaries. */
export const CODEX_NPM_PACKAGE = "@openai/codex";

const TABLE: readonly PlatformInfo[] = [
  row("linux-x64", "linux", "x64", "linux-x64", "x86_64-unknown-linux-musl"),
  row("linux-arm64", "linux", "arm64", "linux-arm64", "aarch64-unknown-linux-musl"),
  row("darwin-x64", "darwin", "x64", "darwin-x64", "x86_64-apple-darwin"),
  row("darwin-arm64", "darwin", "arm64", "darwin-arm64", "aarch64-apple-darwin"),
  row("windows-x64", "win32", "x64", "win32-x64", "x86_64-pc-windows-msvc"),
  row("windows-arm64", "win32", "arm64", "win32-arm64", "aarch64-pc-windows-msvc"),
];

/**
 * Every platform label, in a stable order.
 *
 * @example Ship every platform
 * ```ts ignore
 * await addToBundle({ root: "./codex-bundle", version: "0.169.0", platforms: PLATFORM_LABELS });
 * ```
 */
export const PLATFORM_LABELS: readonly PlatformLabel[] = TABLE.map((p) => p.label);

/** Whether `value` is one of {@linkcode PLATFORM_LABELS}. */
export function isPlatformLabel(value: unknown): value is PlatformLabel {
  return typeof value === "string" && TABLE.some((p) => p.label === value);
}

/**
 * What `label` stands for; throws a TypeError naming `platform` for an unknown label.
 *
 * @example Executable name on Windows
 * ```ts ignore
 * console.log(platformInfo("windows-x64").executable); // codex.exe
 * ```
 */
export function platformInfo(label: string): PlatformInfo {
  const info = TABLE.find((p) => p.label === label);
  if (!info) {
    throw new TypeError(
      `Invalid option platform: ${JSON.stringify(label)} is not one of ${
        PLATFORM_LABELS.join(", ")
      }`,
    );
  }
  return { ...info };
}

/**
 * The label for a `process.platform` / `process.arch` pair, or `undefined` when codex ships no
 * binary for it. Pure; libc does not matter (the Linux builds are static musl).
 *
 * @example Label of a build target
 * ```ts ignore
 * console.log(platformLabelFor("darwin", "arm64")); // darwin-arm64
 * ```
 */
export function platformLabelFor(os: string, arch: string): PlatformLabel | undefined {
  return TABLE.find((p) => p.os === os && p.arch === arch)?.label;
}

/**
 * The label of the platform this code runs on, by feature checks that never throw
 * (`process.platform`/`process.arch` exist on Deno, Bun and Node). `undefined` when codex has
 * no binary for it or the platform cannot be told.
 *
 * @example Label of this machine
 * ```ts ignore
 * const label = currentPlatform() ?? "linux-x64";
 * ```
 */
export function currentPlatform(): PlatformLabel | undefined {
  try {
    const proc = (globalThis as { process?: { platform?: unknown; arch?: unknown } }).process;
    if (typeof proc?.platform !== "string" || typeof proc.arch !== "string") return undefined;
    return platformLabelFor(proc.platform, proc.arch);
  } catch {
    return undefined;
  }
}

/**
 * The npm spec of the platform package: `@openai/codex@0.169.0-linux-x64`.
 *
 * @example npm spec of a platform package
 * ```ts ignore
 * console.log(npmPackageSpec("windows-x64", "0.169.0")); // @openai/codex@0.169.0-win32-x64
 * ```
 */
export function npmPackageSpec(label: PlatformLabel, version: string): string {
  return `${CODEX_NPM_PACKAGE}@${npmPlatformVersion(label, version)}`;
}

/** The npm version that carries `label`'s binary: `0.169.0-linux-x64`. */
export function npmPlatformVersion(label: PlatformLabel, version: string): string {
  return `${version}-${platformInfo(label).npmSuffix}`;
}

function row(
  label: PlatformLabel,
  os: PlatformInfo["os"],
  arch: PlatformInfo["arch"],
  npmSuffix: string,
  triple: string,
): PlatformInfo {
  return {
    label,
    os,
    arch,
    npmSuffix,
    npmAlias: `${CODEX_NPM_PACKAGE}-${npmSuffix}`,
    triple,
    executable: os === "win32" ? "codex.exe" : "codex",
  };
}

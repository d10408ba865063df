/**
 * Which npm platform package of `@openai/codex` serves this machine. Pure: the caller passes
 * `process.platform` and `process.arch` (present on Deno, Bun and Node alike).
 *
 * @module
 */

/** The npm platform package and Rust target triple for one platform. */
export interface NpmPlatformTarget {
  /** Name under which `@openai/codex` installs it (an npm alias), e.g. `@openai/codex-linux-x64`. */
  packageName: string;
  /** Rust target triple of the binary, the folder name under `vendor/`. */
  triple: string;
  /** File name of the binary. */
  binaryName: string;
}

const TARGETS: Record<string, NpmPlatformTarget> = {
  "linux-x64": target("linux-x64", "x86_64-unknown-linux-musl"),
  "linux-arm64": target("linux-arm64", "aarch64-unknown-linux-musl"),
  "android-arm64": target("linux-arm64", "aarch64-unknown-linux-musl"),
  "darwin-x64": target("darwin-x64", "x86_64-apple-darwin"),
  "darwin-arm64": target("darwin-arm64", "aarch64-apple-darwin"),
  "win32-x64": target("win32-x64", "x86_64-pc-windows-msvc", ".exe"),
  "win32-arm64": target("win32-arm64", "aarch64-pc-windows-msvc", ".exe"),
};

function target(suffix: string, triple: string, ext = ""): NpmPlatformTarget {
  return { packageName: `@openai/codex-${suffix}`, triple, binaryName: `codex${ext}` };
}

/** The platform package for `platform`/`arch`, or `undefined` when codex ships none. */
export function npmPlatformTarget(platform: string, arch: string): NpmPlatformTarget | undefined {
  return TARGETS[`${platform}-${arch}`];
}

/**
 * Pinned codex bundles for apps that ship their own CLI: one binary per platform and version
 * under a root directory, checked on every resolution and never replaced by whatever is on PATH.
 *
 * Layout: `<root>/bundle.jsonc` plus `<root>/<platform>/<version>/codex[.exe]` with the
 * `codex-path/` (tools for PATH) and `codex-resources/` dirs of the npm platform package beside
 * it. Linux labels serve glibc and musl alike: the Linux builds of codex are static musl.
 *
 * @example Ship and use a bundle
 * ```ts ignore
 * import { addToBundle, resolveBundledBinary } from "@codexkit/sdk/bundles";
 *
 * await addToBundle({ root: "./codex-bundle", version: "0.169.0", platforms: ["linux-x64", "darwin-arm64"] });
 * const { binary, pathDir } = await resolveBundledBinary({ root: "./codex-bundle", version: "0.169.0" });
 * ```
 *
 * @module
 */
export { addToBundle } from "./add.ts";
export type { AddedBinary, AddToBundleOptions, AddToBundleResult, BundleProgress } from "./add.ts";
export { BUNDLE_MANIFEST_FILE, readBundleManifest } from "./manifest.ts";
export type { BundleEntry, BundleEntrySource, BundleManifest } from "./manifest.ts";
export {
  currentPlatform,
  npmPackageSpec,
  PLATFORM_LABELS,
  platformInfo,
  platformLabelFor,
} from "./platform.ts";
export type { PlatformInfo, PlatformLabel } from "./platform.ts";
export type { RegistrySource } from "./registry.ts";
export { bundleSource, resolveBundledBinary } from "./resolve.ts";
export type { BundleBinarySource, BundleLocation, ResolvedBundle } from "./resolve.ts";
// Named here so this entry documents itself.
export type { BundleSource } from "../src/options.ts";
// The whole search a client makes for its binary (override, CODEX_PATH, bundle, npm, PATH).
export { resolveCodexBinary } from "../src/binary/resolve.ts";
export type { BinarySource, ResolveBinaryOptions, ResolvedBinary } from "../src/binary/resolve.ts";

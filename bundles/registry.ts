/**
 * The npm registry this machine uses and what it says about a platform package. The registry
 * comes from the caller, npm's environment variables, the `.npmrc` files, or `npm config get
 * registry`; only a machine with none of them (a Deno-only one) gets the public registry.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { runToEnd } from "../src/process/run_to_end.ts";
import { spawnerFor } from "../src/process/spawner.ts";
import type { Spawner } from "../src/runtime/mod.ts";
import { BundleError } from "../src/errors.ts";
import { readBoundedText, Watchdog } from "./_limits.ts";
import { CODEX_NPM_PACKAGE } from "./platform.ts";

/**
 * Where the registry URL came from.
 *
 * @example See how the registry was found
 * ```ts ignore
 * await addToBundle({
 *   root: "./codex-bundle",
 *   version: "0.169.0",
 *   onProgress: (e) => {
 *     if (e.type === "registry") console.error(e.url, e.source satisfies RegistrySource);
 *   },
 * });
 * ```
 */
export type RegistrySource = "option" | "env" | "npmrc" | "npm-config" | "default";

/** The public npm registry, used when nothing on the machine names another. */
export const PUBLIC_NPM_REGISTRY = "https://registry.npmjs.org/";

/** A registry URL and how it was found. */
export interface RegistryChoice {
  /** Base URL, always ending in `/`. */
  url: string;
  source: RegistrySource;
}

/** Inputs of {@linkcode pickRegistry}. */
export interface RegistryInputs {
  /** An explicit `registry` option. */
  option?: string;
  /** The environment, searched for `npm_config_registry` in any case. */
  env?: Record<string, string | undefined>;
  /** The `.npmrc` files read, the nearest first (project, then user). */
  npmrc?: readonly { path: string; text: string }[];
  /** The stdout of `npm config get registry`, when it was run. */
  npmConfigOutput?: string;
}

/**
 * Picks the registry: the option, then `npm_config_registry` (any case) from the environment,
 * then the `.npmrc` files (`@openai:registry` before `registry` in each, as npm does for a
 * scoped package), then npm's own answer; `undefined` when none gives an http(s) URL. Throws a
 * TypeError when the option is not an http(s) URL. Pure.
 */
export function pickRegistry(inputs: RegistryInputs): RegistryChoice | undefined {
  if (inputs.option !== undefined) {
    const url = normaliseRegistry(inputs.option);
    if (!url) {
      throw new TypeError(
        `Invalid option registry: ${JSON.stringify(inputs.option)} is not an http(s) URL`,
      );
    }
    return { url, source: "option" };
  }
  for (const [key, value] of Object.entries(inputs.env ?? {})) {
    if (key.toLowerCase() !== "npm_config_registry" || !value) continue;
    const url = normaliseRegistry(value);
    if (url) return { url, source: "env" };
  }
  for (const file of inputs.npmrc ?? []) {
    const url = npmrcRegistry(file.text, inputs.env ?? {});
    if (url) return { url, source: "npmrc" };
  }
  const lines = (inputs.npmConfigOutput ?? "").split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const last = lines.at(-1);
  const url = last === undefined ? undefined : normaliseRegistry(last);
  return url ? { url, source: "npm-config" } : undefined;
}

/** `value` as a registry base URL ending in `/`, or `undefined` when it is not http(s). Pure. */
export function normaliseRegistry(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  url.search = "";
  url.hash = "";
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}

/**
 * The registry an `.npmrc` text sets for `@openai/codex`: `@openai:registry`, else `registry`,
 * with `${VAR}` taken from `env`; `undefined` when it sets neither. Pure.
 */
export function npmrcRegistry(
  text: string,
  env: Record<string, string | undefined>,
): string | undefined {
  const found: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const eq = line.indexOf("=");
    if (eq === -1) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    value = value.replace(/\$\{([^}]+)\}/g, (_, name: string) => env[name] ?? "");
    found[key] = value;
  }
  for (const key of [`${CODEX_NPM_PACKAGE.split("/")[0]}:registry`, "registry"]) {
    const url = Object.hasOwn(found, key) ? normaliseRegistry(found[key]) : undefined;
    if (url) return url;
  }
  return undefined;
}

/** Options of {@linkcode discoverRegistry}. */
export interface DiscoverRegistryOptions {
  /** An explicit registry URL; wins over everything. */
  registry?: string;
  /** The environment to read npm variables from and to run npm with; the process's when omitted. */
  env?: Record<string, string | undefined>;
  /** How long `npm config get registry` may take, in ms (default 15000). */
  npmTimeoutMs?: number;
  /** Where the project `.npmrc` is looked for (and above); the working directory when omitted. */
  cwd?: string;
  /** Spawns `npm config get registry` (default: the runtime's adapter). */
  spawner?: Spawner;
}

/**
 * Finds the registry the machine uses ({@linkcode pickRegistry}): the option, the environment,
 * the project's and the user's `.npmrc`, then `npm config get registry` through the process
 * seam when npm is installed (it also knows the global config). A machine where none of them
 * names a registry gets {@linkcode PUBLIC_NPM_REGISTRY}, as npm itself would use.
 */
export async function discoverRegistry(
  options: DiscoverRegistryOptions = {},
): Promise<RegistryChoice> {
  const env = options.env ?? processEnv();
  const early = pickRegistry({ option: options.registry, env });
  if (early) return early;
  const npmrc = await readNpmrcFiles(options.cwd ?? process.cwd(), env);
  const fromFiles = pickRegistry({ env, npmrc });
  if (fromFiles) return fromFiles;
  const output = await npmConfigRegistry(env, options.npmTimeoutMs ?? 15_000, options.spawner);
  return pickRegistry({ env, npmConfigOutput: output }) ??
    { url: PUBLIC_NPM_REGISTRY, source: "default" };
}

/**
 * The `.npmrc` files npm would read for a project at `cwd`: the one beside the nearest
 * `package.json` (or in `cwd`), then the user's (`npm_config_userconfig` or `~/.npmrc`).
 */
async function readNpmrcFiles(
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<{ path: string; text: string }[]> {
  const paths: string[] = [];
  let dir = cwd;
  for (;;) {
    if (await readOrUndefined(join(dir, "package.json")) !== undefined) break;
    const parent = dirname(dir);
    if (parent === dir) {
      dir = cwd;
      break;
    }
    dir = parent;
  }
  paths.push(join(dir, ".npmrc"));
  const userconfig = Object.entries(env).find(([k]) => k.toLowerCase() === "npm_config_userconfig");
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  paths.push(userconfig?.[1] || join(home, ".npmrc"));
  const files: { path: string; text: string }[] = [];
  for (const path of new Set(paths)) {
    const text = await readOrUndefined(path);
    if (text !== undefined) files.push({ path, text });
  }
  return files;
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

/** URL of the version document of `@openai/codex@<npmVersion>` under `registry`. Pure. */
export function versionDocumentUrl(registry: string, npmVersion: string): string {
  return new URL(`${packagePath()}/${encodeURIComponent(npmVersion)}`, registry).href;
}

/** URL of the packument of `@openai/codex` under `registry`. Pure. */
export function packumentUrl(registry: string): string {
  return new URL(packagePath(), registry).href;
}

/** What the registry says about one version: where its tarball is and its integrity. */
export interface VersionDist {
  tarball: string;
  /** The SRI string as the registry gave it. */
  integrity: string | undefined;
}

/**
 * The `dist` of `@openai/codex@<npmVersion>`: the version document first, the abbreviated
 * packument when a registry does not serve version documents. Throws a BundleError for an
 * unknown version or an unreachable registry.
 */
export async function fetchVersionDist(
  registry: string,
  npmVersion: string,
  fetchImpl: typeof fetch,
  signal?: AbortSignal | Watchdog,
): Promise<VersionDist> {
  const spec = `${CODEX_NPM_PACKAGE}@${npmVersion}`;
  const docUrl = versionDocumentUrl(registry, npmVersion);
  const doc = await getJson(docUrl, fetchImpl, "application/json", signal);
  let dist = distOf(doc);
  if (!dist) {
    const packUrl = packumentUrl(registry);
    const packument = await getJson(
      packUrl,
      fetchImpl,
      "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8",
      signal,
    );
    const versions = (packument as { versions?: Record<string, unknown> } | undefined)?.versions;
    dist = versions && Object.hasOwn(versions, npmVersion)
      ? distOf(versions[npmVersion])
      : undefined;
  }
  if (!dist) {
    throw new BundleError(
      `Cannot find ${spec} on the registry ${redactUrl(registry)}: unknown version`,
    );
  }
  return dist;
}

/** `url` without credentials, query or fragment, for messages. Pure. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

function distOf(doc: unknown): VersionDist | undefined {
  const dist = (doc as { dist?: { tarball?: unknown; integrity?: unknown } } | undefined)?.dist;
  if (typeof dist?.tarball !== "string") return undefined;
  return {
    tarball: dist.tarball,
    integrity: typeof dist.integrity === "string" ? dist.integrity : undefined,
  };
}

async function getJson(
  url: string,
  fetchImpl: typeof fetch,
  accept: string,
  watch: AbortSignal | Watchdog | undefined,
): Promise<unknown> {
  // With a watchdog (addToBundle), the wait and the body are bounded in time and bytes.
  const watchdog = watch instanceof Watchdog ? watch : undefined;
  const signal = watchdog?.signal ?? (watch as AbortSignal | undefined);
  let response: Response;
  try {
    watchdog?.waiting(redactUrl(url));
    response = await (watchdog
      ? watchdog.race(fetchImpl(url, { headers: { accept }, signal }))
      : fetchImpl(url, { headers: { accept }, signal }));
  } catch (error) {
    throw new BundleError(`Cannot reach the registry at ${redactUrl(url)}: ${causeText(error)}`, {
      cause: error,
    });
  } finally {
    watchdog?.resting();
  }
  if (response.status === 404 || response.status === 405) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new BundleError(`Cannot read ${redactUrl(url)}: HTTP ${response.status}`);
  }
  let text: string;
  try {
    text = watchdog && response.body
      ? await readBoundedText(response.body, watchdog, redactUrl(url))
      : await response.text();
  } catch (error) {
    if (error instanceof BundleError) throw error;
    throw new BundleError(`Cannot read ${redactUrl(url)}: ${causeText(error)}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BundleError(`Cannot read ${redactUrl(url)}: not JSON`, { cause: error });
  }
}

/**
 * Why a fetch failed, in one line: the innermost useful message (`connect ECONNREFUSED
 * 127.0.0.1:9` rather than `fetch failed`), with credentials in URLs masked.
 */
export function causeText(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current.message) messages.push(current.message);
    current = current.cause;
  }
  const text = messages.length > 1 && /^fetch failed$/i.test(messages[0])
    ? messages.slice(1).join(": ")
    : messages.join(": ") || String(error);
  return text.replace(/\/\/[^/@\s]+@/g, "//***@");
}

/** The `latest` dist-tag of `@openai/codex` on `registry`. Throws a BundleError. */
export async function fetchLatestVersion(
  registry: string,
  fetchImpl: typeof fetch,
  signal?: AbortSignal | Watchdog,
): Promise<string> {
  // npmjs.org answers `/<package>/latest` with that version's document; others only packuments
  const doc = await getJson(
    versionDocumentUrl(registry, "latest"),
    fetchImpl,
    "application/json",
    signal,
  );
  let latest = (doc as { version?: unknown } | undefined)?.version;
  if (typeof latest !== "string") {
    const packument = await getJson(
      packumentUrl(registry),
      fetchImpl,
      "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8",
      signal,
    );
    latest = (packument as { "dist-tags"?: { latest?: unknown } } | undefined)?.["dist-tags"]
      ?.latest;
  }
  if (typeof latest !== "string") {
    throw new BundleError(
      `Cannot find the latest ${CODEX_NPM_PACKAGE} on the registry ${redactUrl(registry)}`,
    );
  }
  return latest;
}

function packagePath(): string {
  // scoped names keep their `@` and encode the slash, as npm clients do
  return CODEX_NPM_PACKAGE.replace("/", "%2f");
}

async function npmConfigRegistry(
  env: Record<string, string | undefined>,
  timeoutMs: number,
  spawner: Spawner | undefined,
): Promise<string | undefined> {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  try {
    // stderr is read to its end, not cancelled: npm warns there, and a closed pipe makes it fail
    const result = await runToEnd("npm", ["config", "get", "registry"], {
      spawner: spawnerFor({ spawner }),
      env: childEnv,
      timeoutMs,
      killGraceMs: 1000,
      maxOutputBytes: 64 * 1024,
    });
    return result.exitCode === 0 && !result.stopped ? result.stdout : undefined;
  } catch {
    return undefined; // no npm on PATH: the caller reports that no registry is known
  }
}

function processEnv(): Record<string, string | undefined> {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env ?? {};
}

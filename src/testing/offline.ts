/**
 * What points codex at a fake Responses server and keeps it on loopback: the `mock` provider,
 * the model, analytics and plugins off, and the key variable the provider reads; or, for `oss`
 * threads, the local provider's base URL variable.
 *
 * @module
 */
import { encodeTomlValue } from "../config/toml_literal.ts";

/** Options of {@linkcode offlineCodexConfig}. */
export interface OfflineCodexOptions {
  /** Model slug (default `"gpt-5.5"`, which is in the bundled catalog of codex 0.169.0). */
  model?: string;
  /** Provider id under `model_providers` (default `"mock"`). */
  providerId?: string;
  /** Environment variable the provider reads its key from (default `"MOCK_KEY"`). */
  envKey?: string;
  /** The fake key put in that variable (default `"mock-key"`). */
  apiKey?: string;
}

/** Nested codex configuration, as `-c key=value` overrides or `config.toml` would carry it. */
export type OfflineConfig = {
  /** Selects the provider. */
  model_provider: string;
  /** The model slug. */
  model: string;
  /** The provider pointing at the server. */
  model_providers: Record<string, {
    name: string;
    base_url: string;
    wire_api: "responses";
    env_key: string;
    supports_websockets: false;
    request_max_retries: 0;
    stream_max_retries: 0;
  }>;
  /** Analytics off: no reporting beyond loopback. */
  analytics: { enabled: false };
  /** Plugins off: otherwise codex looks up remote hosts on its own (0.169.0). */
  features: { plugins: false };
};

/** Everything needed to run codex against a fake server. */
export interface OfflineCodex {
  /** Nested config, e.g. for `new Codex({ config })`. */
  config: OfflineConfig;
  /** The same as flat CLI arguments (`--disable plugins -c key=TOML ...`). */
  args: string[];
  /** Environment entries the child needs (the fake provider key). */
  env: Record<string, string>;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * Builds the config, CLI arguments and environment that send codex to `server` and nowhere
 * else. `--disable plugins` and `-c features.plugins=false` were seen to be equivalent on
 * codex 0.169.0; the argv uses the flag, the nested config the key.
 *
 * @example Raw CLI arguments for `codex exec`
 * ```ts ignore
 * import { offlineCodexConfig, startFakeResponsesServer, reply } from "@codexkit/sdk/testing";
 * await using server = await startFakeResponsesServer([reply.message("hi")]);
 * const offline = offlineCodexConfig(server);
 * // spawn: codex exec --json --skip-git-repo-check ...offline.args "say hi"
 * // with env: { ...offline.env, CODEX_HOME, PATH, HOME }
 * ```
 */
export function offlineCodexConfig(
  server: { readonly url: string },
  options: OfflineCodexOptions = {},
): OfflineCodex {
  const model = options.model ?? "gpt-5.5";
  const providerId = options.providerId ?? "mock";
  const envKey = options.envKey ?? "MOCK_KEY";
  const apiKey = options.apiKey ?? "mock-key";
  if (typeof server?.url !== "string" || !/^https?:\/\//.test(server.url)) {
    throw new TypeError("Cannot build the offline config: server.url must be an http(s) URL");
  }
  if (!BARE_KEY.test(providerId)) {
    throw new TypeError(
      `Cannot build the offline config: options.providerId "${providerId}" is not a bare TOML key`,
    );
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envKey)) {
    throw new TypeError(
      `Cannot build the offline config: options.envKey "${envKey}" is not a variable name`,
    );
  }
  const provider = {
    name: providerId,
    base_url: server.url,
    wire_api: "responses",
    env_key: envKey,
    supports_websockets: false,
    request_max_retries: 0,
    stream_max_retries: 0,
  } as const;
  const config: OfflineConfig = {
    model_provider: providerId,
    model,
    model_providers: { [providerId]: provider },
    analytics: { enabled: false },
    features: { plugins: false },
  };
  const args = [
    "--disable",
    "plugins",
    "-c",
    "analytics.enabled=false",
    "-c",
    `model_provider=${encodeTomlValue(providerId, "model_provider")}`,
    "-c",
    `model=${encodeTomlValue(model, "model")}`,
    "-c",
    `model_providers.${providerId}=${encodeTomlValue(provider, `model_providers.${providerId}`)}`,
  ];
  return { config, args, env: { [envKey]: apiKey } };
}

/** Everything needed to run an `oss` thread against a fake server standing in for a local provider. */
export interface OfflineOss {
  /** Nested config, e.g. for `new Codex({ config })`: analytics and plugins off. */
  config: { analytics: { enabled: false }; features: { plugins: false } };
  /** The same as flat CLI arguments (`--disable plugins -c analytics.enabled=false`). */
  args: string[];
  /** `CODEX_OSS_BASE_URL`: where codex finds the local provider (Ollama or LM Studio). */
  env: { CODEX_OSS_BASE_URL: string };
}

/**
 * Builds the config, CLI arguments and environment that send an `oss` thread
 * (`--oss --local-provider ollama|lmstudio`) to `server` and nowhere else. Codex 0.169.0 takes
 * the local provider's base URL from `CODEX_OSS_BASE_URL` only: the built-in `ollama` and
 * `lmstudio` provider ids cannot be redefined in config. Start the server with the matching
 * `localProvider` option so it answers the provider's own checks. No model is set: codex picks
 * its default local model, which the server lists.
 *
 * @example An Ollama thread against the fake server
 * ```ts ignore
 * import { offlineOssConfig, reply, startFakeResponsesServer } from "@codexkit/sdk/testing";
 * await using server = await startFakeResponsesServer([reply.message("hi")], {
 *   localProvider: "ollama",
 * });
 * const { config, env } = offlineOssConfig(server);
 * const codex = new Codex({ config, env: { PATH: process.env.PATH!, ...env }, codexHome });
 * await codex.startThread({ oss: true, localProvider: "ollama", skipGitRepoCheck: true }).run("hi");
 * ```
 */
export function offlineOssConfig(server: { readonly url: string }): OfflineOss {
  if (typeof server?.url !== "string" || !/^https?:\/\//.test(server.url)) {
    throw new TypeError("Cannot build the offline oss config: server.url must be an http(s) URL");
  }
  return {
    config: { analytics: { enabled: false }, features: { plugins: false } },
    args: ["--disable", "plugins", "-c", "analytics.enabled=false"],
    env: { CODEX_OSS_BASE_URL: server.url },
  };
}

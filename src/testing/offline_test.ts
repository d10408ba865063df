import { test } from "node:test";
import assert from "node:assert/strict";
import { offlineCodexConfig, offlineOssConfig } from "./offline.ts";

const server = { url: "http://127.0.0.1:4321/v1" };

test("offlineCodexConfig builds the flat argv for the mock provider", () => {
  assert.deepEqual(offlineCodexConfig(server).args, [
    "--disable",
    "plugins",
    "-c",
    "analytics.enabled=false",
    "-c",
    'model_provider="mock"',
    "-c",
    'model="gpt-5.5"',
    "-c",
    'model_providers.mock={name = "mock", base_url = "http://127.0.0.1:4321/v1", wire_api = "responses", env_key = "MOCK_KEY", supports_websockets = false, request_max_retries = 0, stream_max_retries = 0}',
  ]);
});

test("offlineCodexConfig builds the nested config and the key env", () => {
  const { config, env } = offlineCodexConfig(server, {
    model: "m",
    providerId: "fake",
    apiKey: "k",
  });
  assert.deepEqual(config, {
    model_provider: "fake",
    model: "m",
    model_providers: {
      fake: {
        name: "fake",
        base_url: server.url,
        wire_api: "responses",
        env_key: "MOCK_KEY",
        supports_websockets: false,
        request_max_retries: 0,
        stream_max_retries: 0,
      },
    },
    analytics: { enabled: false },
    features: { plugins: false },
  });
  assert.deepEqual(env, { MOCK_KEY: "k" });
});

test("offlineCodexConfig rejects bad options with a TypeError naming them", () => {
  const table: [unknown, Record<string, string>, string][] = [
    [{ url: "ftp://x" }, {}, "server.url"],
    [server, { providerId: "a.b" }, "options.providerId"],
    [server, { envKey: "1X" }, "options.envKey"],
  ];
  for (const [s, options, name] of table) {
    assert.throws(
      () => offlineCodexConfig(s as { url: string }, options),
      (e: unknown) => e instanceof TypeError && e.message.includes(name),
    );
  }
});

test("offlineOssConfig gives the local provider's base URL and keeps codex on loopback", () => {
  assert.deepEqual(offlineOssConfig(server), {
    config: { analytics: { enabled: false }, features: { plugins: false } },
    args: ["--disable", "plugins", "-c", "analytics.enabled=false"],
    env: { CODEX_OSS_BASE_URL: "http://127.0.0.1:4321/v1" },
  });
  assert.throws(
    () => offlineOssConfig({ url: "127.0.0.1:4321" }),
    (e: unknown) => e instanceof TypeError && e.message.includes("server.url"),
  );
});

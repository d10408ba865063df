import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildExecArgs,
  buildExecEnv,
  localProviderUrl,
  mcpServersConfig,
  redactArgs,
} from "./args.ts";
import type { ExecArgsInput } from "./args.ts";
import type { GatedOption, OptionGate } from "../options/gates.ts";
import { UnsupportedError } from "../errors.ts";
import { resolveLayers } from "../options/layers.ts";

const base: ExecArgsInput = { thread: {}, threadId: null };

function gate(unsupported: GatedOption[]): OptionGate {
  return {
    version: "0.1.0",
    support: (o) => (unsupported.includes(o) ? "unsupported" : "supported"),
  };
}

test("buildExecArgs puts options before the subcommand and reads the prompt from stdin", () => {
  const cases: [Partial<ExecArgsInput>, string[]][] = [
    [{}, ["exec", "--json", "-"]],
    [{ threadId: "t-1" }, ["exec", "--json", "resume", "t-1", "-"]],
    [{ resumeLast: true }, ["exec", "--json", "resume", "--last", "-"]],
    [{ threadId: "t-1", fork: true }, ["exec", "--json", "fork", "t-1", "-"]],
    [{ threadId: "t-1", images: ["a.png", "b.png"] }, [
      "exec",
      "--json",
      "resume",
      "t-1",
      "-",
      "--image",
      "a.png",
      "--image",
      "b.png",
    ]],
    [{ threadId: "t-1", fork: true, images: ["a.png"] }, [
      "exec",
      "--json",
      "fork",
      "t-1",
      "-",
      "--image",
      "a.png",
    ]],
    [{ images: ["a.png"] }, ["exec", "--json", "-", "--image", "a.png"]],
  ];
  for (const [input, expected] of cases) {
    assert.deepEqual(buildExecArgs({ ...base, ...input }).args, expected, JSON.stringify(input));
  }
});

test("buildExecArgs maps every thread option to its flag or config pair", () => {
  const { args } = buildExecArgs({
    ...base,
    config: { model_provider: "mock", features: { plugins: false } },
    configOverrides: ["raw.key=1"],
    baseUrl: "http://127.0.0.1:9/v1",
    profile: "work",
    outputSchemaFile: "/tmp/s.json",
    outputLastMessage: "/tmp/last.txt",
    thread: {
      model: "gpt-5.5",
      sandboxMode: "workspace-write",
      workingDirectory: "/w",
      additionalDirectories: ["/a", "/b"],
      skipGitRepoCheck: true,
      ephemeral: true,
      modelReasoningEffort: "high",
      networkAccessEnabled: false,
      webSearchEnabled: true,
      approvalPolicy: "never",
      threadSource: "ci",
    },
  });
  assert.deepEqual(args, [
    "exec",
    "--json",
    "--config",
    'model_provider="mock"',
    "--config",
    "features.plugins=false",
    "--config",
    "raw.key=1",
    "--config",
    'openai_base_url="http://127.0.0.1:9/v1"',
    "--profile",
    "work",
    "--model",
    "gpt-5.5",
    "--thread-source",
    "ci",
    "--sandbox",
    "workspace-write",
    "--cd",
    "/w",
    "--add-dir",
    "/a",
    "--add-dir",
    "/b",
    "--skip-git-repo-check",
    "--ephemeral",
    "--output-schema",
    "/tmp/s.json",
    "--output-last-message",
    "/tmp/last.txt",
    "--config",
    'model_reasoning_effort="high"',
    "--config",
    "sandbox_workspace_write.network_access=false",
    "--config",
    'web_search="live"',
    "--config",
    'approval_policy="never"',
    "-",
  ]);
});

test("buildExecArgs: webSearchMode wins over webSearchEnabled, and false means disabled", () => {
  const pair = (thread: ExecArgsInput["thread"]) =>
    buildExecArgs({ ...base, thread }).args.slice(2, 4);
  assert.deepEqual(pair({ webSearchMode: "cached", webSearchEnabled: true }), [
    "--config",
    'web_search="cached"',
  ]);
  assert.deepEqual(pair({ webSearchEnabled: false }), ["--config", 'web_search="disabled"']);
});

test('buildExecArgs refuses approvalPolicy "untrusted", which exec cannot honour', () => {
  assert.throws(
    () => buildExecArgs({ ...base, thread: { approvalPolicy: "untrusted" } }),
    (e: unknown) => e instanceof TypeError && e.message.includes("app-server"),
  );
});

test("buildExecArgs drops unsupported flags with a warning, or refuses them under the error policy", () => {
  const input: ExecArgsInput = {
    ...base,
    thread: { ephemeral: true, additionalDirectories: ["/a"] },
    gate: gate(["exec.ephemeral", "exec.add-dir"]),
  };
  const dropped = buildExecArgs(input);
  assert.deepEqual(dropped.args, ["exec", "--json", "-"]);
  assert.deepEqual(dropped.warnings, [
    "Dropping --add-dir: codex 0.1.0 does not support it",
    "Dropping --ephemeral: codex 0.1.0 does not support it",
  ]);
  assert.throws(
    () => buildExecArgs({ ...input, onUnsupported: "error" }),
    (e: unknown) =>
      e instanceof UnsupportedError && e.feature === "exec.add-dir" && e.version === "0.1.0",
  );
});

test("buildExecArgs never drops resume or fork: it refuses them whatever the policy", () => {
  assert.throws(
    () => buildExecArgs({ ...base, threadId: "t", gate: gate(["exec.resume"]) }),
    (e: unknown) => e instanceof UnsupportedError && e.feature === "exec.resume",
  );
  assert.throws(
    () => buildExecArgs({ ...base, threadId: "t", fork: true, gate: gate(["exec.fork"]) }),
    (e: unknown) => e instanceof UnsupportedError && e.feature === "exec.fork",
  );
});

test("buildExecEnv sets CODEX_HOME, the API key and PATH dirs without touching its base", () => {
  const baseEnv = { PATH: "/usr/bin", KEEP: "1", DROP: undefined };
  const env = buildExecEnv({
    base: baseEnv,
    codexHome: "/h",
    apiKey: "sk-test",
    pathDirs: ["/rg"],
  });
  assert.deepEqual(env, {
    PATH: "/rg:/usr/bin",
    KEEP: "1",
    CODEX_INTERNAL_ORIGINATOR_OVERRIDE: "codex_sdk_ts",
    CODEX_HOME: "/h",
    CODEX_API_KEY: "sk-test",
  });
  assert.deepEqual(baseEnv, { PATH: "/usr/bin", KEEP: "1", DROP: undefined });
});

test("buildExecEnv leaves PATH alone when it already lists the binary's dirs", () => {
  const env = buildExecEnv({ base: { PATH: "/usr/bin:/rg:/bin" }, pathDirs: ["/rg", "/x"] });
  assert.equal(env.PATH, "/x:/usr/bin:/rg:/bin");
  const same = buildExecEnv({ base: { PATH: "/rg:/bin" }, pathDirs: ["/rg"] });
  assert.equal(same.PATH, "/rg:/bin");
});

test("buildExecEnv identifies the client as the TypeScript SDK unless the caller's env says otherwise", () => {
  assert.equal(
    buildExecEnv({ base: {} }).CODEX_INTERNAL_ORIGINATOR_OVERRIDE,
    "codex_sdk_ts",
  );
  assert.equal(
    buildExecEnv({ base: { CODEX_INTERNAL_ORIGINATOR_OVERRIDE: "mine" } })
      .CODEX_INTERNAL_ORIGINATOR_OVERRIDE,
    "mine",
  );
});

test("buildExecArgs passes cyberAccessProgram and the newer reasoning efforts, gated", () => {
  const { args } = buildExecArgs({
    ...base,
    cyberAccessProgram: "daybreak_blue",
    thread: { modelReasoningEffort: "max" },
  });
  assert.deepEqual(args, [
    "exec",
    "--json",
    "--cyber-access-program",
    "daybreak_blue",
    "--config",
    'model_reasoning_effort="max"',
    "-",
  ]);
  const asked: string[] = [];
  const old: OptionGate = {
    version: "0.1.0",
    support: (o) => {
      asked.push(o);
      return o === "exec.cyber-access-program" ? "unsupported" : "supported";
    },
    supportValue: (o, value) => {
      asked.push(`${o}=${value}`);
      return value === "max" ? "unsupported" : "supported";
    },
  };
  const dropped = buildExecArgs({
    ...base,
    cyberAccessProgram: "standard",
    thread: { modelReasoningEffort: "max" },
    gate: old,
  });
  assert.deepEqual(dropped.args, ["exec", "--json", "-"]);
  assert.deepEqual(dropped.warnings, [
    "Dropping --cyber-access-program: codex 0.1.0 does not support it",
    'Dropping model_reasoning_effort "max": codex 0.1.0 does not support it',
  ]);
  assert.ok(asked.includes("exec.cyber-access-program"));
  assert.ok(asked.includes("config.model_reasoning_effort=max"));
});

test("buildExecArgs asks the gate by dotted name for every version-dependent flag", () => {
  const asked: string[] = [];
  const recording: OptionGate = {
    support: (o) => {
      asked.push(o);
      return "supported";
    },
  };
  buildExecArgs({
    ...base,
    thread: {
      threadSource: "ci",
      oss: true,
      localProvider: "ollama",
      ephemeral: true,
      remote: "ws://127.0.0.1:4500",
      remoteAuthTokenEnv: "REMOTE_TOKEN",
    },
    outputSchemaFile: "/s.json",
    images: ["a.png"],
    gate: recording,
  });
  buildExecArgs({
    ...base,
    threadId: "t",
    outputSchemaFile: "/s.json",
    images: ["a.png"],
    gate: recording,
  });
  for (
    const name of [
      "exec.thread-source",
      "exec.oss",
      "exec.local-provider",
      "exec.ephemeral",
      "exec.remote",
      "exec.remote-auth-token-env",
      "exec.output-schema",
      "exec.image",
      "exec.resume",
      "exec.resume.output-schema",
      "exec.resume.image",
    ]
  ) assert.ok(asked.includes(name), name);
});

test("buildExecArgs passes remote and the NAME of the token's variable, never a token", () => {
  const thread = { remote: "ws://127.0.0.1:4500", remoteAuthTokenEnv: "REMOTE_TOKEN" };
  assert.deepEqual(buildExecArgs({ ...base, thread }).args, [
    "exec",
    "--json",
    "--remote",
    "ws://127.0.0.1:4500",
    "--remote-auth-token-env",
    "REMOTE_TOKEN",
    "-",
  ]);
  // A codex before 0.170.0 lacks both: refused even under "drop", which would run it locally.
  const older = gate(["exec.remote", "exec.remote-auth-token-env"]);
  assert.throws(
    () => buildExecArgs({ ...base, thread, gate: older }),
    (error: unknown) =>
      error instanceof UnsupportedError &&
      error.message === "codex 0.1.0 does not support --remote",
  );
});

test("buildExecArgs maps oss and localProvider to --oss and --local-provider", () => {
  const { args } = buildExecArgs({ ...base, thread: { oss: true, localProvider: "lmstudio" } });
  assert.deepEqual(args, ["exec", "--json", "--oss", "--local-provider", "lmstudio", "-"]);
});

test('buildExecArgs lets approvalPolicy "untrusted" through only when the gate says the CLI takes it', () => {
  const says = (answer: "supported" | "unsupported"): OptionGate => ({
    support: () => "supported",
    supportValue: () => answer,
  });
  assert.deepEqual(
    buildExecArgs({ ...base, thread: { approvalPolicy: "untrusted" }, gate: says("supported") })
      .args,
    ["exec", "--json", "--config", 'approval_policy="untrusted"', "-"],
  );
  assert.throws(
    () =>
      buildExecArgs({
        ...base,
        thread: { approvalPolicy: "untrusted" },
        gate: says("unsupported"),
      }),
    (e: unknown) => e instanceof TypeError && e.message.includes('transport "app-server"'),
  );
  // A gate with no value answers cannot vouch for it.
  assert.throws(
    () =>
      buildExecArgs({
        ...base,
        thread: { approvalPolicy: "untrusted" },
        gate: { support: () => "supported" },
      }),
    TypeError,
  );
});

test("redactArgs hides config pairs that name a secret anywhere in them", () => {
  assert.deepEqual(
    redactArgs([
      "--config",
      'model="x"',
      "--config",
      'p.http_headers={Authorization="Bearer s3cret"}',
      "-c",
      "a.token=1",
    ]),
    ["--config", 'model="x"', "--config", "p.http_headers=***", "-c", "a.token=***"],
  );
});

test("buildExecArgs passes instructions as config: developer text, base through a file", () => {
  const { args } = buildExecArgs({
    ...base,
    thread: { developerInstructions: "Be brief", baseInstructions: "ignored here" },
    instructionsFile: "/tmp/x/instructions.md",
  });
  assert.deepEqual(args.slice(2, 6), [
    "--config",
    'developer_instructions="Be brief"',
    "--config",
    'model_instructions_file="/tmp/x/instructions.md"',
  ]);
});

test("mcpServersConfig names secrets by variable and never holds their values", () => {
  const { config, env } = mcpServersConfig({
    local: {
      command: "srv",
      args: ["--x"],
      cwd: "/w",
      env: { API_KEY: "s3cret" },
      enabledTools: ["a"],
      approveTools: true,
    },
    "re-mote": {
      url: "http://h/mcp",
      bearerTokenEnvVar: "TOKEN_VAR",
      headers: { "X-Key": "h3ader" },
      disabledTools: ["b"],
      required: true,
    },
  });
  assert.deepEqual(config, [
    ["mcp_servers.local.command", "srv"],
    ["mcp_servers.local.args", ["--x"]],
    ["mcp_servers.local.cwd", "/w"],
    ["mcp_servers.local.env_vars", ["API_KEY"]],
    ["mcp_servers.local.enabled_tools", ["a"]],
    ["mcp_servers.local.default_tools_approval_mode", "approve"],
    ["mcp_servers.re-mote.url", "http://h/mcp"],
    ["mcp_servers.re-mote.bearer_token_env_var", "TOKEN_VAR"],
    ["mcp_servers.re-mote.env_http_headers", { "X-Key": "CODEXKIT_MCP_RE_MOTE_HEADER_0" }],
    ["mcp_servers.re-mote.disabled_tools", ["b"]],
    ["mcp_servers.re-mote.required", true],
  ]);
  assert.deepEqual(env, { API_KEY: "s3cret", CODEXKIT_MCP_RE_MOTE_HEADER_0: "h3ader" });
  const { args } = buildExecArgs({
    ...base,
    thread: { mcpServers: { local: { command: "srv", env: { K: "v4lue" } } } },
  });
  assert.ok(!args.join(" ").includes("v4lue"));
  assert.throws(
    () =>
      mcpServersConfig({
        a: { command: "x", env: { K: "1" } },
        b: { command: "y", env: { K: "2" } },
      }),
    /Cannot use mcpServers\.b\.env\.K: another MCP server sets K to a different value/,
  );
});

test("buildExecArgs expands fullAuto and passes the bypass flag, refusing it on a CLI without it", () => {
  const full = resolveLayers({}, { fullAuto: true }, {});
  assert.deepEqual(buildExecArgs({ ...base, thread: full.thread }).args, [
    "exec",
    "--json",
    "--sandbox",
    "workspace-write",
    "--config",
    'approval_policy="on-request"',
    "-",
  ]);
  const bypass = { dangerouslyBypassApprovalsAndSandbox: "yes-i-understand" } as const;
  assert.deepEqual(buildExecArgs({ ...base, thread: bypass }).args, [
    "exec",
    "--json",
    "--dangerously-bypass-approvals-and-sandbox",
    "-",
  ]);
  // Dropping it would run the agent inside a sandbox it was not meant to have: never dropped.
  assert.throws(
    () =>
      buildExecArgs({
        ...base,
        thread: bypass,
        gate: gate(["exec.dangerously-bypass-approvals-and-sandbox"]),
        onUnsupported: "drop",
      }),
    (error) =>
      error instanceof UnsupportedError &&
      /does not support --dangerously-bypass-approvals-and-sandbox/.test(error.message),
  );
});

test("buildExecArgs passes features layered thread -> turn, and refuses one the CLI lacks", () => {
  const { thread } = resolveLayers({}, { enable: ["a", "b"], disable: ["c"] }, {
    enable: ["c"],
    disable: ["b"],
  });
  assert.deepEqual(buildExecArgs({ ...base, thread }).args, [
    "exec",
    "--json",
    "--enable",
    "a",
    "--enable",
    "c",
    "--disable",
    "b",
    "-",
  ]);
  assert.throws(
    () =>
      buildExecArgs({
        ...base,
        thread: { disable: ["typo_feature"] },
        gate: gate(["config.features.typo_feature"]),
      }),
    (error) =>
      error instanceof UnsupportedError &&
      /does not support feature typo_feature \(--disable\)/.test(error.message),
  );
});

test("buildExecArgs passes the review model, tool output limit and history setting as config", () => {
  const { thread } = resolveLayers(
    {},
    { reviewModel: "a", toolOutputTokenLimit: 100, historyPersistence: "none" },
    { reviewModel: "b" },
  );
  assert.deepEqual(buildExecArgs({ ...base, thread }).args, [
    "exec",
    "--json",
    "--config",
    'review_model="b"',
    "--config",
    "tool_output_token_limit=100",
    "--config",
    'history.persistence="none"',
    "-",
  ]);
});

test("localProviderUrl gives a root URL its /v1 and keeps a URL with a path", () => {
  assert.equal(localProviderUrl("http://127.0.0.1:11434"), "http://127.0.0.1:11434/v1");
  assert.equal(localProviderUrl("http://127.0.0.1:11434/"), "http://127.0.0.1:11434/v1");
  assert.equal(localProviderUrl("http://host:1234/v1/"), "http://host:1234/v1");
  assert.equal(localProviderUrl("https://h/ollama/v1"), "https://h/ollama/v1");
});

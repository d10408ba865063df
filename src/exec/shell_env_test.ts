import { test } from "node:test";
import assert from "node:assert/strict";
import { SHELL_ENV_EXCLUDED, shellEnvPolicyArgs } from "./shell_env.ts";

test("shellEnvPolicyArgs excludes codex's credentials from the agent's commands by default", () => {
  assert.deepEqual(SHELL_ENV_EXCLUDED, ["CODEX_API_KEY", "OPENAI_API_KEY"]);
  assert.deepEqual(shellEnvPolicyArgs(undefined), [
    "--config",
    'shell_environment_policy.exclude=["CODEX_API_KEY", "OPENAI_API_KEY"]',
  ]);
  assert.equal(shellEnvPolicyArgs({ model: "gpt-5.5" }, ["analytics.enabled=false"]).length, 2);
});

test("shellEnvPolicyArgs adds nothing when the caller chose a policy, in any spelling", () => {
  const chosen: [Record<string, unknown> | undefined, string[]][] = [
    [{ shell_environment_policy: { inherit: "all" } }, []],
    [{ "shell_environment_policy.exclude": ["X"] }, []],
    [undefined, ['shell_environment_policy.include_only=["PATH"]']],
    [undefined, [' shell_environment_policy.inherit="core"']],
  ];
  for (const [config, overrides] of chosen) {
    assert.deepEqual(
      shellEnvPolicyArgs(config as never, overrides),
      [],
      JSON.stringify([config, overrides]),
    );
  }
});

test("shellEnvPolicyArgs keeps the run's own variables from the agent, joining a policy in config", () => {
  assert.deepEqual(shellEnvPolicyArgs(undefined, [], ["CODEXKIT_TOOLS_TOKEN"]), [
    "--config",
    'shell_environment_policy.exclude=["CODEX_API_KEY", "OPENAI_API_KEY", "CODEXKIT_TOOLS_TOKEN"]',
  ]);
  assert.deepEqual(
    shellEnvPolicyArgs({ shell_environment_policy: { exclude: ["MINE"] } }, [], ["T"]),
    ["--config", 'shell_environment_policy.exclude=["MINE", "T"]'],
  );
  assert.deepEqual(
    shellEnvPolicyArgs({ "shell_environment_policy.inherit": "core" }, [], ["T"]),
    ["--config", 'shell_environment_policy.exclude=["T"]'],
  );
});

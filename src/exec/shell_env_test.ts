import { test } from "node:test";
import assert from "node:assert/strict";
import { SHELL_ENV_EXCLUDED, withShellEnvExclusion } from "./shell_env.ts";

const KEYS = ["CODEX_API_KEY", "OPENAI_API_KEY"];

test("withShellEnvExclusion excludes codex's credentials from the agent's commands by default", () => {
  assert.deepEqual(SHELL_ENV_EXCLUDED, KEYS);
  assert.deepEqual(withShellEnvExclusion(undefined), { "shell_environment_policy.exclude": KEYS });
  assert.deepEqual(
    withShellEnvExclusion({ features: { plugins: false } }, ["analytics.enabled=false"]),
    { "features.plugins": false, "shell_environment_policy.exclude": KEYS },
  );
});

test("withShellEnvExclusion adds the credentials to the list the home's files set", () => {
  assert.deepEqual(withShellEnvExclusion({ model: "gpt-5.5" }, [], ["MY_SECRET_VAR"]), {
    model: "gpt-5.5",
    "shell_environment_policy.exclude": ["MY_SECRET_VAR", ...KEYS],
  });
  // A name already listed is not repeated.
  assert.deepEqual(withShellEnvExclusion(undefined, [], ["OPENAI_API_KEY", "*TOKEN*"]), {
    "shell_environment_policy.exclude": ["OPENAI_API_KEY", "*TOKEN*", "CODEX_API_KEY"],
  });
});

test("withShellEnvExclusion adds the credentials to the caller's own exclude, in any spelling", () => {
  for (
    const config of [
      { shell_environment_policy: { exclude: ["MINE"] } },
      { "shell_environment_policy.exclude": ["MINE"] },
    ]
  ) {
    // The caller's list is the one in force: it replaces the files' list, as a --config does.
    assert.deepEqual(withShellEnvExclusion(config, [], ["FROM_FILE"]), {
      "shell_environment_policy.exclude": ["MINE", ...KEYS],
    });
  }
});

test("withShellEnvExclusion leaves a policy the caller chose alone", () => {
  const chosen: [Record<string, unknown> | undefined, string[]][] = [
    [{ shell_environment_policy: { inherit: "all" } }, []],
    [{ shell_environment_policy: { exclude: ["X"], inherit: "core" } }, []],
    [{ "shell_environment_policy.exclude": "X" }, []],
    [undefined, ['shell_environment_policy.include_only=["PATH"]']],
    [undefined, [' shell_environment_policy.exclude=["X"]']],
  ];
  for (const [config, overrides] of chosen) {
    assert.equal(
      withShellEnvExclusion(config as never, overrides, ["FROM_FILE"]),
      config,
      JSON.stringify([config, overrides]),
    );
  }
});

test("withShellEnvExclusion keeps the run's own variables from the agent, joining a policy in config", () => {
  const EXCLUDE = "shell_environment_policy.exclude";
  assert.deepEqual(withShellEnvExclusion(undefined, [], [], ["CODEXKIT_TOOLS_TOKEN"]), {
    [EXCLUDE]: [...KEYS, "CODEXKIT_TOOLS_TOKEN"],
  });
  assert.deepEqual(
    withShellEnvExclusion({ shell_environment_policy: { exclude: ["MINE"] } }, [], [], ["T"]),
    { [EXCLUDE]: ["MINE", ...KEYS, "T"] },
  );
  // A policy of the caller's own stays theirs: only the run's variables join it.
  assert.deepEqual(
    withShellEnvExclusion({ "shell_environment_policy.inherit": "core" }, [], [], ["T"]),
    { "shell_environment_policy.inherit": "core", [EXCLUDE]: ["T"] },
  );
  assert.deepEqual(
    withShellEnvExclusion({ "shell_environment_policy.inherit": "core" }),
    { "shell_environment_policy.inherit": "core" },
  );
});

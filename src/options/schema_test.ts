import { test } from "node:test";
import assert from "node:assert/strict";
import {
  APP_SERVER_ONLY_THREAD,
  checkApprovalOptions,
  checkServerRequestOptions,
  EXEC_ONLY_THREAD,
  EXEC_ONLY_TURN,
  TURN_OVERRIDES,
} from "./schema.ts";
import { checkCommandOptions } from "../commands/_prepare.ts";
import { checkRunOptions } from "../commands/run_command.ts";
import type { RunCommandOptions } from "../commands/run_command.ts";
import { threadSettings } from "../app_server/lane.ts";

const sorted = (keys: readonly string[]): string[] => [...keys].sort();

test("the transport-only lists and the turn overrides are read from the tables", () => {
  assert.deepEqual(sorted(APP_SERVER_ONLY_THREAD), [
    "approvalTimeoutMs",
    "approvalsReviewer",
    "defaultApprovalDecision",
    "dynamicTools",
    "onApproval",
    "onAttestation",
    "onElicitation",
    "onTokenRefresh",
    "onToolCall",
    "onUserInput",
    "serverRequestTimeoutMs",
  ]);
  assert.deepEqual(sorted(EXEC_ONLY_THREAD), [
    "env",
    "localProvider",
    "oss",
    "ossBaseUrl",
    "remote",
    "remoteAuthTokenEnv",
  ]);
  assert.deepEqual(sorted(EXEC_ONLY_TURN), [
    "config",
    "cyberAccessProgram",
    "disable",
    "enable",
    "env",
    "mcpServers",
    "outputLastMessage",
    "reviewModel",
    "toolOutputTokenLimit",
    "tools",
    "webSearchMode",
  ]);
  assert.deepEqual(sorted(TURN_OVERRIDES), [
    "mcpServers",
    "model",
    "modelReasoningEffort",
    "reviewModel",
    "sandboxMode",
    "toolOutputTokenLimit",
    "tools",
    "webSearchMode",
  ]);
});

// [what, check, the message]
const DOORS: [string, () => void, string][] = [
  [
    "a command's option",
    () => checkCommandOptions({ codexHome: "" }),
    'Cannot use options.codexHome: expected a non-empty string, got ""',
  ],
  [
    "a command's feature list",
    () => checkCommandOptions({ disable: ["plugins", "no spaces"] }),
    'Cannot use options.disable[1]: expected a feature name, got "no spaces"',
  ],
  [
    "a run's own option",
    () => checkRunOptions({ maxOutputBytes: 0 }),
    "Cannot use options.maxOutputBytes: expected a positive integer number of bytes, got 0",
  ],
  [
    "a command's options that are no object",
    () => checkCommandOptions(null as unknown as RunCommandOptions),
    "Cannot use options: expected an object, got null",
  ],
  [
    "a lane's approval settings",
    () => checkApprovalOptions({ approvalTimeoutMs: -1 }),
    "Cannot use approvals.approvalTimeoutMs: expected a positive number of milliseconds, got -1",
  ],
  [
    "a lane's static approval policy",
    () => checkApprovalOptions({ onApproval: "yes" }),
    'Cannot use approvals.onApproval: expected a function or one of accept, acceptForSession, decline, cancel, got "yes"',
  ],
  [
    "a lane's server-request hook",
    () => checkServerRequestOptions({ onToolCall: 1 }),
    "Cannot use serverRequests.onToolCall: expected a function, got 1",
  ],
];

for (const [what, run, message] of DOORS) {
  test(`every door words a bad option one way: ${what}`, () => {
    assert.throws(run, (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.equal(error.message, message);
      return true;
    });
  });
}

test("a command's own options are left to the command", () => {
  checkCommandOptions({ limit: 5 } as RunCommandOptions);
  checkRunOptions({ stdin: "x", check: true, attempt: 2 } as RunCommandOptions);
});

test("threadSettings resolves a thread through the layers as the exec lane does", () => {
  assert.deepEqual(
    threadSettings({
      model: "m",
      webSearchEnabled: true,
      config: { features: { a: true }, "features.b": false },
      modelReasoningEffort: "high",
    }),
    {
      model: "m",
      config: {
        "features.a": true,
        "features.b": false,
        web_search: "live",
        model_reasoning_effort: "high",
      },
    },
  );
});

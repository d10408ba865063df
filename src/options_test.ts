import { test } from "node:test";
import assert from "node:assert/strict";
import {
  APPROVAL_MODES,
  APPROVALS_REVIEWERS,
  CYBER_ACCESS_PROGRAMS,
  LOCAL_PROVIDERS,
  REASONING_EFFORTS,
  REASONING_SUMMARIES,
  RUNTIME_NAMES,
  SANDBOX_MODES,
  TRANSPORTS,
  WEB_SEARCH_MODES,
} from "./options.ts";
import { checkCodexOptions, checkThreadOptions, checkTurnOptions } from "./options/schema.ts";

/** Each allowed-value list, with the option it backs and a check that takes one value. */
const LISTS: {
  name: string;
  option: string;
  values: readonly string[];
  check: (value: unknown) => void;
}[] = [
  {
    name: "APPROVAL_MODES",
    option: "approvalPolicy",
    values: APPROVAL_MODES,
    check: (v) => checkThreadOptions({ approvalPolicy: v }),
  },
  {
    name: "SANDBOX_MODES",
    option: "sandboxMode",
    values: SANDBOX_MODES,
    check: (v) => checkThreadOptions({ sandboxMode: v }),
  },
  {
    name: "REASONING_EFFORTS",
    option: "modelReasoningEffort",
    values: REASONING_EFFORTS,
    check: (v) => checkThreadOptions({ modelReasoningEffort: v }),
  },
  {
    name: "CYBER_ACCESS_PROGRAMS",
    option: "cyberAccessProgram",
    values: CYBER_ACCESS_PROGRAMS,
    check: (v) => checkTurnOptions({ cyberAccessProgram: v }),
  },
  {
    name: "LOCAL_PROVIDERS",
    option: "localProvider",
    values: LOCAL_PROVIDERS,
    check: (v) => checkThreadOptions({ localProvider: v }),
  },
  {
    name: "WEB_SEARCH_MODES",
    option: "webSearchMode",
    values: WEB_SEARCH_MODES,
    check: (v) => checkThreadOptions({ webSearchMode: v }),
  },
  {
    name: "RUNTIME_NAMES",
    option: "runtime",
    values: RUNTIME_NAMES,
    check: (v) => checkCodexOptions({ runtime: v }),
  },
  {
    name: "REASONING_SUMMARIES",
    option: "reasoningSummary",
    values: REASONING_SUMMARIES,
    check: (v) => checkThreadOptions({ reasoningSummary: v }),
  },
  {
    name: "APPROVALS_REVIEWERS",
    option: "approvalsReviewer",
    values: APPROVALS_REVIEWERS,
    check: (v) => checkThreadOptions({ transport: "app-server", approvalsReviewer: v }),
  },
  {
    name: "TRANSPORTS",
    option: "transport",
    values: TRANSPORTS,
    check: (v) => checkThreadOptions({ transport: v }),
  },
];

test("the allowed-value lists hold the values the CLI accepts, in the documented order", () => {
  assert.deepEqual(APPROVAL_MODES, ["never", "on-request", "on-failure", "untrusted"]);
  assert.deepEqual(SANDBOX_MODES, ["read-only", "workspace-write", "danger-full-access"]);
  assert.deepEqual(REASONING_EFFORTS, [
    "minimal",
    "low",
    "medium",
    "high",
    "xhigh",
    "max",
    "ultra",
    "persistent",
  ]);
  assert.deepEqual(CYBER_ACCESS_PROGRAMS, ["standard", "daybreak_blue", "daybreak_red"]);
  assert.deepEqual(LOCAL_PROVIDERS, ["ollama", "lmstudio"]);
  assert.deepEqual(WEB_SEARCH_MODES, ["disabled", "cached", "live"]);
  assert.deepEqual(RUNTIME_NAMES, ["deno", "bun", "node"]);
  assert.deepEqual(REASONING_SUMMARIES, ["auto", "concise", "detailed", "none"]);
  assert.deepEqual(APPROVALS_REVIEWERS, ["user", "auto_review"]);
  assert.deepEqual(TRANSPORTS, ["exec", "app-server"]);
});

test("no allowed-value list repeats a value or holds an empty one", () => {
  for (const { name, values } of LISTS) {
    assert.equal(new Set(values).size, values.length, `${name} repeats a value`);
    assert.ok(values.every((v) => typeof v === "string" && v.trim() === v && v !== ""), name);
  }
});

test("every value of every list passes the check of the option it backs", () => {
  for (const { name, values, check } of LISTS) {
    for (const value of values) {
      assert.doesNotThrow(() => check(value), `${name}: ${value}`);
    }
  }
});

test("a value outside a list is a TypeError naming the option, the value and the whole list", () => {
  for (const { option, values, check } of LISTS) {
    assert.throws(() => check("not-a-value"), (e: unknown) => {
      assert.ok(e instanceof TypeError);
      assert.equal(
        e.message,
        `Cannot use ${option}: expected one of ${values.join(", ")}, got "not-a-value"`,
      );
      return true;
    });
  }
});

test("the lists are case-sensitive: an upper-cased value is refused", () => {
  for (const { option, values, check } of LISTS) {
    assert.throws(() => check(values[0].toUpperCase()), new RegExp(`Cannot use ${option}`));
  }
});

test("on-failure is an approval mode of exec only: the app-server transport refuses it", () => {
  assert.ok(APPROVAL_MODES.includes("on-failure"));
  checkThreadOptions({ approvalPolicy: "on-failure" });
  assert.throws(
    () => checkThreadOptions({ transport: "app-server", approvalPolicy: "on-failure" }),
    /Cannot use approvalPolicy "on-failure" with transport "app-server"/,
  );
});

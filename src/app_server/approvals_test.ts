import { test } from "node:test";
import assert from "node:assert/strict";
import {
  approvalResult,
  checkApprovalOptions,
  decideApproval,
  isAllowedDecision,
  toApprovalRequest,
} from "./approvals.ts";

const command = toApprovalRequest("item/commandExecution/requestApproval", {
  threadId: "th",
  turnId: "tu",
  itemId: "call_1",
  command: "rm -rf x",
  proposedExecpolicyAmendment: ["rm"],
}, 0)!;
const patch = toApprovalRequest("item/fileChange/requestApproval", {
  threadId: "th",
  turnId: "tu",
  itemId: "p",
}, 1)!;

test("decideApproval uses the default and says why when the callback is missing, throws or stalls", async () => {
  assert.deepEqual(await decideApproval(command, {}), {
    decision: "decline",
    source: "default",
    reason: "no_callback",
  });
  assert.deepEqual(await decideApproval(command, { onApproval: "accept" }), {
    decision: "accept",
    source: "policy",
  });
  const threw = await decideApproval(command, {
    onApproval: () => {
      throw new Error("x");
    },
    defaultApprovalDecision: "cancel",
  });
  assert.deepEqual(threw, {
    decision: "cancel",
    source: "default",
    reason: "callback_threw",
    message: "x",
  });
  const slow = await decideApproval(command, {
    onApproval: () => new Promise(() => {}),
    approvalTimeoutMs: 10,
  });
  assert.equal(slow.reason, "timeout");
  const ended = new AbortController();
  ended.abort();
  assert.equal(
    (await decideApproval(command, { onApproval: () => new Promise(() => {}) }, ended.signal))
      .reason,
    "turn_ended",
  );
  const invalid = await decideApproval(patch, {
    onApproval: () => "acceptWithExecpolicyAmendment",
  });
  assert.equal(invalid.reason, "invalid_decision");
});

test("approvalResult spells decisions as the wire wants them", () => {
  assert.deepEqual(approvalResult(command, "acceptWithExecpolicyAmendment"), {
    decision: { acceptWithExecpolicyAmendment: { execpolicy_amendment: ["rm"] } },
  });
  assert.deepEqual(approvalResult(patch, "cancel"), { decision: "cancel" });
  const perms = toApprovalRequest("item/permissions/requestApproval", {
    threadId: "a",
    permissions: { network: {} },
  }, 2)!;
  assert.deepEqual(approvalResult(perms, "acceptForSession"), {
    permissions: { network: {} },
    scope: "session",
  });
  assert.deepEqual(approvalResult(perms, "decline"), { permissions: {}, scope: "turn" });
  assert.equal(
    isAllowedDecision(patch, { acceptWithExecpolicyAmendment: { execpolicy_amendment: [] } }),
    false,
  );
  assert.equal(toApprovalRequest("item/tool/call", {}, 3), undefined);
});

test("checkApprovalOptions names the bad option", () => {
  assert.throws(() => checkApprovalOptions({ onApproval: "yes" as "accept" }), /onApproval/);
  assert.throws(() => checkApprovalOptions({ approvalTimeoutMs: -1 }), /approvalTimeoutMs/);
  assert.throws(
    () => checkApprovalOptions({ defaultApprovalDecision: "maybe" as "accept" }),
    /defaultApprovalDecision/,
  );
});

test("decideApproval with approvalTimeoutMs 2**31 waits for the callback instead of accepting", async () => {
  // setTimeout overflows above 2**31-1 ms and would fire at once, auto-accepting the command.
  const outcome = await decideApproval(command, {
    onApproval: () => new Promise((resolve) => setTimeout(() => resolve("decline"), 50)),
    approvalTimeoutMs: 2 ** 31,
    defaultApprovalDecision: "accept",
  });
  assert.deepEqual(outcome, { decision: "decline", source: "callback" });
});

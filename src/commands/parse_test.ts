import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFeaturesList } from "./features.ts";
import { gateName, globalArgs, parseHelpUsage } from "./_prepare.ts";
import { commandWords } from "./run_command.ts";
import { mcpAddArgs } from "./mcp.ts";
import { execpolicyCheckArgs, parseExecPolicyOutput } from "./execpolicy.ts";
import { sandboxArgs } from "./sandbox.ts";
import { reviewArgs } from "./review.ts";
import { parseCloudList } from "./cloud.ts";
import { responsesApiProxyArgs } from "./responses_api_proxy.ts";
import { generateArgs } from "./app_server.ts";
import { mcpLoginArgs } from "./mcp.ts";

test("parseFeaturesList reads multi-word stages and rejects a row it cannot read", () => {
  assert.deepEqual(
    parseFeaturesList("apps   under development  false\nshell_tool  stable  true\n"),
    [
      { name: "apps", stage: "under development", enabled: false },
      { name: "shell_tool", stage: "stable", enabled: true },
    ],
  );
  assert.throws(() => parseFeaturesList("garbage\n"), /Cannot parse the feature list/);
});

test("parseHelpUsage tells a subcommand's page from the root page", () => {
  assert.equal(parseHelpUsage("Usage: codex mcp [OPTIONS] <COMMAND>\n", ["mcp"]), true);
  assert.equal(parseHelpUsage("Usage: codex [OPTIONS] [PROMPT]\n", ["mcpx"]), false);
  assert.equal(
    parseHelpUsage("Usage: codex-x86 exec review [OPTIONS]\n", ["exec", "review"]),
    true,
  );
});

test("gateName follows the contract: command.<sub>, exec.<sub>", () => {
  assert.equal(gateName(["mcp"]), "command.mcp");
  assert.equal(gateName(["exec", "review"]), "exec.review");
  assert.deepEqual(globalArgs({ disable: ["plugins"], enable: ["x"] }), [
    "--enable",
    "x",
    "--disable",
    "plugins",
  ]);
  assert.equal(
    commandWords(["/bin/codex", "-c", "a=1", "--disable", "p", "mcp", "list"]),
    "mcp list",
  );
});

test("mcpAddArgs puts a stdio command after -- and checks its input", () => {
  assert.deepEqual(mcpAddArgs("s", { command: "node", args: ["-x"], env: { K: "v" } }), [
    "mcp",
    "add",
    "s",
    "--env",
    "K=v",
    "--",
    "node",
    "-x",
  ]);
  assert.deepEqual(mcpAddArgs("w", { url: "https://h/mcp", bearerTokenEnvVar: "T" }), [
    "mcp",
    "add",
    "w",
    "--url",
    "https://h/mcp",
    "--bearer-token-env-var",
    "T",
  ]);
  assert.throws(() => mcpAddArgs("bad name", { command: "x" }), /name must be/);
  assert.throws(() => mcpAddArgs("w", { url: "ftp://h" }), /server\.url/);
  assert.throws(() => mcpAddArgs("w", {} as { command: string }), /server\.command/);
});

test("execpolicy, sandbox, review and proxy argv builders", () => {
  assert.deepEqual(execpolicyCheckArgs(["a.rules", "b.rules"], ["rm", "-rf"]), [
    "execpolicy",
    "check",
    "--rules",
    "a.rules",
    "--rules",
    "b.rules",
    "--",
    "rm",
    "-rf",
  ]);
  assert.deepEqual(parseExecPolicyOutput({ matchedRules: [] }), {
    decision: null,
    matchedRules: [],
  });
  assert.deepEqual(sandboxArgs(["ls"], { cd: "/w" }), ["sandbox", "--cd", "/w", "--", "ls"]);
  assert.throws(() => sandboxArgs([]), /non-empty array/);
  assert.deepEqual(reviewArgs({ base: "main", title: "T", skipGitRepoCheck: true }), [
    "exec",
    "--json",
    "review",
    "--base",
    "main",
    "--title",
    "T",
    "--skip-git-repo-check",
  ]);
  assert.deepEqual(reviewArgs({ instructions: "look" }), ["exec", "--json", "review", "-"]);
  assert.throws(() => reviewArgs({ base: "a", commit: "b" }), /at most one/);
  assert.throws(() => reviewArgs({ uncommitted: true, instructions: "x" }), /instructions/);
  assert.deepEqual(responsesApiProxyArgs("/i.json", { port: 0, httpShutdown: true }), [
    "responses-api-proxy",
    "--server-info",
    "/i.json",
    "--port",
    "0",
    "--http-shutdown",
  ]);
  assert.throws(() => responsesApiProxyArgs("/i", { upstreamUrl: "x" }), /upstreamUrl/);
});

test("parseCloudList takes a page or a bare array and needs task ids", () => {
  assert.deepEqual(parseCloudList([{ id: "t" }]), { tasks: [{ id: "t" }], cursor: null });
  assert.throws(() => parseCloudList({ tasks: [{}] }), /no string id/);
});

test("Every remaining option maps to its flag", () => {
  assert.deepEqual(generateArgs("generate-ts", "/o", { experimental: true, prettier: "/p" }), [
    "app-server",
    "generate-ts",
    "--out",
    "/o",
    "--experimental",
    "--prettier",
    "/p",
  ]);
  assert.throws(() => generateArgs("generate-json-schema", "/o", { prettier: "/p" }), /prettier/);
  assert.deepEqual(execpolicyCheckArgs("r", ["ls"], { resolveHostExecutables: true }), [
    "execpolicy",
    "check",
    "--rules",
    "r",
    "--resolve-host-executables",
    "--",
    "ls",
  ]);
  assert.deepEqual(sandboxArgs(["ls"], { permissionProfile: "p", profile: "q" }), [
    "sandbox",
    "--permission-profile",
    "p",
    "--profile",
    "q",
    "--",
    "ls",
  ]);
  assert.deepEqual(reviewArgs({ commit: "abc", model: "m", ephemeral: true, uncommitted: false }), [
    "exec",
    "--json",
    "review",
    "--commit",
    "abc",
    "--model",
    "m",
    "--ephemeral",
  ]);
  assert.deepEqual(reviewArgs({ uncommitted: true }), [
    "exec",
    "--json",
    "review",
    "--uncommitted",
  ]);
  assert.throws(() => mcpLoginArgs("w", { scopes: ["a,b"] }), /scopes/);
  assert.throws(
    () => mcpLoginArgs("w", { clientRegistration: "x" as "auto" }),
    /clientRegistration/,
  );
  assert.deepEqual(
    mcpAddArgs("w", { url: "http://h", oauthClientId: "id", oauthResource: "r" }).slice(5),
    ["--oauth-client-id", "id", "--oauth-resource", "r"],
  );
});

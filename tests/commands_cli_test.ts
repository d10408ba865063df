/**
 * `@codexkit/sdk/commands` against the real codex binary, offline: a fresh CODEX_HOME per
 * test, plugins and analytics off, nothing past loopback.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { Socket } from "node:net";
import { join } from "node:path";
import process from "node:process";
import {
  completion,
  execpolicyCheck,
  featuresDisable,
  featuresEnable,
  featuresList,
  generateAppServerJsonSchema,
  generateAppServerTs,
  loginStatus,
  mcpAdd,
  mcpGet,
  mcpList,
  mcpLogin,
  mcpLogout,
  mcpRemove,
  review,
  reviewStreamed,
  runCodexCommand,
  sandboxRun,
  startResponsesApiProxy,
  stdioToUds,
} from "../src/commands/mod.ts";
import type { RunCommandOptions } from "../src/commands/mod.ts";
import { ExitError, UnsupportedError } from "../src/errors.ts";
import { loginWithApiKey } from "../src/home/auth.ts";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { NATIVE_CODEX, NATIVE_CODEX_PATH_DIR, tempDir, testCodexSupports } from "./_codex.ts";
import type { TempDir } from "./_codex.ts";

interface Scratch extends AsyncDisposable {
  dir: string;
  home: string;
  /** Options for every command: the binary, the home, plugins and analytics off. */
  options: RunCommandOptions;
}

async function scratch(extraEnv: Record<string, string> = {}): Promise<Scratch> {
  const dir: TempDir = await tempDir("codexkit-cmd-");
  const home = join(dir.path, "home");
  const tmp = join(dir.path, "tmp");
  await mkdir(home);
  await mkdir(tmp);
  return {
    dir: dir.path,
    home,
    options: {
      codexPathOverride: NATIVE_CODEX,
      codexHome: home,
      env: {
        PATH: `${NATIVE_CODEX_PATH_DIR}:${process.env.PATH ?? "/usr/bin:/bin"}`,
        HOME: dir.path,
        TMPDIR: tmp,
        ...extraEnv,
      },
      disable: ["plugins"],
      config: { analytics: { enabled: false } },
    },
    [Symbol.asyncDispose]: () => dir[Symbol.asyncDispose](),
  };
}

test("runCodexCommand runs any subcommand and reports exit code, output and duration", async () => {
  await using s = await scratch();
  const result = await runCodexCommand(["features", "list"], s.options);
  assert.equal(result.exitCode, 0);
  assert.match(result.stdout, /^unified_exec\s+\S.*\s+(true|false)$/m);
  assert.ok(result.durationMs >= 0);
  assert.deepEqual(result.command.slice(0, 3), [
    NATIVE_CODEX,
    "--config",
    "analytics.enabled=false",
  ]);
  assert.ok(result.command.includes("--disable"));
});

test("runCodexCommand with check rejects a non-zero exit with ExitError and the stderr tail", async () => {
  await using s = await scratch();
  const quiet = await runCodexCommand(["features", "enable", "no_such_flag_x"], s.options);
  assert.equal(quiet.exitCode, 1);
  await assert.rejects(
    runCodexCommand(["features", "enable", "no_such_flag_x"], { ...s.options, check: true }),
    (e: unknown) =>
      e instanceof ExitError && e.exitCode === 1 && /Unknown feature flag/.test(e.message),
  );
});

test("An unknown subcommand is an UnsupportedError before it runs (codex would take it as a prompt)", async () => {
  await using s = await scratch();
  await assert.rejects(
    runCodexCommand(["no-such-subcommand"], s.options),
    (e: unknown) => e instanceof UnsupportedError && e.feature === "command.no-such-subcommand",
  );
});

test("featuresList parses every row; enable and disable write config.toml", async () => {
  await using s = await scratch();
  const before = await featuresList(s.options);
  assert.ok(before.length > 20);
  assert.ok(before.every((f) => typeof f.enabled === "boolean" && f.stage.length > 0));
  assert.ok(before.some((f) => f.stage === "under development"));
  const flag = before.find((f) => f.stage === "experimental" && !f.enabled);
  assert.ok(flag, "an experimental flag that is off by default");
  const state = async () => (await featuresList(s.options)).find((f) => f.name === flag.name);
  const change = await featuresEnable(flag.name, s.options);
  assert.equal(change.enabled, true);
  const toml = () => readFile(join(s.home, "config.toml"), "utf8");
  assert.match(await toml(), new RegExp(`${flag.name} = true`));
  assert.equal((await state())?.enabled, true);
  await featuresDisable(flag.name, s.options);
  // Back at its default, the key leaves config.toml (0.169.0).
  assert.doesNotMatch(await toml(), new RegExp(`${flag.name} = true`));
  assert.equal((await state())?.enabled, false);
  await assert.rejects(featuresEnable("no_such_flag_x", s.options), ExitError);
  await assert.rejects(featuresEnable("bad name", s.options), TypeError);
});

test("mcp add, list, get and remove round-trip through config.toml", async () => {
  await using s = await scratch();
  await mcpAdd(
    "files",
    { command: "node", args: ["server.js", "--flag"], env: { A: "1" } },
    s.options,
  );
  await mcpAdd("web", { url: "http://127.0.0.1:9/mcp", bearerTokenEnvVar: "TOKEN_VAR" }, s.options);
  const toml = await readFile(join(s.home, "config.toml"), "utf8");
  assert.match(toml, /\[mcp_servers\.files\]\ncommand = "node"\nargs = \["server\.js", "--flag"\]/);
  assert.match(toml, /bearer_token_env_var = "TOKEN_VAR"/);
  const list = await mcpList(s.options);
  assert.deepEqual(list.map((e) => e.name), ["files", "web"]);
  assert.equal(list[0].transport.type, "stdio");
  assert.deepEqual((list[0].transport as { args: string[] }).args, ["server.js", "--flag"]);
  assert.equal(list[1].transport.type, "streamable_http");
  const web = await mcpGet("web", s.options);
  assert.equal((web?.transport as { url: string }).url, "http://127.0.0.1:9/mcp");
  assert.equal(await mcpGet("nope", s.options), undefined);
  assert.equal(await mcpRemove("web", s.options), true);
  assert.equal(await mcpRemove("web", s.options), false);
  assert.deepEqual((await mcpList(s.options)).map((e) => e.name), ["files"]);
});

test("mcp login and logout refuse a stdio server without touching the network", async () => {
  await using s = await scratch();
  await mcpAdd("files", { command: "node" }, s.options);
  await assert.rejects(
    mcpLogin("files", { ...s.options, noBrowser: true }),
    (e: unknown) => e instanceof ExitError && /streamable.HTTP/i.test(e.message),
  );
  await assert.rejects(
    mcpLogout("files", s.options),
    (e: unknown) => e instanceof ExitError && /streamable.HTTP/i.test(e.message),
  );
});

test("execpolicyCheck reports allow, prompt, forbidden and no match with the matched rules", async () => {
  await using s = await scratch();
  const rules = join(s.dir, "policy.rules");
  await writeFile(
    rules,
    [
      'prefix_rule(pattern=["git", "status"], decision="allow")',
      'prefix_rule(pattern=["git", "push"], decision="prompt", justification="changes the remote")',
      'prefix_rule(pattern=["rm", "-rf"], decision="forbidden")',
      "",
    ].join("\n"),
  );
  const allow = await execpolicyCheck(rules, ["git", "status"], s.options);
  assert.equal(allow.decision, "allow");
  assert.deepEqual(allow.matchedRules, [
    { prefixRuleMatch: { matchedPrefix: ["git", "status"], decision: "allow" } },
  ]);
  const prompt = await execpolicyCheck(rules, ["git", "push", "origin"], s.options);
  assert.equal(prompt.decision, "prompt");
  assert.equal(
    (prompt.matchedRules[0] as { prefixRuleMatch: { justification: string } }).prefixRuleMatch
      .justification,
    "changes the remote",
  );
  const forbidden = await execpolicyCheck([rules], ["rm", "-rf", "/"], s.options);
  assert.equal(forbidden.decision, "forbidden");
  const none = await execpolicyCheck(rules, ["ls", "-la"], s.options);
  assert.deepEqual(none, { decision: null, matchedRules: [] });
  await assert.rejects(execpolicyCheck(join(s.dir, "missing.rules"), ["ls"], s.options), ExitError);
});

test("sandboxRun runs a command in the Linux sandbox: reads work, writes outside are refused", async () => {
  await using s = await scratch();
  const ok = await sandboxRun(["sh", "-c", "echo inside"], s.options);
  assert.equal(ok.exitCode, 0);
  assert.equal(ok.stdout, "inside\n");
  const target = join(s.dir, "written.txt");
  const denied = await sandboxRun(["sh", "-c", `echo x > ${target}`], s.options);
  assert.notEqual(denied.exitCode, 0);
  assert.equal(existsSync(target), false);
  const code = await sandboxRun(["sh", "-c", "exit 3"], s.options);
  assert.equal(code.exitCode, 3);
});

test("completion returns the script for each shell", async () => {
  await using s = await scratch();
  assert.match(await completion("zsh", s.options), /^#compdef codex/);
  assert.match(await completion("bash", s.options), /complete .*codex/);
  assert.match(await completion("fish", s.options), /complete -c codex/);
  await assert.rejects(completion("tcsh" as "bash", s.options), TypeError);
});

test("generateAppServerTs and generateAppServerJsonSchema write the protocol to a directory", async () => {
  await using s = await scratch();
  const ts = await generateAppServerTs(join(s.dir, "ts"), s.options);
  assert.ok(ts.files.some((f) => f.endsWith(".ts")));
  assert.ok(ts.files.every((f) => existsSync(join(s.dir, "ts", f))));
  const schema = await generateAppServerJsonSchema(join(s.dir, "schema"), s.options);
  assert.ok(schema.files.some((f) => f.endsWith(".json")));
  const text = await readFile(join(s.dir, "schema", schema.files[0]), "utf8");
  assert.doesNotThrow(() => JSON.parse(text));
});

test("loginStatus reads the home through the home helpers, key masked", async () => {
  await using s = await scratch();
  assert.equal((await loginStatus(s.options)).kind, "logged_out");
  const key = "sk-test-commands-1234567890";
  await loginWithApiKey(s.home, key, {
    codexPathOverride: NATIVE_CODEX,
    env: s.options.env,
    disable: ["plugins"],
    config: { analytics: { enabled: false } },
  });
  const status = await loginStatus(s.options);
  assert.equal(status.kind, "api_key");
  assert.ok(!JSON.stringify(status).includes(key));
});

test("startResponsesApiProxy listens on 127.0.0.1, forwards to the upstream with the key, and stops", async () => {
  await using server = await startFakeResponsesServer([reply.message("through the proxy")]);
  await using s = await scratch();
  const key = "sk-proxy-secret-0987654321";
  const proxy = await startResponsesApiProxy({
    ...s.options,
    key,
    upstreamUrl: `${server.url}/responses`,
  });
  try {
    assert.ok(proxy.port > 0 && proxy.pid > 0);
    const cmdline = await readFile(`/proc/${proxy.pid}/cmdline`, "utf8");
    const environ = await readFile(`/proc/${proxy.pid}/environ`, "utf8");
    assert.ok(!cmdline.includes(key) && !environ.includes(key));
    const response = await fetch(`${proxy.url}/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-5.5", stream: true, input: [] }),
    });
    const body = await response.text();
    assert.equal(response.status, 200);
    assert.match(body, /through the proxy/);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].headers.authorization, "Bearer ***");
  } finally {
    await proxy.stop();
  }
  await proxy.exited;
  assert.equal(existsSync(`/proc/${proxy.pid}`), false);
  await assert.rejects(fetch(`${proxy.url}/v1/responses`, { method: "POST", body: "{}" }));
});

test("stdioToUds relays stdin and stdout to a Unix socket, or refuses on a codex without it", async () => {
  await using s = await scratch();
  const socketPath = join(s.dir, "relay.sock");
  // A hidden command, gone in 0.171.0: the binary under test says which case this is.
  const support = await testCodexSupports("command.stdio-to-uds");
  assert.notEqual(support, "unknown", "the probe must read the command's own help page");
  if (support === "unsupported") {
    const refused = await stdioToUds(socketPath, s.options).then(
      (relay) => relay.stop().then(() => undefined),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof UnsupportedError, `expected UnsupportedError, got ${refused}`);
    assert.match(refused.message, /has no `codex stdio-to-uds` command/);
    return;
  }
  const sockets: Socket[] = [];
  const echo = createServer((socket) => {
    sockets.push(socket);
    socket.on("data", (data) => socket.write(`echo:${data}`));
  });
  await new Promise<void>((resolve) => echo.listen(socketPath, resolve));
  try {
    await using relay = await stdioToUds(socketPath, s.options);
    const writer = relay.writable.getWriter();
    await writer.write(new TextEncoder().encode("ping\n"));
    const reader = relay.readable.getReader();
    let text = "";
    while (!text.includes("\n")) {
      const next = await reader.read();
      if (next.done) break;
      text += new TextDecoder().decode(next.value);
    }
    reader.releaseLock();
    assert.equal(text, "echo:ping\n");
    await writer.close().catch(() => {});
    await relay.stop();
    assert.equal(existsSync(`/proc/${relay.pid}`), false);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => echo.close(resolve));
  }
});

async function gitRepo(dir: string): Promise<string> {
  const repo = join(dir, "repo");
  await mkdir(repo);
  execFileSync("git", ["init", "-q"], { cwd: repo });
  await writeFile(join(repo, "hello.txt"), "hello\n");
  return repo;
}

test("review streams a code review like a turn and collects the review text", async () => {
  await using server = await startFakeResponsesServer([
    reply.message("No issues in hello.txt."),
    reply.message("Second review."),
  ]);
  const offline = offlineCodexConfig(server);
  await using s = await scratch(offline.env);
  const repo = await gitRepo(s.dir);
  const options = {
    ...s.options,
    config: offline.config as unknown as RunCommandOptions["config"],
    cwd: repo,
    uncommitted: true,
  };
  const { events } = await reviewStreamed(options);
  const types: string[] = [];
  for await (const event of events) types.push(event.type);
  assert.deepEqual(types, ["thread.started", "turn.started", "item.completed", "turn.completed"]);
  const body = server.requests[0].body as { input: { content: { text?: string }[] }[] };
  // The CLI turns --uncommitted into its own review prompt: the last user message.
  assert.match(JSON.stringify(body.input.at(-1)), /staged, unstaged, and untracked/);
  const { uncommitted: _, ...untargeted } = options;
  const turn = await review({ ...untargeted, instructions: "Focus on typos." });
  assert.equal(turn.finalResponse, "Second review.");
  assert.match(JSON.stringify(server.requests[1].body), /Focus on typos\./);
  await assert.rejects(review({ ...options, instructions: "x" }), TypeError);
});

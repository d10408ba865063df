/**
 * Strict inputs: every options object and the input are checked where they enter, from one
 * description, and a problem is a TypeError naming the option, the value and what is accepted,
 * thrown before anything is spawned. A recording fake codex proves that nothing ran.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Codex } from "../src/codex.ts";
import type { CodexOptions, Input, ThreadOptions, TurnOptions } from "../src/options.ts";
import { suggest } from "../src/options/_check.ts";
import { APP_SERVER_CHECKED_VERSION } from "../src/options/schema.ts";
import { PROTOCOL_CLI_VERSION } from "../src/app_server/protocol/methods.ts";

/** A fake codex that only records that it was started; dispose removes it. */
async function recordingCodex(): Promise<
  { path: string; ran: () => boolean } & AsyncDisposable
> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-strict-"));
  const path = join(dir, "codex");
  const marker = join(dir, "ran");
  await writeFile(path, `#!/bin/sh\ntouch "${marker}"\ncat >/dev/null\nexit 3\n`);
  await chmod(path, 0o755);
  return {
    path,
    ran: () => existsSync(marker),
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
}

const typeError = (text: string) => (e: unknown) => {
  assert.ok(e instanceof TypeError, `expected a TypeError, got ${e}`);
  assert.equal(e.message, text);
  return true;
};

test("Client options: wrong types, unknown keys and bad values are TypeErrors naming the option", () => {
  const cases: [unknown, string][] = [
    [{ codexPath: "/x" }, "Cannot use codexPath: unknown option; did you mean codexPathOverride?"],
    [{ timeout: 5 }, "Cannot use timeout: unknown option"],
    [
      { killGraceMs: "100" },
      'Cannot use killGraceMs: expected a number of milliseconds >= 0, got "100"',
    ],
    [{ onWarning: "x" }, 'Cannot use onWarning: expected a function, got "x"'],
    [{ env: "PATH=/bin" }, 'Cannot use env: expected an object of string values, got "PATH=/bin"'],
    [{ env: { A: 1 } }, "Cannot use env.A: expected a string, got 1"],
    [{ apiKey: "" }, 'Cannot use apiKey: expected a non-empty string, got ""'],
    [
      { configOverrides: "a=1" },
      'Cannot use configOverrides: expected an array of key=value strings, got "a=1"',
    ],
    [
      { configOverrides: ["novalue"] },
      'Cannot use configOverrides[0]: expected a key=value string, got "novalue"',
    ],
    [{ config: { a: null } }, "Cannot use config.a: TOML has no null"],
    [{ config: [1] }, "Cannot use config: expected a plain object, got [1]"],
    [{ runtime: "rust" }, 'Cannot use runtime: expected one of deno, bun, node, got "rust"'],
    [
      { capabilities: true },
      "Cannot use capabilities: expected false or an option gate (an object with support()), got true",
    ],
    [{ retry: { attempts: 0 } }, "Cannot use retry.attempts: expected an integer >= 1, got 0"],
    [{ retry: { atempts: 2 } }, "Cannot use retry.atempts: unknown option; did you mean attempts?"],
    [
      { maxLineBytes: 1.5 },
      "Cannot use maxLineBytes: expected a positive integer number of bytes, got 1.5",
    ],
    ["oops", 'Cannot use options: expected an object, got "oops"'],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => new Codex(options as CodexOptions), typeError(message));
  }
  // Every option other parts of the SDK implement is declared, so strict checking accepts it.
  new Codex({
    capabilities: false,
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 100, retryAfterFileChanges: false },
    maxLineBytes: 1024,
    lane: { runTurn: () => new ReadableStream() },
  });
});

test("Thread options: enums, arrays, types and misspelt keys are checked at startThread and resumeThread", () => {
  const codex = new Codex({ codexPathOverride: "/nonexistent/codex" });
  const cases: [unknown, string][] = [
    [
      { sandboxMode: "bogus" },
      'Cannot use sandboxMode: expected one of read-only, workspace-write, danger-full-access, got "bogus"',
    ],
    [
      { approvalPolicy: "sometimes" },
      'Cannot use approvalPolicy: expected one of never, on-request, on-failure, untrusted, got "sometimes"',
    ],
    [
      { webSearchMode: "on" },
      'Cannot use webSearchMode: expected one of disabled, cached, live, got "on"',
    ],
    [
      { modelReasoningEffort: "extreme" },
      'Cannot use modelReasoningEffort: expected one of minimal, low, medium, high, xhigh, max, ultra, persistent, got "extreme"',
    ],
    [
      { additionalDirectories: "/tmp" },
      'Cannot use additionalDirectories: expected an array of strings, got "/tmp"',
    ],
    [{ model: 42 }, "Cannot use model: expected a non-empty string, got 42"],
    [{ skipGitRepoCheck: "yes" }, 'Cannot use skipGitRepoCheck: expected true or false, got "yes"'],
    [{ workingDirectory: 42 }, "Cannot use workingDirectory: expected a non-empty string, got 42"],
    [{ sandbox: "read-only" }, "Cannot use sandbox: unknown option; did you mean sandboxMode?"],
    [{ transport: "grpc" }, 'Cannot use transport: expected one of exec, app-server, got "grpc"'],
    [
      { localProvider: "vllm" },
      'Cannot use localProvider: expected one of ollama, lmstudio, got "vllm"',
    ],
    [
      { remote: "ws://127.0.0.1:1", remoteAuthTokenEnv: "sk-secret-token-0123" },
      'Cannot use remoteAuthTokenEnv: expected the name of an environment variable (the token itself goes in that variable), got "[redacted]"',
    ],
    [
      { remoteAuthTokenEnv: "REMOTE_TOKEN" },
      "Cannot use thread options.remoteAuthTokenEnv without remote: it names the token of the remote app-server",
    ],
    [
      { remote: "ws://127.0.0.1:1", transport: "app-server" },
      `Cannot use remote with transport "app-server": codex ${APP_SERVER_CHECKED_VERSION}'s app-server has no such setting; only transport "exec" supports it`,
    ],
    [
      { onApproval: "accept" },
      'Cannot use onApproval with transport "exec": codex exec never asks the client; set transport: "app-server"',
    ],
    [
      { approvalsReviewer: "auto_review" },
      'Cannot use approvalsReviewer with transport "exec": codex exec never asks the client; set transport: "app-server"',
    ],
    [
      { approvalsReviewer: "robot" },
      'Cannot use approvalsReviewer: expected one of user, auto_review, got "robot"',
    ],
    [
      { reasoningSummary: "short" },
      'Cannot use reasoningSummary: expected one of auto, concise, detailed, none, got "short"',
    ],
    [{ serviceTier: "" }, 'Cannot use serviceTier: expected a non-empty string, got ""'],
    ["oops", 'Cannot use thread options: expected an object, got "oops"'],
    [
      { tools: [{ name: "t" }] },
      'Cannot use tools[0]: expected a tool made by tool(), got {"name":"t"}',
    ],
    [
      { developerInstructions: "" },
      'Cannot use developerInstructions: expected a non-empty string, got ""',
    ],
    [
      { mcpServers: { "a.b": { command: "x" } } },
      'Cannot use mcpServers.a.b: expected a server name of letters, digits, "_" or "-"',
    ],
    [
      { mcpServers: { docs: { url: "http://x", header: {} } } },
      "Cannot use mcpServers.docs.header: unknown option",
    ],
    [
      { mcpServers: { local: { command: "srv", env: { KEY: 1 } } } },
      "Cannot use mcpServers.local.env.KEY: expected a string, got 1",
    ],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => codex.startThread(options as ThreadOptions), typeError(message));
    assert.throws(() => codex.resumeThread("t", options as ThreadOptions), typeError(message));
  }
  // A client's profile would change what the thread does, and no app-server loads one.
  const profiled = new Codex({ codexPathOverride: "/nonexistent/codex", profile: "ci" });
  const refused = typeError(
    `Cannot use profile with transport "app-server": codex ${APP_SERVER_CHECKED_VERSION}'s app-server loads no profile (it refuses --profile); use transport "exec", or pass the profile's settings as config`,
  );
  assert.throws(() => profiled.startThread({ transport: "app-server" }), refused);
  assert.throws(() => profiled.resumeThread("t", { transport: "app-server" }), refused);
  assert.doesNotThrow(() => profiled.startThread());
  assert.throws(
    () => codex.resumeThread(42 as unknown as string),
    typeError("Cannot resume: expected a non-empty thread id, got 42"),
  );
});

test("The app-server transport shares the checks and names the option, not the wire field", async () => {
  const codex = new Codex({ codexPathOverride: "/nonexistent/codex" });
  assert.throws(
    () => codex.startThread({ transport: "app-server", sandboxMode: "bogus" as "read-only" }),
    typeError(
      'Cannot use sandboxMode: expected one of read-only, workspace-write, danger-full-access, got "bogus"',
    ),
  );
  assert.throws(
    () => codex.startThread({ transport: "app-server", approvalPolicy: "on-failure" }),
    /approvalPolicy "on-failure" with transport "app-server"/,
  );
  // turn/start has no per-turn web search, config or environment (codex 0.171.0).
  for (const key of ["webSearchMode", "config", "env", "outputLastMessage"] as const) {
    const value = key === "webSearchMode" ? "live" : key === "outputLastMessage" ? "out.txt" : {};
    await assert.rejects(
      codex.startThread({ transport: "app-server" }).run("hi", { [key]: value }),
      typeError(
        `Cannot use ${key} with transport "app-server": codex ${APP_SERVER_CHECKED_VERSION}'s app-server has no such setting; only transport "exec" supports it`,
      ),
    );
  }
  // Per-turn model, effort and sandbox, threadSource and the new thread settings pass the door
  // on the app-server (here the missing binary is the first problem).
  for (
    const [thread, turn] of [
      [{}, { model: "other", modelReasoningEffort: "high", sandboxMode: "read-only" }],
      [{ threadSource: "ci", serviceTier: "flex", reasoningSummary: "detailed" }, {}],
      [{ approvalsReviewer: "auto_review" }, {}],
    ] as [ThreadOptions, TurnOptions][]
  ) {
    await assert.rejects(
      codex.startThread({ transport: "app-server", ...thread }).run("hi", turn),
      (error: unknown) => !(error instanceof TypeError),
    );
  }
  await assert.rejects(
    codex.startThread({ transport: "app-server" }).run([
      { type: "text", text: "look" },
      { type: "image_url", url: "data:image/png;base64,AA==" },
      { type: "skill", name: "lint", path: "/s/SKILL.md" },
      { type: "mention", name: "app", path: "app://x" },
    ]),
    (error: unknown) => !(error instanceof TypeError),
  );
  assert.throws(
    () => codex.resumeLastThread({ transport: "app-server" }),
    /Cannot resume the last thread with transport "app-server"/,
  );
  // dynamicTools and MCP servers are fixed at thread/start: a turn cannot add any.
  await assert.rejects(
    codex.startThread({ transport: "app-server" }).run("hi", { tools: [] }),
    typeError(
      `Cannot use tools with transport "app-server": codex ${APP_SERVER_CHECKED_VERSION}'s app-server has no such setting; only transport "exec" supports it`,
    ),
  );
  assert.throws(
    () => codex.startThread({ transport: "app-server", oss: true }),
    typeError(
      `Cannot use oss with transport "app-server": codex ${APP_SERVER_CHECKED_VERSION}'s app-server has no such setting; only transport "exec" supports it`,
    ),
  );
});

test("Turn options and input are checked at run and runStreamed, and nothing is spawned", async () => {
  await using fake = await recordingCodex();
  const thread = new Codex({ codexPathOverride: fake.path }).startThread();
  const turnCases: [unknown, string][] = [
    [{ images: "x.png" }, 'Cannot use images: expected an array of strings, got "x.png"'],
    [
      { outputLastMessage: 42 },
      "Cannot use outputLastMessage: expected a non-empty string, got 42",
    ],
    [{ timeout: 5 }, "Cannot use timeout: unknown option; did you mean timeoutMs?"],
    [{ timeoutMs: -1 }, "Cannot use timeoutMs: expected a positive number of milliseconds, got -1"],
    [{ signal: {} }, "Cannot use signal: expected an AbortSignal, got {}"],
    [
      { cyberAccessProgram: "red" },
      'Cannot use cyberAccessProgram: expected one of standard, daybreak_blue, daybreak_red, got "red"',
    ],
    [
      { sandboxMode: "bogus" },
      'Cannot use sandboxMode: expected one of read-only, workspace-write, danger-full-access, got "bogus"',
    ],
    [{ strictOutput: 1 }, "Cannot use strictOutput: expected true or false, got 1"],
  ];
  for (const [options, message] of turnCases) {
    await assert.rejects(thread.run("hi", options as TurnOptions), typeError(message));
    await assert.rejects(thread.runStreamed("hi", options as TurnOptions), typeError(message));
  }
  const inputCases: [unknown, string][] = [
    [[{ type: "text", text: 42 }], "Cannot use input[0].text: expected a string, got 42"],
    [
      [{ type: "image", path: "a" }],
      'Cannot use input[0].type: expected a part of type "text", "local_image", "image_url", "skill" or "mention", got "image"',
    ],
    [
      42,
      'Cannot use input: expected a string or an array of { type: "text", "local_image", "image_url", "skill" or "mention" } parts, got 42',
    ],
    [
      [{ type: "skill", name: "lint" }],
      'Cannot use input[0].path: expected "path", got undefined',
    ],
    [
      [{ type: "text", text: "hi" }, { type: "image_url", url: "data:image/png;base64,AA==" }],
      'Cannot use input[1] of type "image_url" with transport "exec": codex exec takes text and local images only; set transport: "app-server"',
    ],
    [
      [{ type: "text", text: "hi" }, { type: "mention", name: "a", path: "app://a" }],
      'Cannot use input[1] of type "mention" with transport "exec": codex exec takes text and local images only; set transport: "app-server"',
    ],
  ];
  for (const [input, message] of inputCases) {
    await assert.rejects(thread.run(input as Input), typeError(message));
  }
  assert.equal(fake.ran(), false, "no codex process was started");
});

test("An empty prompt or images alone are a TypeError before codex is spawned", async () => {
  await using fake = await recordingCodex();
  const thread = new Codex({ codexPathOverride: fake.path }).startThread();
  for (
    const input of ["", "   ", [], [{ type: "local_image", path: "a.png" }], [{
      type: "text",
      text: " \n",
    }]]
  ) {
    await assert.rejects(
      thread.run(input as Input),
      (e: unknown) =>
        e instanceof TypeError &&
        e.message.startsWith("Cannot use input: expected a non-empty prompt"),
      JSON.stringify(input),
    );
  }
  assert.equal(fake.ran(), false);
});

test("A missing workingDirectory or a file is a TypeError naming workingDirectory, before spawning", async () => {
  await using fake = await recordingCodex();
  const codex = new Codex({ codexPathOverride: fake.path });
  const missing = join(tmpdir(), "codexkit-no-such-dir-for-sure");
  await assert.rejects(
    codex.startThread({ workingDirectory: missing }).run("hi"),
    typeError(
      `Cannot use workingDirectory: ${JSON.stringify(missing)} does not exist or cannot be read`,
    ),
  );
  await assert.rejects(
    codex.startThread({ workingDirectory: fake.path }).run("hi"),
    typeError(`Cannot use workingDirectory: ${JSON.stringify(fake.path)} is not a directory`),
  );
  const { events } = await codex.startThread({ workingDirectory: missing }).runStreamed("hi");
  await assert.rejects(events.next(), /Cannot use workingDirectory/);
  assert.equal(fake.ran(), false);
});

test("suggest finds near misses and prefixes, and nothing for unrelated keys", () => {
  const known = ["sandboxMode", "timeoutMs", "codexPathOverride", "model"];
  assert.equal(suggest("sandbox", known), "sandboxMode");
  assert.equal(suggest("timeout", known), "timeoutMs");
  assert.equal(suggest("modle", known), "model");
  assert.equal(suggest("codexPath", known), "codexPathOverride");
  assert.equal(suggest("banana", known), undefined);
});

test("The app-server refusals name the codex whose protocol they were checked against", () => {
  // When the protocol is regenerated from a newer codex, the lists in src/options/schema.ts are
  // to be checked against it again (per-turn settings turn/start may have gained).
  assert.equal(APP_SERVER_CHECKED_VERSION, PROTOCOL_CLI_VERSION);
});

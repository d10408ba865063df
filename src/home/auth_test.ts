import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { AbortError, ExitError } from "../errors.ts";
import { CodexHomeError } from "./home_error.ts";
import { cliArgs } from "./_codex_cli.ts";
import {
  authStatus,
  loginWithApiKey,
  loginWithDeviceCode,
  logout,
  parseAuthStatus,
  parseDeviceCodePrompt,
} from "./auth.ts";
import type { DeviceCodePrompt } from "./auth.ts";
import { checkAuthJson, inspectAuthFile } from "./auth_file.ts";

const KEY = "sk-fake-auth-test-9f8e7d6c5b4a39281706";

// The device-code prompt as codex 0.169.0 prints it (colours included).
const E = "\u001b";
const DEVICE_PROMPT =
  `\nWelcome to Codex [v${E}[90m0.169.0${E}[0m]\n${E}[90mOpenAI's command-line ` +
  `coding agent${E}[0m\n\nFollow these steps to sign in with ChatGPT using device code ` +
  `authorization:\n\n1. Open this link in your browser and sign in to your account\n   ` +
  `${E}[94mhttps://auth.example.test/codex/device${E}[0m\n\n2. Enter this one-time code ` +
  `${E}[90m(expires in 15 minutes)${E}[0m\n   ${E}[94mWXYZ-12345${E}[0m\n\n${E}[90mDevice ` +
  `codes are a common phishing target. Never share this code.${E}[0m\n`;

interface Sandbox extends AsyncDisposable {
  root: string;
  home: string;
  env: Record<string, string>;
  /** Writes an executable fake codex and returns its path. */
  fake(body: string): Promise<string>;
}

async function sandbox(): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), "codexkit-auth-"));
  const home = join(root, "home");
  return {
    root,
    home,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, TMPDIR: root },
    async fake(body: string) {
      const path = join(root, `codex-${Math.random().toString(36).slice(2)}`);
      await writeFile(path, `#!/bin/sh\n${body}\n`);
      await chmod(path, 0o755);
      return path;
    },
    [Symbol.asyncDispose]: () => rm(root, { recursive: true, force: true }),
  };
}

/** Pids of live processes whose environment has CODEX_HOME=home. */
async function processesWithHome(home: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const environ = await readFile(`/proc/${name}/environ`, "latin1").catch(() => "");
    if (environ.split("\0").includes(`CODEX_HOME=${home}`)) found.push(Number(name));
  }
  return found;
}

test("parseAuthStatus reads each status by content, not exit code", () => {
  const cases: [string, number, Record<string, unknown>][] = [
    ["Not logged in\n", 1, { kind: "logged_out" }],
    [
      "API key configured - sk-test-***bcdef\nAuthentication is checked when you send a request.",
      0,
      { kind: "api_key", maskedKey: "sk-test-***bcdef" },
    ],
    ["API key configured - ***\n", 0, { kind: "api_key", maskedKey: "***" }],
    ["Logged in using an API key - sk-proj-***ABCDE\n", 0, { kind: "api_key" }],
    ["Logged in using ChatGPT\n", 0, { kind: "chatgpt", plan: undefined }],
    ["Logged in using ChatGPT (Pro)\n", 0, { kind: "chatgpt", plan: "Pro" }],
    ["Logged in using ChatGPT - plan: plus\n", 0, { kind: "chatgpt", plan: "plus" }],
    ["Logged in using access token\n", 0, { kind: "other", method: "access token" }],
    [
      "Error checking login status: failed to deserialize CLI auth from file: EOF at line 1",
      1,
      { kind: "error", message: "failed to deserialize CLI auth from file: EOF at line 1" },
    ],
    ["WARNING: something\nNot logged in\n", 0, { kind: "logged_out" }],
    ["Something new entirely\n", 2, { kind: "unknown", exitCode: 2 }],
    [`${E}[1mNot logged in${E}[0m\n`, 1, { kind: "logged_out" }],
  ];
  for (const [text, code, expected] of cases) {
    const status = parseAuthStatus(text, code) as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(status[key], value, `${JSON.stringify(text)} -> ${key}`);
    }
    assert.equal(typeof status.raw, "string");
  }
});

test("parseDeviceCodePrompt finds link and code in the 0.169.0 prompt, only once complete", () => {
  assert.deepEqual(parseDeviceCodePrompt(DEVICE_PROMPT), {
    verificationUrl: "https://auth.example.test/codex/device",
    userCode: "WXYZ-12345",
  });
  const cut = DEVICE_PROMPT.indexOf("WXYZ-12345");
  assert.equal(parseDeviceCodePrompt(DEVICE_PROMPT.slice(0, cut + 4)), undefined);
  assert.equal(parseDeviceCodePrompt(DEVICE_PROMPT.slice(0, cut - 30)), undefined);
  assert.equal(parseDeviceCodePrompt("Error logging in with device code: 404\n"), undefined);
});

test("cliArgs puts config overrides and disabled features after the subcommand", () => {
  assert.deepEqual(
    cliArgs(["login"], { config: { analytics: { enabled: false } }, disable: ["plugins"] }, [
      "status",
    ]),
    ["login", "--config", "analytics.enabled=false", "--disable", "plugins", "status"],
  );
  assert.deepEqual(cliArgs(["logout"], {}, []), ["logout"]);
  assert.throws(() => cliArgs(["login"], { disable: ["a b"] }, []), TypeError);
});

test("checkAuthJson reports truncated and non-JSON auth.json with line and column", () => {
  const truncated = checkAuthJson(
    '{"auth_mode":"apikey",\n"OPENAI_API_KEY":"sk-abc',
    "/h/auth.json",
  );
  assert.equal(truncated.problem?.path, "/h/auth.json");
  assert.equal(truncated.problem?.line, 2);
  assert.equal(typeof truncated.problem?.column, "number");
  assert.doesNotMatch(truncated.problem?.message ?? "", /sk-abc/);
  assert.equal(checkAuthJson("garbage").problem?.line, 1);
  assert.match(checkAuthJson("").problem?.message ?? "", /empty/);
  assert.match(checkAuthJson("[1]").problem?.message ?? "", /not a JSON object/);
  assert.deepEqual(checkAuthJson('{"auth_mode":"chatgpt"}'), {
    authMode: "chatgpt",
    problem: undefined,
  });
});

test("loginWithApiKey pipes the key on stdin, never argv or env", async () => {
  await using box = await sandbox();
  const codexPath = await box.fake(
    [
      'if [ "$2" = "status" ]; then echo "API key configured - sk-fake-***a1706" >&2; exit 0; fi',
      'printf "%s\\n" "$@" > "$CODEX_HOME/argv.txt"',
      'env > "$CODEX_HOME/env.txt"',
      'cat > "$CODEX_HOME/stdin.txt"',
    ].join("\n"),
  );
  const status = await loginWithApiKey(box.home, KEY, {
    codexPathOverride: codexPath,
    env: box.env,
  });
  assert.deepEqual(status.kind, "api_key");
  assert.equal(await readFile(join(box.home, "stdin.txt"), "utf8"), KEY);
  const argv = await readFile(join(box.home, "argv.txt"), "utf8");
  assert.equal(argv, "login\n--with-api-key\n");
  const env = await readFile(join(box.home, "env.txt"), "utf8");
  assert.ok(!env.includes(KEY));
  assert.match(env, new RegExp(`^CODEX_HOME=${box.home}$`, "m"));
  assert.equal(process.env.CODEX_HOME === box.home, false);
});

test("loginWithApiKey rejects with an ExitError that never quotes the key", async () => {
  await using box = await sandbox();
  const codexPath = await box.fake(
    'key=$(cat); echo "Error logging in: key $key was rejected" >&2; echo "$key"; exit 1',
  );
  const error = await loginWithApiKey(box.home, KEY, { codexPathOverride: codexPath, env: box.env })
    .catch((e) => e);
  assert.ok(error instanceof ExitError);
  assert.equal(error.exitCode, 1);
  assert.match(error.stderrTail ?? "", /was rejected/);
  assert.match(error.stderrTail ?? "", /\[redacted\]/);
  for (const text of [error.message, error.stack, error.stderrTail, inspect(error, { depth: 5 })]) {
    assert.ok(!String(text).includes(KEY));
  }
  await assert.rejects(
    loginWithApiKey(box.home, "  ", { codexPathOverride: codexPath }),
    TypeError,
  );
  const typeError = await loginWithApiKey(box.home, `${KEY}\nsecond`, {
    codexPathOverride: codexPath,
  }).catch((e) => e);
  assert.ok(typeError instanceof TypeError && !typeError.message.includes(KEY));
});

test("loginWithDeviceCode surfaces link and code while the CLI still runs, then resolves", async () => {
  await using box = await sandbox();
  await writeFile(join(box.root, "prompt.txt"), DEVICE_PROMPT);
  const codexPath = await box.fake(
    [
      'case " $* " in *" status "*) echo "Logged in using ChatGPT" >&2; exit 0;; esac',
      `cat "${join(box.root, "prompt.txt")}"`,
      // The CLI only goes on once the test has seen the prompt: proof it arrives early.
      'i=0; while [ ! -f "$CODEX_HOME/go" ]; do i=$((i+1)); [ $i -gt 400 ] && exit 3; sleep 0.05; done',
      'echo \'{"auth_mode":"chatgpt"}\' > "$CODEX_HOME/auth.json"',
      'echo "Successfully logged in" >&2',
    ].join("\n"),
  );
  const prompts: DeviceCodePrompt[] = [];
  const status = await loginWithDeviceCode(box.home, {
    codexPathOverride: codexPath,
    env: box.env,
    onPrompt(prompt) {
      prompts.push(prompt);
      void writeFile(join(box.home, "go"), "");
    },
  });
  assert.deepEqual(prompts, [{
    verificationUrl: "https://auth.example.test/codex/device",
    userCode: "WXYZ-12345",
  }]);
  assert.equal(status.kind, "chatgpt");
});

test("loginWithDeviceCode cancelled by its signal rejects and leaves no process", async () => {
  await using box = await sandbox();
  await writeFile(join(box.root, "prompt.txt"), DEVICE_PROMPT);
  const codexPath = await box.fake(
    [
      'echo $$ > "$CODEX_HOME/fake.pid"',
      `cat "${join(box.root, "prompt.txt")}"`,
      "while :; do sleep 0.05; done",
    ].join("\n"),
  );
  const controller = new AbortController();
  const error = await loginWithDeviceCode(box.home, {
    codexPathOverride: codexPath,
    env: box.env,
    signal: controller.signal,
    onPrompt: () => controller.abort(new Error("user closed the dialog")),
  }).catch((e) => e);
  assert.ok(error instanceof AbortError);
  assert.deepEqual(await processesWithHome(box.home), []);
  const pid = Number(await readFile(join(box.home, "fake.pid"), "utf8"));
  assert.throws(() => process.kill(pid, 0));
});

test("loginWithDeviceCode with an already aborted signal starts nothing", async () => {
  await using box = await sandbox();
  const codexPath = await box.fake('touch "$CODEX_HOME/started"');
  const error = await loginWithDeviceCode(box.home, {
    codexPathOverride: codexPath,
    env: box.env,
    signal: AbortSignal.abort(),
    onPrompt: () => {},
  }).catch((e) => e);
  assert.ok(error instanceof AbortError);
  assert.deepEqual(await readdir(box.root).then((n) => n.includes("home")), false);
});

test("loginWithDeviceCode rejects with an ExitError carrying the CLI's reason", async () => {
  await using box = await sandbox();
  const codexPath = await box.fake(
    'echo "Error logging in with device code: device code request failed with status 404" >&2; exit 1',
  );
  const error = await loginWithDeviceCode(box.home, {
    codexPathOverride: codexPath,
    env: box.env,
    onPrompt: () => {},
  })
    .catch((e) => e);
  assert.ok(error instanceof ExitError);
  assert.equal(error.exitCode, 1);
  assert.match(error.stderrTail ?? "", /status 404/);
});

test("logout reports whether credentials were removed and fails on a CLI error", async () => {
  await using box = await sandbox();
  const loggedIn = await box.fake('echo "Successfully logged out" >&2');
  assert.deepEqual(await logout(box.home, { codexPathOverride: loggedIn, env: box.env }), {
    wasLoggedIn: true,
  });
  const loggedOut = await box.fake('echo "Not logged in" >&2');
  assert.deepEqual(await logout(box.home, { codexPathOverride: loggedOut, env: box.env }), {
    wasLoggedIn: false,
  });
  const failing = await box.fake('echo "Error logging out: permission denied" >&2; exit 1');
  await assert.rejects(logout(box.home, { codexPathOverride: failing, env: box.env }), ExitError);
});

test("authStatus keeps unknown output verbatim", async () => {
  await using box = await sandbox();
  const codexPath = await box.fake('echo "Signed in via telepathy" >&2; exit 0');
  const status = await authStatus(box.home, { codexPathOverride: codexPath, env: box.env });
  assert.deepEqual(status, { kind: "unknown", raw: "Signed in via telepathy", exitCode: 0 });
});

test("auth functions reject a home that is a file before running anything", async () => {
  await using box = await sandbox();
  const codexPath = await box.fake('touch "$TMPDIR/ran"');
  const file = join(box.root, "not-a-home");
  await writeFile(file, "x");
  await assert.rejects(
    authStatus(file, { codexPathOverride: codexPath, env: box.env }),
    CodexHomeError,
  );
  await assert.rejects(
    loginWithApiKey(file, KEY, { codexPathOverride: codexPath, env: box.env }),
    CodexHomeError,
  );
  await assert.rejects(
    logout(file, { codexPathOverride: codexPath, env: box.env }),
    CodexHomeError,
  );
  assert.equal((await readdir(box.root)).includes("ran"), false);
});

test("no auth result, error or debug string ever contains the key", async () => {
  await using box = await sandbox();
  // A hostile CLI that prints the stored key everywhere it can.
  const leaky = await box.fake(
    [
      'stored=$(sed -n \'s/.*"OPENAI_API_KEY": *"\\([^"]*\\)".*/\\1/p\' "$CODEX_HOME/auth.json" 2>/dev/null)',
      'case " $* " in',
      '  *" status "*) echo "API key configured - $stored" >&2; echo "$stored"; exit 0;;',
      '  *" --with-api-key "*) k=$(cat); echo "Error logging in: $k" >&2; exit 1;;',
      '  *" --device-auth "*) echo "Error logging in with device code: $stored" >&2; exit 1;;',
      '  *) echo "Error logging out: $stored" >&2; exit 1;;',
      "esac",
    ].join("\n"),
  );
  const options = { codexPathOverride: leaky, env: box.env };
  const seen: unknown[] = [];
  const settle = (p: Promise<unknown>) => p.then((v) => seen.push(v), (e) => seen.push(e));
  await settle(loginWithApiKey(box.home, KEY, options));
  await writeFile(
    join(box.home, "auth.json"),
    JSON.stringify({ auth_mode: "apikey", OPENAI_API_KEY: KEY }),
  );
  await settle(authStatus(box.home, options));
  await settle(loginWithDeviceCode(box.home, { ...options, onPrompt: () => {} }));
  await settle(logout(box.home, options));
  assert.equal(seen.length, 4);
  assert.ok(
    seen[0] instanceof ExitError && seen[2] instanceof ExitError && seen[3] instanceof ExitError,
  );
  assert.equal((seen[1] as { kind: string }).kind, "api_key");
  for (const value of seen) {
    const text = [
      String(value),
      value instanceof Error ? value.stack : "",
      inspect(value, { depth: 8 }),
      JSON.stringify(value),
    ].join("\n");
    assert.ok(!text.includes(KEY), text);
  }
});

test("authStatus, logout and loginWithApiKey refuse a FIFO auth.json at once, naming it", {
  timeout: 30_000, // a read that blocks fails the test instead of hanging the run
}, async () => {
  await using box = await sandbox();
  await mkdir(box.home, { recursive: true });
  const fifo = join(box.home, "auth.json");
  execFileSync("mkfifo", [fifo]);
  // A codex that would answer: the refusal must come before any child.
  const codexPath = await box.fake(`echo "Logged in using an API key - sk-...7890" >&2`);
  const isRefusal = (e: unknown) =>
    e instanceof CodexHomeError && e.path === fifo && e.reason === "io" &&
    e.message === `Cannot read auth.json ${fifo}: it is a FIFO, not a regular file`;
  await assert.rejects(
    authStatus(box.home, { codexPathOverride: codexPath, env: box.env }),
    isRefusal,
  );
  await assert.rejects(logout(box.home, { codexPathOverride: codexPath, env: box.env }), isRefusal);
  await assert.rejects(
    loginWithApiKey(box.home, KEY, { codexPathOverride: codexPath, env: box.env }),
    isRefusal,
  );
  await assert.rejects(inspectAuthFile(box.home), isRefusal);
});

/**
 * `@codexkit/sdk/commands` against recording fake `codex` scripts: the argv each wrapper
 * builds, how it reads output the real CLI only prints with a network (cloud, apply), and
 * what the runner guarantees whatever the child does (secrets, timeout, abort, limits, gates).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import {
  applyTask,
  cloudApply,
  cloudDiff,
  cloudExec,
  cloudList,
  cloudStatus,
  mcpLogin,
  parseCloudStatus,
  runCodexCommand,
} from "../src/commands/mod.ts";
import type { OptionGate } from "../src/commands/mod.ts";
import { AbortError, CodexError, TimeoutError, UnsupportedError } from "../src/errors.ts";
import { eventually, processesMatching } from "./_offline_codex.ts";

interface Fake extends AsyncDisposable {
  path: string;
  /** The argv of each call, one JSON array per call. */
  calls(): Promise<string[][]>;
  /** The stdin of the last call. */
  stdin(): Promise<string>;
}

/** A fake codex: records argv (one JSON line per call) and stdin, then runs `body`. */
async function fakeCodex(body: string): Promise<Fake> {
  const dir = await mkdtemp(join(tmpdir(), "codexkit-fakecmd-"));
  const path = join(dir, "codex");
  const log = join(dir, "argv.log");
  await writeFile(
    path,
    `#!/bin/sh
{ printf '['; sep=''; for a in "$@"; do printf '%s"%s"' "$sep" "$(printf '%s' "$a" | sed 's/\\\\/\\\\\\\\/g; s/"/\\\\"/g')"; sep=','; done; printf ']\\n'; } >> "${log}"
cat > "${dir}/stdin.txt"
${body}
`,
  );
  await chmod(path, 0o755);
  return {
    path,
    async calls() {
      const text = await readFile(log, "utf8").catch(() => "");
      return text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[]);
    },
    stdin: () => readFile(join(dir, "stdin.txt"), "utf8").catch(() => ""),
    [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }),
  };
}

const base = (path: string) => ({ codexPathOverride: path, capabilities: false as const });

test("runCodexCommand keeps the API key in the child's env only, and out of output and errors", async () => {
  const key = "sk-fake-key-for-commands-123456";
  await using fake = await fakeCodex(
    `echo "key=$CODEX_API_KEY"; echo "err $CODEX_API_KEY" >&2; exit 4`,
  );
  const result = await runCodexCommand(["features", "list"], { ...base(fake.path), apiKey: key });
  assert.equal(result.exitCode, 4);
  assert.equal(result.stdout, "key=[redacted]\n");
  assert.ok(!result.stderr.includes(key) && !result.command.join(" ").includes(key));
  assert.ok(!(await fake.calls()).flat().some((a) => a.includes(key)));
  await assert.rejects(
    runCodexCommand(["features", "list"], { ...base(fake.path), apiKey: key, check: true }),
    (e: unknown) => e instanceof CodexError && !e.message.includes(key) && /code 4/.test(e.message),
  );
});

test("runCodexCommand puts config, enable and disable before the subcommand", async () => {
  await using fake = await fakeCodex(`exit 0`);
  await runCodexCommand(["mcp", "list"], {
    ...base(fake.path),
    config: { analytics: { enabled: false }, model: "m" },
    enable: ["a_flag"],
    disable: ["plugins"],
    cwd: tmpdir(),
  });
  assert.deepEqual((await fake.calls())[0], [
    "--config",
    "analytics.enabled=false",
    "--config",
    'model="m"',
    "--enable",
    "a_flag",
    "--disable",
    "plugins",
    "mcp",
    "list",
  ]);
});

test("runCodexCommand stops a command at timeoutMs with TimeoutError and leaves no process", async () => {
  await using fake = await fakeCodex(`sleep 30`);
  // Every process of the run carries the mark, however far the script got before the timeout.
  const mark = `CODEXKIT_TEST_MARK=${fake.path}`;
  const env = { ...process.env, CODEXKIT_TEST_MARK: fake.path } as Record<string, string>;
  await assert.rejects(
    runCodexCommand(["features", "list"], {
      ...base(fake.path),
      env,
      timeoutMs: 300,
      killGraceMs: 200,
    }),
    (e: unknown) => e instanceof TimeoutError && e.timeoutMs === 300,
  );
  // Killed processes may take a moment to go on a busy machine: wait for it, then check.
  await eventually(async () => (await processesMatching(mark)).length === 0, 10_000);
  assert.deepEqual(await processesMatching(mark), []);
});

test("runCodexCommand takes a timeoutMs of 2**31 ms and more, which does not end a quick command", async () => {
  // setTimeout overflows above 2**31-1 ms and fires at once; the runner's timers do not.
  await using fake = await fakeCodex(`echo listed`);
  const result = await runCodexCommand(["features", "list"], {
    ...base(fake.path),
    timeoutMs: 2 ** 31,
  });
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout, "listed\n");
});

test("runCodexCommand stops a command on abort with AbortError", async () => {
  await using fake = await fakeCodex(`sleep 30`);
  const controller = new AbortController();
  const run = runCodexCommand(["features", "list"], {
    ...base(fake.path),
    signal: controller.signal,
    killGraceMs: 200,
  });
  setTimeout(() => controller.abort(new Error("enough")), 200);
  await assert.rejects(run, (e: unknown) => e instanceof AbortError);
});

test("runCodexCommand rejects output beyond maxOutputBytes instead of cutting it", async () => {
  await using fake = await fakeCodex(`head -c 200000 /dev/zero | tr '\\0' 'x'`);
  await assert.rejects(
    runCodexCommand(["completion"], { ...base(fake.path), maxOutputBytes: 1000 }),
    (e: unknown) => e instanceof CodexError && /more than 1000 bytes/.test(e.message),
  );
});

test("Bad options are TypeErrors naming the option, before anything runs", async () => {
  await using fake = await fakeCodex(`exit 0`);
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ timeoutMs: -1 }, /options\.timeoutMs/],
    [{ env: { A: 1 } }, /options\.env\.A/],
    [{ disable: ["bad flag"] }, /options\.disable/],
    [{ capabilities: "yes" }, /options\.capabilities/],
    [{ maxOutputBytes: 0 }, /options\.maxOutputBytes/],
    [{ apiKey: "" }, /options\.apiKey/],
  ];
  for (const [options, message] of bad) {
    await assert.rejects(
      runCodexCommand(["features"], { ...base(fake.path), ...options }),
      message,
    );
  }
  assert.deepEqual(await fake.calls(), []);
});

test("A gate that says unsupported stops the command before spawning; a lazy probe does too", async () => {
  await using fake = await fakeCodex(`echo "Usage: codex [OPTIONS] [PROMPT]"`);
  const gate: OptionGate = {
    version: "9.9.9",
    support: (option) => (option as string) === "command.cloud" ? "unsupported" : "supported",
  };
  await assert.rejects(
    cloudList({ codexPathOverride: fake.path, capabilities: gate }),
    (e: unknown) =>
      e instanceof UnsupportedError && e.feature === "command.cloud" &&
      /codex 9\.9\.9/.test(e.message),
  );
  assert.deepEqual(await fake.calls(), []);
  // Without a gate, `codex cloud --help` is read once: the root usage means no such command.
  await assert.rejects(
    cloudList({ codexPathOverride: fake.path }),
    (e: unknown) => e instanceof UnsupportedError && e.feature === "command.cloud",
  );
  assert.deepEqual(await fake.calls(), [["cloud", "--help"]]);
});

test("cloudList passes filters and reads the JSON page", async () => {
  const page = {
    tasks: [{
      id: "task_e_1",
      title: "Fix it",
      status: "ready",
      url: "https://cloud.example.test/codex/tasks/task_e_1",
      summary: { files_changed: 1, lines_added: 2, lines_removed: 0 },
      is_review: false,
    }],
    cursor: "next-1",
  };
  await using fake = await fakeCodex(`printf '%s' '${JSON.stringify(page)}'`);
  const result = await cloudList({
    ...base(fake.path),
    environment: "env-1",
    limit: 5,
    cursor: "c0",
  });
  assert.deepEqual(result, page);
  assert.deepEqual((await fake.calls())[0], [
    "cloud",
    "list",
    "--json",
    "--env",
    "env-1",
    "--limit",
    "5",
    "--cursor",
    "c0",
  ]);
  await assert.rejects(cloudList({ ...base(fake.path), limit: 50 }), /options\.limit/);
});

test("cloudStatus reads the status lines, also when the task is not ready (exit 1)", async () => {
  await using fake = await fakeCodex(
    `printf '[PENDING] Add tests\\nmy-env  •  3m ago\\nno diff\\n'; exit 1`,
  );
  const status = await cloudStatus("task_e_2", base(fake.path));
  assert.deepEqual(
    { ...status, raw: undefined },
    {
      status: "pending",
      title: "Add tests",
      meta: "my-env  •  3m ago",
      summary: null,
      raw: undefined,
    },
  );
  assert.deepEqual(parseCloudStatus("[READY] T\nenv  •  now\n+12/-3 • 2 files\n")?.summary, {
    lines_added: 12,
    lines_removed: 3,
    files_changed: 2,
  });
  assert.deepEqual((await fake.calls())[0], ["cloud", "status", "task_e_2"]);
});

test("cloudDiff returns the diff; cloudApply and applyTask report whether it applied", async () => {
  const diff = "diff --git a/x b/x\n+hello\n";
  await using fake = await fakeCodex(
    `case "$2" in diff) printf '%s' '${diff}';; apply) echo "Applied task locally"; exit 0;; esac
if [ "$1" = apply ]; then echo "patch does not apply" >&2; exit 1; fi`,
  );
  assert.equal(await cloudDiff("task_e_3", { ...base(fake.path), attempt: 2 }), diff);
  assert.deepEqual(await cloudApply("task_e_3", base(fake.path)), {
    applied: true,
    message: "Applied task locally",
  });
  assert.deepEqual(await applyTask("task_e_3", base(fake.path)), {
    applied: false,
    message: "patch does not apply",
  });
  assert.deepEqual(await fake.calls(), [
    ["cloud", "diff", "task_e_3", "--attempt", "2"],
    ["cloud", "apply", "task_e_3"],
    ["apply", "task_e_3"],
  ]);
  await assert.rejects(cloudDiff("--evil", base(fake.path)), TypeError);
  await assert.rejects(cloudApply("t", { ...base(fake.path), attempt: 0 }), /options\.attempt/);
});

test("cloudExec sends the prompt on stdin and returns the new task's id and URL", async () => {
  await using fake = await fakeCodex(`echo "https://cloud.example.test/codex/tasks/task_e_new"`);
  const task = await cloudExec("Refactor the parser", {
    ...base(fake.path),
    environment: "env-9",
    attempts: 2,
    branch: "main",
  });
  assert.deepEqual(task, {
    id: "task_e_new",
    url: "https://cloud.example.test/codex/tasks/task_e_new",
  });
  assert.deepEqual((await fake.calls())[0], [
    "cloud",
    "exec",
    "--env",
    "env-9",
    "--attempts",
    "2",
    "--branch",
    "main",
    "-",
  ]);
  assert.equal(await fake.stdin(), "Refactor the parser");
});

test("mcpLogin builds its argv from the options", async () => {
  await using fake = await fakeCodex(`echo ok`);
  await mcpLogin("web", {
    ...base(fake.path),
    scopes: ["read", "write"],
    noBrowser: true,
    clientRegistration: "dcr",
  });
  assert.deepEqual((await fake.calls())[0], [
    "mcp",
    "login",
    "web",
    "--scopes",
    "read,write",
    "--no-browser",
    "--oauth-client-registration",
    "dcr",
  ]);
});

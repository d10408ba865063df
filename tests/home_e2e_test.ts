/**
 * CODEX_HOME against the real pinned codex: login state, the key's path into the CLI, rollouts
 * the CLI wrote, a config.toml the CLI reads, and a home's layout after a run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  chmod,
  readdir,
  readFile,
  readlink,
  realpath,
  stat,
  truncate,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { inspect } from "node:util";
import { getSpawner } from "../src/runtime/mod.ts";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { offlineCodexConfig } from "../src/testing/offline.ts";
import {
  authStatus,
  findSession,
  inspectCodexHome,
  listSessions,
  loadRollout,
  loginWithApiKey,
  logout,
  readConfigToml,
  readRollout,
  writeConfigToml,
} from "../src/home/mod.ts";
import type { CodexCliOptions, RolloutEntry } from "../src/home/mod.ts";
import {
  codexEnv,
  freshHome,
  NATIVE_CODEX,
  runCodexExec,
  tempDir,
  TEST_CODEX_VERSION,
} from "./_codex.ts";

const KEY = "sk-e2e-home-test-4b5c6d7e8f9a0b1c2d3e";

/** Options that keep the real CLI offline and away from this process's environment. */
function offline(home: string, tmp: string): CodexCliOptions {
  return {
    codexPathOverride: NATIVE_CODEX,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, TMPDIR: tmp },
    config: { analytics: { enabled: false } },
    disable: ["plugins"],
  };
}

async function sha256(path: string): Promise<string> {
  return createHash("sha256").update(await readFile(path)).digest("hex");
}

/** Every string an error or result can show: messages, stacks, inspect output, JSON. */
function surfaces(value: unknown): string {
  return [
    String(value),
    value instanceof Error ? value.stack : "",
    inspect(value, { depth: 8 }),
    (() => {
      try {
        return JSON.stringify(value);
      } catch {
        return "";
      }
    })(),
  ].join("\n");
}

test("real codex: status, login with a key, status, logout, status", async () => {
  await using home = await freshHome();
  await using tmp = await tempDir("codexkit-tmp-");
  const options = offline(home.path, tmp.path);
  const seen: unknown[] = [];
  const before = await authStatus(home.path, options);
  seen.push(before);
  assert.equal(before.kind, "logged_out");
  const after = await loginWithApiKey(home.path, KEY, options);
  seen.push(after);
  assert.equal(after.kind, "api_key");
  assert.equal(
    after.kind === "api_key" && after.maskedKey,
    `${KEY.slice(0, 8)}***${KEY.slice(-5)}`,
  );
  assert.equal((await stat(join(home.path, "auth.json"))).mode & 0o777, 0o600);
  const again = await authStatus(home.path, options);
  seen.push(again);
  assert.equal(again.kind, "api_key");
  assert.deepEqual(await logout(home.path, options), { wasLoggedIn: true });
  assert.deepEqual(await logout(home.path, options), { wasLoggedIn: false });
  const last = await authStatus(home.path, options);
  seen.push(last);
  assert.equal(last.kind, "logged_out");
  assert.equal(process.env.CODEX_HOME === home.path, false);
  for (const value of seen) assert.ok(!surfaces(value).includes(KEY));
});

test("real codex: the key is not in the CLI's argv or environment while it runs", async () => {
  await using home = await freshHome();
  await using tmp = await tempDir("codexkit-tmp-");
  const gate = join(tmp.path, "go");
  // Holds the CLI's stdin open until the test has read the real codex's /proc entries.
  const wrapper = join(tmp.path, "gated-codex");
  await writeFile(
    wrapper,
    `#!/bin/sh\n{ i=0; while [ ! -f "${gate}" ]; do i=$((i+1)); [ $i -gt 600 ] && exit 3; ` +
      `sleep 0.02; done; cat; } | "${NATIVE_CODEX}" "$@"\n`,
  );
  await chmod(wrapper, 0o755);
  const options = { ...offline(home.path, tmp.path), codexPathOverride: wrapper };
  const login = loginWithApiKey(home.path, KEY, options);
  const native = await realpath(NATIVE_CODEX);
  let pid: number | undefined;
  for (let i = 0; i < 500 && pid === undefined; i++) {
    for (const name of await readdir("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      const exe = await readlink(`/proc/${name}/exe`).catch(() => "");
      if (exe !== native) continue;
      const environ = await readFile(`/proc/${name}/environ`, "latin1").catch(() => "");
      if (environ.split("\0").includes(`CODEX_HOME=${home.path}`)) pid = Number(name);
    }
    if (pid === undefined) await new Promise((r) => setTimeout(r, 20));
  }
  try {
    assert.ok(pid !== undefined, "the real codex process was found");
    const argv = (await readFile(`/proc/${pid}/cmdline`, "latin1")).split("\0");
    const environ = await readFile(`/proc/${pid}/environ`, "latin1");
    assert.ok(argv.includes("login") && argv.includes("--with-api-key"), argv.join(" "));
    assert.ok(!argv.join(" ").includes(KEY));
    assert.ok(!environ.includes(KEY));
  } finally {
    await writeFile(gate, "");
  }
  const status = await login;
  assert.equal(status.kind, "api_key");
  const stored = JSON.parse(await readFile(join(home.path, "auth.json"), "utf8"));
  assert.equal(stored.OPENAI_API_KEY, KEY);
});

test("real codex: a truncated auth.json is reported with its position and left untouched", async () => {
  await using home = await freshHome();
  await using tmp = await tempDir("codexkit-tmp-");
  const path = join(home.path, "auth.json");
  await writeFile(path, `{"auth_mode":"apikey","OPENAI_API_KEY":"${KEY.slice(0, 20)}`, {
    mode: 0o600,
  });
  const hash = await sha256(path);
  const status = await authStatus(home.path, offline(home.path, tmp.path));
  assert.equal(status.kind, "error");
  if (status.kind !== "error") return;
  assert.match(status.message, /deserialize|parse|EOF/i);
  assert.equal(status.problem?.path, path);
  assert.equal(status.problem?.line, 1);
  assert.equal(typeof status.problem?.column, "number");
  assert.equal(await sha256(path), hash);
  assert.ok(!surfaces(status).includes(KEY.slice(0, 20)));
});

test("real codex: a non-JSON auth.json is reported and left untouched", async () => {
  await using home = await freshHome();
  await using tmp = await tempDir("codexkit-tmp-");
  const path = join(home.path, "auth.json");
  await writeFile(path, "this is not json\n");
  const status = await authStatus(home.path, offline(home.path, tmp.path));
  assert.equal(status.kind, "error");
  assert.equal(status.kind === "error" && status.problem?.line, 1);
  assert.equal(await readFile(path, "utf8"), "this is not json\n");
});

test("real codex: rollouts it wrote are listed, found and read as typed entries", async () => {
  await using home = await freshHome();
  await using work = await tempDir("codexkit-work-");
  await using server = await startFakeResponsesServer([
    reply.execCommand("echo hi"),
    reply.message("It printed hi."),
  ]);
  const first = await runCodexExec(server, ["-s", "workspace-write", "run echo hi"], {
    home: home.path,
    cwd: work.path,
  });
  assert.equal(first.code, 0, first.stderr);
  const threadId = first.events.find((e) => e.type === "thread.started")?.thread_id;
  assert.equal(typeof threadId, "string");

  const sessions = await listSessions(home.path);
  assert.equal(sessions.length, 1);
  const [session] = sessions;
  assert.equal(session.threadId, threadId);
  assert.equal(session.cwd, await realpath(work.path));
  assert.equal(session.firstUserMessage, "run echo hi");
  assert.equal(session.cliVersion, TEST_CODEX_VERSION);
  assert.deepEqual(session.problems, []);
  assert.ok(session.path.includes(`${join(home.path, "sessions")}/`));
  assert.equal((await findSession(home.path, threadId as string))?.path, session.path);

  const entries: RolloutEntry[] = [];
  for await (const entry of readRollout(session.path)) entries.push(entry);
  const kinds = new Set(entries.map((e) => e.kind));
  for (const kind of ["session_meta", "event_msg", "response_item", "turn_context"]) {
    assert.ok(kinds.has(kind as RolloutEntry["kind"]), `has ${kind}`);
  }
  assert.equal(entries[0].kind, "session_meta");
  const calls = entries.filter((e) =>
    e.kind === "response_item" && e.payload.type === "function_call"
  );
  assert.equal(calls.length, 1);
  const answer = entries.find((e) =>
    e.kind === "response_item" && e.payload.type === "message" && e.payload.role === "assistant"
  );
  assert.ok(answer && JSON.stringify(answer.payload).includes("It printed hi."));

  // Tear the last line the way an interrupted write would.
  const size = (await stat(session.path)).size;
  await truncate(session.path, size - 20);
  const torn = await loadRollout(session.path);
  assert.equal(torn.entries.length, entries.length - 1);
  assert.deepEqual(torn.problems.map((p) => [p.torn, p.error.line]), [[true, entries.length]]);
});

test("real codex: a config.toml written here is what the CLI runs with", async () => {
  await using home = await freshHome();
  await using tmp = await tempDir("codexkit-tmp-");
  await using server = await startFakeResponsesServer([reply.message("configured")]);
  const { config, env } = offlineCodexConfig(server);
  await writeConfigToml(home.path, { ...config, sandbox_mode: "read-only", extra: { kept: true } });
  assert.deepEqual((await readConfigToml(home.path)).extra, { kept: true });
  // No -c overrides: provider, model and feature switches come from the file alone.
  const child = await getSpawner().spawn(
    NATIVE_CODEX,
    ["exec", "--json", "--skip-git-repo-check", "say something"],
    { cwd: home.path, env: { ...codexEnv(server, home.path, tmp.path), ...env }, stdin: "null" },
  );
  const [stdout, stderr, status] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  assert.equal(status.code, 0, stderr);
  assert.match(stdout, /"text":"configured"/);
  const [request] = await server.waitForRequests(1);
  assert.equal((request.body as { model: string }).model, config.model);
});

test("real codex: inspecting a home after a run finds its files and tolerates the rest", async () => {
  await using home = await freshHome();
  await using server = await startFakeResponsesServer([reply.message("ok")]);
  const run = await runCodexExec(server, ["hello"], { home: home.path });
  assert.equal(run.code, 0, run.stderr);
  const layout = await inspectCodexHome(home.path);
  assert.equal(layout.exists, true);
  assert.ok(layout.sessions && layout.sessions.size > 0);
  assert.ok(layout.installationId);
  assert.ok(layout.stateDbs.length > 0);
  assert.ok(layout.skills?.type === "directory");
  assert.equal(layout.auth, undefined);
  assert.equal(layout.config, undefined);
  assert.ok(layout.unknown.length > 0, "this CLI writes entries the SDK does not model");
  assert.equal(
    layout.entries.length,
    layout.unknown.length + layout.entries.filter((e) => e.role !== undefined).length,
  );
});

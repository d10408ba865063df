import { test } from "node:test";
import assert from "node:assert/strict";
import { appServerSurfaceFromSchemas } from "./app_server_surface.ts";
import type { AppServerSurface } from "./app_server_surface.ts";
import { compareReleases, formatDrift, hasDrift } from "./drift.ts";
import { knownAppServerSurface, knownSnapshot } from "./known.ts";
import type { CapabilitySnapshot } from "./types.ts";

function snap(
  version: string,
  commands: CapabilitySnapshot["commands"],
  features: [string, string][],
): CapabilitySnapshot {
  const [major, minor, patch] = version.split(".").map(Number);
  return {
    schemaVersion: 1,
    source: "known",
    collectedAt: "2026-01-01T00:00:00.000Z",
    version: {
      raw: version,
      semver: version,
      major,
      minor,
      patch,
      prerelease: [],
      channel: "stable",
    },
    features: features.map(([name, stage]) => ({ name, stage, enabled: false })),
    commands,
    gaps: [],
  };
}

const flag = (long: string, values?: string[]) => ({ long, takesValue: !!values, values });

test("compareReleases lists added, removed and changed flags, subcommands and features", () => {
  const a = snap("1.0.0", {
    "codex": { flags: [flag("--ask-for-approval", ["never", "untrusted"])], subcommands: [] },
    "codex exec": {
      flags: [flag("--json"), flag("--gone")],
      subcommands: [{ name: "resume", aliases: [] }],
    },
  }, [["apps", "experimental"], ["old", "stable"]]);
  const b = snap("1.1.0", {
    "codex": { flags: [flag("--ask-for-approval", ["never", "on-request"])], subcommands: [] },
    "codex exec": {
      flags: [flag("--json"), flag("--trust")],
      subcommands: [{ name: "resume", aliases: [] }, { name: "fork", aliases: [] }],
    },
    "codex exec fork": { flags: [flag("--last")], subcommands: [] },
  }, [["apps", "stable"], ["fresh", "under development"]]);
  const report = compareReleases({ snapshot: a }, { snapshot: b });
  const by = Object.fromEntries(report.sections.map((s) => [s.title, s]));
  assert.equal(report.from, "1.0.0");
  assert.equal(report.to, "1.1.0");
  assert.deepEqual(by["flags of codex exec"], {
    title: "flags of codex exec",
    added: ["--trust"],
    removed: ["--gone"],
    changed: [],
  });
  assert.deepEqual(by["flags of codex exec fork"].added, ["--last"]);
  assert.deepEqual(by["flags of codex"].changed, [
    "--ask-for-approval values: +on-request -untrusted",
  ]);
  assert.deepEqual(by["subcommands"].added, ["codex exec fork"]);
  assert.deepEqual(by["features"], {
    title: "features",
    added: ["fresh (under development)"],
    removed: ["old (stable)"],
    changed: ["apps: experimental -> stable"],
  });
  assert.equal(by["app-server methods"], undefined, "no surfaces, no app-server sections");
  assert.ok(hasDrift(report));
  assert.equal(hasDrift(compareReleases({ snapshot: a }, { snapshot: a })), false);
  const text = formatDrift(report);
  assert.match(text, /^codex 1\.0\.0 -> 1\.1\.0\n/);
  assert.ok(text.includes("flags of codex exec (+1 -1)\n  + --trust\n  - --gone\n"), text);
  assert.match(text, /features \(\+1 -1 ~1\)/);
});

test("compareReleases compares app-server methods, notifications and params fields", () => {
  const a: AppServerSurface = {
    methods: { "thread/start": ["cwd", "model"], "old/method": ["x"] },
    serverRequests: {},
    notifications: { "turn/completed": ["turn"] },
    clientNotifications: { initialized: [] },
  };
  const b: AppServerSurface = {
    methods: { "thread/start": ["cwd", "ephemeral"], "new/method": ["y"] },
    serverRequests: { "item/approve": ["id"] },
    notifications: { "turn/completed": ["turn"], "thread/closed": [] },
    clientNotifications: { initialized: [] },
  };
  const s = snap("1.0.0", {}, []);
  const report = compareReleases({ snapshot: s, appServer: a }, { snapshot: s, appServer: b });
  const by = Object.fromEntries(report.sections.map((x) => [x.title, x]));
  assert.deepEqual(by["app-server methods"].added, ["new/method"]);
  assert.deepEqual(by["app-server methods"].removed, ["old/method"]);
  assert.deepEqual(by["app-server server requests"].added, ["item/approve"]);
  assert.deepEqual(by["app-server notifications"].added, ["thread/closed"]);
  // Fields of added or removed methods are not repeated.
  assert.deepEqual(by["app-server params fields"].added, ["thread/start ephemeral"]);
  assert.deepEqual(by["app-server params fields"].removed, ["thread/start model"]);
});

test("appServerSurfaceFromSchemas reads methods and params fields through refs", () => {
  const surface = appServerSurfaceFromSchemas({
    "ClientRequest.json": {
      definitions: {
        StartParams: { properties: { cwd: {}, model: {} } },
        Both: { allOf: [{ $ref: "#/definitions/StartParams" }, { properties: { extra: {} } }] },
      },
      oneOf: [
        {
          properties: {
            method: { enum: ["thread/start"] },
            params: { $ref: "#/definitions/StartParams" },
          },
        },
        {
          properties: { method: { enum: ["thread/both"] }, params: { $ref: "#/definitions/Both" } },
        },
        { properties: { method: { enum: ["ping"] } } },
        { properties: { nomethod: {} } },
      ],
    },
  });
  assert.deepEqual(surface.methods, {
    "thread/start": ["cwd", "model"],
    "thread/both": ["cwd", "extra", "model"],
    ping: [],
  });
  assert.deepEqual(surface.notifications, {});
});

test("the recorded releases drift apart: 0.169.0 has exec --trust that 0.163.0 lacks", () => {
  const report = compareReleases(
    { snapshot: knownSnapshot("0.163.0")!, appServer: knownAppServerSurface("0.163.0") },
    { snapshot: knownSnapshot("0.169.0")!, appServer: knownAppServerSurface("0.169.0") },
  );
  const by = Object.fromEntries(report.sections.map((x) => [x.title, x]));
  assert.ok(by["flags of codex exec"].added.includes("--trust"));
  assert.ok(by["app-server methods"].added.length > 0);
  assert.ok(hasDrift(report));
});

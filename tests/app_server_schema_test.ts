import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { getSpawner } from "../src/runtime/mod.ts";
import * as v from "valibot";
import {
  CLIENT_REQUEST_METHODS,
  PROTOCOL_CLI_VERSION,
  SERVER_NOTIFICATION_METHODS,
  SERVER_REQUEST_METHODS,
} from "../src/app_server/protocol/methods.ts";
import { generateProtocol } from "../scripts/gen_app_server_protocol.ts";
import { APPROVAL_METHODS } from "../src/app_server/approvals.ts";
import { NATIVE_CODEX, tempDir, TEST_CODEX_VERSION } from "./_codex.ts";

type Json = Record<string, unknown>;

const PROTOCOL_DIR = join(import.meta.dirname ?? ".", "..", "src", "app_server", "protocol");

/** Generates the protocol schema from the pinned CLI into a temp dir and indexes it. */
async function generatedSchema() {
  await using out = await tempDir("codexkit-schema-");
  const child = await getSpawner().spawn(
    NATIVE_CODEX,
    ["app-server", "generate-json-schema", "--out", out.path],
    { stdin: "null", env: { PATH: "/usr/bin:/bin", HOME: out.path, CODEX_HOME: out.path } },
  );
  const [, stderr, status] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  assert.equal(status.code, 0, stderr);
  const defs = new Map<string, Json>();
  const read = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await read(path);
      else if (entry.name.endsWith(".json")) {
        const doc = JSON.parse(await readFile(path, "utf8")) as Json;
        for (const [name, def] of Object.entries((doc.definitions ?? {}) as Json)) {
          if (!defs.has(name)) defs.set(name, def as Json);
        }
        if (typeof doc.title === "string" && !defs.has(doc.title)) defs.set(doc.title, doc);
      }
    }
  };
  await read(out.path);
  const methods = async (file: string): Promise<Map<string, Json>> => {
    const doc = JSON.parse(await readFile(join(out.path, file), "utf8")) as { oneOf: Json[] };
    const map = new Map<string, Json>();
    for (const variant of doc.oneOf) {
      const props = variant.properties as Json;
      const method = ((props.method as Json).enum as string[])[0];
      map.set(method, props);
    }
    return map;
  };
  return {
    defs,
    client: await methods("ClientRequest.json"),
    notifications: await methods("ServerNotification.json"),
    serverRequests: await methods("ServerRequest.json"),
  };
}

const schema = await generatedSchema();

function resolve(node: Json): Json {
  let current = node;
  for (let i = 0; i < 20; i++) {
    if (typeof current.$ref === "string") {
      const name = current.$ref.split("/").at(-1)!;
      const def = schema.defs.get(name);
      assert.ok(def, `definition ${name} exists`);
      current = def;
      continue;
    }
    const alts = (current.anyOf ?? current.allOf ?? current.oneOf) as Json[] | undefined;
    if (alts && !current.properties && !current.enum) {
      const nonNull = alts.filter((a) => a.type !== "null");
      if (nonNull.length === 1) {
        current = nonNull[0];
        continue;
      }
    }
    return current;
  }
  return current;
}

/** Every string an enum-ish node allows (through refs, unions and single-value variants). */
function enumValues(node: Json): Set<string> {
  const out = new Set<string>();
  const walk = (n: Json): void => {
    const r = resolve(n);
    if (Array.isArray(r.enum)) { for (const v of r.enum) out.add(String(v)); }
    const tag = (r.properties as Json | undefined)?.type as Json | undefined;
    if (Array.isArray(tag?.enum)) { for (const v of tag.enum) out.add(String(v)); }
    for (const alt of (r.oneOf ?? r.anyOf ?? []) as Json[]) walk(alt);
  };
  walk(node);
  return out;
}

// The committed protocol is generated from one release; another release under test (the version
// matrix) is checked for compatibility instead of equality.
const SAME_CLI = TEST_CODEX_VERSION === PROTOCOL_CLI_VERSION;

test("App-server schema: the committed protocol is what the generator makes of this CLI", {
  skip: SAME_CLI
    ? false
    : `the protocol is generated from codex ${PROTOCOL_CLI_VERSION}; this is ${TEST_CODEX_VERSION}`,
}, async () => {
  const generated = await generateProtocol(NATIVE_CODEX);
  for (const [name, text] of generated.files) {
    const committed = await readFile(join(PROTOCOL_DIR, name), "utf8");
    // Compared whole: a difference means the pinned CLI changed; run the generator.
    assert.ok(committed === text, `src/app_server/protocol/${name} is stale: regenerate it`);
  }
  assert.equal(generated.counts.clientRequests, schema.client.size);
  assert.equal(generated.counts.notifications, schema.notifications.size);
  assert.equal(generated.counts.serverRequests, schema.serverRequests.size);
});

test("App-server schema: every method has typed params and result tables and names", async () => {
  const { CLIENT_REQUEST_SCHEMAS, SERVER_NOTIFICATION_SCHEMAS, SERVER_REQUEST_SCHEMAS } =
    await import("../src/app_server/wire_schemas.ts");
  const cli = {
    client: [...schema.client.keys()].sort(),
    notifications: [...schema.notifications.keys()].sort(),
    serverRequests: [...schema.serverRequests.keys()].sort(),
  };
  const typed = {
    client: [...CLIENT_REQUEST_METHODS].sort(),
    notifications: [...SERVER_NOTIFICATION_METHODS].sort(),
    serverRequests: [...SERVER_REQUEST_METHODS].sort(),
  };
  assert.deepEqual(Object.keys(CLIENT_REQUEST_SCHEMAS).sort(), typed.client);
  assert.deepEqual(Object.keys(SERVER_NOTIFICATION_SCHEMAS).sort(), typed.notifications);
  assert.deepEqual(Object.keys(SERVER_REQUEST_SCHEMAS).sort(), typed.serverRequests);
  if (SAME_CLI) {
    assert.deepEqual(typed, cli);
  } else {
    // An older or newer CLI: what it has beyond the committed protocol is untyped (it still
    // works through server.request); what it lacks is an UnsupportedError at call time.
    for (const kind of ["client", "notifications", "serverRequests"] as const) {
      const extra = cli[kind].filter((m) => !typed[kind].includes(m));
      const missing = typed[kind].filter((m) => !cli[kind].includes(m));
      console.log(
        `codex ${TEST_CODEX_VERSION} vs the protocol of ${PROTOCOL_CLI_VERSION}, ${kind}: ` +
          `${extra.length} untyped (${extra.join(", ") || "none"}), ` +
          `${missing.length} missing (${missing.join(", ") || "none"})`,
      );
    }
  }
  // Required params fields are required by the generated schemas: an empty object fails.
  const problems: string[] = [];
  for (const [method, props] of schema.client) {
    if (!(method in CLIENT_REQUEST_SCHEMAS)) continue;
    const params = resolve((props.params ?? {}) as Json);
    const required = (params.required ?? []) as string[];
    const checked = v.safeParse(CLIENT_REQUEST_SCHEMAS[method].params, {});
    if (required.length > 0 && checked.success) problems.push(`${method}: accepts {}`);
    if (required.length === 0 && params.properties && !checked.success) {
      problems.push(`${method}: rejects {}`);
    }
  }
  assert.deepEqual(problems, []);
});

test("App-server schema: every definition builds a schema that parses without throwing", async () => {
  const { DEFINITION_SCHEMAS } = await import("../src/app_server/wire_schemas.ts");
  assert.equal(Object.keys(DEFINITION_SCHEMAS).length > 700, true);
  for (const [name, schema] of Object.entries(DEFINITION_SCHEMAS)) {
    for (const sample of [{}, [], "x", 1, null]) {
      assert.doesNotThrow(() => v.safeParse(schema, sample), name);
    }
  }
});

test("App-server schema: unknown fields pass through the generated schemas", async () => {
  const { CLIENT_REQUEST_SCHEMAS } = await import("../src/app_server/wire_schemas.ts");
  const value = { threadId: "t", input: [{ type: "text", text: "x", future: 1 }], future: true };
  const parsed = v.parse(CLIENT_REQUEST_SCHEMAS["turn/start"].params, value);
  assert.deepEqual(parsed, value);
  assert.equal(
    v.safeParse(CLIENT_REQUEST_SCHEMAS["turn/start"].params, { threadId: 1, input: [] }).success,
    false,
  );
});

test("App-server schema: the notifications the normaliser reads carry their fields", () => {
  const reads: Record<string, string[]> = {
    "turn/started": ["threadId", "turn"],
    "turn/completed": ["threadId", "turn"],
    "item/started": ["threadId", "turnId", "item"],
    "item/completed": ["threadId", "turnId", "item"],
    "item/agentMessage/delta": ["threadId", "turnId", "itemId", "delta"],
    "item/reasoning/summaryTextDelta": ["threadId", "turnId", "itemId", "delta"],
    "item/reasoning/textDelta": ["threadId", "turnId", "itemId", "delta"],
    "item/commandExecution/outputDelta": ["threadId", "turnId", "itemId", "delta"],
    "thread/tokenUsage/updated": ["threadId", "turnId", "tokenUsage"],
    "turn/diff/updated": ["threadId", "turnId", "diff"],
    "turn/plan/updated": ["threadId", "turnId", "plan"],
    "error": ["threadId", "turnId", "error", "willRetry"],
  };
  const problems: string[] = [];
  for (const [method, fields] of Object.entries(reads)) {
    const props = schema.notifications.get(method);
    if (!props) {
      problems.push(`${method}: not a notification of this CLI`);
      continue;
    }
    const params = resolve(props.params as Json);
    const required = new Set((params.required ?? []) as string[]);
    for (const field of fields) {
      if (!required.has(field)) problems.push(`${method}.${field}: not required by the schema`);
    }
  }
  const turn = resolve({ $ref: "#/definitions/Turn" });
  assert.deepEqual(
    [...enumValues((turn.properties as Json).status as Json)].sort(),
    ["completed", "failed", "inProgress", "interrupted"],
  );
  assert.deepEqual(problems, []);
});

test("App-server schema: item types and statuses the normaliser maps exist", () => {
  const item = schema.defs.get("ThreadItem") as { oneOf: Json[] };
  const byType = new Map(item.oneOf.map((variant) => {
    const props = variant.properties as Record<string, Json>;
    return [(props.type.enum as string[])[0], variant];
  }));
  const reads: Record<string, string[]> = {
    agentMessage: ["id", "text"],
    reasoning: ["id"],
    commandExecution: ["id", "command", "status"],
    fileChange: ["id", "changes", "status"],
    mcpToolCall: ["id", "server", "tool", "arguments", "status"],
    webSearch: ["id", "query"],
    userMessage: ["id"],
  };
  const problems: string[] = [];
  for (const [type, fields] of Object.entries(reads)) {
    const variant = byType.get(type);
    if (!variant) {
      problems.push(`${type}: no such item`);
      continue;
    }
    const required = new Set((variant.required ?? []) as string[]);
    for (const f of fields) if (!required.has(f)) problems.push(`${type}.${f}: not required`);
  }
  assert.deepEqual(problems, []);
  assert.deepEqual([...enumValues({ $ref: "#/definitions/CommandExecutionStatus" })].sort(), [
    "completed",
    "declined",
    "failed",
    "inProgress",
  ]);
  assert.deepEqual([...enumValues({ $ref: "#/definitions/PatchChangeKind" })].sort(), [
    "add",
    "delete",
    "update",
  ]);
});

test("App-server schema: approval requests and their decisions match what the SDK answers", () => {
  const problems: string[] = [];
  for (const method of Object.keys(APPROVAL_METHODS)) {
    const props = schema.serverRequests.get(method);
    if (!props) {
      problems.push(`${method}: not a server request of this CLI`);
      continue;
    }
    const params = resolve(props.params as Json);
    const required = new Set((params.required ?? []) as string[]);
    // The older shapes name the thread conversationId and the item callId.
    const legacy = method === "execCommandApproval" || method === "applyPatchApproval";
    for (const f of legacy ? ["conversationId", "callId"] : ["threadId", "turnId", "itemId"]) {
      if (!required.has(f)) problems.push(`${method}.${f}: not required`);
    }
  }
  assert.deepEqual(problems, []);
  const review = schema.defs.get("ReviewDecision")!;
  const reviewValues = new Set(
    (review.oneOf as Json[]).flatMap((v) =>
      Array.isArray(v.enum) ? v.enum as string[] : (v.required ?? []) as string[]
    ),
  );
  for (const d of ["approved", "approved_for_session", "abort", "denied"]) {
    assert.ok(reviewValues.has(d), `ReviewDecision ${d}`);
  }
  const command = enumValues({ $ref: "#/definitions/CommandExecutionApprovalDecision" });
  for (const d of ["accept", "acceptForSession", "decline", "cancel"]) assert.ok(command.has(d), d);
  const amendment = (schema.defs.get("CommandExecutionApprovalDecision")!.oneOf as Json[])
    .find((v) => (v.required as string[] | undefined)?.[0] === "acceptWithExecpolicyAmendment");
  assert.ok(amendment, "acceptWithExecpolicyAmendment is a decision");
  const patch = enumValues({ $ref: "#/definitions/FileChangeApprovalDecision" });
  assert.deepEqual([...patch].sort(), ["accept", "acceptForSession", "cancel", "decline"]);
  assert.deepEqual([...enumValues({ $ref: "#/definitions/PermissionGrantScope" })].sort(), [
    "session",
    "turn",
  ]);
});

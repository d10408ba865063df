import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { getSpawner } from "../src/runtime/mod.ts";
import { METHOD_SCHEMAS } from "../src/app_server/methods.ts";
import { APPROVAL_METHODS } from "../src/app_server/approvals.ts";
import { NATIVE_CODEX, tempDir } from "./_codex.ts";

type Json = Record<string, unknown>;

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

interface ValibotNode {
  type: string;
  entries?: Record<string, ValibotNode>;
  wrapped?: ValibotNode;
  options?: unknown[];
  item?: ValibotNode;
}

const OPTIONAL = new Set(["optional", "nullish", "exact_optional", "undefinedable"]);

/** Compares one valibot object schema with the JSON Schema object it mirrors. */
function compare(where: string, ours: ValibotNode, theirs: Json, problems: string[]): void {
  const obj = resolve(theirs);
  if (ours.type === "array" && ours.item) {
    const items = resolve(obj).items as Json | undefined;
    if (items) compare(`${where}[]`, ours.item, items, problems);
    return;
  }
  if (ours.type === "picklist") {
    const allowed = enumValues(obj);
    for (const value of ours.options as string[]) {
      if (!allowed.has(value)) problems.push(`${where}: enum value ${value} not in the schema`);
    }
    return;
  }
  if (!ours.entries) return;
  let props = (obj.properties ?? {}) as Record<string, Json>;
  let required = new Set((obj.required ?? []) as string[]);
  const variants = ((obj.oneOf ?? obj.anyOf ?? []) as Json[]).map(resolve).filter((v) =>
    v.properties
  );
  if (!obj.properties && variants.length > 0) {
    // A tagged union (UserInput): a field counts when some variant has it, required when all do.
    props = Object.assign({}, ...variants.map((v) => v.properties as Json));
    required = new Set(
      [...Object.keys(props)].filter((k) =>
        variants.every((v) => ((v.required ?? []) as string[]).includes(k))
      ),
    );
  }
  for (const [key, entry] of Object.entries(ours.entries)) {
    const prop = props[key];
    if (!prop) {
      problems.push(`${where}.${key}: not in the schema`);
      continue;
    }
    const optional = OPTIONAL.has(entry.type);
    if (!optional && !required.has(key)) {
      problems.push(`${where}.${key}: we require it, the schema does not`);
    }
    if (optional && required.has(key) && where.endsWith("params")) {
      problems.push(`${where}.${key}: the schema requires it, we send it optionally`);
    }
    const inner = optional && entry.wrapped ? entry.wrapped : entry;
    const target = inner.type === "union" ? undefined : inner;
    if (target) compare(`${where}.${key}`, target, prop, problems);
  }
}

test("App-server schema: every typed method exists with the fields and enums the SDK reads", () => {
  const problems: string[] = [];
  for (const [method, schemas] of Object.entries(METHOD_SCHEMAS)) {
    const props = schema.client.get(method);
    if (!props) {
      problems.push(`${method}: not a client request of this CLI`);
      continue;
    }
    const paramsRef = props.params as Json | undefined;
    if (paramsRef) {
      compare(`${method} params`, schemas.params as unknown as ValibotNode, paramsRef, problems);
    }
    const resultName = typeof paramsRef?.$ref === "string"
      ? paramsRef.$ref.split("/").at(-1)!.replace(/Params$/, "Response")
      : undefined;
    const result = resultName && (schema.defs.get(resultName) ??
      schema.defs.get(resultName.replace(/^(\w+?)Value/, "$1")) ??
      schema.defs.get(resultName.replace(/^Config(Value|Batch)Write/, "ConfigWrite")) ??
      schema.defs.get(resultName.replace(/^ListMcpServerStatus/, "ListMcpServerStatus")));
    if (!result) problems.push(`${method}: no ${resultName} in the schema`);
    else compare(`${method} result`, schemas.result as unknown as ValibotNode, result, problems);
  }
  assert.deepEqual(problems, []);
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
    for (const f of ["threadId", "turnId", "itemId"]) {
      if (!required.has(f)) problems.push(`${method}.${f}: not required`);
    }
  }
  assert.deepEqual(problems, []);
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

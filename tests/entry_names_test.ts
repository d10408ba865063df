import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

/** The names an entry exports: every entry lists its names, so its export clauses hold them all. */
function exportedNames(source: string): string[] {
  const names: string[] = [];
  const clause = /^export\s+(?:type\s+)?\{([^}]*)\}\s+from\s/gm;
  for (const [, list] of source.matchAll(clause)) {
    for (const part of list.split(",")) {
      const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/).pop();
      if (name) names.push(name);
    }
  }
  for (const [, name] of source.matchAll(/^export\s+type\s+\*\s+as\s+(\w+)\s+from\s/gm)) {
    names.push(name);
  }
  return names;
}

/** The names `@openai/codex-sdk` exports, from its type declarations' export clause. */
function upstreamNames(): string[] {
  const dts = read("node_modules/@openai/codex-sdk/dist/index.d.ts");
  const [, list] = dts.match(/^export\s*\{([^}]*)\};?\s*$/m) ?? [];
  assert.ok(list, "the upstream declarations end with one export clause");
  return list.split(",").map((part) => part.trim().replace(/^type\s+/, "")).filter(Boolean);
}

test("the root entry exports at most 80 names, every one of @openai/codex-sdk among them", () => {
  const names = exportedNames(read("mod.ts"));
  assert.equal(new Set(names).size, names.length, "no name is exported twice");
  assert.ok(names.length <= 80, `the root exports ${names.length} names`);
  const upstream = upstreamNames();
  assert.ok(upstream.length >= 30, `found ${upstream.length} upstream names`);
  assert.deepEqual(upstream.filter((name) => !names.includes(name)), []);
});

test("no entry re-exports a module whole; the wire types are one namespace", () => {
  const entries: Record<string, string> = JSON.parse(read("deno.json")).exports;
  for (const path of Object.values(entries)) {
    const whole = read(path).match(/^export\s+(?:type\s+)?\*\s+from\s.*$/m);
    assert.equal(whole, null, `${path} re-exports a module whole`);
  }
  const appServer = read(join("src", "app_server", "mod.ts"));
  assert.deepEqual(exportedNames(appServer).filter((name) => name.endsWith("Wire")), []);
  assert.ok(exportedNames(appServer).includes("wire"));
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

// Static value imports and re-exports; `import type` / `export type` vanish at runtime and
// dynamic `import()` loads only when used, so neither counts.
const STATIC = /^(?:import|export)\s+(?!type\b)(?:[^;"']*?\sfrom\s+)?["']([^"']+)["'];?/gm;

/** Every module a runtime loads when it imports `entry`: files under the repo and packages. */
function loadedBy(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (path: string): void => {
    const rel = relative(ROOT, path);
    if (files.has(rel)) return;
    files.add(rel);
    if (!path.endsWith(".ts")) return;
    for (const match of readFileSync(path, "utf8").matchAll(STATIC)) {
      const specifier = match[1];
      if (specifier.startsWith(".")) visit(join(dirname(path), specifier));
      else if (!specifier.startsWith("node:")) packages.add(specifier);
    }
  };
  visit(join(ROOT, entry));
  return { files, packages };
}

test("importing the root entry loads no npm package, lane, process adapter or home helper", () => {
  const { files, packages } = loadedBy("mod.ts");
  assert.deepEqual([...packages], []);
  // What a turn, a codexHome or a retry policy needs loads with its first use.
  const lazy = [...files].filter((f) =>
    f.startsWith(join("src", "app_server")) || f.startsWith(join("src", "schemas")) ||
    f.startsWith(join("src", "exec")) || f.startsWith(join("src", "home")) ||
    f.startsWith(join("src", "streams")) || f.startsWith(join("src", "telemetry")) ||
    f === join("src", "lanes", "retry.ts") ||
    f === join("src", "lanes", "client_context.ts") ||
    f.startsWith(join("src", "process")) || f.startsWith(join("src", "tools")) ||
    f.startsWith(join("src", "fleet")) || f.startsWith(join("src", "undo")) ||
    (f.startsWith(join("src", "runtime")) && f !== join("src", "runtime", "detect.ts"))
  );
  assert.deepEqual(lazy, []);
  assert.ok(files.has(join("src", "codex.ts")), "the walk follows the root's imports");
});

test("the home and schemas entries carry the packages the root leaves out", () => {
  assert.ok(loadedBy(join("src", "home", "mod.ts")).packages.has("smol-toml"));
  assert.ok(loadedBy(join("src", "schemas", "mod.ts")).packages.has("valibot"));
});

test("the NATS client loads with the fleet entry only", () => {
  const fleet = loadedBy(join("src", "fleet", "mod.ts")).packages;
  for (
    const name of ["@nats-io/transport-node", "@nats-io/jetstream", "@nats-io/kv", "@nats-io/obj"]
  ) {
    assert.ok(fleet.has(name), `the fleet entry loads ${name}`);
  }
  for (const entry of ["mod.ts", join("src", "testing", "mod.ts"), join("src", "home", "mod.ts")]) {
    const nats = [...loadedBy(entry).packages].filter((p) => p.startsWith("@nats-io/"));
    assert.deepEqual(nats, [], `${entry} loads no NATS package`);
  }
});

test("the tools entry loads no npm package: the MCP SDK loads with a thread's tools", () => {
  const { packages, files } = loadedBy(join("src", "tools", "mod.ts"));
  assert.deepEqual([...packages], []);
  assert.ok(!files.has(join("src", "tools", "mcp_server.ts")));
});

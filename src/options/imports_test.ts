import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..");

// Every way a module names another: import / export ... from, side-effect imports, and
// `import("...")` in types or code.
const SPECIFIER = /(?:\bfrom\s*|^\s*import\s*|\bimport\s*\(\s*)["']([^"']+)["']/gm;

/** The repo files `file` imports, relative to `src/`. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(SRC, file), "utf8");
  return [...source.matchAll(SPECIFIER)]
    .map((match) => match[1])
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => relative(SRC, join(SRC, dirname(file), specifier)));
}

/** The transports: what the options must not depend on. */
function isTransport(path: string): boolean {
  const [first] = path.split(/[\\/]/);
  return first === "exec" || first === "app_server" || first === "lanes";
}

test("the options files import nothing from src/exec, src/app_server or src/lanes", () => {
  const files = [
    "options.ts",
    ...readdirSync(join(SRC, "options"))
      .filter((name) => name.endsWith(".ts") && !name.endsWith("_test.ts"))
      .map((name) => join("options", name)),
  ];
  assert.ok(files.length >= 8, `found ${files.length} options files`);
  const ties = files.flatMap((file) =>
    importsOf(file).filter(isTransport).map((target) => `${file} -> ${target}`)
  );
  assert.deepEqual(ties, []);
});

test("the import check sees type-only and import() references", () => {
  const found = [
    ...'import type { A } from "../exec/x.ts";'.matchAll(SPECIFIER),
    ...'type B = (typeof import("../lanes/lane.ts"))["C"];'.matchAll(SPECIFIER),
    ...'export type { D } from "../lanes/retry.ts";'.matchAll(SPECIFIER),
  ].map((match) => match[1]);
  assert.deepEqual(found, ["../exec/x.ts", "../lanes/lane.ts", "../lanes/retry.ts"]);
});

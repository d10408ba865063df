/**
 * Builds the npm package from the TypeScript sources: `npm run build` (Node 24 runs this file
 * as is). The `.ts` files stay the single source; JSR publishes them directly.
 *
 * What it does, in `.build/npm/` (git-ignored):
 * - `tsc` (TypeScript, from npm) compiles every entry of `deno.json` `exports` and everything
 *   they import to JavaScript plus `.d.ts` in `.build/tsc/`, rewriting `./x.ts` imports to
 *   `./x.js` (`rewriteRelativeImportExtensions`) and copying the imported JSON files;
 * - Rollup joins that JavaScript into one file per entry plus shared chunks, with everything the
 *   root entry loads in one `core` chunk: Node pays per module file at import, and the root must
 *   import no slower than `@openai/codex-sdk` (one file). Shared chunks keep one copy of each
 *   module, so an error class is the same class whichever entry it came through. The `.d.ts`
 *   files and JSON files are copied as tsc wrote them;
 * - writes a `package.json` with the same entries (`types` + `import` each), the `codexkit`
 *   bin, the npm dependencies named in `deno.json` `imports`, and `@openai/codex` at the
 *   version this SDK is tested with, so installing the package installs a working binary;
 * - copies README.md and LICENSE, and checks that every file `package.json` names exists.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { writeFileSync } from "node:fs";
import { cpSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BUILD = join(ROOT, ".build");
const OUT = join(BUILD, "npm");
const TSC_OUT = join(BUILD, "tsc");
/** The package name on npm and JSR. */
const NAME = "@codexkit/sdk";
/** The bin name and the entry it runs. */
const BIN = { name: "codexkit", entry: "./cli" };

interface DenoJson {
  name: string;
  version: string;
  license?: string;
  exports: Record<string, string>;
  imports: Record<string, string>;
}
interface PackageJson {
  description?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const deno = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8")) as DenoJson;
const dev = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;
if (deno.name !== NAME) throw new Error(`deno.json names ${deno.name}, expected ${NAME}`);

/** `./src/home/mod.ts` -> `./src/home/mod.js` and `./src/home/mod.d.ts`. */
function built(source: string): { js: string; types: string } {
  if (!source.endsWith(".ts")) throw new Error(`entry ${source} is not a .ts file`);
  const stem = source.slice(0, -".ts".length);
  return { js: `${stem}.js`, types: `${stem}.d.ts` };
}

/** The npm dependencies: each `npm:` import of deno.json that the built code imports. */
function dependencies(): Record<string, string> {
  const deps: Record<string, string> = {};
  for (const [specifier, target] of Object.entries(deno.imports)) {
    const match = /^npm:(@?[^@]+)@(.+)$/.exec(target);
    if (!match) throw new Error(`deno.json import ${specifier} is not an npm: specifier`);
    const [, name, range] = match;
    // Runtime dependencies are the ones package.json lists under dependencies; the rest (the
    // upstream SDK, for benches and comparisons) is for development only.
    if (dev.dependencies?.[name] !== undefined) deps[name] = range;
  }
  const missing = Object.keys(dev.dependencies ?? {}).filter((name) => !(name in deps));
  if (missing.length) throw new Error(`deno.json imports lack ${missing.join(", ")}`);
  // The codex binary comes with the package, as with @openai/codex-sdk: the SDK finds the
  // platform package that npm installs beside or inside @openai/codex.
  const codex = dev.devDependencies?.["@openai/codex"];
  if (!codex) throw new Error("package.json devDependencies lack @openai/codex");
  deps["@openai/codex"] = codex;
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Packages the built code imports only when present (a dynamic import that fails quietly):
 * optional peers, never dependencies. Their range is the one deno.json imports them at.
 */
const OPTIONAL_PEERS = ["@opentelemetry/api"];

function optionalPeers(): {
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional: true }>;
} {
  const peerDependencies: Record<string, string> = {};
  const peerDependenciesMeta: Record<string, { optional: true }> = {};
  for (const name of OPTIONAL_PEERS) {
    const match = /^npm:@?[^@]+@(.+)$/.exec(deno.imports[name] ?? "");
    if (!match) throw new Error(`deno.json imports lack ${name}`);
    if (dev.dependencies?.[name] !== undefined) throw new Error(`${name} must not be a dependency`);
    peerDependencies[name] = match[1];
    peerDependenciesMeta[name] = { optional: true };
  }
  return { peerDependencies, peerDependenciesMeta };
}

function compile(): void {
  rmSync(OUT, { recursive: true, force: true });
  rmSync(TSC_OUT, { recursive: true, force: true });
  mkdirSync(BUILD, { recursive: true });
  const tsconfig = {
    extends: "../tsconfig.build.json",
    compilerOptions: { rootDir: "..", outDir: "tsc" },
    files: ["../scripts/build/deno.d.ts", ...Object.values(deno.exports).map((e) => `.${e}`)],
  };
  writeFileSync(join(BUILD, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  const tsc = join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "tsc.cmd" : "tsc");
  execFileSync(tsc, ["-p", join(BUILD, "tsconfig.json")], { stdio: "inherit", cwd: ROOT });
}

// Static value imports and re-exports of compiled JavaScript (type imports are gone by now).
const STATIC = /^(?:import|export)\s+(?:[^;"']*?\sfrom\s+)?["']([^"']+)["'];?/gm;

/** The compiled files a runtime loads when it imports `entry` (absolute paths). */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path) || !path.endsWith(".js")) return;
    seen.add(path);
    for (const match of readFileSync(path, "utf8").matchAll(STATIC)) {
      if (match[1].startsWith(".")) visit(resolve(dirname(path), match[1]));
    }
  };
  visit(entry);
  return seen;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]
  );
}

async function bundle(): Promise<void> {
  const { rollup } = await import("@rollup/wasm-node");
  const input: Record<string, string> = {};
  for (const source of Object.values(deno.exports)) {
    const { js } = built(source);
    input[js.slice(2, -".js".length)] = join(TSC_OUT, js);
  }
  const core = staticGraph(input["mod"]);
  const build = await rollup({
    input,
    // Packages, Node built-ins and JSON files stay imports; the JSON files are copied below.
    external: (id) => !id.startsWith(".") && !id.startsWith("/") || id.endsWith(".json"),
  });
  await build.write({
    dir: OUT,
    format: "es",
    entryFileNames: "[name].js",
    chunkFileNames: "_chunks/[name]-[hash].js",
    manualChunks: (id) => (core.has(id) ? "core" : undefined),
    // Keep the sources' own structure readable in stack traces.
    generatedCode: "es2015",
    // Node 22+ reads only the `with` form of import attributes.
    importAttributesKey: "with",
  });
  await build.close();
  for (const file of walk(TSC_OUT)) {
    if (file.endsWith(".d.ts") || file.endsWith(".json")) {
      const to = join(OUT, relative(TSC_OUT, file));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(file, to);
    }
  }
}

function writeManifest(): void {
  const exports: Record<string, { types: string; import: string }> = {};
  for (const [entry, source] of Object.entries(deno.exports)) {
    const { js, types } = built(source);
    exports[entry] = { types, import: js };
  }
  const root = exports["."];
  const bin = exports[BIN.entry];
  if (!root || !bin) throw new Error(`deno.json exports lack "." or "${BIN.entry}"`);
  const pkg = {
    name: NAME,
    version: deno.version,
    description:
      "Drive the OpenAI Codex CLI from Node, Bun and Deno: typed threads, streamed events, " +
      "capability gating, pinned binaries and an offline testing kit.",
    license: deno.license ?? "MIT",
    type: "module",
    engines: { node: ">=24" },
    exports: { ...exports, "./package.json": "./package.json" },
    types: root.types,
    bin: { [BIN.name]: bin.import },
    dependencies: dependencies(),
    ...optionalPeers(),
  };
  writeFileSync(join(OUT, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const file of ["README.md", "LICENSE"]) copyFileSync(join(ROOT, file), join(OUT, file));

  const binPath = join(OUT, bin.import);
  const text = readFileSync(binPath, "utf8");
  if (!text.startsWith("#!/usr/bin/env node\n")) {
    writeFileSync(binPath, `#!/usr/bin/env node\n${text.replace(/^#!.*\n/, "")}`);
  }
  chmodSync(binPath, 0o755);

  const named = Object.values(exports).flatMap((e) => [e.types, e.import]);
  const absent = named.filter((file) => !existsSync(join(OUT, file)));
  if (absent.length) throw new Error(`the build lacks ${absent.join(", ")}`);
  console.log(
    `built ${NAME}@${deno.version} in ${OUT}: ${Object.keys(exports).length} entries, ` +
      `bin ${BIN.name}, dependencies ${Object.keys(pkg.dependencies).join(", ")}`,
  );
}

compile();
await bundle();
writeManifest();

/**
 * Makes a bundle offline from the installed npm platform package (for trying the example
 * without a download). A real app runs `codexkit bundle add <version>` instead.
 *
 *   bun examples/bun-bundle/local_bundle.ts <bundle root>
 *
 * @module
 */
import { createHash } from "node:crypto";
import { cp, link, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { currentPlatform, platformInfo } from "../../bundles/mod.ts";

/**
 * Writes a bundle of the installed codex under `root` and returns its version. The binary is
 * hard-linked when the file system allows it (it is about 300 MB), else copied.
 */
export async function makeLocalBundle(root: string): Promise<string> {
  const label = currentPlatform();
  if (!label) throw new Error("codex ships no binary for this platform");
  const info = platformInfo(label);
  const repo = resolve(dirname(new URL(import.meta.url).pathname), "..", "..");
  const vendor = join(repo, "node_modules", info.npmAlias, "vendor", info.triple);
  const pkg = JSON.parse(await readFile(join(vendor, "codex-package.json"), "utf8"));
  const dest = join(root, label, pkg.version);

  await mkdir(dest, { recursive: true });
  await link(join(vendor, pkg.entrypoint), join(dest, info.executable)).catch(() =>
    cp(join(vendor, pkg.entrypoint), join(dest, info.executable))
  );
  for (const dir of [pkg.pathDir, pkg.resourcesDir]) {
    if (dir) await cp(join(vendor, dir), join(dest, dir), { recursive: true });
  }
  const bytes = await readFile(join(dest, info.executable));
  const entry = {
    sha256: createHash("sha256").update(bytes).digest("hex"),
    size: (await stat(join(dest, info.executable))).size,
    source: {
      tarball: `file://${vendor}`,
      integrity: "local copy",
      package: `${info.npmAlias}@${pkg.version}`,
    },
    addedAt: new Date().toISOString(),
  };
  const manifest = { schemaVersion: 1, entries: { [pkg.version]: { [label]: entry } } };
  await writeFile(join(root, "bundle.jsonc"), `${JSON.stringify(manifest, null, 2)}\n`);
  return pkg.version;
}

if (import.meta.main) {
  const root = resolve(process.argv[2] ?? "codex-bundle");
  const version = await makeLocalBundle(root);
  console.log(`bundle ${root}: codex ${version} for ${currentPlatform()}`);
}

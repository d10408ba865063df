/**
 * The README and the guides under docs/: every relative link reaches a file of the repository,
 * and every `#anchor` a heading of the file it names. (Their TypeScript examples are
 * type-checked by `deno check --doc-only` in `.ci/run`.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DOCS = [
  "README.md",
  ...readdirSync(join(ROOT, "docs")).filter((n) => n.endsWith(".md")).map((n) => `docs/${n}`),
];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
export function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

function anchors(file: string): Set<string> {
  const text = readFileSync(join(ROOT, file), "utf8");
  const out = new Set<string>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const match = !fenced && /^#{1,6} (.+)$/.exec(line);
    if (match) out.add(anchorOf(match[1]));
  }
  return out;
}

/** The links of a Markdown text outside code blocks and code spans. */
function links(text: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const plain = line.replace(/`[^`]*`/g, "");
    for (const match of plain.matchAll(/\]\(([^)\s]+)\)/g)) out.push(match[1]);
  }
  return out;
}

test("anchorOf spells a heading as GitHub does", () => {
  assert.equal(anchorOf("CLI versions"), "cli-versions");
  assert.equal(
    anchorOf("The whole protocol, typed from the CLI's own schema"),
    "the-whole-protocol-typed-from-the-clis-own-schema",
  );
  assert.equal(
    anchorOf("Pinned bundles (`@codexkit/sdk/bundles`)"),
    "pinned-bundles-codexkitsdkbundles",
  );
});

test("every relative link of the README and the guides reaches its file and heading", () => {
  const broken: string[] = [];
  let checked = 0;
  for (const file of DOCS) {
    for (const link of links(readFileSync(join(ROOT, file), "utf8"))) {
      if (/^[a-z]+:/i.test(link)) continue; // https:, mailto: and the like are not ours to check
      checked++;
      const [path, anchor] = link.split("#");
      const target = path === "" ? join(ROOT, file) : resolve(ROOT, dirname(file), path);
      if (!target.startsWith(ROOT) || !existsSync(target)) {
        broken.push(`${file}: ${link} (no such file)`);
        continue;
      }
      if (anchor !== undefined && statSync(target).isFile() && target.endsWith(".md")) {
        if (!anchors(relative(ROOT, target)).has(anchor)) {
          broken.push(`${file}: ${link} (no such heading)`);
        }
      }
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(checked >= 13, `only ${checked} links were checked`);
});

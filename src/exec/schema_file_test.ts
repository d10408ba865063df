import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileSystemError } from "../errors.ts";
import { writeSchemaFile } from "./schema_file.ts";

test("writeSchemaFile writes the schema to a temp file that remove() takes away", async () => {
  const parent = await mkdtemp(join(tmpdir(), "codexkit-schema-test-"));
  try {
    const file = await writeSchemaFile({ type: "object" }, parent);
    assert.deepEqual(JSON.parse(await readFile(file.path, "utf8")), { type: "object" });
    await file.remove();
    assert.deepEqual(await readdir(parent), []);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

test("writeSchemaFile in a temp dir that cannot take it is a FileSystemError naming the path", async () => {
  const parent = await mkdtemp(join(tmpdir(), "codexkit-schema-test-"));
  try {
    // A file where the temp dir should be: mkdtemp fails as it would on a full or missing one.
    const notADir = join(parent, "file");
    await writeFile(notADir, "");
    await assert.rejects(
      writeSchemaFile({ type: "object" }, notADir),
      (e: unknown) =>
        e instanceof FileSystemError && e.operation === "create" && e.code === "ENOTDIR" &&
        e.path === join(notADir, "codexkit-schema-XXXXXX") &&
        e.message.startsWith(`Cannot create the output schema temp dir ${notADir}/`),
    );
    assert.deepEqual(await readdir(parent), ["file"]);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});

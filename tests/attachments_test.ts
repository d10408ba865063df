/**
 * Thread attachments and skills against the real codex app-server, offline: an attachment is
 * kept with its thread, found by its owners lookup, never sent to the model, and removed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { NATIVE_CODEX, TEST_CODEX_VERSION } from "./_codex.ts";
import { knownAppServerSurface } from "../capabilities/known.ts";
import { readAppServerSurface } from "../capabilities/app_server_surface.ts";
import { offlineClient } from "./_offline_codex.ts";

// The methods of the app-server under test: its recorded surface, or its schema when unknown.
const surface = knownAppServerSurface(TEST_CODEX_VERSION) ??
  await readAppServerSurface(NATIVE_CODEX);
const serves = (method: string): boolean => Object.hasOwn(surface.methods, method);

const skip = serves("thread/attachment/add") ? false : "no thread attachments here";
const TICKET = { attachmentType: "example.ticket", identityKey: "JIRA-12" };

test(
  "codex.attachments adds, lists, finds the owner of and removes an attachment the model never sees",
  {
    skip,
  },
  async () => {
    await using server = await startFakeResponsesServer([
      reply.message("first"),
      reply.message("second"),
    ]);
    await using client = await offlineClient(server);
    const { codex } = client;
    const thread = codex.startThread({ transport: "app-server", workingDirectory: client.work });
    await thread.run("First turn");
    const id = thread.id!;

    const added = await codex.attachments.add(id, { ...TICKET, payload: { title: "Fix CI" } });
    assert.equal(added.created, true);
    assert.deepEqual(added.attachment.payload, { title: "Fix CI" });
    const again = await codex.attachments.add(id, { ...TICKET, payload: { title: "other" } });
    assert.equal(again.created, false);
    assert.deepEqual(again.attachment.payload, { title: "Fix CI" }, "the first payload is kept");

    const { attachments: listed, nextCursor } = await codex.attachments.list(id);
    assert.deepEqual(listed.map((a) => [a.attachmentType, a.identityKey]), [[
      TICKET.attachmentType,
      TICKET.identityKey,
    ]]);
    assert.equal(nextCursor, null);
    const { owners } = await codex.attachments.owners(TICKET);
    assert.deepEqual(owners, [{ threadId: id, archived: false }]);

    await thread.run("Second turn");
    assert.ok(
      !JSON.stringify(server.requests.at(-1)?.body).includes("Fix CI"),
      "not in the model's input",
    );

    await codex.attachments.remove(id, TICKET);
    assert.deepEqual((await codex.attachments.list(id)).attachments, []);
    assert.deepEqual((await codex.attachments.owners(TICKET)).owners, []);
  },
);

test("codex.skills lists the system skills of a fresh home per working directory", {
  skip: serves("skills/list") ? false : "no skills/list here",
}, async () => {
  await using server = await startFakeResponsesServer([]);
  await using client = await offlineClient(server);
  const [entry] = await client.codex.skills.list({ cwds: [client.work] });
  assert.equal(entry.cwd, client.work);
  assert.ok(entry.skills.length > 0, "codex ships system skills");
  assert.ok(
    entry.skills.every((s) => typeof s.name === "string" && typeof s.enabled === "boolean"),
  );
});

test("codex.attachments and codex.skills check their input before starting anything", async () => {
  await using server = await startFakeResponsesServer([]);
  await using client = await offlineClient(server);
  const { codex } = client;
  await assert.rejects(codex.attachments.add("", { ...TICKET, payload: 1 }), /thread id/);
  await assert.rejects(
    codex.attachments.add("t", { ...TICKET, identityKey: "", payload: 1 }),
    /identityKey/,
  );
  await assert.rejects(codex.attachments.add("t", { ...TICKET, payload: undefined }), /payload/);
  await assert.rejects(codex.attachments.list("t", { limit: 0 }), /limit/);
  await assert.rejects(codex.skills.setEnabled({} as { name: string }, true), /name or the path/);
  await assert.rejects(
    codex.skills.setEnabled({ name: "x" }, "yes" as unknown as boolean),
    TypeError,
  );
});

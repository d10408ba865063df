/**
 * Thread labels against the real codex app-server, offline: kept with the thread as codex
 * attachments, one value per key, found by `codex.threads.list({ labels })`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import { NATIVE_CODEX, TEST_CODEX_VERSION } from "./_codex.ts";
import { knownAppServerSurface } from "../capabilities/known.ts";
import { readAppServerSurface } from "../capabilities/app_server_surface.ts";
import { offlineClient } from "./_offline_codex.ts";
import { readdir } from "node:fs/promises";

// The methods of the app-server under test: its recorded surface, or its schema when unknown.
const surface = knownAppServerSurface(TEST_CODEX_VERSION) ??
  await readAppServerSurface(NATIVE_CODEX);
const skip = Object.hasOwn(surface.methods, "thread/attachmentOwner/list")
  ? false
  : "no thread attachments here";

test(
  "codex.threads.setLabels keeps one value per key and threads.list({ labels }) finds the threads",
  {
    skip,
  },
  async () => {
    await using server = await startFakeResponsesServer([
      reply.message("a"),
      reply.message("b"),
      reply.message("c"),
    ]);
    await using client = await offlineClient(server);
    const { codex } = client;
    const start = () =>
      codex.startThread({ transport: "app-server", workingDirectory: client.work });
    const one = start();
    await one.run("one");
    const two = start();
    await two.run("two");
    const [a, b] = [one.id!, two.id!];

    assert.deepEqual(await codex.threads.setLabels(a, { team: "infra", ticket: "OPS-1" }), {
      team: "infra",
      ticket: "OPS-1",
    });
    assert.deepEqual(await codex.threads.setLabels(b, { team: "web" }), { team: "web" });
    assert.deepEqual(await codex.threads.setLabels(b, { team: "infra" }), { team: "infra" });
    assert.deepEqual(await codex.threads.labels(b), { team: "infra" }, "the old value is gone");

    const ids = async (labels: Record<string, string>) =>
      (await codex.threads.list({ labels })).threads.map((t) => t.id).sort();
    assert.deepEqual(await ids({ team: "infra" }), [a, b].sort());
    assert.deepEqual(await ids({ team: "infra", ticket: "OPS-1" }), [a]);
    assert.deepEqual(await ids({ team: "web" }), []);

    assert.deepEqual(await codex.threads.setLabels(a, { ticket: null }), { team: "infra" });
    assert.deepEqual(await ids({ ticket: "OPS-1" }), []);
    // Nothing of the SDK's own lands in CODEX_HOME: the labels live in codex's store.
    assert.ok(!(await readdir(client.home)).some((name) => name.includes("codexkit")));
    // The model never sees them.
    await one.run("three");
    assert.ok(!JSON.stringify(server.requests.at(-1)?.body).includes("OPS-1"));
  },
);

test("Bad labels are a TypeError naming the label, before any call", async () => {
  await using server = await startFakeResponsesServer([]);
  await using client = await offlineClient(server);
  const { codex } = client;
  await assert.rejects(codex.threads.setLabels("t", { "a=b": "x" }), /label key "a=b"/);
  await assert.rejects(
    codex.threads.setLabels("t", { a: 1 as unknown as string }),
    /label a must be a string or null/,
  );
  await assert.rejects(
    codex.threads.list({ labels: { a: null as unknown as string } }),
    /label a must be a string,/,
  );
  await assert.rejects(codex.threads.labels(""), TypeError);
});

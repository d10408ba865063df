/**
 * The app-server transport without second-class options: per-turn model and effort sent with
 * `turn/start` and the thread's own put back after, thread settings (service tier, reasoning
 * summary, thread source, approvals reviewer) and input blocks beyond text and local images,
 * against the real codex and the fake Responses server.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { reply, startFakeResponsesServer } from "../src/testing/mod.ts";
import type { RecordedRequest } from "../src/testing/mod.ts";
import { offlineClient } from "./_offline_codex.ts";
import type { ModelReasoningEffort } from "../src/options.ts";

interface Body {
  model?: string;
  service_tier?: string;
  reasoning?: { effort?: string; summary?: string } | null;
  input?: unknown[];
}

const body = (request: RecordedRequest): Body => request.body as Body;

test("app-server: a per-turn model and effort apply to that turn only; the thread's own come back", async () => {
  await using server = await startFakeResponsesServer([
    reply.message("one"),
    reply.message("two"),
    reply.message("three"),
  ]);
  await using client = await offlineClient(server);
  const models = await client.codex.models.list({ includeHidden: true });
  const own = models.find((m) => m.model === "gpt-5.5");
  assert.ok(own, "the bundled catalog lists gpt-5.5");
  // A slug outside the catalog: codex still sends it (with a warning item), whatever the
  // catalog of the codex under test holds.
  const other = { model: "codexkit-per-turn-model" };
  const effort = own.supportedReasoningEfforts.map((e) => e.reasoningEffort)
    .find((e) => e !== own.defaultReasoningEffort);
  assert.ok(effort, "gpt-5.5 offers an effort besides its default");

  const thread = client.codex.startThread({
    transport: "app-server",
    workingDirectory: client.work,
    model: "gpt-5.5",
  });
  await thread.run("first", {
    model: other.model,
    modelReasoningEffort: effort as ModelReasoningEffort,
  });
  await thread.run("second");
  await thread.run("third");
  const requests = await server.waitForRequests(3);
  assert.equal(body(requests[0]).model, other.model);
  assert.equal(body(requests[0]).reasoning?.effort, effort);
  for (const request of requests.slice(1)) {
    assert.equal(body(request).model, "gpt-5.5");
    assert.equal(body(request).reasoning?.effort, own.defaultReasoningEffort);
  }
});

test("app-server: a per-turn sandbox applies to that turn only; the thread's own comes back", async () => {
  await using server = await startFakeResponsesServer([
    reply.execCommand("touch first.txt"),
    reply.message("one"),
    reply.execCommand("touch second.txt"),
    reply.message("two"),
  ]);
  await using client = await offlineClient(server);
  const thread = client.codex.startThread({
    transport: "app-server",
    workingDirectory: client.work,
    sandboxMode: "read-only",
    approvalPolicy: "never",
  });
  await thread.run("first", { sandboxMode: "workspace-write" });
  assert.ok(existsSync(join(client.work, "first.txt")), "the turn's own sandbox let it write");
  await thread.run("second");
  assert.ok(!existsSync(join(client.work, "second.txt")), "the thread's read-only sandbox is back");
});

for (const transport of ["exec", "app-server"] as const) {
  test(`${transport}: serviceTier and reasoningSummary reach the model request`, async () => {
    await using server = await startFakeResponsesServer([reply.message("ok")]);
    await using client = await offlineClient(server);
    const thread = client.codex.startThread({
      transport,
      workingDirectory: client.work,
      skipGitRepoCheck: true,
      serviceTier: "flex",
      reasoningSummary: "detailed",
      ...(transport === "app-server"
        ? { threadSource: "nightly-ci", approvalsReviewer: "auto_review" as const }
        : {}),
    });
    assert.equal((await thread.run("hi")).finalResponse, "ok");
    const [request] = await server.waitForRequests(1);
    assert.equal(body(request).service_tier, "flex");
    assert.equal(body(request).reasoning?.summary, "detailed");
    if (transport === "app-server") {
      // The label thread/start took is the thread's own from then on.
      const saved = await client.codex.threads.read(thread.id!);
      assert.equal(saved.raw?.threadSource, "nightly-ci");
    }
  });
}

test("app-server: image URL, skill and mention parts are sent as the app-server's input blocks", async () => {
  await using server = await startFakeResponsesServer([reply.message("seen")]);
  await using client = await offlineClient(server);
  // A user skill, where codex looks for them (CODEX_HOME/skills/<name>/SKILL.md).
  const skill = join(client.home, "skills", "tidy", "SKILL.md");
  await mkdir(dirname(skill), { recursive: true });
  await writeFile(
    skill,
    "---\nname: tidy\ndescription: Tidy the repo\n---\nSKILL-MARKER-4417: sort imports.\n",
  );
  const pixel = "data:image/png;base64," +
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  const thread = client.codex.startThread({
    transport: "app-server",
    workingDirectory: client.work,
  });
  const turn = await thread.run([
    { type: "text", text: "look at this" },
    { type: "image_url", url: pixel },
    { type: "skill", name: "tidy", path: skill },
    { type: "mention", name: "work", path: client.work },
  ]);
  assert.equal(turn.finalResponse, "seen");
  const [request] = await server.waitForRequests(1);
  const sent = JSON.stringify(body(request).input);
  assert.ok(sent.includes(pixel), "the image goes to the model as sent");
  assert.match(sent, /SKILL-MARKER-4417/, "the skill's instructions go to the model");
  assert.match(sent, /look at this/);
});

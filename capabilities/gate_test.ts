import { test } from "node:test";
import assert from "node:assert/strict";
import type { GateAnswer, GatedOption } from "../src/options/gates.ts";
import { GATED_OPTIONS, gateFromSnapshot } from "./gate.ts";
import { guard } from "./guard.ts";
import { knownSnapshot } from "./known.ts";
import type { CapabilitySnapshot } from "./types.ts";

const known = (): CapabilitySnapshot => knownSnapshot("0.169.0")!;

// The recorded snapshots are fixtures here: real help pages of real releases.
test("gateFromSnapshot answers the dotted names generically from the help pages", () => {
  const gate = gateFromSnapshot(known());
  const expected: [GatedOption, GateAnswer][] = [
    ["exec.json", "supported"],
    ["exec.output-schema", "supported"],
    ["exec.thread-source", "supported"],
    ["exec.cyber-access-program", "supported"],
    ["exec.output-last-message", "supported"],
    ["exec.resume", "supported"],
    ["exec.resume.last", "supported"],
    ["exec.resume.output-schema", "supported"],
    ["exec.fork", "supported"],
    ["exec.fork.thread-source", "supported"],
    ["exec.review", "supported"],
    ["exec.teleport", "unsupported"],
    ["exec.resume.no-such-flag", "unsupported"],
    ["command.mcp", "supported"],
    ["command.sandbox", "supported"],
    ["command.teleport", "unsupported"],
    ["app-server.generate-json-schema", "supported"],
    ["app-server.listen", "supported"],
    ["config.web_search", "supported"],
    ["config.approval_policy", "supported"],
    ["config.features.apps", "supported"],
    ["config.features.apply_patch_freeform", "unsupported"],
    ["config.model_reasoning_effort", "unknown"],
    ["config.sandbox_workspace_write.network_access", "unknown"],
  ];
  for (const [option, status] of expected) assert.equal(gate.support(option), status, option);
  for (const option of GATED_OPTIONS) assert.notEqual(gate.explain(option).note, "", option);
  assert.equal(gate.version, "0.169.0");
  assert.equal(gate.fallback, false);
  assert.throws(() => gate.support("exec --output-schema" as GatedOption), /dotted name/);
});

test("gateFromSnapshot tells the --trust flag apart by release", () => {
  assert.equal(gateFromSnapshot(knownSnapshot("0.163.0")!).support("exec.trust"), "unsupported");
  assert.equal(gateFromSnapshot(known()).support("exec.trust"), "supported");
  assert.match(
    gateFromSnapshot(knownSnapshot("0.163.0")!).explain("exec.trust").note,
    /codex 0\.163\.0: `codex exec` does not accept --trust/,
  );
});

test("gateFromSnapshot decides approval_policy values from the listed ones", () => {
  const gate = gateFromSnapshot(known());
  const table: [string, GateAnswer][] = [
    ["never", "supported"],
    ["on-request", "supported"],
    ["untrusted", "unsupported"],
    ["on-failure", "unsupported"],
  ];
  for (const [value, status] of table) {
    assert.equal(gate.supportValue("config.approval_policy", value), status, value);
  }
  assert.match(
    gate.explainValue("config.approval_policy", "untrusted").note,
    /codex 0\.169\.0: .*does not accept "untrusted" \(accepted: on-request, never\)/,
  );
  assert.equal(gate.supportValue("exec.sandbox", "workspace-write"), "supported");
  assert.equal(gate.supportValue("exec.sandbox", "everything"), "unsupported");
  assert.equal(gate.supportValue("exec.json", "x"), "unknown");
  // A snapshot whose -a lists untrusted says it is supported: the snapshot decides.
  const older = known();
  const a = older.commands["codex"].flags.find((f) => f.short === "-a")!;
  a.values = [...a.values!, "untrusted"];
  assert.equal(
    gateFromSnapshot(older).supportValue("config.approval_policy", "untrusted"),
    "supported",
  );
});

test("gateFromSnapshot with fallback says so in every note", () => {
  const gate = gateFromSnapshot(known(), undefined, { fallback: true });
  assert.equal(gate.fallback, true);
  assert.match(gate.explain("exec.fork").note, /known snapshot; probing the binary failed/);
});

test("gateFromSnapshot says unsupported for flags an older CLI lacks, unknown for gaps", () => {
  const old = known();
  const exec = old.commands["codex exec"];
  old.commands["codex exec"] = {
    flags: exec.flags.filter((f) => f.long !== "--output-schema" && f.long !== "--ephemeral"),
    subcommands: exec.subcommands.filter((s) => s.name !== "fork"),
  };
  delete old.commands["codex exec fork"];
  const gate = gateFromSnapshot(old);
  assert.equal(gate.support("exec.output-schema"), "unsupported");
  assert.equal(gate.support("exec.ephemeral"), "unsupported");
  assert.equal(gate.support("exec.fork"), "unsupported");
  assert.match(gate.explain("exec.fork").note, /has no subcommand fork/);

  const gappy = known();
  delete gappy.commands["codex exec"];
  delete gappy.commands["codex exec resume"];
  gappy.gaps.push({ step: "help:codex exec", reason: "No answer within 5000 ms", transient: true });
  const g2 = gateFromSnapshot(gappy);
  assert.equal(g2.support("exec.json"), "unknown");
  assert.equal(g2.support("exec.resume.last"), "unknown");
});

test("gateFromSnapshot applies overrides: forced answers and pinned version", () => {
  const gate = gateFromSnapshot(known(), {
    version: "0.170.0",
    options: { "exec.fork": "unsupported" },
  });
  assert.equal(gate.version, "0.170.0");
  assert.equal(gate.support("exec.fork"), "unsupported");
  assert.match(gate.explain("exec.fork").note, /forced to unsupported by overrides/);
  assert.equal(gate.support("exec.json"), "supported");
});

test("guard answers features, commands and flags with notes", () => {
  const snap = known();
  const table: [string, GateAnswer, RegExp][] = [
    ["apps", "supported", /feature apps is stable, on by default/],
    [
      "agent_message_board",
      "supported",
      /under development, off by default; turn it on with --enable agent_message_board/,
    ],
    ["web_search_request", "supported", /deprecated and will go away/],
    ["apply_patch_freeform", "unsupported", /was removed/],
    ["no_such_feature", "unsupported", /no feature named no_such_feature/],
    ["plugins", "supported", /state not observed/],
    ["exec.resume", "supported", /`codex exec resume` exists/],
    ["exec.fork", "supported", /exec fork/],
    ["exec.teleport", "unsupported", /does not accept --teleport/],
    ["exec.output-schema", "supported", /`codex exec` accepts --output-schema/],
    ["exec.search", "unsupported", /does not accept --search/],
    ["command.mcp", "supported", /`codex` lists the subcommand mcp/],
    ["config.approval_policy", "supported", /accepts --ask-for-approval/],
    ["config.features.plugins", "supported", /state not observed/],
  ];
  for (const [feature, status, note] of table) {
    const result = guard(snap, feature);
    assert.equal(result.status, status, feature);
    assert.match(result.note, note, feature);
  }
});

test("guard says unknown when the step was a gap, and keeps unknown stages", () => {
  const snap: CapabilitySnapshot = {
    ...known(),
    features: [{ name: "quantum_tools", stage: "incubating", enabled: false }],
    gaps: [{ step: "features", reason: "No answer within 5000 ms", transient: true }],
  };
  assert.equal(guard(snap, "apps").status, "unknown");
  assert.match(guard(snap, "apps").note, /No answer within 5000 ms/);
  assert.equal(guard(snap, "quantum_tools").status, "supported");
  assert.match(guard(snap, "quantum_tools").note, /stage this SDK does not know \("incubating"\)/);
  assert.throws(() => guard(snap, "  "), TypeError);
  assert.throws(() => guard(snap, "exec --output-schema"), /"exec\.output-schema"/);
  assert.throws(() => guard(snap, "codex exec fork"), /"exec\.fork"/);
});

test("A hidden command is unknown to a gate that read only `codex --help`, never unsupported", () => {
  const snap = known();
  assert.equal(
    snap.commands["codex"].subcommands.some((s) => s.name === "stdio-to-uds"),
    false,
  );
  const gate = gateFromSnapshot(snap);
  assert.equal(gate.support("command.stdio-to-uds"), "unknown");
  assert.equal(gate.support("command.responses-api-proxy"), "unknown");
  assert.equal(gate.support("command.no-such-command"), "unsupported");
  const withPage = structuredClone(snap);
  withPage.commands["codex stdio-to-uds"] = { flags: [], subcommands: [] };
  assert.equal(gateFromSnapshot(withPage).support("command.stdio-to-uds"), "supported");
});

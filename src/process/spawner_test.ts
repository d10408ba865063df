import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnerFor } from "./spawner.ts";
import { detectRuntime } from "../runtime/mod.ts";
import { fakeSpawner } from "./_fakes.ts";

test("spawnerFor: a given spawner wins; else the runtime's adapter", () => {
  const fake = fakeSpawner();
  assert.equal(spawnerFor({ spawner: fake, runtime: "node" }), fake);
  assert.equal(spawnerFor().runtime, detectRuntime());
  assert.equal(spawnerFor({ runtime: "node" }).runtime, "node");
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { validatePlatform, validateRoot, validateVersion, versionProblem } from "./validate.ts";

test("versionProblem accepts exact versions and refuses paths, ranges and junk", () => {
  const table: [unknown, string | undefined][] = [
    ["0.169.0", undefined],
    ["1.2.3-alpha.4", undefined],
    ["0.170.0-alpha.1+build.7", undefined],
    ["../../etc", 'contains ".."'],
    ["0.169.0/../../x", 'contains ".."'],
    ["0.169.0/x", "contains a path separator"],
    ["0.169.0\\x", "contains a path separator"],
    ["/etc", "contains a path separator"],
    ["", "is empty"],
    ["^0.169.0", "is not an exact version like 0.169.0"],
    ["latest", "is not an exact version like 0.169.0"],
    ["0.169", "is not an exact version like 0.169.0"],
    ["01.2.3", "is not an exact version like 0.169.0"],
    ["0.169.0-", "is not an exact version like 0.169.0"],
    ["1.2.3 ", "is not an exact version like 0.169.0"],
    [169, "must be a string"],
    ["1.2.3-" + "a".repeat(200), "is longer than 128 characters"],
  ];
  for (const [input, problem] of table) assert.equal(versionProblem(input), problem, String(input));
});

test("validateVersion throws a TypeError naming version for ../../etc", () => {
  assert.throws(
    () => validateVersion("../../etc"),
    (e) => e instanceof TypeError && e.message.startsWith("Invalid option version:"),
  );
  assert.equal(validateVersion("0.169.0"), "0.169.0");
});

test("validatePlatform and validateRoot reject bad values naming the option", () => {
  assert.equal(validatePlatform("linux-arm64"), "linux-arm64");
  assert.throws(() => validatePlatform("linux/x64"), /option platform/);
  assert.throws(() => validatePlatform(undefined), /option platform/);
  assert.equal(validateRoot("/tmp/b"), "/tmp/b");
  assert.throws(() => validateRoot(""), /option root/);
  assert.throws(() => validateRoot("a\0b"), /option root/);
});

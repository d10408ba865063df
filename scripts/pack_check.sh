#!/usr/bin/env bash
# Proves the npm package the way a user meets it: `npm pack` of the build, `npm install` of the
# tarball into a fresh project (no repo paths, no PATH entry to the repo's codex), then
#   - an offline turn through `@codexkit/sdk` and `@codexkit/sdk/testing` from a plain .mjs file,
#     under Node 24 and under Bun, with the codex binary the package's own dependency installed,
#     run from outside the project (so the SDK finds it from its own place), then again with the
#     platform package nested under @openai/codex as npm lays it out when it cannot hoist;
#   - the `codexkit` bin;
#   - a TypeScript consumer of every entry, type-checked with `tsc --noEmit` and skipLibCheck off.
# The turn runs the real codex against the fake Responses server on 127.0.0.1 with plugins and
# analytics off and a fresh CODEX_HOME, so nothing leaves loopback.
#
#   npm run build && bash scripts/pack_check.sh
#
# Prints one line per check ("pack-check: ok <name>" or "pack-check: FAIL <name>"), then
# "pack-check: N passed, N failed". Exit status 1 when a check failed.
set -u
cd "$(dirname "$0")/.."
REPO=$PWD
BIN="$REPO/node_modules/.bin"
pass=0
fail=0
ok() {
  echo "pack-check: ok $1"
  pass=$((pass + 1))
}
bad() {
  echo "pack-check: FAIL $1"
  fail=$((fail + 1))
}
finish() {
  echo "pack-check: $pass passed, $fail failed"
  [ "$fail" -eq 0 ]
  exit
}

[ -f .build/npm/package.json ] || { bad "build (.build/npm is missing: run npm run build)"; finish; }
work=$(mktemp -d "${TMPDIR:-/tmp}/codexkit-pack-XXXXXX")
trap 'rm -rf "$work"' EXIT
log="$work/log"

# The versions the repo pins, so the consumer checks against the same TypeScript and Node types.
pin() { "$BIN/node" -p "require('./package.json').devDependencies['$1']"; }
TS_VERSION=$(pin typescript)
NODE_TYPES_VERSION=$(pin @types/node)

if tarball=$(cd "$work" && npm pack "$REPO/.build/npm" --silent 2>"$log") && [ -f "$work/$tarball" ]; then
  ok "npm pack ($tarball, $(du -k "$work/$tarball" | cut -f1) KB)"
else
  cat "$log"
  bad "npm pack"
  finish
fi

app="$work/app"
mkdir -p "$app"
cat >"$app/package.json" <<'EOF'
{ "name": "codexkit-consumer", "private": true, "type": "module" }
EOF
if (cd "$app" && npm install --no-audit --no-fund --prefer-offline --loglevel=error \
  "$work/$tarball" "typescript@$TS_VERSION" "@types/node@$NODE_TYPES_VERSION") >"$log" 2>&1; then
  ok "npm install of the tarball (with @openai/codex from the registry)"
else
  cat "$log"
  bad "npm install of the tarball"
  finish
fi

cat >"$app/turn.mjs" <<'EOF'
// A user's script: only package specifiers, no paths into the SDK.
import { mkdtemp, rm, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Codex, CodexError } from "@codexkit/sdk";
import { CodexHomeError } from "@codexkit/sdk/home";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "@codexkit/sdk/testing";

// Entries share one copy of each module: an error from any entry is the root's CodexError.
if (!(CodexHomeError.prototype instanceof CodexError)) {
  throw new Error("@codexkit/sdk/home has its own copy of CodexError");
}

const server = await startFakeResponsesServer([
  reply.execCommand("printf packed > proof.txt"),
  reply.message("Wrote proof.txt."),
]);
const scratch = await mkdtemp(join(tmpdir(), "codexkit-consumer-"));
try {
  const offline = offlineCodexConfig(server);
  const codex = new Codex({
    codexHome: join(scratch, "home"),
    env: { PATH: process.env.PATH, HOME: scratch, ...offline.env },
    config: offline.config,
  });
  // Run from outside the project: the SDK finds codex from its own place in node_modules.
  const project = dirname(fileURLToPath(import.meta.url));
  const binary = await codex.binary();
  if (binary.source !== "npm" || !binary.path.startsWith(join(project, "node_modules"))) {
    throw new Error(`expected the package's own codex, got ${binary.source} ${binary.path}`);
  }
  const thread = codex.startThread({
    workingDirectory: scratch,
    skipGitRepoCheck: true,
    sandboxMode: "danger-full-access",
    approvalPolicy: "never",
  });
  const turn = await thread.run("Write proof.txt");
  const proof = await readFile(join(scratch, "proof.txt"), "utf8");
  if (turn.finalResponse !== "Wrote proof.txt." || proof !== "packed") {
    throw new Error(`unexpected turn: ${JSON.stringify({ final: turn.finalResponse, proof })}`);
  }
  const kinds = turn.items.map((item) => item.type).join(",");
  console.log(`turn ok: ${kinds}; codex ${binary.version ?? "?"} from ${binary.source}`);
  await codex.close();
} finally {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
}
EOF

# The consumer's PATH holds the runtimes and system tools, never the repo's node_modules/.bin.
RUNTIME_DIR="$work/runtime-bin"
mkdir -p "$RUNTIME_DIR"
ln -s "$(readlink -f "$BIN/node")" "$RUNTIME_DIR/node"
ln -s "$(readlink -f "$BIN/bun")" "$RUNTIME_DIR/bun"
CLEAN_PATH="$RUNTIME_DIR:/usr/local/bin:/usr/bin:/bin"

run_turn() {
  local name=$1
  shift
  if out=$(cd "$work" && env -i PATH="$CLEAN_PATH" HOME="$work" TMPDIR="$work" \
    timeout 120 "$@" app/turn.mjs 2>&1); then
    ok "$name: $(echo "$out" | tail -1)"
  else
    echo "$out" | tail -20
    bad "$name"
  fi
}
run_turn "offline turn under node $("$RUNTIME_DIR/node" --version)" node
run_turn "offline turn under bun $("$RUNTIME_DIR/bun" --version)" bun

# npm nests the platform package under @openai/codex when it cannot hoist it; the SDK looks there.
platform_pkg=$(cd "$app/node_modules/@openai" && ls -d codex-* 2>/dev/null | head -1)
if [ -n "$platform_pkg" ]; then
  mkdir -p "$app/node_modules/@openai/codex/node_modules/@openai"
  mv "$app/node_modules/@openai/$platform_pkg" "$app/node_modules/@openai/codex/node_modules/@openai/"
  run_turn "offline turn under node with $platform_pkg nested under @openai/codex" node
  mv "$app/node_modules/@openai/codex/node_modules/@openai/$platform_pkg" "$app/node_modules/@openai/"
else
  bad "the install holds no @openai/codex-<platform> package"
fi

if out=$(cd "$app" && env -i PATH="$CLEAN_PATH" HOME="$work" ./node_modules/.bin/codexkit --help 2>&1) &&
  echo "$out" | grep -q codexkit; then
  ok "bin: codexkit --help"
else
  echo "$out" | tail -10
  bad "bin: codexkit --help"
fi

cat >"$app/tsconfig.json" <<'EOF'
{
  "compilerOptions": {
    "target": "es2023",
    "lib": ["es2023"],
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "types": ["node"],
    "strict": true,
    "noEmit": true,
    "skipLibCheck": false
  },
  "files": ["consumer.ts"]
}
EOF
cat >"$app/consumer.ts" <<'EOF'
import { Codex, CodexError } from "@codexkit/sdk";
import type { CodexOptions, ThreadEvent, Turn } from "@codexkit/sdk";
import * as home from "@codexkit/sdk/home";
import * as schemas from "@codexkit/sdk/schemas";
import * as capabilities from "@codexkit/sdk/capabilities";
import * as bundles from "@codexkit/sdk/bundles";
import * as appServer from "@codexkit/sdk/app-server";
import * as testing from "@codexkit/sdk/testing";
import * as fleet from "@codexkit/sdk/fleet";
import { tool } from "@codexkit/sdk/tools";
import type { Tool } from "@codexkit/sdk/tools";

const echo: Tool = tool({
  name: "echo",
  description: "Echoes",
  parameters: { type: "object", properties: { text: { type: "string" } } },
  execute: ({ text }) => String(text),
});
const options: CodexOptions = { codexHome: "/tmp/home" };
async function firstTurn(): Promise<Turn> {
  const thread = new Codex(options).startThread({ skipGitRepoCheck: true, tools: [echo] });
  const { events } = await thread.runStreamed("hi");
  for await (const event of events) {
    const e: ThreadEvent = event;
    if (e.type === "item.completed") console.log(e.item.type);
  }
  return await thread.run("again");
}
const status: Promise<home.AuthStatus> = home.authStatus("/tmp/home");
const where: bundles.BundleLocation = { root: "./bundle", version: "0.169.0" };
const server: Promise<testing.FakeResponsesServer> = testing.startFakeResponsesServer([
  testing.reply.message("hi"),
]);
export const used = [
  firstTurn,
  status,
  where,
  server,
  schemas.threadEventSchema,
  capabilities,
  appServer.AppServer,
  CodexError,
  fleet.connectFleet,
  fleet.QueueFullError,
];
EOF
if out=$(cd "$app" && ./node_modules/.bin/tsc -p tsconfig.json 2>&1); then
  ok "tsc --noEmit of a TypeScript consumer of every entry (skipLibCheck false, TypeScript $TS_VERSION)"
else
  echo "$out" | head -30
  bad "tsc --noEmit of a TypeScript consumer"
fi

finish

/**
 * The demo: find the pinned codex, show what the SDK checks before passing it a flag, then
 * stream one turn in which the agent runs a command and writes a file.
 *
 * Offline by default: an embedded fake Responses server on 127.0.0.1 plays the model, and the
 * real codex binary does the rest (sandbox, command, patch). With CODEX_API_KEY set, the turn
 * goes to OpenAI instead (or to OPENAI_BASE_URL when that is set).
 *
 *   deno run -A examples/demo.ts      (also: bun examples/demo.ts, node examples/demo.ts)
 *
 * Colour on a terminal only; NO_COLOR=1 turns it off.
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";
import { Codex, CodexError } from "../mod.ts";
import type { CodexOptions, ThreadEvent, ThreadItem, Usage } from "../mod.ts";
import { GATED_OPTIONS, gateFromSnapshot, probeCapabilities } from "../capabilities/mod.ts";
import { offlineCodexConfig, reply, startFakeResponsesServer } from "../src/testing/mod.ts";

const color = !process.env.NO_COLOR &&
  (process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== "0" : process.stdout.isTTY === true);
const sgr = (open: number, close: number) => (text: string) =>
  color ? `\x1b[${open}m${text}\x1b[${close}m` : text;
const bold = sgr(1, 22), dim = sgr(2, 22), red = sgr(31, 39), green = sgr(32, 39);
const yellow = sgr(33, 39), blue = sgr(34, 39), cyan = sgr(36, 39);
const say = (text = "") => console.log(text);
const width = Math.min(process.stdout.columns || 100, 100);

const online = Boolean(process.env.CODEX_API_KEY);
// codex repeats its last error in turn.failed: an error line waits for the next event
let pendingError: string | undefined;
// online, codex retries a dead network forever ("waiting for network"): the demo gives up then
const giveUp = new AbortController();
let networkFailure: string | undefined;
const PROMPT =
  'Run `echo hello from the sandbox`, then create hello.txt containing "Hello, codexkit!".';

say(bold("codexkit demo"));
say(
  online
    ? `Online: the turn goes to ${
      process.env.OPENAI_BASE_URL ?? "the OpenAI API"
    } with CODEX_API_KEY. Unset it to run offline.`
    : `Offline: the model is a scripted fake Responses server on 127.0.0.1, embedded in this\n` +
      `script; the real codex binary runs the turn. Set CODEX_API_KEY to use OpenAI instead.`,
);
say();

const scratch = await mkdtemp(join(tmpdir(), "codexkit-demo-"));
const work = join(scratch, "work");
await using _cleanup = {
  [Symbol.asyncDispose]: () => rm(scratch, { recursive: true, force: true }),
};

try {
  process.exitCode = await main();
} catch (error) {
  const hint = online ? networkHint(error) : undefined;
  say(hint ?? `${red("✗")} ${describeError(error)}`);
  process.exitCode = 1;
}

async function main(): Promise<number> {
  // 1. Which binary, and what does the SDK learn from it?
  const binary = await new Codex().binary();
  const snapshot = await probeCapabilities(binary.path);
  const gate = gateFromSnapshot(snapshot);
  const shown = relative(process.cwd(), binary.path);
  say(
    `${
      bold(`codex ${snapshot.version?.semver ?? "(version unknown)"}`)
    } (found via ${binary.source})`,
  );
  say(dim(`  ${shown.startsWith("..") ? binary.path : shown}`));
  showGates(gate);
  say();

  // 2. Where the model lives: a scripted fake on loopback, or OpenAI.
  await using server = online ? undefined : await startFakeResponsesServer([
    reply.execCommand("echo hello from the sandbox"),
    reply.addFile("hello.txt", "Hello, codexkit!\n"),
    reply.message("I ran the command and wrote hello.txt."),
  ]);
  const options: CodexOptions = {
    codexHome: join(scratch, "home"),
    capabilities: gate,
    onWarning: (w) => say(`${yellow("⚠")} ${w}`),
  };
  if (server) {
    const offline = offlineCodexConfig(server);
    options.config = offline.config;
    options.env = { PATH: process.env.PATH ?? "", HOME: scratch, TMPDIR: scratch, ...offline.env };
  } else {
    options.apiKey = process.env.CODEX_API_KEY;
    // an OpenAI-compatible endpoint instead of api.openai.com, when one is named
    if (process.env.OPENAI_BASE_URL) options.baseUrl = process.env.OPENAI_BASE_URL;
    // the demo sends the turn and nothing else
    options.config = { analytics: { enabled: false }, features: { plugins: false } };
  }
  await mkdir(work);

  // 3. Stream a turn and show it as it happens.
  await using codex = new Codex(options);
  const thread = codex.startThread({
    workingDirectory: work,
    skipGitRepoCheck: true,
    sandboxMode: "workspace-write",
  });
  say(`${blue("▶")} ${bold("prompt")} ${PROMPT}`);
  const started = performance.now();
  const { events } = await thread.runStreamed(PROMPT, {
    timeoutMs: 180_000,
    idleTimeoutMs: 120_000,
    signal: giveUp.signal,
  });
  let failed = false;
  try {
    for await (const event of events) {
      failed = (await show(event, performance.now() - started)) || failed;
    }
  } catch (error) {
    if (networkFailure !== undefined) {
      say(networkLine(networkFailure));
      return 1;
    }
    // after turn.failed, codex exits 1 and the run rejects: the reason is already on screen
    if (!failed) throw error;
  }
  if (server) {
    say(dim(`  the fake model answered ${server.requests.length} requests on ${server.url}`));
  }
  return failed ? 1 : 0;
}

/** Which optional flags the SDK passes to this binary, and why some are held back. */
function showGates(gate: ReturnType<typeof gateFromSnapshot>): void {
  const answers = GATED_OPTIONS.map((option) => ({ option, ...gate.explain(option) }));
  const supported = answers.filter((a) => a.status === "supported");
  const unsupported = answers.filter((a) => a.status === "unsupported");
  const unknown = answers.filter((a) => a.status === "unknown");
  say(`  The SDK checks each optional flag against this binary; unsupported ones are dropped:`);
  say(
    wrap(
      `${green("✓")} ${supported.length} supported:`,
      `✓ ${supported.length} supported:`.length,
      supported.map((a) => a.option),
    ),
  );
  for (const a of unsupported) say(`  ${red("✗")} ${a.option}: dropped or refused (${a.note})`);
  if (unknown.length > 0) {
    say(
      wrap(
        `${yellow("?")} ${unknown.length} not visible in --help, passed as given:`,
        `? ${unknown.length} not visible in --help, passed as given:`.length,
        unknown.map((a) => a.option),
      ),
    );
  }
  // a value gate: exec lists the approval policies it accepts
  const untrusted = gate.explainValue("config.approval_policy", "untrusted");
  if (untrusted.status === "unsupported") {
    const accepted = /\(accepted: ([^)]*)\)/.exec(untrusted.note)?.[1];
    say(
      `  ${
        red("✗")
      } approvalPolicy "untrusted": refused on exec before spawning (this codex lists ${
        accepted ?? "other values"
      })`,
    );
  }
}

/** Prints one event; resolves `true` when it reports a failure. */
async function show(event: ThreadEvent, elapsedMs: number): Promise<boolean> {
  if (pendingError !== undefined) {
    if (event.type !== "turn.failed" || event.error.message !== pendingError) {
      say(`  ${yellow("⚠")} ${pendingError}`);
    }
    pendingError = undefined;
  }
  switch (event.type) {
    case "thread.started":
      say(dim(`  thread ${event.thread_id}`));
      return false;
    case "item.started":
      if (event.item.type === "command_execution") {
        say(`  ${cyan("$")} ${bold(unwrapShell(event.item.command))}`);
      }
      return false;
    case "item.completed":
      await showItem(event.item);
      return false;
    case "turn.completed":
      say();
      say(
        `${green("✓")} ${bold("turn completed")} in ${seconds(elapsedMs)} · ${usage(event.usage)}`,
      );
      return false;
    case "turn.failed": {
      say();
      const hint = online ? networkHint(event.error.message) : undefined;
      say(
        hint ??
          `${red("✗")} ${bold("turn failed")} after ${seconds(elapsedMs)}: ${event.error.message}`,
      );
      return true;
    }
    case "error":
      // codex reports retries here ("Reconnecting... 2/5") before it gives up
      if (online && /waiting for network/i.test(event.message)) {
        networkFailure = /\((.*)\)$/.exec(event.message)?.[1] ?? event.message;
        giveUp.abort();
        return true;
      }
      pendingError = event.message;
      return false;
    default:
      return false;
  }
}

async function showItem(item: ThreadItem): Promise<void> {
  switch (item.type) {
    case "command_execution": {
      const output = item.aggregated_output.trimEnd();
      for (const line of output ? output.split("\n").slice(0, 12) : []) say(`    ${line}`);
      const ok = item.exit_code === 0;
      say(`    ${ok ? green("✓ exit 0") : red(`✗ exit ${item.exit_code ?? item.status}`)}`);
      return;
    }
    case "file_change":
      for (const change of item.changes) {
        const name = relative(work, change.path) || change.path;
        const verb = { add: "wrote", update: "updated", delete: "deleted" }[change.kind];
        say(`  ${cyan("✎")} ${verb} ${bold(name)} ${dim(`(${change.path})`)}`);
        if (change.kind === "delete") continue;
        const text = await readFile(change.path, "utf8").catch(() => undefined);
        if (text === undefined) continue;
        for (const line of text.trimEnd().split("\n").slice(0, 12)) say(`    ${dim("│")} ${line}`);
      }
      return;
    case "agent_message":
      say(`  ${blue("●")} ${item.text}`);
      return;
    case "reasoning":
      say(dim(`  … ${item.text}`));
      return;
    case "todo_list":
      for (const todo of item.items) say(`  ${todo.completed ? "☑" : "☐"} ${todo.text}`);
      return;
    case "mcp_tool_call":
      say(
        `  ${cyan("⚙")} ${item.server}.${item.tool} ${item.error ? red(item.error.message) : ""}`,
      );
      return;
    case "web_search":
      say(`  ${cyan("⌕")} searched: ${item.query}`);
      return;
    case "error":
      say(`  ${yellow("⚠")} ${item.message}`);
      return;
  }
}

/** `/bin/bash -lc 'echo hi'` as the person typed it: `echo hi`. */
function unwrapShell(command: string): string {
  const m = /^\S*\b(?:ba|z)?sh -lc '((?:[^']|'\\'')*)'$/.exec(command);
  return m ? m[1].replaceAll(`'\\''`, "'") : command;
}

function usage(u: Usage): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const cached = u.cached_input_tokens > 0 ? ` (${n(u.cached_input_tokens)} cached)` : "";
  return `${n(u.input_tokens)} input tokens${cached} · ${n(u.output_tokens)} output tokens`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `head` then `words`, comma-separated and wrapped; `headWidth` is what `head` takes on screen. */
function wrap(head: string, headWidth: number, words: string[]): string {
  const indent = "      ";
  let out = `  ${head}`;
  let column = 2 + headWidth;
  for (const [i, word] of words.entries()) {
    const piece = `${word}${i < words.length - 1 ? "," : ""}`;
    if (column + piece.length + 1 > width && column > indent.length) {
      out += `\n${indent}`;
      column = indent.length;
    } else {
      out += " ";
      column += 1;
    }
    out += piece;
    column += piece.length;
  }
  return out;
}

function describeError(error: unknown): string {
  if (error instanceof CodexError) {
    // the first line says what failed; the last line of stderr usually says why
    const first = error.message.split("\n")[0];
    const tail = error.stderrTail?.trim().split("\n").at(-1);
    return `${error.name}: ${first}${tail && !first.includes(tail) ? `\n  ${dim(tail)}` : ""}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function endpoint(): string {
  return process.env.OPENAI_BASE_URL ?? "the OpenAI API";
}

/** One line for a failure that looks like the network, else `undefined`. */
function networkHint(error: unknown): string | undefined {
  const text = error instanceof Error
    ? `${error.message} ${String(error.cause ?? "")}`
    : String(error);
  if (
    !/error sending request|stream disconnected|connect|dns|resolve|network|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|timed out/i
      .test(text)
  ) {
    return undefined;
  }
  return networkLine(text.split("\n")[0]);
}

/** The one line that explains a network failure. */
function networkLine(reason: string): string {
  return `${red("✗")} Cannot reach ${endpoint()} (${reason}): check the network or proxy, ` +
    `or unset CODEX_API_KEY to run the demo offline.`;
}

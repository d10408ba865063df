/**
 * Login state of a CODEX_HOME through the real CLI: `codex login status`, `login
 * --with-api-key`, `login --device-auth` and `logout`, each run through the runtime seam with
 * CODEX_HOME in the child's environment only.
 *
 * @module
 */
import { ExitError } from "../errors.ts";
import type { FileFormatError } from "../errors.ts";
import { cliArgs, runCodexCli } from "./_codex_cli.ts";
import type { CliResult, CodexCliOptions } from "./_codex_cli.ts";
import { inspectAuthFile } from "./auth_file.ts";

export type { CodexCliOptions } from "./_codex_cli.ts";

/** Not logged in. */
export interface LoggedOutStatus {
  /** Discriminant. */
  kind: "logged_out";
  /** What the CLI printed. */
  raw: string;
}

/** Logged in with an API key. */
export interface ApiKeyStatus {
  /** Discriminant. */
  kind: "api_key";
  /** The key as the CLI masks it (`sk-proj-***ABCDE`, or `***` for short keys). */
  maskedKey: string;
  /** What the CLI printed. */
  raw: string;
}

/** Logged in with a ChatGPT account. */
export interface ChatGptStatus {
  /** Discriminant. */
  kind: "chatgpt";
  /** The plan, when the CLI printed one (0.169.0 does not). */
  plan: string | undefined;
  /** What the CLI printed. */
  raw: string;
}

/** Logged in some other way the CLI names (access token, workload identity, Bedrock, ...). */
export interface OtherLoginStatus {
  /** Discriminant. */
  kind: "other";
  /** The method as printed after "Logged in using", e.g. `"access token"`. */
  method: string;
  /** What the CLI printed. */
  raw: string;
}

/** The CLI could not read the stored credentials (e.g. a truncated `auth.json`). */
export interface AuthErrorStatus {
  /** Discriminant. */
  kind: "error";
  /** The CLI's own explanation. */
  message: string;
  /** This SDK's reading of `auth.json`, with line and column, when that is what is broken. */
  problem: FileFormatError | undefined;
  /** What the CLI printed. */
  raw: string;
}

/** Output this SDK does not recognise (a newer CLI): kept verbatim. */
export interface UnknownAuthStatus {
  /** Discriminant. */
  kind: "unknown";
  /** What the CLI printed. */
  raw: string;
  /** Its exit code. */
  exitCode: number | null;
}

/** What `codex login status` says. */
export type AuthStatus =
  | LoggedOutStatus
  | ApiKeyStatus
  | ChatGptStatus
  | OtherLoginStatus
  | AuthErrorStatus
  | UnknownAuthStatus;

// deno-lint-ignore no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/**
 * Reads the output of `codex login status` by its content, not its exit code (0.169.0 prints
 * the status on stderr and exits 1 when logged out or broken); pure.
 */
export function parseAuthStatus(text: string, exitCode: number | null): AuthStatus {
  const raw = text.replace(ANSI, "").trim();
  const lines = raw.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  for (const line of lines) {
    if (/^Not logged in\b/i.test(line)) return { kind: "logged_out", raw };
    let match = /^(?:API key configured|Logged in using an API key)\s*-\s*(\S+)/i.exec(line);
    if (match) return { kind: "api_key", maskedKey: match[1], raw };
    match = /^Logged in using ChatGPT(?:\s*(?:[-:(]\s*)?(.*?)\)?)?\s*$/i.exec(line);
    if (match) {
      const plan = match[1]?.replace(/^plan:?\s*/i, "").trim();
      return { kind: "chatgpt", plan: plan ? plan : undefined, raw };
    }
    match = /^Logged in using (.+?)\.?$/i.exec(line);
    if (match) return { kind: "other", method: match[1], raw };
    match = /^Error checking login status:\s*(.*)$/i.exec(line);
    if (match) return { kind: "error", message: match[1], problem: undefined, raw };
  }
  return { kind: "unknown", raw, exitCode };
}

/**
 * Runs `codex login status` for `home` and returns what it says. Never throws for a
 * logged-out or broken home (those are results); throws only when codex cannot be run. When
 * `auth.json` does not parse, `problem` says where; the file is not touched.
 *
 * @example Check a home before a run
 * ```ts ignore
 * import { authStatus } from "@codexkit/sdk/home";
 * const status = await authStatus("/srv/app/codex-home");
 * if (status.kind === "logged_out") console.log("run loginWithApiKey first");
 * if (status.kind === "api_key") console.log("key", status.maskedKey);
 * ```
 */
export async function authStatus(home: string, options: CodexCliOptions = {}): Promise<AuthStatus> {
  // Status output masks keys; runCodexCli redacts the stored ones should a CLI not.
  const result = await runCodexCli(home, cliArgs(["login"], options, ["status"]), options);
  const status = parseAuthStatus(`${result.stderr}\n${result.stdout}`, result.code);
  if (status.kind === "error" || status.kind === "unknown") {
    const file = await inspectAuthFile(home).catch(() => undefined);
    if (file?.problem) {
      return status.kind === "error"
        ? { ...status, problem: file.problem }
        : { kind: "error", message: file.problem.message, problem: file.problem, raw: status.raw };
    }
  }
  return status;
}

/**
 * Stores an API key in `home` with `codex login --with-api-key`. The key travels on the
 * child's stdin only: never in argv, the environment, a message or a log. Rejects with an
 * {@linkcode ExitError} (the key redacted from its stderr tail) when codex refuses.
 *
 * @example Log a fresh home in
 * ```ts ignore
 * import { createIsolatedHome, loginWithApiKey } from "@codexkit/sdk/home";
 * await using home = await createIsolatedHome();
 * const status = await loginWithApiKey(home.path, myKey);
 * console.log(status.kind); // "api_key"
 * ```
 */
export async function loginWithApiKey(
  home: string,
  apiKey: string,
  options: CodexCliOptions = {},
): Promise<AuthStatus> {
  if (typeof apiKey !== "string" || apiKey.trim().length === 0) {
    throw new TypeError("Cannot log in: apiKey must be a non-empty string");
  }
  if (/[\r\n]/.test(apiKey.trim())) {
    throw new TypeError("Cannot log in: apiKey must be a single line");
  }
  const secrets = [apiKey];
  const result = await runCodexCli(
    home,
    cliArgs(["login"], options, ["--with-api-key"]),
    options,
    { stdin: apiKey.trim(), secrets },
  );
  if (result.code !== 0) throw exitError("log in with an API key", result, secrets);
  return await authStatus(home, options);
}

/** The link and code `codex login --device-auth` asks the user to use. */
export interface DeviceCodePrompt {
  /** Where to sign in. */
  verificationUrl: string;
  /** The one-time code to enter there. */
  userCode: string;
}

/** Options of {@linkcode loginWithDeviceCode}. */
export interface DeviceCodeLoginOptions extends CodexCliOptions {
  /** Called once, as soon as the CLI has printed both the link and the code. */
  onPrompt: (prompt: DeviceCodePrompt) => void;
}

/**
 * Finds the verification link and one-time code in what `codex login --device-auth` printed
 * so far (colours stripped); `undefined` until both are there. Pure.
 */
export function parseDeviceCodePrompt(text: string): DeviceCodePrompt | undefined {
  const lines = text.replace(ANSI, "").split(/\r?\n/).map((l) => l.trim());
  const urlLine = lines.findIndex((l) => /^https?:\/\/\S+$/.test(l));
  const codeHeader = lines.findIndex((l) => /one-time code/i.test(l));
  if (urlLine === -1 || codeHeader === -1) return undefined;
  // The code line must be complete: something follows it (0.169.0 prints a blank line).
  const codeLine = lines.findIndex((l, i) => i > codeHeader && l.length > 0);
  if (codeLine === -1 || codeLine === lines.length - 1) return undefined;
  const userCode = lines[codeLine];
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{2,}$/.test(userCode)) return undefined;
  return { verificationUrl: lines[urlLine], userCode };
}

/**
 * Runs `codex login --device-auth` for `home`: calls `onPrompt` with the link and code as soon
 * as they are printed, resolves with the new status when the CLI finishes, rejects with an
 * {@linkcode ExitError} when it fails, and with an `AbortError` when `signal` fires (the CLI
 * is ended, no process is left).
 *
 * @example Show the code in your own UI
 * ```ts ignore
 * import { loginWithDeviceCode } from "@codexkit/sdk/home";
 * const controller = new AbortController();
 * const status = await loginWithDeviceCode(home, {
 *   onPrompt: ({ verificationUrl, userCode }) => ui.show(verificationUrl, userCode),
 *   signal: controller.signal,
 * });
 * ```
 */
export async function loginWithDeviceCode(
  home: string,
  options: DeviceCodeLoginOptions,
): Promise<AuthStatus> {
  if (typeof options?.onPrompt !== "function") {
    throw new TypeError("Cannot log in with a device code: options.onPrompt must be a function");
  }
  let prompted = false;
  const result = await runCodexCli(
    home,
    cliArgs(["login"], options, ["--device-auth"]),
    options,
    {
      onOutput(stdout, stderr) {
        if (prompted) return;
        const prompt = parseDeviceCodePrompt(stdout) ?? parseDeviceCodePrompt(stderr);
        if (!prompt) return;
        prompted = true;
        options.onPrompt(prompt);
      },
    },
  );
  if (result.code !== 0) throw exitError("log in with a device code", result, []);
  return await authStatus(home, options);
}

/** What {@linkcode logout} did. */
export interface LogoutResult {
  /** `true` when credentials were removed, `false` when there were none. */
  wasLoggedIn: boolean;
}

/**
 * Removes the credentials of `home` with `codex logout`. Logging out a home that is not
 * logged in is not an error.
 *
 * @example Forget a login
 * ```ts ignore
 * import { logout } from "@codexkit/sdk/home";
 * const { wasLoggedIn } = await logout("/srv/app/codex-home");
 * ```
 */
export async function logout(home: string, options: CodexCliOptions = {}): Promise<LogoutResult> {
  const result = await runCodexCli(home, cliArgs(["logout"], options, []), options);
  if (result.code !== 0) throw exitError("log out", result, []);
  const text = `${result.stderr}\n${result.stdout}`;
  return { wasLoggedIn: !/^\s*Not logged in/im.test(text) };
}

function exitError(what: string, result: CliResult, secrets: readonly string[]): ExitError {
  const output = [result.stderr.trim(), result.stdout.trim()].filter(Boolean).join("\n");
  return new ExitError(
    `Cannot ${what}: codex exited with ${
      result.code === null ? `signal ${result.signal}` : `code ${result.code}`
    }`,
    {
      exitCode: result.code,
      signal: result.signal,
      command: result.command,
      stderrTail: output,
      secrets,
    },
  );
}

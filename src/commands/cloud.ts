/**
 * `codex apply <task>` and `codex cloud list | status | diff | apply | exec`: Codex Cloud
 * tasks from the command line. They need a ChatGPT login and the network.
 *
 * @module
 */
import { exitError, parseJsonOutput, runSubcommand } from "./run_command.ts";
import type { RunCommandOptions } from "./run_command.ts";

/** What applying a task's diff did. */
export interface ApplyResult {
  /** Whether the diff applied cleanly (exit code 0). */
  applied: boolean;
  /** The CLI's own message. */
  message: string;
}

/** A diff summary of a cloud task. */
export interface CloudDiffSummary {
  /** Files changed. */
  files_changed: number;
  /** Lines added. */
  lines_added: number;
  /** Lines removed. */
  lines_removed: number;
}

/** One task of `codex cloud list --json` (wire names kept; unknown fields pass through). */
export interface CloudTask {
  /** The task id. */
  id: string;
  /** Its title. */
  title?: string;
  /** `pending`, `ready`, `applied`, `error`, or a newer status. */
  status?: string;
  /** Web URL of the task. */
  url?: string;
  /** Last update, as the CLI prints it. */
  updated_at?: string;
  /** Environment id. */
  environment_id?: string | null;
  /** Environment label. */
  environment_label?: string | null;
  /** Diff summary. */
  summary?: CloudDiffSummary;
  /** Whatever else the CLI reports. */
  [key: string]: unknown;
}

/** A page of tasks. */
export interface CloudTaskPage {
  /** The tasks. */
  tasks: CloudTask[];
  /** Pass as `cursor` for the next page; `null` on the last. */
  cursor: string | null;
}

/** Options of {@linkcode cloudList}. */
export interface CloudListOptions extends RunCommandOptions {
  /** Only tasks of this environment (`--env`). */
  environment?: string;
  /** At most this many (1-20, `--limit`). */
  limit?: number;
  /** From a previous page's cursor (`--cursor`). */
  cursor?: string;
}

/** The status of a task, read from `codex cloud status`. */
export interface CloudTaskStatus {
  /** `READY`, `PENDING`, `APPLIED`, `ERROR`, ... as printed, lower-cased. */
  status: string;
  /** The task's title. */
  title: string;
  /** The environment label or id and the relative time, as printed (`env  •  3m ago`). */
  meta: string;
  /** The diff summary, or `null` for "no diff". */
  summary: CloudDiffSummary | null;
  /** The whole output. */
  raw: string;
}

/** Options of {@linkcode cloudExec}. */
export interface CloudExecOptions extends RunCommandOptions {
  /** Environment id or label (`--env`, required by the CLI). */
  environment: string;
  /** Best-of-N attempts (`--attempts`). */
  attempts?: number;
  /** Git branch to run on (`--branch`). */
  branch?: string;
}

/** A task submitted by {@linkcode cloudExec}. */
export interface CloudSubmittedTask {
  /** The task id (last segment of the URL). */
  id: string;
  /** The task's URL, as printed. */
  url: string;
}

function checkTaskId(taskId: unknown, what: string): asserts taskId is string {
  if (typeof taskId !== "string" || taskId.trim() === "" || taskId.startsWith("-")) {
    throw new TypeError(
      `Cannot ${what}: taskId must be a task id or URL, got ${JSON.stringify(taskId)}`,
    );
  }
}

function checkAttempt(attempt: unknown, what: string): void {
  if (attempt !== undefined && !(Number.isInteger(attempt) && (attempt as number) >= 1)) {
    throw new TypeError(
      `Cannot ${what}: options.attempt must be an integer >= 1, got ${String(attempt)}`,
    );
  }
}

/**
 * Applies the latest diff of a cloud task to the working tree with `git apply`
 * (`codex apply <task>`); a diff that does not apply resolves `applied: false`.
 */
export async function applyTask(
  taskId: string,
  options: RunCommandOptions = {},
): Promise<ApplyResult> {
  checkTaskId(taskId, "apply the task");
  const result = await runSubcommand(["apply"], ["apply", taskId], options);
  return {
    applied: result.exitCode === 0,
    message: result.stdout.trim() || result.stderr.trim(),
  };
}

/** The argv of `codex cloud list`. Pure. */
export function cloudListArgs(
  options: Omit<CloudListOptions, keyof RunCommandOptions> = {},
): string[] {
  const args = ["cloud", "list", "--json"];
  if (options.environment !== undefined) {
    if (typeof options.environment !== "string" || options.environment === "") {
      throw new TypeError(
        "Cannot list cloud tasks: options.environment must be a non-empty string",
      );
    }
    args.push("--env", options.environment);
  }
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 20) {
      throw new TypeError(
        `Cannot list cloud tasks: options.limit must be an integer from 1 to 20, got ${
          String(options.limit)
        }`,
      );
    }
    args.push("--limit", String(options.limit));
  }
  if (options.cursor !== undefined) {
    if (typeof options.cursor !== "string" || options.cursor === "") {
      throw new TypeError("Cannot list cloud tasks: options.cursor must be a non-empty string");
    }
    args.push("--cursor", options.cursor);
  }
  return args;
}

/** Lists cloud tasks (`codex cloud list --json`). */
export async function cloudList(options: CloudListOptions = {}): Promise<CloudTaskPage> {
  const args = cloudListArgs(options);
  const { environment: _e, limit: _l, cursor: _c, ...run } = options;
  const result = await runSubcommand(["cloud"], args, run);
  if (result.exitCode !== 0) throw exitError(result);
  return parseCloudList(parseJsonOutput(result));
}

/** Reads `cloud list --json` output: `{ tasks, cursor }`, or a bare array of tasks. Pure. */
export function parseCloudList(value: unknown): CloudTaskPage {
  const page = Array.isArray(value) ? { tasks: value } : value as Record<string, unknown>;
  if (typeof page !== "object" || page === null || !Array.isArray(page.tasks)) {
    throw new TypeError("Cannot read the cloud task list: expected { tasks: [...] }");
  }
  for (const task of page.tasks) {
    if (typeof task !== "object" || task === null || typeof task.id !== "string") {
      throw new TypeError("Cannot read the cloud task list: a task has no string id");
    }
  }
  const cursor = typeof page.cursor === "string" ? page.cursor : null;
  return { tasks: page.tasks as CloudTask[], cursor };
}

/** The status of a task (`codex cloud status <task>`; exit 1 means "not ready", not failure). */
export async function cloudStatus(
  taskId: string,
  options: RunCommandOptions = {},
): Promise<CloudTaskStatus> {
  checkTaskId(taskId, "read the task status");
  const result = await runSubcommand(["cloud"], ["cloud", "status", taskId], options);
  const status = parseCloudStatus(result.stdout);
  if (!status) throw exitError(result);
  return status;
}

// deno-lint-ignore no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Reads the three lines `cloud status` prints; `undefined` when they are not there. Pure. */
export function parseCloudStatus(text: string): CloudTaskStatus | undefined {
  const raw = text.replace(ANSI, "");
  const lines = raw.split("\n").map((l) => l.trimEnd()).filter((l) => l !== "");
  const head = /^\[([A-Za-z_]+)\]\s?(.*)$/.exec(lines[0] ?? "");
  if (!head) return undefined;
  let summary: CloudDiffSummary | null = null;
  const last = lines[2] ?? "";
  const diff = /^\+(\d+)\s*\/\s*-(\d+)\s*•\s*(\d+)\s+files?$/.exec(last.trim());
  if (diff) {
    summary = {
      lines_added: Number(diff[1]),
      lines_removed: Number(diff[2]),
      files_changed: Number(diff[3]),
    };
  }
  return {
    status: head[1].toLowerCase(),
    title: head[2],
    meta: (lines[1] ?? "").trim(),
    summary,
    raw: raw.trim(),
  };
}

/** The unified diff of a task's attempt (`codex cloud diff <task> [--attempt N]`). */
export async function cloudDiff(
  taskId: string,
  options: RunCommandOptions & { attempt?: number } = {},
): Promise<string> {
  checkTaskId(taskId, "read the task diff");
  checkAttempt(options.attempt, "read the task diff");
  const { attempt, ...run } = options;
  const args = ["cloud", "diff", taskId];
  if (attempt !== undefined) args.push("--attempt", String(attempt));
  const result = await runSubcommand(["cloud"], args, { ...run, check: true });
  return result.stdout;
}

/** Applies a task's attempt locally (`codex cloud apply <task> [--attempt N]`). */
export async function cloudApply(
  taskId: string,
  options: RunCommandOptions & { attempt?: number } = {},
): Promise<ApplyResult> {
  checkTaskId(taskId, "apply the task");
  checkAttempt(options.attempt, "apply the task");
  const { attempt, ...run } = options;
  const args = ["cloud", "apply", taskId];
  if (attempt !== undefined) args.push("--attempt", String(attempt));
  const result = await runSubcommand(["cloud"], args, run);
  return { applied: result.exitCode === 0, message: result.stdout.trim() || result.stderr.trim() };
}

/**
 * Submits a new cloud task (`codex cloud exec --env <env> -`); the prompt goes on stdin so it
 * never shows in the process list.
 */
export async function cloudExec(
  prompt: string,
  options: CloudExecOptions,
): Promise<CloudSubmittedTask> {
  if (typeof prompt !== "string" || prompt.trim() === "") {
    throw new TypeError("Cannot submit the cloud task: prompt must be a non-empty string");
  }
  if (typeof options?.environment !== "string" || options.environment === "") {
    throw new TypeError("Cannot submit the cloud task: options.environment is required");
  }
  const { environment, attempts, branch, ...run } = options;
  const args = ["cloud", "exec", "--env", environment];
  if (attempts !== undefined) {
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new TypeError("Cannot submit the cloud task: options.attempts must be an integer >= 1");
    }
    args.push("--attempts", String(attempts));
  }
  if (branch !== undefined) {
    if (typeof branch !== "string" || branch === "") {
      throw new TypeError("Cannot submit the cloud task: options.branch must be a branch name");
    }
    args.push("--branch", branch);
  }
  args.push("-");
  const result = await runSubcommand(["cloud"], args, { ...run, stdin: prompt, check: true });
  const url = result.stdout.trim().split("\n").pop()?.trim() ?? "";
  const id = url.split(/[?#]/)[0].split("/").filter(Boolean).pop();
  if (!id) throw exitError(result);
  return { id, url };
}

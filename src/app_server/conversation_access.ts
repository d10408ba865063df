/**
 * The shapes of the client's grouped conversation calls (`codex.threads`, `codex.models`,
 * `codex.account`, beside `codex.config` and `codex.mcp`), served over the app-server.
 *
 * @module
 */
import type {
  AccountInfo,
  ListThreadsOptions,
  ModelInfo,
  ThreadDetails,
  ThreadPage,
  ThreadSummary,
} from "./conversations.ts";

/** The saved-thread calls: `codex.threads.list()`, `codex.threads.read(id)`, ... */
export interface ThreadsAccess {
  /** Lists saved threads (over the app-server; the session files when none can start). */
  list(options?: ListThreadsOptions): Promise<ThreadPage>;
  /** Reads a thread, with its turns when `turns` is true. */
  read(id: string, options?: { turns?: boolean }): Promise<ThreadDetails>;
  /** Archives a thread. */
  archive(id: string): Promise<void>;
  /** Brings an archived thread back. */
  unarchive(id: string): Promise<ThreadSummary>;
  /** Names a thread. */
  setName(id: string, name: string): Promise<void>;
  /** Drops the last `turns` turns from a thread's history (files are not restored). */
  revert(id: string, options?: { turns?: number }): Promise<ThreadDetails>;
  /** The ids of the threads the app-server has loaded. */
  loaded(): Promise<string[]>;
  /** The labels the user gave a thread (`list({ labels })` finds threads by them). */
  labels(id: string): Promise<Record<string, string>>;
  /**
   * Sets a thread's labels (free-form key/value strings kept by codex with the thread, never
   * sent to the model); a `null` value removes the key. Resolves with all of its labels. The
   * thread needs a recorded turn first.
   */
  setLabels(id: string, labels: Record<string, string | null>): Promise<Record<string, string>>;
}

/** The model catalogue: `codex.models.list()`. */
export interface ModelsAccess {
  /** The models on offer, with default and supported reasoning efforts. */
  list(options?: { includeHidden?: boolean }): Promise<ModelInfo[]>;
}

/** The account: `codex.account.read()`. */
export interface AccountAccess {
  /** Login mode, plan and rate limits. */
  read(): Promise<AccountInfo>;
}

/**
 * Labels the user owns on a thread: free-form `key = value` strings kept with the thread by
 * codex itself, as thread attachments of type {@linkcode LABEL_ATTACHMENT_TYPE} (codex 0.163+;
 * never sent to the model, checked on 0.171.0). The identity key is `key=value`, so the
 * server's owner lookup (`thread/attachmentOwner/list`) finds the threads carrying a label and
 * `thread/list` narrows to them (`includedThreadIds`, 0.171.0). Codex's own files are never
 * touched; codex 0.171.0's `thread/metadata/update` holds only git facts, so it does not fit.
 *
 * @module
 */
import type { AppServer } from "./app_server.ts";

/** The attachment type labels are kept under. */
export const LABEL_ATTACHMENT_TYPE = "codexkit.label";

/** A thread's labels: key to value. */
export type ThreadLabels = Record<string, string>;

/** Throws a TypeError naming the bad label; `null` values are allowed when `removals`. */
export function checkLabels(what: string, labels: unknown, removals = false): void {
  if (typeof labels !== "object" || labels === null || Array.isArray(labels)) {
    throw new TypeError(`Cannot ${what}: labels must be an object of key -> value strings`);
  }
  for (const [key, value] of Object.entries(labels)) {
    if (key.length === 0 || key.includes("=")) {
      throw new TypeError(`Cannot ${what}: label key ${JSON.stringify(key)} is empty or has "="`);
    }
    if (!(typeof value === "string" || (removals && value === null))) {
      throw new TypeError(
        `Cannot ${what}: label ${key} must be a string${removals ? " or null" : ""}, got ${
          JSON.stringify(value)
        }`,
      );
    }
  }
}

const identity = (key: string, value: string): string => `${key}=${value}`;

/** Every page of a thread's label attachments, as `[key, value, identityKey]`. */
async function labelEntries(
  server: AppServer,
  threadId: string,
): Promise<[string, string, string][]> {
  const entries: [string, string, string][] = [];
  let cursor: string | undefined;
  do {
    const page = await server.call("thread/attachment/list", {
      threadId,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    for (const attachment of page.data) {
      if (attachment.attachmentType !== LABEL_ATTACHMENT_TYPE) continue;
      const at = attachment.identityKey.indexOf("=");
      if (at <= 0) continue;
      entries.push([
        attachment.identityKey.slice(0, at),
        attachment.identityKey.slice(at + 1),
        attachment.identityKey,
      ]);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return entries;
}

/** A thread's labels. */
export async function readLabels(server: AppServer, threadId: string): Promise<ThreadLabels> {
  return Object.fromEntries((await labelEntries(server, threadId)).map(([k, v]) => [k, v]));
}

/**
 * Sets labels (a `null` value removes that key) and returns all of the thread's labels. A key
 * holds one value: its old value is removed before the new one is added.
 */
export async function updateLabels(
  server: AppServer,
  threadId: string,
  changes: Record<string, string | null>,
): Promise<ThreadLabels> {
  const current = await labelEntries(server, threadId);
  for (const [key, value] of Object.entries(changes)) {
    for (const [k, v, identityKey] of current) {
      if (k !== key || v === value) continue;
      await server.call("thread/attachment/remove", {
        threadId,
        attachmentType: LABEL_ATTACHMENT_TYPE,
        identityKey,
      });
    }
    if (value !== null && !current.some(([k, v]) => k === key && v === value)) {
      await server.call("thread/attachment/add", {
        threadId,
        attachmentType: LABEL_ATTACHMENT_TYPE,
        identityKey: identity(key, value),
        payload: { key, value },
      });
    }
  }
  return await readLabels(server, threadId);
}

/** The ids of the threads carrying every one of `labels` (archived or not, as asked). */
export async function threadsLabelled(
  server: AppServer,
  labels: ThreadLabels,
  archived: boolean | undefined,
): Promise<Set<string>> {
  let result: Set<string> | undefined;
  for (const [key, value] of Object.entries(labels)) {
    const owners = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await server.call("thread/attachmentOwner/list", {
        attachmentType: LABEL_ATTACHMENT_TYPE,
        identityKey: identity(key, value),
        ...(archived !== undefined ? { archived } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      });
      for (const owner of page.data) {
        if (archived === undefined || owner.archived === archived) owners.add(owner.threadId);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    result = result ? new Set([...result].filter((id) => owners.has(id))) : owners;
    if (result.size === 0) break;
  }
  return result ?? new Set();
}

/**
 * Thread attachments and skills, over the app-server (codex 0.163.0 and later answer
 * `thread/attachment/*`; `skills/list` longer). An attachment is a free-form JSON payload codex
 * keeps with a thread under a type and an identity key: it is not sent to the model (checked
 * on 0.171.0 with the fake Responses server), an add under a key already there keeps the first
 * payload (`outcome: "existing"`), and `owners` finds the threads holding a given one. A thread
 * takes attachments once its first turn has been recorded (before that: "thread not found").
 *
 * Custom prompts (`CODEX_HOME/prompts/*.md`) are not here: codex 0.171.0 has no method for them
 * (its `generate-json-schema` output names none, and the binary no longer lists them); skills
 * took their place.
 *
 * @module
 */
import type { AppServer } from "./app_server.ts";
import type { P } from "./_wire.ts";

/** An attachment's identity on its thread: its type and key. */
export interface AttachmentKey {
  /** The kind of attachment, chosen by the app (e.g. `"myapp.ticket"`). */
  attachmentType: string;
  /** Its identity among attachments of that type on the thread. */
  identityKey: string;
}

/** One attachment (`ThreadAttachment` on the wire; `createdAt` is in Unix seconds). */
export type ThreadAttachment = P.ThreadAttachment;

/** A page of a thread's attachments. */
export interface AttachmentPage {
  /** The attachments, oldest first. */
  attachments: ThreadAttachment[];
  /** Pass as `cursor` for the next page; `null` on the last. */
  nextCursor: string | null;
}

/** A page of the threads holding an attachment. */
export interface AttachmentOwnerPage {
  /** Each owning thread, and whether it is archived. */
  owners: P.ThreadAttachmentOwner[];
  /** Pass as `cursor` for the next page; `null` on the last. */
  nextCursor: string | null;
}

/** Paging options. */
export interface PageOptions {
  /** Page size. */
  limit?: number;
  /** A `nextCursor` from an earlier page. */
  cursor?: string;
}

/** The attachment calls: `codex.attachments.add(threadId, ...)`, ... */
export interface AttachmentsAccess {
  /**
   * Attaches `payload` under `attachmentType` + `identityKey`. When the thread already has one
   * under that key, it is kept unchanged and returned with `created: false`.
   */
  add(
    threadId: string,
    attachment: AttachmentKey & { payload: unknown },
  ): Promise<{ attachment: ThreadAttachment; created: boolean }>;
  /** Lists a thread's attachments. */
  list(threadId: string, options?: PageOptions): Promise<AttachmentPage>;
  /** Removes the attachment under that key (none there is not an error). */
  remove(threadId: string, key: AttachmentKey): Promise<void>;
  /** The threads holding an attachment under that key; `archived: false` leaves out archived ones. */
  owners(
    key: AttachmentKey,
    options?: PageOptions & { archived?: boolean },
  ): Promise<AttachmentOwnerPage>;
}

/** A skill codex found (`SkillMetadata` on the wire). */
export type SkillInfo = P.SkillMetadata;

/** The skills of one working directory (`SkillsListEntry` on the wire). */
export type SkillsOfDirectory = P.SkillsListEntry;

/** The skill calls: `codex.skills.list()`, `codex.skills.setEnabled(...)`. */
export interface SkillsAccess {
  /**
   * The skills codex would offer in each of `cwds` (the server's working directory when
   * omitted): system, user (`CODEX_HOME/skills`), repository and admin skills, with the errors
   * of any it could not load. `forceReload` reads them from disk again.
   */
  list(options?: { cwds?: string[]; forceReload?: boolean }): Promise<SkillsOfDirectory[]>;
  /** Turns a skill on or off in config.toml, chosen by name or by the path of its SKILL.md. */
  setEnabled(skill: { name: string } | { path: string }, enabled: boolean): Promise<void>;
}

type Connection = () => Promise<AppServer>;

function checkThread(what: string, id: unknown): void {
  if (typeof id !== "string" || id.length === 0) {
    throw new TypeError(`Cannot ${what}: the thread id must be a non-empty string`);
  }
}

function checkKey(what: string, key: unknown): void {
  const k = key as Partial<AttachmentKey> | undefined;
  for (const field of ["attachmentType", "identityKey"] as const) {
    if (typeof k?.[field] !== "string" || k[field].length === 0) {
      throw new TypeError(`Cannot ${what}: ${field} must be a non-empty string`);
    }
  }
}

function checkPage(what: string, options: PageOptions): void {
  const { limit } = options;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new TypeError(
      `Cannot ${what}: limit must be a positive integer, got ${JSON.stringify(limit)}`,
    );
  }
}

const page = (options: PageOptions) => ({
  ...(options.limit !== undefined ? { limit: options.limit } : {}),
  ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
});

/** The attachment calls on the app-server `connection` gives. */
export function attachmentsAccess(connection: Connection): AttachmentsAccess {
  return {
    async add(threadId, attachment) {
      checkThread("add an attachment", threadId);
      checkKey("add an attachment", attachment);
      if (attachment.payload === undefined) {
        throw new TypeError("Cannot add an attachment: payload is required (any JSON value)");
      }
      const server = await connection();
      const result = await server.call("thread/attachment/add", {
        threadId,
        attachmentType: attachment.attachmentType,
        identityKey: attachment.identityKey,
        payload: attachment.payload,
      });
      return { attachment: result.attachment, created: result.outcome === "created" };
    },
    async list(threadId, options = {}) {
      checkThread("list attachments", threadId);
      checkPage("list attachments", options);
      const server = await connection();
      const result = await server.call("thread/attachment/list", { threadId, ...page(options) });
      return { attachments: result.data, nextCursor: result.nextCursor ?? null };
    },
    async remove(threadId, key) {
      checkThread("remove an attachment", threadId);
      checkKey("remove an attachment", key);
      const server = await connection();
      await server.call("thread/attachment/remove", {
        threadId,
        attachmentType: key.attachmentType,
        identityKey: key.identityKey,
      });
    },
    async owners(key, options = {}) {
      checkKey("list attachment owners", key);
      checkPage("list attachment owners", options);
      const server = await connection();
      const result = await server.call("thread/attachmentOwner/list", {
        attachmentType: key.attachmentType,
        identityKey: key.identityKey,
        ...(options.archived !== undefined ? { archived: options.archived } : {}),
        ...page(options),
      });
      return { owners: result.data, nextCursor: result.nextCursor ?? null };
    },
  };
}

/** The skill calls on the app-server `connection` gives. */
export function skillsAccess(connection: Connection): SkillsAccess {
  return {
    async list(options = {}) {
      if (options.cwds !== undefined && !options.cwds.every((c) => typeof c === "string" && c)) {
        throw new TypeError("Cannot list skills: cwds must be a list of directory paths");
      }
      const server = await connection();
      const result = await server.call("skills/list", {
        ...(options.cwds !== undefined ? { cwds: options.cwds } : {}),
        ...(options.forceReload !== undefined ? { forceReload: options.forceReload } : {}),
      });
      return result.data;
    },
    async setEnabled(skill, enabled) {
      const by = skill as { name?: unknown; path?: unknown };
      if (typeof enabled !== "boolean") {
        throw new TypeError("Cannot set a skill: enabled must be true or false");
      }
      if (
        !(typeof by?.name === "string" && by.name) && !(typeof by?.path === "string" && by.path)
      ) {
        throw new TypeError("Cannot set a skill: give its name or the path of its SKILL.md");
      }
      const server = await connection();
      await server.call("skills/config/write", {
        enabled,
        ...(typeof by.name === "string" ? { name: by.name } : { path: by.path as string }),
      });
    },
  };
}

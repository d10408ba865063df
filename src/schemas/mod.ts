/**
 * Check events you hold yourself: valibot schemas of every event and item type, the field
 * tables they are built from, and the decoder that turns a recorded `codex exec --json` stream
 * into validated events. Kept apart from the root entry so a turn never loads valibot.
 *
 * @example Validate a recorded event
 * ```ts ignore
 * import { threadEventSchema } from "@codexkit/sdk/schemas";
 *
 * const result = await threadEventSchema["~standard"].validate({ type: "turn.started" });
 * console.log(result.issues ?? result.value);
 * ```
 *
 * @example Decode a saved JSONL file
 * ```ts ignore
 * import { decodeThreadEvents } from "@codexkit/sdk/schemas";
 *
 * const file = await Deno.open("run.jsonl");
 * for await (const event of decodeThreadEvents(file.readable, "run.jsonl")) {
 *   console.log(event.type);
 * }
 * ```
 *
 * @module
 */
export { threadEventSchema, threadItemSchema } from "./event_schemas.ts";
export { EVENT_FIELDS, ITEM_FIELDS } from "../events.ts";
export { isKnownEventType, isKnownItemType } from "../events.ts";
export { decodeThreadEvents } from "../streams/thread_event_stream.ts";
// The event and item types these signatures use, named here so this entry documents itself.
export type { EventSchema } from "./event_schemas.ts";
export type { ThreadEventDecoderOptions } from "../streams/thread_event_stream.ts";
export type {
  AgentMessageItem,
  CollabAgentState,
  CollabTool,
  CollabToolCallItem,
  CommandExecutionItem,
  CommandExecutionStatus,
  ContextCompactionItem,
  ErrorItem,
  FieldSpec,
  FileChangeItem,
  FileUpdateChange,
  ImageGenerationItem,
  ImageViewItem,
  ItemCompletedEvent,
  ItemStartedEvent,
  ItemUpdatedEvent,
  McpToolCallItem,
  McpToolCallStatus,
  PatchApplyStatus,
  PatchChangeKind,
  ReasoningItem,
  RetryScheduledEvent,
  ReviewModeItem,
  SubAgentActivityItem,
  ThreadError,
  ThreadErrorEvent,
  ThreadEvent,
  ThreadItem,
  ThreadStartedEvent,
  TodoItem,
  TodoListItem,
  TurnCompletedEvent,
  TurnFailedEvent,
  TurnStartedEvent,
  UnknownThreadEvent,
  UnknownThreadItem,
  Usage,
  WebSearchItem,
} from "../events.ts";

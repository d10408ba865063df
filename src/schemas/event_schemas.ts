/**
 * valibot schemas of every event and item type, built from the same field table as the
 * pipeline's own check (`EVENT_FIELDS`, `ITEM_FIELDS` in `events.ts`). Use them to validate
 * recorded events in your own code; the SDK's hot path uses the hand-written check, which a
 * test keeps in agreement with these.
 *
 * @module
 */
import * as v from "valibot";
import { EVENT_FIELDS, ITEM_FIELDS } from "../events.ts";
import type {
  FieldSpec,
  ThreadEvent,
  ThreadItem,
  UnknownThreadEvent,
  UnknownThreadItem,
} from "../events.ts";

function fieldSchema(spec: FieldSpec): v.GenericSchema {
  switch (spec) {
    case "string":
      return v.string();
    case "number":
      return v.number();
    case "boolean":
      return v.boolean();
    case "unknown":
      return v.unknown();
    case "id":
      return v.union([v.string(), v.number()]);
    case "count":
      return v.optional(v.number(), 0);
    case "nullish-number":
      return v.nullish(v.number());
    case "strings":
      return v.array(v.string());
    case "item":
      return itemSchema;
  }
  if ("array" in spec) return v.array(objectSchema(spec.array));
  return objectSchema(spec.object);
}

function objectSchema(
  fields: Record<string, FieldSpec>,
  extra: v.ObjectEntries = {},
): v.GenericSchema {
  const entries: v.ObjectEntries = { ...extra };
  for (const [key, spec] of Object.entries(fields)) entries[key] = fieldSchema(spec);
  // valibot's object schemas take arrays too; the wire never sends one where an object belongs.
  return v.pipe(v.custom<object>((input) => !Array.isArray(input)), v.looseObject(entries));
}

/**
 * A Standard Schema (v1) checking values of type `T`. The exported schemas are valibot
 * schemas at run time; they are typed by the vendor-neutral interface so the public types do
 * not depend on valibot's.
 */
export interface EventSchema<T> {
  /** The Standard Schema interface. */
  readonly "~standard": {
    /** Always 1. */
    readonly version: 1;
    /** `"valibot"`. */
    readonly vendor: string;
    /** Checks `value`: the (possibly defaulted) value, or the issues. */
    readonly validate: (
      value: unknown,
    ) =>
      | { readonly value: T; readonly issues?: undefined }
      | { readonly issues: readonly { readonly message: string }[] }
      | Promise<
        | { readonly value: T; readonly issues?: undefined }
        | { readonly issues: readonly { readonly message: string }[] }
      >;
  };
}

const itemSchemas = new Map(
  Object.entries(ITEM_FIELDS).map((
    [type, fields],
  ) => [type, objectSchema(fields, { id: v.string(), type: v.literal(type) })]),
);
const unknownItem = v.looseObject({ id: v.string(), type: v.string() });

const itemSchema: v.GenericSchema = v.lazy((input) => {
  const type = typeof input === "object" && input !== null
    ? (input as { type?: unknown }).type
    : undefined;
  return (typeof type === "string" ? itemSchemas.get(type) : undefined) ?? unknownItem;
});

const eventSchemas = new Map(
  Object.entries(EVENT_FIELDS).map((
    [type, fields],
  ) => [type, objectSchema(fields, { type: v.literal(type) })]),
);
const unknownEvent = v.looseObject({ type: v.string() });

const eventSchema: v.GenericSchema = v.lazy((input) => {
  const type = typeof input === "object" && input !== null
    ? (input as { type?: unknown }).type
    : undefined;
  return (typeof type === "string" ? eventSchemas.get(type) : undefined) ?? unknownEvent;
});

/**
 * Any thread item: a known type must carry the fields the SDK reads; an unknown type needs only
 * `id` and `type`.
 *
 * @example Check a recorded item
 * ```ts
 * import { threadItemSchema } from "./event_schemas.ts";
 * const result = threadItemSchema["~standard"].validate({ id: "item_0", type: "agent_message", text: "hi" });
 * ```
 */
export const threadItemSchema: EventSchema<ThreadItem | UnknownThreadItem> =
  itemSchema as EventSchema<
    ThreadItem | UnknownThreadItem
  >;

/**
 * Any `codex exec --json` event (or app-server event in the same shapes). Missing usage counts
 * become 0; unknown event types need only a string `type`.
 *
 * @example Check a recorded event
 * ```ts
 * import { threadEventSchema } from "./event_schemas.ts";
 * const result = threadEventSchema["~standard"].validate({ type: "thread.started", thread_id: "t-1" });
 * ```
 */
export const threadEventSchema: EventSchema<ThreadEvent | UnknownThreadEvent> =
  eventSchema as EventSchema<
    ThreadEvent | UnknownThreadEvent
  >;

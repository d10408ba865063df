import { test } from "node:test";
import assert from "node:assert/strict";
import { threadEventSchema, threadItemSchema } from "./event_schemas.ts";
import { EVENT_FIELDS, isKnownEventType, ITEM_FIELDS, safeParseEvent } from "../events.ts";
import { decodeThreadEvents } from "../streams/thread_event_stream.ts";
import { toApprovalRequest } from "../app_server/approvals.ts";

const NAMES = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "__defineGetter__",
];

async function decode(lines: string[]): Promise<unknown[]> {
  const bytes = new TextEncoder().encode(lines.join("\n") + "\n");
  const out: unknown[] = [];
  for await (const event of decodeThreadEvents(ReadableStream.from([bytes]))) out.push(event);
  return out;
}

test("The field tables have no prototype: Object.prototype names are not known types", () => {
  assert.equal(Object.getPrototypeOf(EVENT_FIELDS), null);
  assert.equal(Object.getPrototypeOf(ITEM_FIELDS), null);
  for (const name of NAMES) {
    assert.equal(EVENT_FIELDS[name], undefined, name);
    assert.equal(ITEM_FIELDS[name], undefined, name);
    assert.equal(isKnownEventType(name), false, name);
  }
});

test("Events and items typed __proto__, constructor, toString pass through as unknown", async () => {
  for (const name of NAMES) {
    const event = JSON.parse(`{"type":${JSON.stringify(name)},"x":1}`);
    const item = JSON.parse(
      `{"type":"item.completed","item":{"id":"i","type":${JSON.stringify(name)},"y":2}}`,
    );
    assert.deepEqual(await decode([JSON.stringify(event), JSON.stringify(item)]), [event, item]);
    const checked = [
      threadEventSchema["~standard"].validate(event),
      threadItemSchema["~standard"].validate(item.item),
    ] as { issues?: unknown }[];
    assert.deepEqual(checked.map((r) => r.issues), [undefined, undefined], name);
    assert.equal(toApprovalRequest(name, {}, 1), undefined, name);
  }
});

test("A type added to Object.prototype by other code is still unknown to the check", () => {
  const polluted = "polluted.event";
  Object.defineProperty(Object.prototype, polluted, {
    value: { must: "string" },
    configurable: true,
  });
  try {
    // Through the prototype, the table would demand a field `must` and reject the event.
    const result = safeParseEvent({ type: polluted });
    assert.deepEqual(result, { success: true, event: { type: polluted } });
  } finally {
    delete (Object.prototype as Record<string, unknown>)[polluted];
  }
});

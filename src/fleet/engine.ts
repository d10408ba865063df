/**
 * The JetStream side of the fleet: the connection, the engine objects (created idempotently
 * with the nats-server 2.9 subset of the API: a singular `filter_subject`, never
 * `filter_subjects`), and compare-and-set updates of JSON records.
 *
 * @module
 */
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/transport-node";
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { KV } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import type { ObjectStore } from "@nats-io/obj";
import { checkFleetOptions } from "./options.ts";
import { fleetNames } from "./record.ts";
import type { FleetNames } from "./record.ts";

/** How to reach the fleet's NATS servers. */
export interface FleetConnectionOptions {
  /** Server URL(s), e.g. `"nats://127.0.0.1:4222"`. */
  servers: string | string[];
  /** Tenant: a subject token that scopes threads, turns and the workers' consumer (default `"default"`). */
  tenant?: string;
  /** Connection name shown by the server. */
  name?: string;
  /** Credentials of this process (producers and workers should hold different ones). */
  credentials?: FleetCredentials;
}

/** NATS credentials: a user and password, or a token. */
export interface FleetCredentials {
  /** User name. */
  user?: string;
  /** Password. */
  pass?: string;
  /** Token. */
  token?: string;
}

/** Settings of the engine objects, for {@linkcode ensureFleet}. */
export interface EnsureFleetOptions extends FleetConnectionOptions {
  /** How long a delivered turn stays leased without an in-progress ack (default 30000 ms). */
  ackWaitMs?: number;
  /** Fleet-wide cap on turns in flight: the consumer's `max_ack_pending` (default 256). */
  maxInFlight?: number;
  /** Queue bound in messages (default 10000); past it `submit` fails with `QueueFullError`. */
  maxQueued?: number;
  /** Queue bound in bytes (default 256 MiB). */
  maxQueuedBytes?: number;
  /** Stream and bucket replicas (default 1; 3 on a production cluster). */
  replicas?: number;
  /** How long turn events are kept (default 24 h). */
  eventsMaxAgeMs?: number;
}

/** The open engine: connection, clients, objects. */
export interface Engine {
  /** The connection. */
  nc: NatsConnection;
  /** JetStream client. */
  js: JetStreamClient;
  /** JetStream manager. */
  jsm: JetStreamManager;
  /** Thread and turn records. */
  kv: KV;
  /** Rollout snapshots. */
  os: ObjectStore;
  /** Names. */
  names: FleetNames;
}

const MS = 1_000_000;

/** The servers as a list and the tenant, of options a door has checked. */
function connection(options: FleetConnectionOptions): { servers: string[]; tenant: string } {
  const servers = typeof options.servers === "string" ? [options.servers] : options.servers;
  return { servers, tenant: options.tenant ?? "default" };
}

/** Opens a connection and the engine's clients; the objects must exist (see ensureFleet). */
export async function openEngine(options: FleetConnectionOptions, name: string): Promise<Engine> {
  const { servers, tenant } = connection(options);
  const nc = await connect({
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    ...options.credentials,
    servers,
    name: options.name ?? name,
  });
  try {
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const names = fleetNames(tenant);
    const kv = await new Kvm(js).open(names.bucket);
    const os = await new Objm(js).open(names.objects);
    return { nc, js, jsm, kv, os, names };
  } catch (error) {
    await nc.close().catch(() => {});
    throw error;
  }
}

async function ensureStream(
  jsm: JetStreamManager,
  config: Parameters<JetStreamManager["streams"]["add"]>[0] & { name: string },
): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    // Present: bring the adjustable settings up to date (the subjects and retention stay).
    const { name, ...rest } = config;
    await jsm.streams.update(name, rest);
  } catch (error) {
    if (!/not found/i.test(String((error as Error)?.message))) throw error;
    await jsm.streams.add(config);
  }
}

/**
 * Creates the fleet's streams, buckets and the workers' consumer, or brings their settings up to
 * date; safe to call from every process at start.
 *
 * @example Before the first producer or worker
 * ```ts ignore
 * import { ensureFleet } from "@codexkit/sdk/fleet";
 * await ensureFleet({ servers: "nats://127.0.0.1:4222", ackWaitMs: 30_000, maxQueued: 1000 });
 * ```
 */
export async function ensureFleet(options: EnsureFleetOptions): Promise<void> {
  checkFleetOptions("ensure", options);
  const { servers, tenant } = connection(options);
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  const maxInFlight = options.maxInFlight ?? 256;
  const maxQueued = options.maxQueued ?? 10_000;
  const maxQueuedBytes = options.maxQueuedBytes ?? 256 * 1024 * 1024;
  const replicas = options.replicas ?? 1;
  const eventsMaxAgeMs = options.eventsMaxAgeMs ?? 24 * 3600_000;
  const names = fleetNames(tenant);
  const nc = await connect({
    ...options.credentials,
    servers,
    name: options.name ?? "codexkit-fleet-setup",
  });
  try {
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, {
      name: names.turns,
      subjects: ["codex.turn.>"],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      num_replicas: replicas,
      max_msgs: maxQueued,
      max_bytes: maxQueuedBytes,
      discard: DiscardPolicy.New,
      duplicate_window: 120_000 * MS,
    });
    await ensureStream(jsm, {
      name: names.events,
      subjects: ["codex.ev.>"],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: replicas,
      max_age: eventsMaxAgeMs * MS,
      max_bytes: 1024 * 1024 * 1024,
      discard: DiscardPolicy.Old,
    });
    await ensureStream(jsm, {
      name: names.dead,
      subjects: ["codex.dead.>"],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: replicas,
    });
    const kvm = new Kvm(js);
    await kvm.create(names.bucket, { history: 1, replicas });
    await new Objm(js).create(names.objects, { replicas });
    const consumer = {
      durable_name: names.consumer,
      // Singular filter: nats-server 2.9 refuses `filter_subjects` (2.10+).
      filter_subject: `codex.turn.${tenant}.>`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: ackWaitMs * MS,
      // Attempts are counted in the thread record (a turn waiting for its predecessor is
      // redelivered without costing one), so the server never gives up on a message.
      max_deliver: -1,
      max_ack_pending: maxInFlight,
    };
    try {
      await jsm.consumers.info(names.turns, names.consumer);
      await jsm.consumers.update(names.turns, names.consumer, {
        ack_wait: consumer.ack_wait,
        max_ack_pending: consumer.max_ack_pending,
        max_deliver: consumer.max_deliver,
      });
    } catch (error) {
      if (!/not found/i.test(String((error as Error)?.message))) throw error;
      await jsm.consumers.add(names.turns, consumer);
    }
  } finally {
    await nc.close().catch(() => {});
  }
}

/** True when `error` is a lost compare-and-set (wrong last sequence). */
export function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 10071 ||
    /wrong last sequence|key exists/i.test(String((error as Error)?.message));
}

/** A JSON record and its revision. */
export interface Versioned<T> {
  /** The value. */
  value: T;
  /** Its KV revision (0: absent). */
  revision: number;
}

/** Reads a JSON record; `undefined` when absent or deleted. */
export async function readRecord<T>(kv: KV, key: string): Promise<Versioned<T> | undefined> {
  const entry = await kv.get(key);
  if (!entry || entry.operation !== "PUT" || entry.length === 0) return undefined;
  return { value: entry.json<T>(), revision: entry.revision };
}

/** Writes `value` only if the record is still at `revision` (0: absent); the new revision. */
export async function casRecord<T>(
  kv: KV,
  key: string,
  value: T,
  revision: number,
): Promise<number> {
  const data = JSON.stringify(value);
  return revision === 0 ? await kv.create(key, data) : await kv.update(key, data, revision);
}

/**
 * Read-modify-CAS until it holds: `change` gets the current value (or undefined) and returns the
 * new one, or `undefined` to leave it. Returns what was written, or `undefined`.
 */
export async function updateRecord<T>(
  kv: KV,
  key: string,
  change: (current: T | undefined) => T | undefined,
): Promise<Versioned<T> | undefined> {
  for (let i = 0; i < 100; i++) {
    const current = await readRecord<T>(kv, key);
    const next = change(current?.value);
    if (next === undefined) return undefined;
    try {
      const revision = await casRecord(kv, key, next, current?.revision ?? 0);
      return { value: next, revision };
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
  throw new Error(`Cannot update ${key}: too many concurrent writers`);
}

// One round of "write an order, publish one event" on PostgreSQL + the Redis Streams bus, in one of
// two ways: publish after commit (the event goes to the bus once the transaction committed: a crash
// in between loses it) or through the transactional outbox (the event is written in the transaction;
// the relay forwards it). Timed from the first write until a subscriber received every event
// (end to end), and until the last writer's call returned (the write path, as the caller sees it).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { createRedisBus } from '../../runtime/bus/redis/index.js';
import type { EventEnvelope } from '../../runtime/bus/types.js';
import type { Database } from '../../runtime/storage/index.js';
import { createOutbox, OUTBOX_TABLE, type OutboxOptions } from '../../runtime/storage/outbox/index.js';
import { drive } from '../support.js';
import { deleteRedisPrefix, REDIS_URL } from './scratch.js';
import { sampleServerCpu, serverCpuSince } from './server-cpu.js';

export const ORDER_PLACED = 'order.placed';
const SERVICE = 'orders';
const GROUP = 'bench';
/** A round that has not delivered everything by then fails the run instead of hanging it. */
const ROUND_CAP_MS = 120_000;

/** The orders table both ways write to. */
export const ORDERS_DDL = `create table if not exists orders (
  id uuid primary key,
  customer text not null,
  total numeric(12, 2) not null,
  created_at timestamptz not null default now()
)`;

/**
 * How a round publishes: `after-commit` or `outbox` (with optional outbox settings to try).
 *
 * @example
 * const way: DeliveryWay = { kind: 'outbox', label: 'outbox, batch 500', outbox: { batchSize: 500 } };
 */
export interface DeliveryWay {
  readonly kind: 'after-commit' | 'outbox';
  readonly label: string;
  readonly outbox?: Partial<Pick<OutboxOptions, 'batchSize' | 'pollIntervalMs'>>;
}

/**
 * What one round measured.
 *
 * @example
 * const result: DeliveryResult = { writes: 8000, writeSeconds: 3.1, deliverySeconds: 3.2, cpuUs: 4.1e6, dbCpuUs: 2.2e6 };
 */
export interface DeliveryResult {
  readonly writes: number;
  /** From the first write until the last writer's call returned. */
  readonly writeSeconds: number;
  /** From the first write until the subscriber had every event. */
  readonly deliverySeconds: number;
  /** This process (writers, relay, bus client, subscriber), user + system. */
  readonly cpuUs: number;
  /** The PostgreSQL backends of the scratch database, when readable (see server-cpu.ts). */
  readonly dbCpuUs: number | null;
}

/**
 * Settings of {@link deliveryRound}.
 *
 * @example
 * const settings: DeliverySettings = { db, logger, writes: 8000, concurrency: 16, redisPrefix: 'meshspec-bench-ab12:r1:' };
 */
export interface DeliverySettings {
  readonly db: Database;
  readonly logger: Logger;
  readonly writes: number;
  readonly concurrency: number;
  /** Every Redis key of the round goes under it; deleted afterwards. */
  readonly redisPrefix: string;
}

/**
 * Runs one round, then empties `orders` and the outbox table and deletes the round's Redis keys.
 *
 * @param way - after-commit or outbox (and the outbox's settings)
 * @param settings - database, logger, writes (all delivered), concurrent writers, Redis prefix
 * @example
 * const result = await deliveryRound({ kind: 'outbox', label: 'outbox' }, { db, logger, writes: 8000, concurrency: 16, redisPrefix });
 */
export async function deliveryRound(way: DeliveryWay, settings: DeliverySettings): Promise<DeliveryResult> {
  const { db, logger, writes, concurrency, redisPrefix } = settings;
  const bus = createRedisBus({ url: REDIS_URL, prefix: redisPrefix, logger });
  const outbox = way.kind === 'outbox' ? await createOutbox({ db, bus, service: SERVICE, logger, ...way.outbox }) : null;
  try {
    const received = new Set<string>();
    let allReceived!: () => void;
    const everyEvent = new Promise<void>((resolve) => (allReceived = resolve));
    // Counted by id: a relay that sends an event again (at-least-once) must not end the round early.
    await bus.subscribe(ORDER_PLACED, GROUP, async (event) => {
      received.add(event.id);
      if (received.size === writes) allReceived();
    });

    let firstError: unknown;
    const writeOrder = async (): Promise<boolean> => {
      const id = randomUUID();
      const payload = { orderId: id, customer: 'c-1', total: 49.9 };
      try {
        if (outbox) {
          await db.transaction(async (tx) => {
            await tx.query(`insert into orders (id, customer, total) values ($1, $2, $3)`, [id, payload.customer, payload.total]);
            await outbox.publish(ORDER_PLACED, payload);
          });
        } else {
          await db.transaction((tx) => tx.query(`insert into orders (id, customer, total) values ($1, $2, $3)`, [id, payload.customer, payload.total]));
          await bus.publish(envelopeOf(payload));
        }
        return true;
      } catch (err) {
        firstError ??= err;
        throw err;
      }
    };

    const cpuBefore = process.cpuUsage();
    const dbCpuBefore = await sampleServerCpu();
    const started = performance.now();
    const load = await drive(writes, concurrency, ROUND_CAP_MS, writeOrder);
    const writeSeconds = (performance.now() - started) / 1000;
    if (load.errors > 0) throw new Error(`${way.label}: ${load.errors} of ${load.done} writes failed, first: ${describe(firstError)}`);
    if (load.done < writes) throw new Error(`${way.label}: only ${load.done} of ${writes} writes within ${ROUND_CAP_MS} ms`);
    await capped(everyEvent, ROUND_CAP_MS, () => `${way.label}: ${received.size} of ${writes} events delivered after ${ROUND_CAP_MS} ms`);
    const deliverySeconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const dbCpuUs = serverCpuSince(dbCpuBefore, await sampleServerCpu(), await backendsOf(db));
    return { writes, writeSeconds, deliverySeconds, cpuUs: cpu.user + cpu.system, dbCpuUs };
  } finally {
    await outbox?.close();
    await bus.close();
    await deleteRedisPrefix(redisPrefix);
    await db.query(`truncate orders`);
    if (outbox) await db.query(`truncate ${OUTBOX_TABLE}`);
  }
}

function envelopeOf(payload: unknown): EventEnvelope {
  // What outbox.publish(event, payload) builds, so both ways send the same bytes.
  return { id: randomUUID(), event: ORDER_PLACED, version: 1, source: SERVICE, time: new Date().toISOString(), payload };
}

/** The process ids of the backends connected to `db`'s database (its pool's connections). */
async function backendsOf(db: Database): Promise<Set<number>> {
  const { rows } = await db.query<{ pid: number }>(`select pid from pg_stat_activity where datname = current_database()`);
  return new Set(rows.map((row) => Number(row.pid)));
}

function capped(work: Promise<void>, ms: number, message: () => string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message())), ms)));
  return Promise.race([work, cap]).finally(() => clearTimeout(timer));
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}

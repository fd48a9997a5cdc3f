// The transactional outbox on both engines, with a bus that records (and can refuse) what the relay
// hands over: committed events arrive in order, rolled-back ones never, a failing bus loses nothing.
import { pino } from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryBus, type EventEnvelope } from '../../../runtime/bus/index.js';
import { createOutbox, OUTBOX_TABLE, type Outbox } from '../../../runtime/storage/outbox/index.js';
import type { Database } from '../../../runtime/storage/index.js';
import { enginesUnderTest } from './engines.js';
import { recordingBus } from './outbox-bus.js';

const engines = await enginesUnderTest();
const logger = pino({ level: 'silent' });
const payloads = (envelopes: readonly EventEnvelope[]) => envelopes.map((e) => e.payload);

async function placeOrder(db: Database, outbox: Outbox, n: number, options: { fail?: boolean } = {}): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('insert into orders (n) values ($1)', [n]);
    expect(await outbox.publish('order.placed', { n })).toBe('outbox');
    if (options.fail) throw new Error('declined');
  });
}

describe.each(engines)('outbox on $engine', (engine) => {
  afterAll(() => engine.cleanup());
  const test = it.skipIf(!engine.available);
  const opened: Outbox[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((o) => o.close()));
  });

  async function setup(options: { pollIntervalMs?: number; retryDelayMs?: number; batchSize?: number } = {}) {
    const db = await engine.open();
    await db.query('create table orders (n int primary key)');
    const bus = recordingBus();
    const outbox = await createOutbox({ db, bus, service: 'orders', logger, pollIntervalMs: 60_000, ...options });
    opened.push(outbox);
    return { db, bus, outbox };
  }

  test('delivers the events of committed transactions in order, with the envelope as written, and marks them sent', async () => {
    const { db, bus, outbox } = await setup({ batchSize: 7 });
    for (let n = 1; n <= 30; n += 1) await placeOrder(db, outbox, n);
    await db.transaction(async () => {
      await outbox.publish('order.placed', { n: 31 }, { version: 2, requestId: 'r-1' });
      await outbox.publish('order.placed', { n: 32 });
    });
    await outbox.drained();
    expect(payloads(bus.accepted)).toEqual(Array.from({ length: 32 }, (_, i) => ({ n: i + 1 })));
    expect(bus.accepted[30]).toMatchObject({ event: 'order.placed', version: 2, source: 'orders', requestId: 'r-1' });
    expect(new Set(bus.accepted.map((e) => e.id)).size).toBe(32);
    const { rows } = await db.query<{ waiting: string; sent: string }>(
      `select count(*) filter (where sent_at is null) as waiting, count(*) filter (where sent_at is not null) as sent from ${OUTBOX_TABLE}`,
    );
    expect(rows[0]).toEqual({ waiting: '0', sent: '32' });
  });

  test('never delivers the events of a rolled-back transaction or savepoint', async () => {
    const { db, bus, outbox } = await setup();
    await placeOrder(db, outbox, 1);
    await expect(placeOrder(db, outbox, 2, { fail: true })).rejects.toThrow('declined');
    await db.transaction(async (tx) => {
      await outbox.publish('order.placed', { n: 3 });
      await tx.transaction(async () => {
        await outbox.publish('order.placed', { n: 4 });
        throw new Error('undo the savepoint');
      }).catch(() => undefined);
    });
    await placeOrder(db, outbox, 5);
    await outbox.drained();
    await sleep(100);
    expect(payloads(bus.accepted)).toEqual([{ n: 1 }, { n: 3 }, { n: 5 }]);
    expect((await db.query(`select id from ${OUTBOX_TABLE}`)).rowCount).toBe(3);
  });

  test('outside a transaction publishes on the bus directly and writes no row', async () => {
    const { db, bus, outbox } = await setup();
    expect(await outbox.publish('order.placed', { n: 1 })).toBe('bus');
    expect(await outbox.enqueue({ id: 'e-1', event: 'order.placed', version: 1, source: 'orders', time: new Date().toISOString(), payload: {} })).toBe(false);
    expect(payloads(bus.accepted)).toEqual([{ n: 1 }]);
    expect((await db.query(`select id from ${OUTBOX_TABLE}`)).rowCount).toBe(0);
  });

  test('the bus view routes through the outbox and subscribing still reaches the real bus', async () => {
    const db = await engine.open();
    const bus = createMemoryBus({ logger });
    const outbox = await createOutbox({ db, bus, service: 'orders', logger });
    opened.push(outbox);
    const seen: unknown[] = [];
    await outbox.bus.subscribe('order.placed', 'billing', async (e) => void seen.push(e.payload));
    await db.transaction(() => outbox.bus.publish({ id: 'e-1', event: 'order.placed', version: 1, source: 'orders', time: new Date().toISOString(), payload: { n: 1 } }));
    await outbox.bus.publish({ id: 'e-2', event: 'order.placed', version: 1, source: 'orders', time: new Date().toISOString(), payload: { n: 2 } });
    await outbox.drained();
    await expect.poll(() => seen.length).toBe(2);
    expect(seen).toContainEqual({ n: 1 });
    expect((await db.query(`select id from ${OUTBOX_TABLE}`)).rows).toEqual([{ id: 'e-1' }]);
    await outbox.close();
    await bus.close();
  });

  test('a bus that refuses 6 times: the relay backs off, then sends everything again in order from the first refused event and records the attempts', async () => {
    const { db, bus, outbox } = await setup({ retryDelayMs: 10 });
    bus.refuseNext(6);
    for (let n = 1; n <= 10; n += 1) await placeOrder(db, outbox, n);
    await outbox.drained(15_000);
    expect(bus.refusals).toBe(6);
    const all = Array.from({ length: 10 }, (_, i) => ({ n: i + 1 }));
    // A pass starts its publishes together: events behind a refused one may have been accepted
    // already; the next pass sends from the refused one on, in order, so those come twice.
    const accepted = payloads(bus.accepted) as { n: number }[];
    expect(accepted.slice(-10)).toEqual(all);
    expect(new Set(accepted.slice(0, -10).map((p) => p.n)).size).toBe(accepted.length - 10);
    const { rows } = await db.query<{ attempts: number; last_error: string | null }>(`select attempts, last_error from ${OUTBOX_TABLE} order by seq limit 1`);
    expect(rows[0]!.last_error).toBe('the broker is unreachable');
    expect(rows[0]!.attempts).toBeGreaterThan(1);
  });

  test('events committed while no relay ran (a crash after commit) are sent by the next start', async () => {
    const { db, bus, outbox } = await setup();
    await outbox.close();
    for (let n = 1; n <= 5; n += 1) await placeOrder(db, outbox, n);
    expect(bus.accepted).toEqual([]);
    const next = await createOutbox({ db, bus, service: 'orders', logger, pollIntervalMs: 60_000 });
    opened.push(next);
    await next.drained();
    expect(payloads(bus.accepted)).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
  });

  test('close waits for the batch in flight, and sent rows past retention are deleted, waiting ones never', async () => {
    const db = await engine.open();
    await db.query('create table orders (n int primary key)');
    let release: (() => void) | undefined;
    const accepted: unknown[] = [];
    const slowBus = { ...recordingBus(), publish: async (e: EventEnvelope) => { await new Promise<void>((r) => (release = r)); accepted.push(e.payload); } };
    const outbox = await createOutbox({ db, bus: slowBus, service: 'orders', logger, retentionMs: 0, cleanupIntervalMs: 0, pollIntervalMs: 20 });
    await db.transaction(() => outbox.publish('order.placed', { n: 1 }));
    await expect.poll(() => release !== undefined).toBe(true);
    await sleep(50);
    const closing = outbox.close();
    let closed = false;
    void closing.then(() => (closed = true));
    await sleep(50);
    expect(closed).toBe(false);
    release?.();
    await closing;
    expect(accepted).toEqual([{ n: 1 }]);
    const sent = await db.query<{ sent: boolean }>(`select sent_at is not null as sent from ${OUTBOX_TABLE}`);
    expect(sent.rows).toEqual([{ sent: true }]);
    await db.transaction(() => outbox.publish('order.placed', { n: 2 })); // waits: its relay is closed
    const refusing = recordingBus();
    refusing.refuseNext(Number.MAX_SAFE_INTEGER);
    const cleaner = await createOutbox({ db, bus: refusing, service: 'orders', logger, retentionMs: 0, cleanupIntervalMs: 0, pollIntervalMs: 20, retryDelayMs: 10, maxRetryDelayMs: 20 });
    opened.push(cleaner);
    await expect.poll(async () => (await db.query(`select seq from ${OUTBOX_TABLE}`)).rowCount).toBe(1);
    await expect.poll(() => refusing.refusals).toBeGreaterThan(2);
    const left = await db.query(`select envelope->'payload' as payload, sent_at from ${OUTBOX_TABLE}`);
    expect(left.rows).toEqual([{ payload: { n: 2 }, sent_at: null }]);
  });
});

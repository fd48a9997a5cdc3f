// Two replicas of one service on one PostgreSQL database, each with its relay: the advisory lock
// lets one relay forward at a time, so every event reaches the bus once and in sequence order.
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createOutbox, type Outbox } from '../../../runtime/storage/outbox/index.js';
import type { Database } from '../../../runtime/storage/index.js';
import { enginesUnderTest } from './engines.js';
import { recordingBus } from './outbox-bus.js';

const [pgEngine] = (await enginesUnderTest()).filter((e) => e.engine === 'pg');
const logger = pino({ level: 'silent' });

describe('outbox relays of two replicas on PostgreSQL', () => {
  const engine = pgEngine!;
  const test = it.skipIf(!engine.available);
  const opened: Outbox[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((o) => o.close()));
    await engine.cleanup();
  });

  async function replicas() {
    const first = await engine.open();
    await first.query('create table orders (n int primary key)');
    const second = engine.replicaOf(first) as Database;
    const bus = recordingBus();
    const options = { bus, service: 'orders', logger, pollIntervalMs: 10, batchSize: 5 };
    const outboxes = [await createOutbox({ db: first, ...options }), await createOutbox({ db: second, ...options })];
    opened.push(...outboxes);
    return { dbs: [first, second], outboxes, bus };
  }

  test('events written one after the other through either replica are each forwarded once, in write order', async () => {
    const { dbs, outboxes, bus } = await replicas();
    for (let n = 1; n <= 200; n += 1) {
      const replica = n % 2;
      await dbs[replica]!.transaction(async (tx) => {
        await tx.query('insert into orders (n) values ($1)', [n]);
        await outboxes[replica]!.publish('order.placed', { n });
      });
    }
    await Promise.all(outboxes.map((o) => o.drained(20_000)));
    expect(bus.accepted.map((e) => (e.payload as { n: number }).n)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  test('concurrent writers on both replicas: every committed event forwarded exactly once, rolled-back ones never', async () => {
    const { dbs, outboxes, bus } = await replicas();
    const write = async (replica: number, n: number) =>
      dbs[replica]!.transaction(async (tx) => {
        await tx.query('insert into orders (n) values ($1)', [n]);
        await outboxes[replica]!.publish('order.placed', { n });
        if (n % 10 === 0) throw new Error('declined');
      }).catch(() => undefined);
    await Promise.all([0, 1].map(async (replica) => {
      for (let i = 0; i < 150; i += 1) await write(replica, replica * 1000 + i);
    }));
    await Promise.all(outboxes.map((o) => o.drained(20_000)));
    const forwarded = bus.accepted.map((e) => (e.payload as { n: number }).n);
    expect(forwarded.length).toBe(270);
    expect(new Set(forwarded).size).toBe(270);
    expect(forwarded.filter((n) => n % 10 === 0)).toEqual([]);
    for (const replica of [0, 1]) {
      const own = forwarded.filter((n) => Math.floor(n / 1000) === replica);
      expect(own).toEqual([...own].sort((a, b) => a - b));
    }
  });
});

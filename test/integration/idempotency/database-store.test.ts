// The database idempotency store on both engines: PostgreSQL on this machine (a throwaway database
// per file; two Database instances stand for two replicas; a missing PostgreSQL fails under CI=true)
// and PGlite in memory. The shared contract, then what only a database store can do: effect and
// record in one transaction, claims inside transactions that never wait for each other, and keys
// that survive a restart of the process.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseIdempotencyStore, once, type DatabaseIdempotencyStoreOptions, type IdempotencyStore } from '../../../runtime/idempotency/index.js';
import { sql, type Database } from '../../../runtime/storage/index.js';
import { enginesUnderTest, type EngineUnderTest } from '../storage/engines.js';
import { freshKey, idempotencyStoreContract, tokenOf } from './store-contract.js';

const engines = await enginesUnderTest();

describe.each(engines)('database idempotency store on $engine', (engine: EngineUnderTest) => {
  let db: Database;
  beforeAll(async () => {
    db = await engine.open();
  }, 60_000);
  afterAll(() => engine.cleanup(), 60_000);

  /** The test's database, or on PostgreSQL every second call a second Database on it (a replica). */
  let calls = 0;
  const replica = (): Database => (calls++ % 2 === 1 ? (engine.replicaOf(db) ?? db) : db);
  const storeOn = (target: Database, options: DatabaseIdempotencyStoreOptions = {}) => createDatabaseIdempotencyStore(target, options);

  describe.skipIf(!engine.available)('the contract', () => {
    idempotencyStoreContract({ make: ({ retentionMs }) => storeOn(replica(), { retentionMs }) });
  });

  describe.skipIf(!engine.available)('in the handler transaction', () => {
    beforeAll(async () => {
      await db.query('create table if not exists charges (order_id text primary key)');
    });
    const charged = async (orderId: string) => (await db.query(sql`select 1 from charges where order_id = ${orderId}`)).rowCount === 1;

    it('commits the effect and the done record together', async () => {
      const store = await storeOn(db);
      const key = freshKey();
      const orderId = randomUUID();
      const result = await db.transaction(() =>
        once(store, key, async () => {
          await db.current()!.query(sql`insert into charges (order_id) values (${orderId})`);
          return { charged: orderId };
        }),
      );
      expect(result).toEqual({ charged: orderId });
      expect(await charged(orderId)).toBe(true);
      expect(await store.get(key)).toMatchObject({ state: 'done', result: { charged: orderId } });
      let ran = 0;
      expect(await once(store, key, async () => ++ran)).toEqual({ charged: orderId });
      expect(ran).toBe(0);
    });

    it('rolls back the effect, the claim and the done record together when the handler throws after complete', async () => {
      const store = await storeOn(db);
      const key = freshKey();
      const orderId = randomUUID();
      await expect(
        db.transaction(async (tx) => {
          const claim = await store.claim(key, { leaseMs: 60_000 });
          await tx.query(sql`insert into charges (order_id) values (${orderId})`);
          expect(await store.complete(key, tokenOf(claim), { charged: orderId })).toBe(true);
          // Inside the transaction the record is done already.
          expect(await store.get(key)).toMatchObject({ state: 'done' });
          throw new Error('the handler failed after its effect');
        }),
      ).rejects.toThrow('the handler failed after its effect');
      expect(await charged(orderId)).toBe(false);
      expect(await store.get(key)).toBeUndefined();
      // No stale claim: a retry claims the key at once (its lease of 60 s would block it otherwise).
      expect((await store.claim(key, { leaseMs: 1_000 })).status).toBe('claimed');
    });

    it.skipIf(engine.engine !== 'pg')('answers concurrent claims inside transactions at once: one claims, the others see it in progress, then done', async () => {
      const [a, b] = [db, engine.replicaOf(db)!];
      const [storeA, storeB] = [await storeOn(a), await storeOn(b)];
      const key = freshKey();
      let release!: () => void;
      const holding = new Promise<void>((resolve) => (release = resolve));
      let claimedIn!: () => void;
      const claimed = new Promise<void>((resolve) => (claimedIn = resolve));
      // The holder claims inside its transaction and keeps it open (uncommitted: nobody sees its row).
      const holder = a.transaction(async () => {
        const token = tokenOf(await storeA.claim(key, { leaseMs: 60_000 }));
        claimedIn();
        await holding;
        expect(await storeA.complete(key, token, 'first')).toBe(true);
      });
      await claimed;
      // 20 claims, half in transactions of the other replica, half on their own: none waits for the holder.
      const contenders = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0 ? b.transaction(() => storeB.claim(key, { leaseMs: 1_000 })) : storeB.claim(key, { leaseMs: 1_000 }),
        ),
      );
      expect(contenders.map((c) => c.status)).toEqual(Array(20).fill('in-progress'));
      release();
      await holder;
      expect(await storeB.claim(key, { leaseMs: 1_000 })).toEqual({ status: 'done', result: 'first' });
    });
    it('runs each effect once under 16 concurrent duplicate handler transactions over 4 keys from two replicas', async () => {
      const [a, b] = [db, engine.replicaOf(db) ?? db];
      const stores = [await storeOn(a), await storeOn(b)] as const;
      const base = randomUUID().slice(0, 8);
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) => {
          const replica = i % 2;
          const target = replica === 0 ? a : b;
          const orderId = `${base}-k${i % 4}`;
          return target.transaction(() =>
            once(
              stores[replica]!,
              `orders:charge:${orderId}`,
              async () => {
                // A second run of an effect would fail here on the primary key, not pass unnoticed.
                await target.current()!.query(sql`insert into charges (order_id) values (${orderId})`);
                return { orderId, replica };
              },
              { leaseMs: 30_000, maxWaitMs: 20_000, pollMs: 5, maxPollMs: 50 },
            ),
          );
        }),
      );
      const { rows } = await db.query<{ order_id: string }>(sql`select order_id from charges where order_id like ${`${base}-%`} order by order_id`);
      expect(rows.map((r) => r.order_id)).toEqual([0, 1, 2, 3].map((k) => `${base}-k${k}`));
      // Every call of a key got the one stored result, whichever replica ran it.
      for (let k = 0; k < 4; k++) {
        const ofKey = results.filter((_, i) => i % 4 === k);
        expect(new Set(ofKey.map((r) => JSON.stringify(r))).size).toBe(1);
        expect(ofKey[0]).toMatchObject({ orderId: `${base}-k${k}` });
      }
    }, 60_000);

    it.skipIf(engine.engine !== 'pg')(
      'does not hand a local duplicate the result of a transaction that then rolls back: the duplicate runs the effect itself',
      async () => {
        const inner = await storeOn(db);
        let sawBusy!: () => void;
        const busySeen = new Promise<void>((resolve) => (sawBusy = resolve));
        // One store object for both calls (so the second waits for the first in-process), telling when a claim found the key busy.
        const store: IdempotencyStore = {
          claim: async (key, options) => {
            const claim = await inner.claim(key, options);
            if (claim.status === 'in-progress') sawBusy();
            return claim;
          },
          complete: (key, token, result) => inner.complete(key, token, result),
          release: (key, token) => inner.release(key, token),
          get: (key) => inner.get(key),
        };
        const key = freshKey();
        const [firstOrder, secondOrder] = [randomUUID(), randomUUID()];
        let effectStarted!: () => void;
        const started = new Promise<void>((resolve) => (effectStarted = resolve));
        let letFirstFinish!: () => void;
        const firstMayFinish = new Promise<void>((resolve) => (letFirstFinish = resolve));
        const first = db.transaction(async (tx) => {
          await once(store, key, async () => {
            effectStarted();
            // Holds its effect until the duplicate below is waiting for it in this process.
            await firstMayFinish;
            await tx.query(sql`insert into charges (order_id) values (${firstOrder})`);
            return 'first';
          });
          // The handler fails after its once completed, once the duplicate is waiting on the store.
          await busySeen;
          throw new Error('the first handler failed');
        });
        const firstFailure = first.then(
          () => new Error('the first transaction committed'),
          (err: unknown) => err,
        );
        await started;
        const second = db.transaction(() =>
          once(
            store,
            key,
            async () => {
              await db.current()!.query(sql`insert into charges (order_id) values (${secondOrder})`);
              return 'second';
            },
            { maxWaitMs: 20_000, pollMs: 10, maxPollMs: 50 },
          ),
        );
        // The duplicate's transaction has begun and its once is waiting for the local attempt.
        await new Promise((resolve) => setTimeout(resolve, 200));
        letFirstFinish();
        try {
          expect(await second).toBe('second');
          expect(await firstFailure).toMatchObject({ message: 'the first handler failed' });
        } finally {
          sawBusy();
        }
        expect([await charged(firstOrder), await charged(secondOrder)]).toEqual([false, true]);
        expect(await store.get(key)).toMatchObject({ state: 'done', result: 'second' });
      },
      30_000,
    );
  });

  describe.skipIf(!engine.available)('cleanup', () => {
    it('deletes expired rows in bounded batches and keeps live ones', async () => {
      let now = 1_000_000;
      const store = await storeOn(db, { table: 'idem_sweep', now: () => now, retentionMs: 1_000, sweepLimit: 2, sweepIntervalMs: 3_600_000 });
      const done = [freshKey(), freshKey(), freshKey()];
      for (const key of done) await store.complete(key, tokenOf(await store.claim(key, { leaseMs: 100 })), key);
      const abandoned = freshKey();
      tokenOf(await store.claim(abandoned, { leaseMs: 100 }));
      now += 1_050; // done rows (completed + 1000) expired; the abandoned claim is kept lease + retention
      const live = freshKey();
      await store.complete(live, tokenOf(await store.claim(live, { leaseMs: 100 })), 'live');
      const count = async () => Number((await db.query<{ n: string }>('select count(*) as n from idem_sweep')).rows[0]!.n);
      expect(await count()).toBe(5);
      expect(await store.sweep()).toBe(2);
      expect(await store.sweep()).toBe(1);
      expect(await store.sweep()).toBe(0);
      expect(await store.get(abandoned)).toBeUndefined(); // its lease is over, its row still kept
      now += 100;
      expect(await store.sweep()).toBe(1);
      expect(await store.get(live)).toMatchObject({ state: 'done', result: 'live' });
      expect(await count()).toBe(1);
    });

    it('refuses a table name that is not an identifier, and a nonsensical lease', async () => {
      await expect(storeOn(db, { table: 'x; drop table charges' })).rejects.toThrow(/lower-case identifier/);
      await expect(storeOn(db, { retentionMs: 0 })).rejects.toThrow(/retentionMs/);
      await expect((await storeOn(db)).claim(freshKey(), { leaseMs: 1.5 })).rejects.toThrow(/leaseMs/);
    });
  });
});

// Idempotency keys in the service's database survive a restart: a call with an Idempotency-Key ran
// its effect in a transaction with its key, the process stopped (the Database closed), a new
// process opened the same data (PostgreSQL: the same database; PGlite: the same data folder), and the
// client's retry gets the stored first answer without the hook running again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabaseIdempotencyStore } from '../../../runtime/idempotency/index.js';
import { createLogger } from '../../../runtime/logging/index.js';
import type { EndpointDescriptor, ServiceDefinition } from '../../../runtime/service/definition.js';
import { withIdempotencyKeys } from '../../../runtime/service/idempotent-invoke.js';
import type { InvocationMeta } from '../../../runtime/service/invoke.js';
import { createPgDatabase } from '../../../runtime/storage/pg.js';
import { createPgliteDatabase } from '../../../runtime/storage/pglite.js';
import { sql, type Database } from '../../../runtime/storage/index.js';
import { createThrowawayDatabase, postgresAvailable, type ThrowawayDatabase } from '../storage/engines.js';
import { freshKey, tokenOf } from './store-contract.js';

const postgresUp = await postgresAvailable();
const parent = await mkdtemp(path.join(tmpdir(), 'meshspec-idem-restart-'));
const scratch: ThrowawayDatabase[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((s) => s.drop()));
  await rm(parent, { recursive: true, force: true });
}, 60_000);

const logger = createLogger({ service: 'orders', level: 'silent' });
const definition = { name: 'orders' } as ServiceDefinition;
const createOrder = { name: 'createOrder', method: 'POST', errors: {} } as unknown as EndpointDescriptor;
const meta = (idempotencyKey: string): InvocationMeta => ({ deadline: null, caller: null, signal: new AbortController().signal, idempotencyKey });

/** One process's life: its Database, an idempotency store in it, and the keyed invoke of createOrder. */
async function processOn(db: Database) {
  await db.query('create table if not exists orders (id text primary key, total int not null)');
  const store = await createDatabaseIdempotencyStore(db);
  let hookRuns = 0;
  const invoke = withIdempotencyKeys(
    async (_endpoint, input) => {
      hookRuns++;
      const { id, total } = input as { id: string; total: number };
      await db.current()!.query(sql`insert into orders (id, total) values (${id}, ${total})`);
      return { id, total, createdBy: 'the first attempt' };
    },
    { definition, store, logger },
  );
  // The host's rule: the keyed call runs in one transaction, so the order and its key commit together.
  const call = (key: string, input: unknown) => db.transaction(() => invoke(createOrder, input, meta(key)));
  return { store, call, hookRuns: () => hookRuns };
}

const cases: { engine: string; available: boolean; open: () => Promise<() => Promise<Database>> }[] = [
  {
    engine: 'pg',
    available: postgresUp,
    open: async () => {
      const created = await createThrowawayDatabase();
      scratch.push(created);
      return async () => createPgDatabase({ name: 'orders', url: created.url });
    },
  },
  {
    engine: 'pglite',
    available: true,
    open: async () => {
      const dataDir = path.join(parent, 'orders');
      return () => createPgliteDatabase({ name: 'orders', dataDir });
    },
  },
];

describe.each(cases)('database idempotency store across a restart on $engine', ({ available, open }) => {
  it.skipIf(!available)(
    'replays the first answer to a retried call after the restart, and keeps a completed once key done',
    async () => {
      const openDb = await open();
      const requestKey = `req-${freshKey()}`;
      const onceKey = freshKey();
      const before = await openDb();
      try {
        const first = await processOn(before);
        expect(await first.call(requestKey, { id: 'o-1', total: 12 })).toEqual({ id: 'o-1', total: 12, createdBy: 'the first attempt' });
        expect(first.hookRuns()).toBe(1);
        expect(await first.store.complete(onceKey, tokenOf(await first.store.claim(onceKey, { leaseMs: 60_000 })), { charged: 7 })).toBe(true);
      } finally {
        await before.close();
      }

      const after = await openDb();
      try {
        const second = await processOn(after);
        expect(await second.store.get(onceKey)).toMatchObject({ state: 'done', result: { charged: 7 } });
        expect(await second.store.claim(onceKey, { leaseMs: 1_000 })).toEqual({ status: 'done', result: { charged: 7 } });
        // The client's retry: same key, same input. The first answer, and the hook did not run again.
        expect(await second.call(requestKey, { id: 'o-1', total: 12 })).toEqual({ id: 'o-1', total: 12, createdBy: 'the first attempt' });
        expect(second.hookRuns()).toBe(0);
        expect((await after.query('select id, total from orders')).rows).toEqual([{ id: 'o-1', total: 12 }]);
        // Another input under the same key is still refused after the restart.
        await expect(second.call(requestKey, { id: 'o-2', total: 1 })).rejects.toMatchObject({ status: 422 });
      } finally {
        await after.close();
      }
    },
    120_000,
  );
});

// Idempotency-Key across processes: two running instances of the same service (two startService, each
// with its own connection to the Redis idempotency store, as two replicas have) get the same key for a
// non-idempotent endpoint at once. The effect happens once; the concurrent repeat waits for the first
// and gets its answer, or 409 once its own deadline is up; a later repeat on either gets the first
// answer. Real Redis (127.0.0.1:6379 or REDIS_URL): a missing Redis fails these tests, it never skips
// them. Every run writes under a namespace of its own and deletes it afterwards.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBus } from '../../../runtime/bus/memory.js';
import { DEADLINE_HEADER } from '../../../runtime/http/headers.js';
import { startService } from '../../../runtime/host/start.js';
import type { RunningService } from '../../../runtime/host/types.js';
import { createRedisIdempotencyStore, type RedisIdempotencyStore } from '../../../runtime/idempotency/redis.js';
import { BROKER_URLS, deleteBusNamespace, testNamespace } from '../../support/brokers.js';
import { captureLogger, until } from './fixtures.js';
import { ledgerDefinition, schemas } from './services.js';

const namespace = testNamespace();
let admin: Redis;
const stores: RedisIdempotencyStore[] = [];
let replicas: RunningService[] = [];

/** What both replicas share besides Redis: the effects (as a database would hold them) and a gate. */
class Ledger {
  /** Hook runs that made a charge. */
  effects = 0;
  /** Hook runs started. */
  entered = 0;
  /** What every charge waits for before its effect. */
  gate: Promise<void> = Promise.resolve();
  #open = () => {};
  /** Holds the charges from now on, until `open`. */
  close(): void {
    this.gate = new Promise<void>((resolve) => (this.#open = resolve));
  }
  open(): void {
    this.#open();
  }
}
const ledger = new Ledger();

async function startReplica(): Promise<RunningService> {
  const logger = captureLogger([]);
  const store = createRedisIdempotencyStore({ url: BROKER_URLS.redis, prefix: `${namespace}:idem:`, logger });
  stores.push(store);
  return startService(
    {
      definition: ledgerDefinition,
      schemas,
      events: {},
      callees: {},
      createClients: () => ({}),
      handlers: {
        async charge(input: { amount: number }) {
          ledger.entered++;
          await ledger.gate;
          ledger.effects++;
          return { id: ledger.effects, amount: input.amount };
        },
        async hold() {
          return {};
        },
      },
    },
    { bodyLimitBytes: 64 * 1024, shutdownGraceMs: 200, httpPort: 0, host: '127.0.0.1', bus: createMemoryBus({ logger }), logger, idempotency: store },
  );
}

beforeAll(async () => {
  admin = new Redis(BROKER_URLS.redis, { maxRetriesPerRequest: 1 });
  expect(await admin.ping()).toBe('PONG');
  replicas = [await startReplica(), await startReplica()];
});

afterEach(() => ledger.open());

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.close()));
  await Promise.all(stores.map((s) => s.close()));
  await deleteBusNamespace('redis', namespace, []);
  expect(await admin.keys(`${namespace}:*`)).toEqual([]);
  await admin.quit();
});

let keys = 0;
const freshKey = () => `charge-${namespace}-${++keys}`;

async function charge(replica: RunningService, key: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${replica.httpPort}/charges`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
    body: JSON.stringify({ amount: 5 }),
  });
  return { status: res.status, body: await res.json() };
}

describe('Idempotency-Key across two replicas sharing the Redis store', () => {
  it('runs the effect once when both get the key at once; both answer with the first answer, and so does a later repeat', async () => {
    const [a, b] = replicas as [RunningService, RunningService];
    const key = freshKey();
    const before = { effects: ledger.effects, entered: ledger.entered };
    ledger.close();
    const answers = Promise.all([charge(a, key), charge(b, key)]);
    await until(() => ledger.entered > before.entered, 'one replica to run the hook');
    ledger.open();
    const [first, second] = await answers;
    expect(first.status).toBe(201);
    expect(second).toEqual(first);
    expect(ledger.effects).toBe(before.effects + 1);
    expect(ledger.entered).toBe(before.entered + 1);
    expect(await charge(b, key)).toEqual(first);
    expect(await charge(a, key)).toEqual(first);
    expect(ledger.effects).toBe(before.effects + 1);
  });

  it('answers 409 to a repeat on the other replica whose deadline ends while the first still runs, then the first answer once it is done', async () => {
    const [a, b] = replicas as [RunningService, RunningService];
    const key = freshKey();
    const before = ledger.effects;
    const entered = ledger.entered;
    ledger.close();
    const first = charge(a, key);
    await until(() => ledger.entered === entered + 1, 'replica a to run the hook');
    // The first is held until this repeat has its answer, so it cannot have finished first.
    const repeat = await charge(b, key, { [DEADLINE_HEADER]: String(Date.now() + 500) });
    expect(repeat).toMatchObject({ status: 409, body: { error: { code: 'Conflict', details: { reason: 'idempotency-key-in-progress' } } } });
    ledger.open();
    const done = await first;
    expect(done).toMatchObject({ status: 201, body: { id: before + 1, amount: 5 } });
    expect(await charge(b, key)).toEqual(done);
    expect(ledger.effects).toBe(before + 1);
  });
});

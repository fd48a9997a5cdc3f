// onceInRedis against a real Redis (127.0.0.1:6379, or REDIS_URL; a missing Redis fails, never skips):
// the writes and the key commit in one script, so duplicates never apply the effect twice.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyKeyBusy } from '../../../runtime/idempotency/index.js';
import { createRedisIdempotencyStore, onceInRedis, type RedisIdempotencyStore } from '../../../runtime/idempotency/redis.js';
import { createLogger } from '../../../runtime/logging/index.js';
import { deleteKeys } from '../../support/bus.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ service: 'idempotency', level: 'silent' });
const prefix = `meshspec-test-${randomUUID().slice(0, 8)}:`;
let admin: Redis;
const stores: RedisIdempotencyStore[] = [];

function store(): RedisIdempotencyStore {
  const created = createRedisIdempotencyStore({ url, prefix: `${prefix}idem:`, logger });
  stores.push(created);
  return created;
}

beforeAll(async () => {
  admin = new Redis(url, { maxRetriesPerRequest: 1 });
  expect(await admin.ping()).toBe('PONG');
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await deleteKeys(admin, prefix);
  await admin.quit();
});

describe('onceInRedis', () => {
  it('applies the writes once per key under 200 concurrent duplicates from two connections, and records the key done', async () => {
    const [a, b] = [store(), store()];
    const counts = `${prefix}counts`;
    const ids = Array.from({ length: 20 }, () => randomUUID());
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => onceInRedis(i % 2 ? a : b, `evt:${ids[i % 20]}`, [['HINCRBY', counts, ids[i % 20]!, 1], ['INCR', `${prefix}total`]])),
    );
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(20);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(180);
    expect(Object.values(await admin.hgetall(counts))).toEqual(Array(20).fill('1'));
    expect(await admin.get(`${prefix}total`)).toBe('20');
    expect(await a.get(`evt:${ids[0]}`)).toMatchObject({ state: 'done', result: undefined });
  });

  it('answers a duplicate of a key `once` completed, and refuses a key a live `once` claim holds', async () => {
    const s = store();
    const done = await s.claim('done', { leaseMs: 10_000 });
    if (done.status !== 'claimed') throw new Error('expected a claim');
    await s.complete('done', done.token, { ok: true });
    expect(await onceInRedis(s, 'done', [['SET', `${prefix}never`, 'x']])).toBe('duplicate');
    await s.claim('held', { leaseMs: 10_000 });
    await expect(onceInRedis(s, 'held', [['SET', `${prefix}never`, 'x']])).rejects.toBeInstanceOf(IdempotencyKeyBusy);
    expect(await admin.exists(`${prefix}never`)).toBe(0);
  });

  it('takes over a claim whose lease ran out (its holder crashed before committing)', async () => {
    const s = store();
    await s.claim('crashed', { leaseMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await onceInRedis(s, 'crashed', [['SET', `${prefix}taken`, 'yes']])).toBe('applied');
    expect(await admin.get(`${prefix}taken`)).toBe('yes');
  });

  it('leaves the key free when a write fails on its data (no rollback: earlier writes stay), so a fixed retry applies', async () => {
    const s = store();
    await admin.set(`${prefix}a-string`, 'x');
    await expect(onceInRedis(s, 'bad', [['INCR', `${prefix}first`], ['HINCRBY', `${prefix}a-string`, 'f', 1]])).rejects.toThrow(/WRONGTYPE/);
    expect(await s.get('bad')).toBeUndefined();
    expect(await admin.get(`${prefix}first`)).toBe('1');
    expect(await onceInRedis(s, 'bad', [['HINCRBY', `${prefix}a-hash`, 'f', 1]])).toBe('applied');
  });

  it('refuses a store it cannot run on', async () => {
    const fake = { ...store() };
    await expect(onceInRedis(fake, 'k', [])).rejects.toThrow('onceInRedis needs a store made by createRedisIdempotencyStore');
  });
});

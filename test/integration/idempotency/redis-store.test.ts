// The Redis idempotency store against a real Redis (127.0.0.1:6379, or REDIS_URL): a missing Redis
// fails these tests, it never skips them. Two stores are two connections, as two replicas would be.
// Every run writes under a random prefix and deletes it afterwards. Leases and retention are real and
// short (50-150 ms); expiry is awaited by polling with a bounded timeout.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { once, type ClaimResult } from '../../../runtime/idempotency/index.js';
import { createRedisIdempotencyStore, type RedisIdempotencyStore, type RedisIdempotencyStoreOptions } from '../../../runtime/idempotency/redis.js';
import { createLogger } from '../../support/runtime.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ service: 'idempotency', level: 'silent' });
const prefix = `meshspec-test-${randomUUID().slice(0, 8)}:idem:`;
let admin: Redis;
const stores: RedisIdempotencyStore[] = [];

function store(options: RedisIdempotencyStoreOptions = {}): RedisIdempotencyStore {
  const created = createRedisIdempotencyStore({ url, prefix, logger, ...options });
  stores.push(created);
  return created;
}

/** A fresh key per test, so tests never share a record. */
const freshKey = () => `orders:reserve:${randomUUID().slice(0, 8)}`;

/** Polls until `check` holds; fails with `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Redis's clock, which the store's leases and expiry use. */
async function redisNow(): Promise<number> {
  const [seconds, micros] = await admin.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

function tokenOf(claim: ClaimResult): string {
  if (claim.status !== 'claimed') throw new Error(`expected a claim, got ${JSON.stringify(claim)}`);
  return claim.token;
}

beforeAll(async () => {
  admin = new Redis(url, { maxRetriesPerRequest: 1 });
  expect(await admin.ping()).toBe('PONG');
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  expect(await admin.keys(`${prefix}*`)).toEqual([]);
  await admin.quit();
});

describe('Redis idempotency store', () => {
  it('lets exactly one of 50 concurrent claims from two connections through', async () => {
    const [a, b] = [store(), store()];
    const key = freshKey();
    const claims = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).claim(key, { leaseMs: 10_000 })));
    expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
    const busy = claims.filter((c) => c.status === 'in-progress');
    expect(busy).toHaveLength(49);
    // All of them saw the one lease, stamped by Redis's clock.
    const leases = new Set(busy.map((c) => (c.status === 'in-progress' ? c.leaseExpiresAt : 0)));
    expect(leases.size).toBe(1);
    expect([...leases][0]).toBeGreaterThan(Date.now() + 9_000);
  });

  it('stores the result as JSON under <prefix><key>, and a done record never changes', async () => {
    const [a, b] = [store({ retentionMs: 60_000 }), store({ retentionMs: 60_000 })];
    const key = freshKey();
    const token = tokenOf(await a.claim(key, { leaseMs: 1_000 }));
    const result = { at: new Date(0), n: 1, big: 2 ** 53 - 1, text: 'a:b' };
    expect(await a.complete(key, token, result)).toBe(true);
    result.n = 2;
    const expected = { at: '1970-01-01T00:00:00.000Z', n: 1, big: 2 ** 53 - 1, text: 'a:b' };
    expect(await b.claim(key, { leaseMs: 1_000 })).toEqual({ status: 'done', result: expected });
    expect(await admin.get(`${prefix}${key}`)).toMatch(/^d:\d+:\d+:\{"at":"1970-01-01T00:00:00.000Z","n":1,/);
    const record = await b.get(key);
    if (record?.state !== 'done') throw new Error('expected a done record');
    expect(record.result).toEqual(expected);
    expect(record.expiresAt - record.completedAt).toBe(60_000);
    expect(Math.abs(record.completedAt - Date.now())).toBeLessThan(2_000);
    // Neither the token that completed it nor anyone else changes or frees it.
    expect(await a.complete(key, token, 'again')).toBe(false);
    await a.release(key, token);
    expect(await b.get(key)).toEqual(record);
  });

  it('frees a released key, and ignores a release or complete by a token whose lease expired and was claimed again', async () => {
    const [a, b] = [store(), store()];
    const key = freshKey();
    const first = tokenOf(await a.claim(key, { leaseMs: 50 }));
    expect(await b.get(key)).toMatchObject({ state: 'pending' });
    expect((await b.claim(key, { leaseMs: 50 })).status).toBe('in-progress');
    await until('the lease to expire', async () => (await b.get(key)) === undefined);
    const second = tokenOf(await b.claim(key, { leaseMs: 10_000 }));
    expect(second).not.toBe(first);
    await a.release(key, first);
    expect(await a.get(key)).toMatchObject({ state: 'pending' });
    expect(await a.complete(key, first, 'late')).toBe(false);
    expect((await a.claim(key, { leaseMs: 50 })).status).toBe('in-progress');
    await b.release(key, second);
    expect(await a.get(key)).toBeUndefined();
    expect(await admin.exists(`${prefix}${key}`)).toBe(0);
    expect((await a.claim(key, { leaseMs: 50 })).status).toBe('claimed');
  });

  it('completes a claim whose lease expired when nobody claimed the key since (the effect did happen)', async () => {
    const [a, b] = [store(), store()];
    const key = freshKey();
    const token = tokenOf(await a.claim(key, { leaseMs: 50 }));
    const pending = await b.get(key);
    if (pending?.state !== 'pending') throw new Error('expected a pending record');
    // Well past the lease by Redis's clock, so a record kept only for the lease would be gone.
    await until('the lease to be 100 ms past', async () => (await redisNow()) >= pending.leaseExpiresAt + 100);
    expect(await b.get(key)).toBeUndefined();
    expect(await a.complete(key, token, 7)).toBe(true);
    expect(await b.claim(key, { leaseMs: 50 })).toEqual({ status: 'done', result: 7 });
  });

  it("keeps a claim's record lease + retention, then Redis removes it (a crashed holder leaves nothing behind)", async () => {
    const s = store({ retentionMs: 100 });
    const key = freshKey();
    tokenOf(await s.claim(key, { leaseMs: 50 }));
    const ttl = await admin.pttl(`${prefix}${key}`);
    // Above the lease alone (50), at most lease + retention.
    expect(ttl).toBeGreaterThan(60);
    expect(ttl).toBeLessThanOrEqual(150);
    await until('Redis to remove the abandoned claim', async () => (await admin.exists(`${prefix}${key}`)) === 0);
  });

  it('forgets a done key after retentionMs (PX), so it can run again', async () => {
    const [a, b] = [store({ retentionMs: 100 }), store({ retentionMs: 100 })];
    const key = freshKey();
    expect(await a.complete(key, tokenOf(await a.claim(key, { leaseMs: 10_000 })), 'r')).toBe(true);
    const ttl = await admin.pttl(`${prefix}${key}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(100);
    expect(await b.get(key)).toMatchObject({ state: 'done', result: 'r' });
    await until('the done record to expire', async () => (await admin.exists(`${prefix}${key}`)) === 0);
    expect(await b.get(key)).toBeUndefined();
    expect((await b.claim(key, { leaseMs: 100 })).status).toBe('claimed');
  });

  it('uses the prefix meshspec:idem: by default and works over a connection passed in, which it leaves open', async () => {
    const connection = new Redis(url);
    try {
      expect(createRedisIdempotencyStore({ redis: connection }).prefix).toBe('meshspec:idem:');
      const s = createRedisIdempotencyStore({ redis: connection, prefix });
      const key = freshKey();
      expect((await s.claim(key, { leaseMs: 1_000 })).status).toBe('claimed');
      await s.close();
      expect(await connection.ping()).toBe('PONG');
    } finally {
      connection.disconnect();
    }
  });

  it('refuses a nonsensical configuration or lease', async () => {
    expect(() => createRedisIdempotencyStore({ url, retentionMs: 0 })).toThrow(/retentionMs/);
    await expect(store().claim(freshKey(), { leaseMs: 0 })).rejects.toThrow(/leaseMs/);
    await expect(store().claim(freshKey(), { leaseMs: 1.5 })).rejects.toThrow(/leaseMs/);
  });
});

describe('once over the Redis store', () => {
  it('runs each effect exactly once under 100 concurrent duplicate calls over 10 keys from two connections', async () => {
    const [a, b] = [store(), store()];
    const base = randomUUID().slice(0, 8);
    const runs = new Map<string, number>();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const key = `${base}:k${i % 10}`;
        // Alternate stores so each key is raced by both connections (two replicas).
        return once(
          i % 4 < 2 ? a : b,
          key,
          async () => {
            runs.set(key, (runs.get(key) ?? 0) + 1);
            await new Promise((resolve) => setTimeout(resolve, 20));
            return { key, run: runs.get(key) };
          },
          { leaseMs: 10_000, pollMs: 5, maxPollMs: 20 },
        );
      }),
    );
    expect(runs.size).toBe(10);
    for (const [key, count] of runs) expect(count, key).toBe(1);
    results.forEach((result, i) => expect(result).toEqual({ key: `${base}:k${i % 10}`, run: 1 }));
  });

  it("keeps what once recorded after the writer's connection is gone: a new store returns it without running the effect", async () => {
    const key = freshKey();
    const connection = new Redis(url);
    const writer = createRedisIdempotencyStore({ redis: connection, prefix });
    expect(await once(writer, key, async () => ({ charged: 42 }))).toEqual({ charged: 42 });
    // As a crash would: the connection drops at once, without QUIT.
    connection.disconnect();
    let ran = 0;
    const reader = store();
    expect(await once(reader, key, async () => ++ran)).toEqual({ charged: 42 });
    expect(ran).toBe(0);
  });

  it("runs the effect again on another replica once a crashed holder's lease expired", async () => {
    const key = freshKey();
    const crashed = store();
    // The holder claimed and died before completing: its claim stays until the lease runs out.
    tokenOf(await crashed.claim(key, { leaseMs: 100 }));
    let ran = 0;
    const survivor = store();
    const result = await once(survivor, key, async () => ++ran, { leaseMs: 100, maxWaitMs: 2_000, pollMs: 10, maxPollMs: 20 });
    expect(result).toBe(1);
    expect(ran).toBe(1);
    expect(await survivor.get(key)).toMatchObject({ state: 'done', result: 1 });
  });
});

// The Redis rate-limit store against the shared Redis (127.0.0.1:6379, or REDIS_URL): a missing Redis
// fails these tests, it never skips them. Two limiters on two connections play two gateway replicas.
// Every test writes under a prefix of its own, deleted afterwards. Windows are short (300-500 ms) and
// only behaviour is checked: refused now, allowed once the Retry-After it named has passed.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter, rateLimitHeaders, type RateLimiter, type RateLimiterOptions } from '../../../runtime/gateway/rate-limit/index.js';
import { createLogger } from '../../../runtime/logging/index.js';
import { eventually } from '../../support/processes.js';

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ service: 'gateway', level: 'silent' });
let admin: Redis;
const prefixes: string[] = [];
const limiters: RateLimiter[] = [];

/** A prefix for one test, deleted after the file. */
function freshPrefix(): string {
  const prefix = `meshspec-test-${randomUUID().slice(0, 8)}`;
  prefixes.push(prefix);
  return prefix;
}

type AlgorithmOptions = Pick<RateLimiterOptions, 'algorithm'> & Record<string, unknown>;

/** A limiter on a connection of its own (as one gateway replica has). */
function limiter(prefix: string, algorithm: AlgorithmOptions, name = 'api'): RateLimiter {
  const created = createRateLimiter({ name, ...algorithm, store: { redis: url, prefix }, failOpen: false, logger } as RateLimiterOptions);
  limiters.push(created);
  return created;
}

const slidingMinute = { algorithm: 'sliding-window', limit: 5, windowMs: 60_000 } as const;
const slowBucket = { algorithm: 'token-bucket', capacity: 5, refillPerSec: 0.01 } as const;

beforeAll(async () => {
  admin = new Redis(url, { maxRetriesPerRequest: 1 });
  expect(await admin.ping()).toBe('PONG');
});

afterEach(async () => {
  await Promise.all(limiters.splice(0).map((l) => l.close()));
});

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    expect(await admin.keys(`${prefix}:*`)).toEqual([]);
  }
  await admin.quit();
});

describe.each([
  ['sliding window', slidingMinute],
  ['token bucket', slowBucket],
])('Redis store, %s', (_name, algorithm) => {
  it('allows exactly the limit and refuses the next, counting remaining down', async () => {
    const rl = limiter(freshPrefix(), algorithm);
    const decisions = [];
    for (let i = 0; i < 6; i += 1) decisions.push(await rl.consume('203.0.113.7'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(decisions.every((d) => !d.degraded && d.limit === 5)).toBe(true);
    expect(decisions[5]!.retryAfterMs).toBeGreaterThan(0);
    expect(rateLimitHeaders(decisions[5]!)['Retry-After']).toMatch(/^[1-9]\d*$/);
    // Another key has its own quota.
    expect(await rl.consume('198.51.100.1')).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('shares one limit between two replicas on separate connections, even when they race', async () => {
    const prefix = freshPrefix();
    const [a, b] = [limiter(prefix, algorithm), limiter(prefix, algorithm)];
    const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).consume('203.0.113.7')));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect((await a.consume('203.0.113.7')).allowed).toBe(false);
    expect((await b.consume('203.0.113.7')).allowed).toBe(false);
  });

  it('keeps one hash per key at <prefix>:rl:<name>:<key>, which expires when idle', async () => {
    const prefix = freshPrefix();
    await limiter(prefix, algorithm, 'login').consume('203.0.113.7');
    const key = `${prefix}:rl:login:203.0.113.7`;
    expect(await admin.keys(`${prefix}:*`)).toEqual([key]);
    expect(await admin.type(key)).toBe('hash');
    const ttl = await admin.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    // No longer than the state can matter: two windows, or the time to refill one token.
    expect(ttl).toBeLessThanOrEqual(algorithm.algorithm === 'sliding-window' ? 120_000 : 100_000);
  });
});

describe('Redis store with short windows', () => {
  it('sliding window: refused until the Retry-After it named, allowed after it, and the key vanishes when idle', async () => {
    const prefix = freshPrefix();
    const rl = limiter(prefix, { algorithm: 'sliding-window', limit: 3, windowMs: 300 });
    let refused = await rl.consume('k');
    while (refused.allowed) refused = await rl.consume('k');
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(600);
    await sleep(refused.retryAfterMs + 20);
    expect((await rl.consume('k')).allowed).toBe(true);
    await eventually(async () => (await admin.exists(`${prefix}:rl:api:k`)) === 0, 5_000);
  });

  it('token bucket: refills at its rate, and a full bucket after resetMs allows its whole capacity', async () => {
    const rl = limiter(freshPrefix(), { algorithm: 'token-bucket', capacity: 3, refillPerSec: 10 });
    const burst = [await rl.consume('k'), await rl.consume('k'), await rl.consume('k')];
    expect(burst.every((d) => d.allowed)).toBe(true);
    const refused = await rl.consume('k');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(100);
    await sleep(refused.retryAfterMs + 20);
    expect((await rl.consume('k')).allowed).toBe(true);
    const last = await rl.consume('k');
    await sleep(last.resetMs + 20);
    const refill = [await rl.consume('k'), await rl.consume('k'), await rl.consume('k')];
    expect(refill.map((d) => d.allowed)).toEqual([true, true, true]);
  });
});

describe('Redis store connections', () => {
  it('uses a connection passed in and leaves it open on close', async () => {
    const connection = new Redis(url);
    const prefix = freshPrefix();
    const rl = createRateLimiter({ name: 'api', ...slidingMinute, store: { redis: connection, prefix }, logger });
    expect(await rl.consume('k')).toMatchObject({ allowed: true, degraded: false });
    await rl.close();
    expect(await connection.ping()).toBe('PONG');
    await connection.quit();
  });

  it('answers its first requests while its own connection is still being opened', async () => {
    const rl = limiter(freshPrefix(), slidingMinute);
    const first = await Promise.all([rl.consume('k'), rl.consume('k'), rl.consume('k')]);
    expect(first.map((d) => d.degraded)).toEqual([false, false, false]);
    expect(first.map((d) => d.remaining).sort()).toEqual([2, 3, 4]);
  });
});

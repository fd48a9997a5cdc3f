// The rate-limit arithmetic and the memory store on an injected clock: exact counts at the limit,
// Retry-After and reset values checked one millisecond before and at the moment they name, the key
// cap under a flood of distinct keys, and the failure policy's logging and counting with a fake store.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../runtime/logging/index.js';
import {
  createRateLimiter,
  MemoryRateLimitStore,
  rateLimitHeaderList,
  rateLimitHeaders,
  slidingWindow,
  tokenBucket,
  type RateLimitAlgorithm,
  type RateLimitDecision,
} from '../../../runtime/gateway/rate-limit/index.js';
import { StoreOutagePolicy } from '../../../runtime/gateway/rate-limit/outage.js';
import { repoRoot } from '../../support/project.js';

/** A clock tests move by hand. */
function manualClock(start = 10_000) {
  let now = start;
  return { now: () => now, set: (to: number) => (now = to), advance: (ms: number) => (now += ms) };
}

/** A store over `algorithm` on a manual clock. */
function memory(algorithm: RateLimitAlgorithm<never> | RateLimitAlgorithm, start = 10_000, maxKeys = 1_000) {
  const clock = manualClock(start);
  const store = new MemoryRateLimitStore(algorithm as RateLimitAlgorithm, { maxKeys, now: clock.now });
  return { clock, store };
}

/** Log lines written by a logger, parsed. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: 'gateway', level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

describe('slidingWindow', () => {
  it('allows exactly `limit` requests in a window and refuses the next, counting remaining down to 0', () => {
    const { store } = memory(slidingWindow({ limit: 5, windowMs: 1_000 }));
    const decisions = Array.from({ length: 6 }, () => store.consume('a'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(decisions[0]).toMatchObject({ limit: 5, retryAfterMs: 0, policy: '5;w=1', degraded: false });
    // Another key has its own quota.
    expect(store.consume('b')).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('refuses until exactly the Retry-After it named, then allows', () => {
    const { clock, store } = memory(slidingWindow({ limit: 5, windowMs: 1_000 }));
    for (let i = 0; i < 5; i += 1) store.consume('a');
    const refused = store.consume('a');
    // At 11_200 the full previous window weighs 0.8 x 5 = 4: one more fits.
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 1_200 });
    clock.advance(1_199);
    expect(store.consume('a').allowed).toBe(false);
    clock.advance(1);
    expect(store.consume('a')).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('has no burst of twice the limit at a window edge, unlike a fixed window', () => {
    const { clock, store } = memory(slidingWindow({ limit: 5, windowMs: 1_000 }));
    clock.set(10_999);
    for (let i = 0; i < 5; i += 1) expect(store.consume('a').allowed).toBe(true);
    clock.set(11_000);
    expect(store.consume('a').allowed).toBe(false);
    // Halfway through, half of the previous window's 5 still count: 2 more fit (2.5 + 2 <= 5), not 3.
    clock.set(11_500);
    expect([store.consume('a'), store.consume('a'), store.consume('a')].map((d) => d.allowed)).toEqual([true, true, false]);
  });

  it('names a reset after which the whole quota is back', () => {
    const { clock, store } = memory(slidingWindow({ limit: 3, windowMs: 1_000 }));
    clock.set(10_250);
    const first = store.consume('a');
    // Counted in the window [10_000, 11_000), it weighs something until 12_000.
    expect(first.resetMs).toBe(1_750);
    store.consume('a');
    // A millisecond before, the first two still weigh a little (2 x 1/1000): 1 left after this one, not 2.
    clock.advance(1_749);
    expect(store.consume('a').remaining).toBe(1);
    clock.set(10_250 + 1_750 + 1_000);
    expect(store.consume('a')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('keeps every Retry-After exact across limits, windows and arrival patterns', () => {
    for (const [limit, windowMs] of [[1, 1_000], [3, 700], [10, 60_000], [7, 333]] as const) {
      const algorithm = slidingWindow({ limit, windowMs });
      let refusedChecks = 0;
      for (let seed = 1; seed <= 20; seed += 1) {
        const state = algorithm.create(0);
        let now = 5 * windowMs + seed;
        for (let step = 0; step < 60; step += 1) {
          // Gaps averaging half of window / limit: about twice the rate the limit allows.
          now += (seed * 7919 * (step + 1)) % Math.ceil(windowMs / limit);
          const decision = algorithm.consume(state, now);
          if (decision.allowed) continue;
          refusedChecks += 1;
          // A refused key is refused until the instant named, and allowed then.
          const before = { ...state };
          expect(algorithm.consume(before, now + decision.retryAfterMs - 1).allowed).toBe(false);
          expect(algorithm.consume({ ...state }, now + decision.retryAfterMs).allowed).toBe(true);
        }
      }
      expect(refusedChecks).toBeGreaterThan(100);
    }
  });

  it('refuses settings that are not positive integers', () => {
    expect(() => slidingWindow({ limit: 0, windowMs: 1_000 })).toThrow('rate limit limit must be a positive integer, got 0');
    expect(() => slidingWindow({ limit: 10, windowMs: 1.5 })).toThrow('rate limit windowMs must be a positive integer, got 1.5');
    expect(() => slidingWindow({ limit: Number.NaN, windowMs: 1_000 })).toThrow(RangeError);
  });
});

describe('tokenBucket', () => {
  it('allows exactly `capacity` requests at once and refuses the next', () => {
    const { store } = memory(tokenBucket({ capacity: 5, refillPerSec: 10 }));
    const decisions = Array.from({ length: 6 }, () => store.consume('a'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(decisions[4]).toMatchObject({ limit: 5, resetMs: 500, policy: '10;w=1;burst=5' });
  });

  it('refuses until exactly the next whole token, then allows one', () => {
    const { clock, store } = memory(tokenBucket({ capacity: 5, refillPerSec: 10 }));
    for (let i = 0; i < 5; i += 1) store.consume('a');
    expect(store.consume('a')).toMatchObject({ allowed: false, retryAfterMs: 100 });
    clock.advance(99);
    expect(store.consume('a')).toMatchObject({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(store.consume('a')).toMatchObject({ allowed: true, remaining: 0 });
    expect(store.consume('a').allowed).toBe(false);
  });

  it('sustains the refill rate: 10 of 100 requests a second at 10 per second once empty', () => {
    const { clock, store } = memory(tokenBucket({ capacity: 5, refillPerSec: 10 }));
    for (let i = 0; i < 5; i += 1) store.consume('a');
    let allowed = 0;
    for (let i = 0; i < 100; i += 1) {
      clock.advance(10);
      if (store.consume('a').allowed) allowed += 1;
    }
    expect(allowed).toBe(10);
  });

  it('is full again after resetMs, and never holds more than its capacity', () => {
    const { clock, store } = memory(tokenBucket({ capacity: 3, refillPerSec: 0.5 }));
    store.consume('a');
    const second = store.consume('a');
    expect(second.resetMs).toBe(4_000);
    clock.advance(3_999);
    expect(store.consume('a').remaining).toBe(1);
    clock.advance(3_600_000);
    const afterLongIdle = [store.consume('a'), store.consume('a'), store.consume('a'), store.consume('a')];
    expect(afterLongIdle.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(afterLongIdle[3]!.retryAfterMs).toBe(2_000);
  });

  it('keeps every Retry-After exact across capacities, rates and arrival patterns', () => {
    for (const [capacity, refillPerSec] of [[1, 1], [5, 10], [20, 3], [3, 0.7]] as const) {
      const algorithm = tokenBucket({ capacity, refillPerSec });
      let refusedChecks = 0;
      for (let seed = 1; seed <= 20; seed += 1) {
        const state = algorithm.create(0);
        let now = 1_000 + seed;
        for (let step = 0; step < 60; step += 1) {
          // Gaps averaging half of one token's refill time: about twice the sustained rate.
          now += (seed * 7919 * (step + 1)) % Math.ceil(1_000 / refillPerSec);
          const decision = algorithm.consume(state, now);
          if (decision.allowed) continue;
          refusedChecks += 1;
          expect(algorithm.consume({ ...state }, now + decision.retryAfterMs - 1).allowed).toBe(false);
          expect(algorithm.consume({ ...state }, now + decision.retryAfterMs).allowed).toBe(true);
        }
      }
      expect(refusedChecks).toBeGreaterThan(100);
    }
  });

  it('spells its policy as the sustained rate per whole seconds with the capacity as burst', () => {
    expect(tokenBucket({ capacity: 10, refillPerSec: 0.5 }).policy).toBe('1;w=2;burst=10');
    expect(tokenBucket({ capacity: 20, refillPerSec: 5 }).policy).toBe('5;w=1;burst=20');
    expect(tokenBucket({ capacity: 1, refillPerSec: 1 / 60 }).policy).toBe('1;w=60;burst=1');
  });

  it('refuses settings out of range', () => {
    expect(() => tokenBucket({ capacity: 2.5, refillPerSec: 1 })).toThrow('rate limit capacity must be a positive integer, got 2.5');
    expect(() => tokenBucket({ capacity: 10, refillPerSec: 0 })).toThrow('rate limit refillPerSec must be a positive number, got 0');
    expect(() => tokenBucket({ capacity: 10, refillPerSec: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});

describe('MemoryRateLimitStore', () => {
  it('holds at most maxKeys under 100_000 distinct keys, evicting the least recently used', () => {
    const { store } = memory(slidingWindow({ limit: 10, windowMs: 60_000 }), 10_000, 5_000);
    let largest = 0;
    for (let i = 0; i < 100_000; i += 1) {
      store.consume(`198.51.${i >> 8}.${i & 0xff}`);
      largest = Math.max(largest, store.size);
    }
    expect(largest).toBe(5_000);
    expect(store.liveEvictions).toBe(95_000);
  });

  it('keeps a recently used key when the cap evicts, and the evicted key starts over', () => {
    const { store } = memory(slidingWindow({ limit: 10, windowMs: 60_000 }), 10_000, 3);
    for (const key of ['a', 'b', 'c']) store.consume(key);
    store.consume('a');
    store.consume('d');
    expect(store.consume('a').remaining).toBe(7);
    expect(store.consume('c').remaining).toBe(8);
    // b was the least recently used: its count is gone.
    expect(store.consume('b').remaining).toBe(9);
  });

  it('drops expired keys as requests come, without timers, and does not count them as live evictions', () => {
    const { clock, store } = memory(slidingWindow({ limit: 10, windowMs: 1_000 }), 10_000, 10_000);
    for (let i = 0; i < 1_000; i += 1) store.consume(`old-${i}`);
    expect(store.size).toBe(1_000);
    clock.advance(2_000);
    for (let i = 0; i < 500; i += 1) store.consume('busy');
    expect(store.size).toBe(1);
    expect(store.liveEvictions).toBe(0);
  });

  it('treats an expired state as fresh', () => {
    const { clock, store } = memory(tokenBucket({ capacity: 2, refillPerSec: 1 }));
    store.consume('a');
    store.consume('a');
    clock.advance(2_000);
    expect(store.consume('a')).toMatchObject({ allowed: true, remaining: 1 });
  });
});

describe('createRateLimiter (memory)', () => {
  it('limits per key with the algorithm named in plain options', async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ name: 'api', algorithm: 'sliding-window', limit: 2, windowMs: 1_000, now: clock.now });
    expect(limiter.policy).toBe('2;w=1');
    const decisions = await Promise.all([limiter.consume('a'), limiter.consume('a'), limiter.consume('a'), limiter.consume('b')]);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false, true]);
    expect(limiter.stats()).toEqual({ storeDown: false, degradedDecisions: 0, outages: 0, liveEvictions: 0 });
    await limiter.close();
  });

  it('stores a hostile long key as its digest, still told apart from its neighbours', async () => {
    const limiter = createRateLimiter({ name: 'api', algorithm: 'token-bucket', capacity: 1, refillPerSec: 1, now: () => 0 });
    const long = 'x'.repeat(1_000_000);
    expect((await limiter.consume(`${long}a`)).allowed).toBe(true);
    expect((await limiter.consume(`${long}b`)).allowed).toBe(true);
    expect((await limiter.consume(`${long}a`)).allowed).toBe(false);
  });

  it('refuses bad options with a bounded message', () => {
    const base = { algorithm: 'sliding-window', limit: 1, windowMs: 1_000 } as const;
    expect(() => createRateLimiter({ ...base, name: 'has space' })).toThrow('rate limit name must be 1-64 characters of [A-Za-z0-9._-], got "has space"');
    const longName = () => createRateLimiter({ ...base, name: 'n'.repeat(10_000) });
    expect(longName).toThrow(RangeError);
    expect(() => longName()).toThrow(/^rate limit name must be .{0,200}$/);
    const unknown = { name: 'api', algorithm: 'leaky-bucket', limit: 1 } as unknown as Parameters<typeof createRateLimiter>[0];
    expect(() => createRateLimiter(unknown)).toThrow(`rate limit algorithm must be 'sliding-window' or 'token-bucket', got "leaky-bucket"`);
    expect(() => createRateLimiter({ ...base, name: 'api', maxKeys: 0 })).toThrow('rate limit maxKeys must be a positive integer, got 0');
    expect(() => createRateLimiter({ ...base, name: 'api', store: { redis: 'redis://127.0.0.1:1', timeoutMs: 0 } })).toThrow('rate limit timeoutMs must be a positive integer, got 0');
  });
});

describe('rateLimitHeaders', () => {
  const decision = (over: Partial<RateLimitDecision>): RateLimitDecision => ({
    allowed: true, limit: 100, remaining: 42, resetMs: 30_001, retryAfterMs: 0, policy: '100;w=60', degraded: false, ...over,
  });

  it('sets the draft headers on an allowed request, seconds rounded up, and no Retry-After', () => {
    expect(rateLimitHeaders(decision({}))).toEqual({ 'RateLimit-Limit': '100', 'RateLimit-Remaining': '42', 'RateLimit-Reset': '31', 'RateLimit-Policy': '100;w=60' });
  });

  it('adds Retry-After on a refusal: whole seconds rounded up, at least 1', () => {
    expect(rateLimitHeaders(decision({ allowed: false, remaining: 0, retryAfterMs: 1_001 }))['Retry-After']).toBe('2');
    expect(rateLimitHeaders(decision({ allowed: false, remaining: 0, retryAfterMs: 1_000 }))['Retry-After']).toBe('1');
    expect(rateLimitHeaders(decision({ allowed: false, remaining: 0, retryAfterMs: 1 }))['Retry-After']).toBe('1');
    expect(rateLimitHeaders(decision({ allowed: false, remaining: 0, retryAfterMs: 0 }))['Retry-After']).toBe('1');
  });

  it('matches what the algorithms answer', () => {
    const { store } = memory(slidingWindow({ limit: 1, windowMs: 60_000 }), 60_000);
    store.consume('a');
    expect(rateLimitHeaders(store.consume('a'))).toEqual({
      'RateLimit-Limit': '1', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '120', 'RateLimit-Policy': '1;w=60', 'Retry-After': '120',
    });
  });
});

describe('StoreOutagePolicy', () => {
  const storeDecision: RateLimitDecision = { allowed: true, limit: 5, remaining: 4, resetMs: 1_000, retryAfterMs: 0, policy: '5;w=1', degraded: false };
  const failing = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1'));

  it('fails open: allows while the store fails, logs the outage once when it starts and once when it ends, counts the decisions', async () => {
    const { logger, lines } = capturingLogger();
    const policy = new StoreOutagePolicy({ name: 'api', limit: 5, policy: '5;w=1', failOpen: true, retryAfterMs: 1_000, logger });
    expect(await policy.run(() => Promise.resolve(storeDecision))).toBe(storeDecision);
    const during = await Promise.all(Array.from({ length: 20 }, () => policy.run(failing)));
    expect(during.every((d) => d.allowed && d.degraded && d.remaining === 5)).toBe(true);
    expect(policy.down).toBe(true);
    expect(await policy.run(() => Promise.resolve(storeDecision))).toBe(storeDecision);
    expect(policy.down).toBe(false);
    expect(policy.degradedDecisions).toBe(20);
    expect(lines.map((l) => [l['level'], l['msg']])).toEqual([
      ['warn', 'rate limit store unavailable: allowing requests until it is back'],
      ['info', 'rate limit store available again'],
    ]);
    expect(lines[0]).toMatchObject({ limiter: 'api', reason: 'connect ECONNREFUSED 127.0.0.1:1', failOpen: true });
    expect(lines[1]).toMatchObject({ limiter: 'api', degradedDecisions: 20 });
  });

  it('fails closed: refuses with its Retry-After, and counts a second outage separately', async () => {
    const { logger, lines } = capturingLogger();
    const policy = new StoreOutagePolicy({ name: 'api', limit: 5, policy: '5;w=1', failOpen: false, retryAfterMs: 2_000, logger });
    expect(await policy.run(failing)).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 2_000, degraded: true });
    await policy.run(() => Promise.resolve(storeDecision));
    await policy.run(failing);
    expect(policy.outages).toBe(2);
    expect(policy.degradedDecisions).toBe(2);
    expect(lines).toHaveLength(3);
  });

  it('lets one request at a time probe a down store; the others are decided without it', async () => {
    const { logger } = capturingLogger();
    const policy = new StoreOutagePolicy({ name: 'api', limit: 5, policy: '5;w=1', failOpen: true, retryAfterMs: 1_000, logger });
    await policy.run(failing);
    let release: (d: RateLimitDecision) => void = () => undefined;
    let attempts = 0;
    const slowProbe = () => {
      attempts += 1;
      return new Promise<RateLimitDecision>((resolve) => (release = resolve));
    };
    const probe = policy.run(slowProbe);
    const others = await Promise.all(Array.from({ length: 10 }, () => policy.run(slowProbe)));
    expect(attempts).toBe(1);
    expect(others.every((d) => d.degraded)).toBe(true);
    release(storeDecision);
    expect(await probe).toBe(storeDecision);
    expect(policy.down).toBe(false);
  });

  it('does not let a call started before the outage end it', async () => {
    const { logger, lines } = capturingLogger();
    const policy = new StoreOutagePolicy({ name: 'api', limit: 5, policy: '5;w=1', failOpen: true, retryAfterMs: 1_000, logger });
    let release: (d: RateLimitDecision) => void = () => undefined;
    const slow = policy.run(() => new Promise<RateLimitDecision>((resolve) => (release = resolve)));
    await policy.run(failing);
    release(storeDecision);
    await slow;
    expect(policy.down).toBe(true);
    expect(lines).toHaveLength(1);
  });
});

describe('rate-limit module', () => {
  it('loads ioredis only when a limiter opens a connection from a URL (no static value import)', () => {
    const folder = path.join(repoRoot, 'runtime/gateway/rate-limit');
    const sources = readdirSync(folder).filter((f) => f.endsWith('.ts'));
    expect(sources).toContain('redis-store.ts');
    const staticImports = sources.filter((f) => /^import(?!\s+type\b)[^;]*from\s+'ioredis'/m.test(readFileSync(path.join(folder, f), 'utf8')));
    expect(staticImports).toEqual([]);
    expect(readFileSync(path.join(folder, 'redis-store.ts'), 'utf8')).toContain("await import('ioredis')");
  });
});

describe('the gateway hot path', () => {
  it('a memory limiter decides synchronously, counting with consume in one window', async () => {
    const limiter = createRateLimiter({ name: 'sync', algorithm: 'sliding-window', limit: 3, windowMs: 60_000 });
    expect(limiter.consumeNow?.('k').remaining).toBe(2);
    expect((await limiter.consume('k')).remaining).toBe(1);
    expect(limiter.consumeNow?.('k').allowed).toBe(true);
    expect(limiter.consumeNow?.('k').allowed).toBe(false);
  });

  it('the header list holds exactly the header object, Retry-After only on a refusal', () => {
    const allowed: RateLimitDecision = { allowed: true, limit: 10, remaining: 4, resetMs: 1_001, retryAfterMs: 0, policy: '10;w=60', degraded: false };
    const refused: RateLimitDecision = { ...allowed, allowed: false, remaining: 0, retryAfterMs: 250 };
    for (const decision of [allowed, refused]) {
      const list = rateLimitHeaderList(decision);
      const pairs = Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i], list[2 * i + 1]]);
      expect(Object.fromEntries(pairs)).toEqual(rateLimitHeaders(decision));
    }
    expect(rateLimitHeaderList(allowed)).not.toContain('Retry-After');
    expect(rateLimitHeaders(refused)['Retry-After']).toBe('1');
    expect(rateLimitHeaders(allowed)['RateLimit-Reset']).toBe('2');
  });
});

// createRateLimiter: an algorithm and a store behind one `consume(key)`. The options are plain data
// (what a spec says), so the generator can emit them as a literal; the connection and logger come
// from the process.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { createLogger } from '../../logging/index.js';
import { MemoryRateLimitStore } from './memory-store.js';
import { StoreOutagePolicy } from './outage.js';
import { RedisRateLimitStore, type RedisStoreSettings } from './redis-store.js';
import { slidingWindow } from './sliding-window.js';
import { tokenBucket } from './token-bucket.js';
import type { RateLimitAlgorithm, RateLimitDecision } from './types.js';

/**
 * The sliding-window counter's settings in {@link RateLimiterOptions}.
 *
 * @example
 * const algorithm: SlidingWindowOptions = { algorithm: 'sliding-window', limit: 100, windowMs: 60_000 };
 */
export interface SlidingWindowOptions {
  readonly algorithm: 'sliding-window';
  /** Requests per window, a positive integer. */
  readonly limit: number;
  /** The window, ms, a positive integer. */
  readonly windowMs: number;
}

/**
 * The token bucket's settings in {@link RateLimiterOptions}.
 *
 * @example
 * const algorithm: TokenBucketOptions = { algorithm: 'token-bucket', capacity: 20, refillPerSec: 5 };
 */
export interface TokenBucketOptions {
  readonly algorithm: 'token-bucket';
  /** The largest burst, a positive integer (reported as `RateLimit-Limit`). */
  readonly capacity: number;
  /** Tokens added per second, positive. */
  readonly refillPerSec: number;
}

/**
 * Options of {@link createRateLimiter}: a name, an algorithm with its settings, a store.
 *
 * @example
 * const options: RateLimiterOptions = {
 *   name: 'api', algorithm: 'sliding-window', limit: 100, windowMs: 60_000,
 *   store: { redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: 'shop' }, failOpen: true, logger,
 * };
 */
export type RateLimiterOptions = (SlidingWindowOptions | TokenBucketOptions) & {
  /** The limit's name, in its Redis keys and log lines: 1-64 of `[A-Za-z0-9._-]`. */
  readonly name: string;
  /** `'memory'` (this process only) or Redis (shared by every replica). Default `'memory'`. */
  readonly store?: 'memory' | RedisStoreSettings;
  /** While the store is unavailable: allow every request (true) or refuse every one (false). Default true. */
  readonly failOpen?: boolean;
  /** `Retry-After` of a request refused while failing closed, ms. Default 1_000. */
  readonly failClosedRetryAfterMs?: number;
  /** Where a store outage is logged (once when it starts, once when it ends). Default a logger of service `gateway`. */
  readonly logger?: Logger;
  /** Memory store: most keys held, least recently used evicted first. Default 100_000. */
  readonly maxKeys?: number;
  /** Memory store: the clock, epoch ms (tests inject one; Redis always uses its own). Default `Date.now`. */
  readonly now?: () => number;
};

/**
 * What a limiter has seen, for metrics.
 *
 * @example
 * const stats: RateLimiterStats = { storeDown: false, degradedDecisions: 0, outages: 0, liveEvictions: 0 };
 */
export interface RateLimiterStats {
  /** The store is unavailable now (decisions follow `failOpen`). */
  readonly storeDown: boolean;
  /** Decisions made by the failure policy because the store was unavailable, since the start. */
  readonly degradedDecisions: number;
  /** Outages of the store since the start. */
  readonly outages: number;
  /** Memory store: keys evicted by `maxKeys` while they still counted (each got a fresh quota). */
  readonly liveEvictions: number;
}

/**
 * A rate limiter.
 *
 * @example
 * const decision = await limiter.consume('203.0.113.7');
 */
export interface RateLimiter {
  /** The limiter's name. */
  readonly name: string;
  /** Its `RateLimit-Policy`, e.g. `100;w=60`. */
  readonly policy: string;
  /**
   * Takes one request for `key`. Never rejects: an unavailable store is answered by the failure policy.
   *
   * @param key who is limited: a client IP ({@link clientIp}), a user id, an API key
   */
  consume(key: string): Promise<RateLimitDecision>;
  /**
   * The same decision without a promise, for a limiter in this process's memory (the gateway's hot
   * path skips two microtask turns with it); undefined for a Redis limiter, which must ask Redis.
   *
   * @example
   * const decision = limiter.consumeNow?.(key) ?? (await limiter.consume(key));
   */
  readonly consumeNow?: (key: string) => RateLimitDecision;
  /** Counters for metrics. */
  stats(): RateLimiterStats;
  /** Closes a Redis connection the limiter opened from a URL (not one passed in). */
  close(): Promise<void>;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** Longer keys are stored as their SHA-256: a client cannot make the store hold big keys. */
const MAX_KEY_LENGTH = 128;

/**
 * Creates a rate limiter.
 *
 * @param options.name the limit's name (1-64 of `[A-Za-z0-9._-]`), in keys and logs
 * @param options.algorithm `'sliding-window'` with `limit` and `windowMs`, or `'token-bucket'` with `capacity` and `refillPerSec`
 * @param options.store `'memory'` or `{ redis: Redis | url, prefix?, timeoutMs? }` (keys `<prefix>:rl:<name>:<key>`, prefix default `meshspec`, timeout default 100 ms); default `'memory'`
 * @param options.failOpen allow (true) or refuse (false) while the store is unavailable; default true
 * @param options.failClosedRetryAfterMs Retry-After when failing closed; default 1_000
 * @param options.logger where outages are logged; default a logger of service `gateway`
 * @param options.maxKeys memory store's key cap; default 100_000
 * @param options.now memory store's clock; default `Date.now`
 * @throws RangeError when a setting is out of range
 * @example
 * const limiter = createRateLimiter({ name: 'api', algorithm: 'token-bucket', capacity: 20, refillPerSec: 5, store: { redis: redisConnection }, failOpen: false, logger });
 * const decision = await limiter.consume(clientIp(req.socket.remoteAddress, req.headers['x-forwarded-for'], 1));
 * if (!decision.allowed) res.writeHead(429, rateLimitHeaders(decision)).end();
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { name } = options;
  if (typeof name !== 'string' || !NAME.test(name)) throw new RangeError(`rate limit name must be 1-64 characters of [A-Za-z0-9._-], got ${JSON.stringify(String(name)).slice(0, 80)}`);
  const algorithm: RateLimitAlgorithm =
    options.algorithm === 'sliding-window' ? slidingWindow(options) : options.algorithm === 'token-bucket' ? tokenBucket(options) : unknownAlgorithm(options);
  const store = options.store ?? 'memory';

  if (store === 'memory') {
    const memory = new MemoryRateLimitStore(algorithm, { ...(options.maxKeys !== undefined && { maxKeys: options.maxKeys }), ...(options.now && { now: options.now }) });
    return {
      name,
      policy: algorithm.policy,
      consume: (key) => Promise.resolve(memory.consume(boundedKey(key))),
      consumeNow: (key) => memory.consume(boundedKey(key)),
      stats: () => ({ storeDown: false, degradedDecisions: 0, outages: 0, liveEvictions: memory.liveEvictions }),
      close: () => Promise.resolve(),
    };
  }

  const failClosedRetryAfterMs = options.failClosedRetryAfterMs ?? 1_000;
  if (!(Number.isSafeInteger(failClosedRetryAfterMs) && failClosedRetryAfterMs > 0)) {
    throw new RangeError(`rate limit failClosedRetryAfterMs must be a positive integer, got ${String(failClosedRetryAfterMs)}`);
  }
  const redis = new RedisRateLimitStore(name, algorithm, store);
  const outage = new StoreOutagePolicy({
    name,
    limit: algorithm.limit,
    policy: algorithm.policy,
    failOpen: options.failOpen ?? true,
    retryAfterMs: failClosedRetryAfterMs,
    logger: options.logger ?? createLogger({ service: 'gateway' }),
  });
  return {
    name,
    policy: algorithm.policy,
    consume: (key) => {
      const stored = boundedKey(key);
      return outage.run(() => redis.consume(stored));
    },
    stats: () => ({ storeDown: outage.down, degradedDecisions: outage.degradedDecisions, outages: outage.outages, liveEvictions: 0 }),
    close: () => redis.close(),
  };
}

/** A key of at most MAX_KEY_LENGTH characters: longer ones (hostile or careless) become their digest. */
function boundedKey(key: string): string {
  return key.length <= MAX_KEY_LENGTH ? key : `sha256:${createHash('sha256').update(key).digest('base64url')}`;
}

function unknownAlgorithm(options: { readonly algorithm: unknown }): never {
  throw new RangeError(`rate limit algorithm must be 'sliding-window' or 'token-bucket', got ${JSON.stringify(String(options.algorithm)).slice(0, 40)}`);
}

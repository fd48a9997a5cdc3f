// The Redis store: every replica's requests counted in one place, so N gateways share one limit. Each
// request is ONE round trip: the algorithm's Lua script (EVALSHA, EVAL when Redis lacks it, through
// ioredis's defineCommand) reads, decides and writes atomically with Redis's clock, and PEXPIRE lets an
// idle key vanish. A request never waits on an unavailable Redis: a connection that is not ready fails
// at once, and a command that takes longer than `timeoutMs` fails then (the caller applies its failure
// policy). ioredis is loaded only when this store opens its own connection from a URL.
import type { Redis, RedisOptions } from 'ioredis';
import type { RateLimitAlgorithm, RateLimitDecision } from './types.js';

/**
 * Settings of {@link RedisRateLimitStore}.
 *
 * @example
 * const settings: RedisStoreSettings = { redis: 'redis://127.0.0.1:6379', prefix: 'shop', timeoutMs: 100 };
 */
export interface RedisStoreSettings {
  /** A connection to use (never closed by the store), or the URL of one the store opens and closes. */
  readonly redis: Redis | string;
  /** First part of every key: `<prefix>:rl:<limiter name>:<key>`. Default `meshspec`. */
  readonly prefix?: string;
  /** How long a request waits for Redis before the failure policy decides, ms. Default 100. */
  readonly timeoutMs?: number;
}

/**
 * Why the store could not decide (the limiter logs it once per outage; it never reaches a client).
 *
 * @example
 * throw new RateLimitStoreUnavailable('redis did not answer within 100 ms');
 */
export class RateLimitStoreUnavailable extends Error {
  override readonly name = 'RateLimitStoreUnavailable';
}

type Script = (key: string, ...args: string[]) => Promise<unknown>;

/** Options of a connection the store opens: fail fast instead of queueing, never replay a stale request. */
const OWN_CONNECTION: RedisOptions = {
  // A command sent while disconnected fails at once instead of waiting in a queue for a reconnect.
  enableOfflineQueue: false,
  // A request decided by the failure policy must not consume quota later, when Redis comes back.
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 0,
  connectTimeout: 2_000,
  // Reconnect quickly, and keep trying: an outage ends without a restart.
  retryStrategy: (attempt: number) => Math.min(attempt * 50, 1_000),
};

/**
 * A store of keys' states in Redis, one hash per key at `<prefix>:rl:<name>:<key>`.
 *
 * @example
 * const store = new RedisRateLimitStore('api', slidingWindow({ limit: 100, windowMs: 60_000 }), { redis: 'redis://127.0.0.1:6379' });
 * const decision = await store.consume('203.0.113.7');
 * await store.close();
 */
export class RedisRateLimitStore {
  readonly #keyPrefix: string;
  readonly #timeoutMs: number;
  readonly #algorithm: RateLimitAlgorithm;
  readonly #command: string;
  readonly #owned: boolean;
  readonly #connecting: Promise<Redis>;
  #redis: Redis | undefined;
  /** Whether requests still wait (up to the timeout) for a connection that has not been ready yet. */
  #patient = true;
  /** Resolves when the connection is first ready; one listener however many requests wait. */
  #firstReady: Promise<void> | undefined;

  /**
   * @param name the limiter's name, part of every key
   * @param algorithm the algorithm whose script runs
   * @param settings.redis a connection (not closed by the store) or a URL to open one
   * @param settings.prefix first part of every key; default `meshspec`
   * @param settings.timeoutMs how long a request waits for Redis; default 100
   * @throws RangeError when timeoutMs is not a positive integer
   */
  constructor(name: string, algorithm: RateLimitAlgorithm, settings: RedisStoreSettings) {
    const timeoutMs = settings.timeoutMs ?? 100;
    if (!(Number.isSafeInteger(timeoutMs) && timeoutMs > 0)) throw new RangeError(`rate limit timeoutMs must be a positive integer, got ${String(timeoutMs)}`);
    this.#keyPrefix = `${settings.prefix ?? 'meshspec'}:rl:${name}:`;
    this.#timeoutMs = timeoutMs;
    this.#algorithm = algorithm;
    // One command per algorithm: limiters sharing a connection share its script cache entry.
    this.#command = algorithm.kind === 'sliding-window' ? 'meshspecRateLimitSlidingWindow' : 'meshspecRateLimitTokenBucket';
    this.#owned = typeof settings.redis === 'string';
    this.#connecting = typeof settings.redis === 'string' ? openConnection(settings.redis) : Promise.resolve(settings.redis);
    this.#connecting.then(
      (redis) => {
        redis.defineCommand(this.#command, { numberOfKeys: 1, lua: algorithm.script });
        this.#redis = redis;
        if (redis.status === 'ready') this.#patient = false;
        else redis.once('ready', () => (this.#patient = false));
      },
      () => undefined,
    );
  }

  /**
   * Takes one request for `key` in Redis.
   *
   * @param key the client's key
   * @throws RateLimitStoreUnavailable when Redis is not connected or does not answer within the timeout
   * @example
   * const { allowed } = await store.consume('203.0.113.7');
   */
  async consume(key: string): Promise<RateLimitDecision> {
    const redis = this.#redis ?? (await this.#connecting);
    if (redis.status !== 'ready') await this.#awaitFirstConnection(redis);
    const script = (redis as unknown as Record<string, Script>)[this.#command];
    if (script === undefined) throw new RateLimitStoreUnavailable('the rate limit script is not defined on the connection');
    const reply = await this.#withTimeout(script.call(redis, this.#keyPrefix + key, ...this.#algorithm.scriptArgs));
    const [allowed, remaining, resetMs, retryAfterMs] = reply as [number, number, number, number];
    return { allowed: allowed === 1, limit: this.#algorithm.limit, remaining, resetMs, retryAfterMs, policy: this.#algorithm.policy, degraded: false };
  }

  /** Closes the connection the store opened (QUIT, else disconnect); a no-op for a connection passed in. */
  async close(): Promise<void> {
    if (!this.#owned) return;
    const redis = await this.#connecting;
    await redis.quit().catch(() => redis.disconnect());
  }

  /**
   * A connection that has not been ready yet may still be connecting (the gateway just started): the
   * first requests wait for it, up to the timeout. After that, or once it has been ready, a
   * connection that is not ready fails at once (ioredis reconnects in the background).
   */
  async #awaitFirstConnection(redis: Redis): Promise<void> {
    if (!this.#patient) throw new RateLimitStoreUnavailable(`redis connection is ${redis.status}`);
    if (this.#firstReady === undefined) {
      this.#firstReady = new Promise<void>((resolve) => redis.once('ready', resolve));
      if (redis.status === 'wait') redis.connect().catch(() => undefined);
    }
    try {
      await this.#withTimeout(this.#firstReady);
    } catch (error) {
      this.#patient = false;
      throw error;
    }
  }

  async #withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RateLimitStoreUnavailable(`redis did not answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } catch (error) {
      if (error instanceof RateLimitStoreUnavailable) throw error;
      throw new RateLimitStoreUnavailable(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Opens a connection of the store's own (ioredis loaded on demand, so memory-only gateways never load it). */
async function openConnection(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { ...OWN_CONNECTION, connectionName: 'meshspec-rate-limit' });
  // Connection errors are the limiter's outage (logged once when it starts); without a listener
  // ioredis would print every reconnect attempt.
  redis.on('error', () => undefined);
  return redis;
}

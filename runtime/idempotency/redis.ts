// meshspec/runtime/idempotency/redis: an IdempotencyStore in Redis (ioredis), so what `once` recorded
// survives a crash of the process and is shared by every replica. Its own entry, not re-exported by
// ./index.ts, so users of the memory store never load ioredis.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger, type Logger } from '../logging/index.js';
import { IdempotencyKeyBusy } from './errors.js';
import { APPLY_ONCE, CLAIM, COMPLETE, GET, RELEASE, decodeRecord } from './redis-scripts.js';
import type { ClaimOptions, ClaimResult, IdempotencyRecord, IdempotencyStore } from './types.js';

/**
 * Options of {@link createRedisIdempotencyStore}.
 *
 * @example
 * const options: RedisIdempotencyStoreOptions = { url: process.env.REDIS_URL, retentionMs: 3_600_000 };
 */
export interface RedisIdempotencyStoreOptions {
  /** Redis URL of a connection the store opens and `close` ends. Default `redis://127.0.0.1:6379`. */
  readonly url?: string;
  /** A connection to use instead of opening one; the store never closes it. */
  readonly redis?: Redis;
  /** Prefix of every key the store writes (`<prefix><key>`). Default `meshspec:idem:`. */
  readonly prefix?: string;
  /** How long a done key answers with its result. Default 86_400_000 (24 h). */
  readonly retentionMs?: number;
  /** Where connection errors of an opened connection go. Default a logger of service `idempotency`. */
  readonly logger?: Logger;
}

/**
 * The Redis store, with its prefix and a way to end the connection it opened.
 *
 * @example
 * const store: RedisIdempotencyStore = createRedisIdempotencyStore();
 * await store.close();
 */
export interface RedisIdempotencyStore extends IdempotencyStore {
  /** The key prefix in use, e.g. `meshspec:idem:`. */
  readonly prefix: string;
  /** Ends the connection the store opened (QUIT); a no-op for a connection passed in. */
  close(): Promise<void>;
}

type Script = (key: string, ...args: (string | number)[]) => Promise<unknown>;

/** What {@link onceInRedis} needs of a store: its connection, prefix and retention (not part of the store's interface). */
interface StoreInternals {
  readonly prefix: string;
  readonly retentionMs: number;
  /** APPLY_ONCE with its key count first (the count varies with the writes). */
  readonly applyOnce: (keyCount: number, ...keysThenArgs: (string | number)[]) => Promise<unknown>;
}

const internals = new WeakMap<RedisIdempotencyStore, StoreInternals>();

/** Registers a script (EVALSHA, EVAL when Redis does not know it yet) under a name of its own. */
function script(redis: Redis, name: string, lua: string): Script {
  redis.defineCommand(name, { numberOfKeys: 1, lua });
  const command = (redis as unknown as Record<string, Script>)[name]!;
  return command.bind(redis);
}

/**
 * Creates an idempotency store in Redis. Each key is one string `<prefix><key>`; claim, complete,
 * release and get each run one Lua script (one round trip, atomic against every other replica), with
 * Redis's clock for leases and expiry. Done records expire after `retentionMs` (PX); a claim's record
 * is kept `leaseMs + retentionMs`, so a holder whose lease ran out can still complete if nobody
 * claimed the key since. Results are stored as JSON.
 *
 * @param options.url Redis URL of the connection the store opens; default `redis://127.0.0.1:6379`
 * @param options.redis a connection to use instead (not closed by the store); default none
 * @param options.prefix prefix of every key; default `meshspec:idem:`
 * @param options.retentionMs how long a done key answers with its result; default 86_400_000 (24 h)
 * @param options.logger where connection errors go; default a logger of service `idempotency`
 * @example
 * const store = createRedisIdempotencyStore({ url: process.env.REDIS_URL });
 * await once(store, `orders:reserve:${envelope.id}`, () => reserve(envelope.payload));
 * await store.close();
 */
export function createRedisIdempotencyStore(options: RedisIdempotencyStoreOptions = {}): RedisIdempotencyStore {
  const prefix = options.prefix ?? 'meshspec:idem:';
  const retentionMs = options.retentionMs ?? 86_400_000;
  if (!(Number.isInteger(retentionMs) && retentionMs > 0)) throw new RangeError(`retentionMs must be a positive integer, got ${retentionMs}`);
  const owned = options.redis === undefined;
  const redis = options.redis ?? new Redis(options.url ?? 'redis://127.0.0.1:6379', { connectionName: `meshspec-idem-${randomUUID().slice(0, 8)}` });
  if (owned) {
    const logger = options.logger ?? createLogger({ service: 'idempotency' });
    // ioredis reconnects by itself; the commands in flight fail and their callers see it.
    redis.on('error', (error: unknown) => logger.warn({ err: error }, 'redis connection error'));
  }
  const claimScript = script(redis, 'meshspecIdemClaim', CLAIM);
  const completeScript = script(redis, 'meshspecIdemComplete', COMPLETE);
  const releaseScript = script(redis, 'meshspecIdemRelease', RELEASE);
  const getScript = script(redis, 'meshspecIdemGet', GET);
  redis.defineCommand('meshspecIdemApplyOnce', { lua: APPLY_ONCE });
  const applyOnce = (redis as unknown as Record<string, StoreInternals['applyOnce']>)['meshspecIdemApplyOnce']!.bind(redis);

  const store: RedisIdempotencyStore = {
    prefix,

    async claim(key: string, { leaseMs }: ClaimOptions): Promise<ClaimResult> {
      // PX takes whole milliseconds.
      if (!(Number.isInteger(leaseMs) && leaseMs > 0)) throw new RangeError(`leaseMs must be a positive integer, got ${leaseMs}`);
      const token = randomUUID();
      const [status, detail] = (await claimScript(prefix + key, token, leaseMs, retentionMs)) as [string, string?];
      if (status === 'claimed') return { status: 'claimed', token };
      if (status === 'in-progress') return { status: 'in-progress', leaseExpiresAt: Number(detail) };
      const record = decodeRecord(detail!);
      return { status: 'done', result: record.state === 'done' ? record.result : undefined };
    },

    async complete(key: string, token: string, result: unknown): Promise<boolean> {
      const json = result === undefined ? '' : JSON.stringify(result);
      return (await completeScript(prefix + key, token, json, retentionMs)) === 1;
    },

    async release(key: string, token: string): Promise<void> {
      await releaseScript(prefix + key, token);
    },

    async get(key: string): Promise<IdempotencyRecord | undefined> {
      const value = (await getScript(prefix + key)) as string | null;
      return value === null ? undefined : decodeRecord(value);
    },

    async close() {
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
  internals.set(store, { prefix, retentionMs, applyOnce });
  return store;
}

/**
 * One Redis write of an effect: the command, the one key it writes, its other arguments.
 *
 * @example
 * const write: RedisWrite = ['HINCRBY', 'orders:stock', 'sku-1', -2];
 */
export type RedisWrite = readonly [command: string, key: string, ...args: (string | number)[]];

/**
 * Applies an effect made of Redis writes at most once per idempotency key, atomically with the key:
 * one Lua script checks the key, runs the writes and records the key done (without a result), so no
 * crash can leave the effect applied and the key free, the window `once` leaves between its effect
 * and `complete`. Answers `'applied'` when this call ran the writes, `'duplicate'` when the key was
 * already done (a redelivery: nothing was written).
 *
 * - Atomic against every other client, not transactional: a write that fails on its data (a wrong
 *   type) leaves the writes before it applied and the key free, as Redis scripts have no rollback;
 *   use writes that cannot fail that way (HINCRBY, SET, SADD, XADD on keys of one type).
 * - Every key (the store's `<prefix><key>` and the writes' keys) must be on one node: a standalone
 *   Redis, or a cluster with one hash tag in all of them (`{orders}`), else the cluster refuses it.
 * - A key held by a live `once` claim throws IdempotencyKeyBusy (its effect may be running: retry
 *   later, as a bus redelivery does); a claim whose lease ran out is a crashed holder's and is taken over.
 * - The writes' keys are used as given (not prefixed by the store).
 *
 * @param store a store of {@link createRedisIdempotencyStore}; its connection runs the script
 * @param key the idempotency key, namespaced by the caller (`<service>:<handler>:<event id>`)
 * @param writes the effect, applied in order
 * @throws IdempotencyKeyBusy when another worker's `once` claim holds the key
 * @example
 * const outcome = await onceInRedis(store, `stock:release:${envelope.id}`, [
 *   ['HINCRBY', 'stock:available', envelope.payload.sku, envelope.payload.quantity],
 *   ['SADD', 'stock:released-orders', envelope.payload.orderId],
 * ]);
 * if (outcome === 'duplicate') logger.info('already released');
 */
export async function onceInRedis(store: RedisIdempotencyStore, key: string, writes: readonly RedisWrite[]): Promise<'applied' | 'duplicate'> {
  const own = internals.get(store);
  if (!own) throw new TypeError('onceInRedis needs a store made by createRedisIdempotencyStore');
  const args: (string | number)[] = [own.retentionMs];
  for (const [command, , ...rest] of writes) args.push(rest.length + 1, command, ...rest);
  const keys = [own.prefix + key, ...writes.map((write) => write[1])];
  const [status, detail] = (await own.applyOnce(keys.length, ...keys, ...args)) as [string, string?];
  if (status === 'in-progress') throw new IdempotencyKeyBusy(key, Number(detail));
  return status === 'applied' ? 'applied' : 'duplicate';
}

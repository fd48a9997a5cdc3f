// The shared contract suite against the Redis store (127.0.0.1:6379, or REDIS_URL; a missing Redis
// fails): two stores are two connections, as two replicas would be, under a random prefix deleted afterwards.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe } from 'vitest';
import { createRedisIdempotencyStore, type RedisIdempotencyStore } from '../../../runtime/idempotency/redis.js';
import { createLogger } from '../../../runtime/logging/index.js';
import { idempotencyStoreContract } from './store-contract.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `meshspec-test-${randomUUID().slice(0, 8)}:idem:`;
const logger = createLogger({ service: 'idempotency', level: 'silent' });
const stores: RedisIdempotencyStore[] = [];

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  const admin = new Redis(url);
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

describe('Redis idempotency store: the contract', () => {
  idempotencyStoreContract({
    make: async ({ retentionMs }) => {
      const store = createRedisIdempotencyStore({ url, prefix, logger, retentionMs });
      stores.push(store);
      return store;
    },
  });
});

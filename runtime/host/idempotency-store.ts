// Where a process's event hooks record effects (`ctx.once`). A store in memory absorbs redeliveries
// within one process only; one in Redis survives a crash and is shared by every replica, so it is
// used whenever Redis is at hand: `IDEMPOTENCY_STORE_URL`, else the bus's own Redis.
import type { Logger } from 'pino';
import type { BusSettings } from '../bus/settings.js';
import { createMemoryIdempotencyStore } from '../idempotency/memory.js';
import type { IdempotencyStore } from '../idempotency/types.js';
import { StartupError } from './startup-error.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Opens the idempotency store of a process: Redis at `IDEMPOTENCY_STORE_URL` when set, else Redis at
 * the bus's URL when the bus is Redis (keys `<namespace>:idem:`), else memory. Redis is imported only
 * when used; its connection retries by itself, and a call made while Redis is away fails (the event
 * is retried by the bus).
 *
 * @param bus the process's bus settings
 * @param logger where connection errors go
 * @param env the environment; default `process.env`
 * @example
 * const store = await openIdempotencyStore(busSettingsFromEnv(defaults), logger);
 */
export async function openIdempotencyStore(
  bus: BusSettings,
  logger: Logger,
  env: Env = process.env,
): Promise<IdempotencyStore & { close(): Promise<void> }> {
  const explicit = env['IDEMPOTENCY_STORE_URL']?.trim();
  const url = explicit || (bus.kind === 'redis' ? bus.url : null);
  if (!url) return Object.assign(createMemoryIdempotencyStore(), { close: async () => undefined });
  if (explicit && !/^rediss?:\/\//.test(explicit)) {
    throw new StartupError('IDEMPOTENCY_STORE_URL must be a Redis URL (redis:// or rediss://)');
  }
  const { createRedisIdempotencyStore } = await import('../idempotency/redis.js');
  return createRedisIdempotencyStore({ url, prefix: `${bus.namespace}:idem:`, logger });
}

// Opening the Redis bus only once Redis answers: ioredis connects lazily and queues commands while
// it is away, so without this probe a service would report ready on a Redis it has never reached.
import { Redis } from 'ioredis';
import { createRedisBus, type RedisBus } from './bus.js';
import type { RedisBusOptions } from './options.js';

/**
 * Checks that Redis answers PING within `connectTimeoutMs` on a connection of its own (closed
 * afterwards), then creates the bus; rejects with the reason when Redis cannot be reached, so the
 * caller can retry (see createConnectingBus).
 *
 * @param options the bus's options (url default `redis://127.0.0.1:6379`)
 * @param connectTimeoutMs how long the probe waits; default 3000
 * @example
 * const bus = await connectRedisBus({ url: process.env.EVENT_BUS_URL });
 */
export async function connectRedisBus(options: RedisBusOptions = {}, connectTimeoutMs = 3000): Promise<RedisBus> {
  const probe = new Redis(options.url ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: 0,
    // One attempt: the caller decides when to try again.
    retryStrategy: () => null,
    connectionName: 'meshspec-bus-probe',
  });
  // Errors surface through connect()/ping(); without a listener ioredis would report them as unhandled.
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } finally {
    probe.disconnect();
  }
  return createRedisBus(options);
}

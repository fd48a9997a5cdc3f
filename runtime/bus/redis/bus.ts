// The Redis Streams EventBus: a stream per event, a consumer group per subscribing service.
// Delivery is at-least-once: an entry is acknowledged only after its handler succeeded, so a crash
// between the handler's effect and the XACK delivers it again (consumers drop duplicates by envelope id).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { createLogger } from '../../logging/index.js';
import { subscriptionMaxAttempts } from '../subscribe-options.js';
import type { BusSubscription, EventBus, SubscribeOptions } from '../types.js';
import { ensureGroup, startConsumer, type Consumer } from './consumer.js';
import { ENVELOPE_FIELD } from './entries.js';
import { deadLetterKey, resolveOptions, streamKey, type RedisBusOptions } from './options.js';
import { ageTrimmer } from './trim.js';

export interface RedisBus extends EventBus {
  /** The key prefix in use, e.g. `meshspec:`. */
  readonly prefix: string;
  /**
   * Drops every connection at once without waiting or acknowledging, as a crash would: entries in
   * flight stay pending and a live consumer of their group claims them after `claimIdleMs`.
   */
  disconnect(): void;
}

/**
 * Connects an EventBus to Redis Streams. Each event is a stream `<prefix>events:<event>`; each
 * subscribing group (service) is a consumer group that starts at the stream's first entry, so a
 * service that subscribes for the first time also gets the events published before it started
 * (as far as trimming kept them). Handlers that throw are retried with backoff up to `maxAttempts`
 * (the subscription's own, else the bus's), then the entry goes to `<prefix>dead:<group>`;
 * `UnprocessableEvent` goes there at once. Streams are trimmed to about `maxLen` entries on every
 * publish and, with `maxAgeMs`, to about that age (see trim.ts).
 *
 * @param options connection and delivery settings; defaults: url `redis://127.0.0.1:6379`, prefix
 *   `meshspec:`, maxLen 100000, maxAgeMs null (no age limit), maxAttempts 5, retryDelayMs 100, maxRetryDelayMs 5000, claimIdleMs
 *   30000, batchSize 100, blockMs 2000.
 * @example
 * const bus = createRedisBus({ url: process.env.EVENT_BUS_URL });
 * await bus.subscribe('payment.completed', 'orders', async (envelope) => confirm(envelope.payload), { maxAttempts: 3 });
 * await bus.publish({ id: randomUUID(), event: 'payment.completed', version: 1, source: 'payments', time: new Date().toISOString(), payload });
 * await bus.close(); // stops fetching, finishes and acknowledges the handlers in flight
 */
export function createRedisBus(options: RedisBusOptions = {}): RedisBus {
  const settings = resolveOptions(options, {
    consumerPrefix: `${hostname()}-${process.pid}`,
    logger: options.logger ?? createLogger({ service: 'bus' }),
  });
  const { prefix } = settings;
  const redis = new Redis(settings.url, { connectionName: `meshspec-bus-${randomUUID().slice(0, 8)}`, enableAutoPipelining: true });
  // ioredis reconnects by itself; without a listener an 'error' event would crash the process.
  redis.on('error', (error: unknown) => settings.logger.warn({ err: error }, 'redis connection error'));
  const trimByAge = settings.maxAgeMs === null ? null : ageTrimmer(redis, settings.maxAgeMs, settings.logger);
  const consumers = new Set<Consumer>();
  let closed = false;
  let closing: Promise<void> | null = null;

  return {
    prefix,
    maxAttempts: settings.maxAttempts,

    async publish(envelope) {
      if (closed) throw new Error(`cannot publish '${envelope.event}': the event bus is closed`);
      const stream = streamKey(prefix, envelope.event);
      // Resolves when XADD returned: the event is in Redis (and in its replicas' stream as far as Redis goes).
      const adding = redis.xadd(stream, 'MAXLEN', '~', settings.maxLen, '*', ENVELOPE_FIELD, JSON.stringify(envelope));
      const trimming = trimByAge?.(stream);
      await adding;
      await trimming;
    },

    async subscribe(event, group, handler, subscribeOptions?: SubscribeOptions): Promise<BusSubscription> {
      if (closed) throw new Error(`cannot subscribe to '${event}': the event bus is closed`);
      const maxAttempts = subscriptionMaxAttempts(subscribeOptions, settings.maxAttempts);
      const stream = streamKey(prefix, event);
      await ensureGroup(redis, stream, group);
      const consumerName = `${settings.consumerPrefix}-${randomUUID().slice(0, 8)}`;
      // Named after the prefix (CLIENT SETNAME refuses spaces), so a CLIENT LIST shows whose reader it is.
      const connectionName = `${prefix.replace(/[^\w:.-]/g, '_')}consumer-${randomUUID()}`;
      const reader = redis.duplicate({ connectionName, enableAutoPipelining: false });
      reader.on('error', (error: unknown) => settings.logger.warn({ err: error, event, group }, 'redis consumer connection error'));
      const consumer = startConsumer({
        redis, reader, connectionName, options: { ...settings, maxAttempts }, stream, deadLetterStream: deadLetterKey(prefix, group), event, group, consumer: consumerName, handler,
      });
      consumers.add(consumer);
      return {
        async unsubscribe() {
          await consumer.stop();
          consumers.delete(consumer);
        },
      };
    },

    async consumerLag(event, group) {
      if (closed) return null;
      return groupLag(await redis.call('XINFO', 'GROUPS', streamKey(prefix, event)), group);
    },

    close() {
      closing ??= (async () => {
        closed = true;
        await Promise.all([...consumers].map((c) => c.stop()));
        consumers.clear();
        await redis.quit().catch(() => redis.disconnect());
      })();
      return closing;
    },

    disconnect() {
      closed = true;
      for (const consumer of consumers) consumer.kill();
      consumers.clear();
      redis.disconnect();
    },
  };
}

/**
 * The `lag` of `group` in an `XINFO GROUPS` reply (a list of flat field/value lists); null when the
 * group is not there or Redis does not know its lag (before 7.0, or after entries were deleted).
 */
function groupLag(reply: unknown, group: string): number | null {
  if (!Array.isArray(reply)) return null;
  for (const entry of reply) {
    if (!Array.isArray(entry)) continue;
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < entry.length; i += 2) fields.set(String(entry[i]), entry[i + 1]);
    if (fields.get('name') !== group) continue;
    const lag = fields.get('lag');
    return typeof lag === 'number' ? lag : null;
  }
  return null;
}

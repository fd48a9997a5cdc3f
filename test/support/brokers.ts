// The brokers end-to-end tests run stacks against (real ones: a missing broker fails the test), and
// cleaning up after a stack that ran under its own EVENT_BUS_NAMESPACE: every Redis key, RabbitMQ
// queue and exchange a generated service creates lives under that namespace.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { deadLetterExchange, groupQueues, retryDelay } from '../../runtime/bus/rabbitmq/index.js';
import { DEFAULT_BUS, LOCAL_BUS_URLS } from '../../runtime/bus/settings.js';

/** The brokers on this machine (or REDIS_URL / RABBITMQ_URL). */
export const BROKER_URLS = {
  redis: process.env['REDIS_URL'] ?? LOCAL_BUS_URLS.redis,
  rabbitmq: process.env['RABBITMQ_URL'] ?? LOCAL_BUS_URLS.rabbitmq,
} as const;

/** A namespace of its own for one test's stack (EVENT_BUS_NAMESPACE), so runs side by side never share events. */
export function testNamespace(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}

/**
 * Deletes what a stack with the spec's default delivery settings created under `namespace`: Redis keys
 * `<namespace>:*`; RabbitMQ's exchange, dead-letter exchange and each group's work, dead and retry queues.
 *
 * @param kind the broker
 * @param namespace the stack's EVENT_BUS_NAMESPACE
 * @param groups the subscribing services (RabbitMQ queues are per group)
 */
export async function deleteBusNamespace(kind: 'redis' | 'rabbitmq', namespace: string, groups: readonly string[]): Promise<void> {
  if (kind === 'redis') {
    const redis = new Redis(BROKER_URLS.redis, { maxRetriesPerRequest: 1 });
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 500);
        keys.push(...found);
        cursor = next;
      } while (cursor !== '0');
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    return;
  }
  const connection = await amqp.connect(BROKER_URLS.rabbitmq);
  try {
    const channel = await connection.createChannel();
    const exchange = `${namespace}.events`;
    const delays = new Set(Array.from({ length: DEFAULT_BUS.maxAttempts }, (_, i) => retryDelay(i + 1, DEFAULT_BUS.retryDelayMs, DEFAULT_BUS.maxRetryDelayMs)));
    for (const group of groups) {
      const queues = groupQueues({ exchange, queuePrefix: `${namespace}.` }, group);
      for (const queue of [queues.queue, queues.dead, ...[...delays].map((d) => queues.retry(d))]) await channel.deleteQueue(queue);
    }
    await channel.deleteExchange(exchange);
    await channel.deleteExchange(deadLetterExchange(exchange));
  } finally {
    await connection.close();
  }
}

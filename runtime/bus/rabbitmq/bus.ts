// The EventBus over RabbitMQ: events are published to a durable topic exchange with the event name as
// routing key, on a confirm channel (publish resolves on the broker's confirm), as persistent JSON.
// Each subscribing group has a durable queue bound to its events, shared by its consumers (replicas
// split the events). Delivery is at-least-once: a message is acknowledged only after its handler
// succeeded or after it was moved, confirmed, to a retry or dead-letter queue.
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { Logger } from 'pino';
import { createLogger } from '../../logging/index.js';
import type { BusSubscription, EventBus } from '../types.js';
import { publishConfirmed } from './confirm.js';
import { startGroup, type GroupConsumer, type GroupMember } from './group.js';
import { EVENT_HEADER } from './headers.js';
import { groupQueues, type RabbitNamesOptions } from './names.js';

export interface RabbitBusOptions {
  /** AMQP URL, e.g. `amqp://guest:guest@127.0.0.1:5672`. */
  url: string;
  /** The durable topic exchange. Default `meshspec.events`. */
  exchange?: string;
  /** Prefix of each group's queue name. Default `meshspec.` (queue `meshspec.<group>`). */
  queuePrefix?: string;
  /** Unacknowledged messages a group's consumer holds at once (handlers running side by side). Default 16. */
  prefetch?: number;
  /** Deliveries of one event to one group, the first included. Default 5. */
  maxAttempts?: number;
  /** Wait before the second attempt, doubled for each further one. Default 1000 ms. */
  retryDelayMs?: number;
  /** Upper bound of the wait between attempts. Default 60000 ms. */
  maxRetryDelayMs?: number;
  logger?: Logger;
}

export const RABBIT_DEFAULTS = {
  exchange: 'meshspec.events',
  queuePrefix: 'meshspec.',
  prefetch: 16,
  maxAttempts: 5,
  retryDelayMs: 1000,
  maxRetryDelayMs: 60_000,
} as const;

/** Connects, declares the exchange and opens the publishing confirm channel. */
export async function connectRabbitBus(options: RabbitBusOptions): Promise<EventBus> {
  const settings = { ...RABBIT_DEFAULTS, ...definedOnly(options) };
  const logger = options.logger ?? createLogger({ service: 'bus' });
  const names: RabbitNamesOptions = { exchange: settings.exchange, queuePrefix: settings.queuePrefix };

  const connection: ChannelModel = await amqp.connect(options.url);
  let closed = false;
  // Without a listener an 'error' would crash the process; reconnection is not implemented yet.
  connection.on('error', (err: unknown) => logger.error({ err }, 'RabbitMQ connection failed'));
  connection.on('close', () => {
    if (!closed) logger.error('RabbitMQ connection closed unexpectedly: events are neither published nor consumed');
  });

  let publisher: ConfirmChannel;
  try {
    publisher = await connection.createConfirmChannel();
    publisher.on('error', (err: unknown) => logger.error({ err }, 'RabbitMQ publishing channel failed'));
    await publisher.assertExchange(settings.exchange, 'topic', { durable: true });
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }

  /** Group name -> its consumer, started by the first subscription. */
  const groups = new Map<string, Promise<GroupConsumer>>();
  let closing: Promise<void> | null = null;

  const groupFor = (group: string): Promise<GroupConsumer> => {
    let consumer = groups.get(group);
    if (!consumer) {
      consumer = startGroup(connection, publisher, {
        ...settings,
        name: group,
        queues: groupQueues(names, group),
        logger,
      });
      groups.set(group, consumer);
      consumer.catch(() => groups.delete(group));
    }
    return consumer;
  };

  return {
    async publish(envelope) {
      if (closed) throw new Error(`cannot publish '${envelope.event}': the event bus is closed`);
      await publishConfirmed(publisher, settings.exchange, envelope.event, Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        contentType: 'application/json',
        messageId: envelope.id,
        headers: { [EVENT_HEADER]: envelope.event },
      });
    },

    async subscribe(event, group, handler): Promise<BusSubscription> {
      if (closed) throw new Error(`cannot subscribe to '${event}': the event bus is closed`);
      const consumer = await groupFor(group);
      const member: GroupMember = { event, handler, running: new Set() };
      await consumer.add(member);
      let left = false;
      return {
        async unsubscribe() {
          if (!left) {
            left = true;
            consumer.remove(member);
            if (consumer.size === 0 && groups.get(group) !== undefined && (await groups.get(group)) === consumer) {
              groups.delete(group);
              await consumer.stop();
            }
          }
          await Promise.allSettled([...member.running]);
        },
      };
    },

    close() {
      closing ??= (async () => {
        closed = true;
        const consumers = await Promise.allSettled([...groups.values()]);
        groups.clear();
        await Promise.allSettled(consumers.map((c) => (c.status === 'fulfilled' ? c.value.stop() : undefined)));
        await publisher.close().catch(() => undefined);
        await connection.close().catch(() => undefined);
      })();
      return closing;
    },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// The EventBus over RabbitMQ: events are published to a durable topic exchange with the event name as
// routing key, on a confirm channel (publish resolves on the broker's confirm), as persistent JSON.
// Each subscribing group has a durable queue bound to its events, shared by its consumers (replicas
// split the events). Delivery is at-least-once: a message is acknowledged only after its handler
// succeeded or after it was moved, confirmed, to a retry or dead-letter queue. A lost connection is
// reopened with backoff and the groups' consumers restarted; unacknowledged messages go back to their
// queue (delivered again), and a publish in flight when the link dropped rejects (it was not confirmed).
// The publishing channel can also close alone (a channel error such as a missing exchange): it is
// reopened on the same connection. A publish that finds no publishing channel waits up to
// publishWaitMs for one (reopened, or on the reconnected link), then rejects.
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { Logger } from 'pino';
import { createLogger } from '../../logging/index.js';
import { subscriptionMaxAttempts } from '../subscribe-options.js';
import type { BusSubscription, EventBus, SubscribeOptions } from '../types.js';
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
  /** Deliveries of one event to one group, the first included; a subscription's own `maxAttempts` wins. Default 5. */
  maxAttempts?: number;
  /** Wait before the second attempt, doubled for each further one. Default 1000 ms. */
  retryDelayMs?: number;
  /** Upper bound of the wait between attempts. Default 60000 ms. */
  maxRetryDelayMs?: number;
  /** First wait before reconnecting after the connection was lost, doubled up to 5 s. Default 100 ms. */
  reconnectDelayMs?: number;
  /** How long a publish waits for a lost connection (or publishing channel) to come back before it rejects. Default 10000 ms. */
  publishWaitMs?: number;
  logger?: Logger;
}

export const RABBIT_DEFAULTS = {
  exchange: 'meshspec.events',
  queuePrefix: 'meshspec.',
  prefetch: 16,
  maxAttempts: 5,
  retryDelayMs: 1000,
  maxRetryDelayMs: 60_000,
  reconnectDelayMs: 100,
  publishWaitMs: 10_000,
} as const;

const MAX_RECONNECT_DELAY_MS = 5000;

interface Link {
  readonly connection: ChannelModel;
  /** The confirm channel opened with the connection (the current one is `publisher`, which may have replaced it). */
  readonly publisher: ConfirmChannel;
}

interface GroupState {
  readonly members: GroupMember[];
  /** The consumer on the current connection; null while disconnected. */
  consumer: Promise<GroupConsumer> | null;
}

/** Connects (rejecting if the broker is unreachable now), declares the exchange and opens the publishing confirm channel. */
export async function connectRabbitBus(options: RabbitBusOptions): Promise<EventBus> {
  const settings = { ...RABBIT_DEFAULTS, ...definedOnly(options) };
  const logger = options.logger ?? createLogger({ service: 'bus' });
  const names: RabbitNamesOptions = { exchange: settings.exchange, queuePrefix: settings.queuePrefix };

  const groups = new Map<string, GroupState>();
  /** Consumers of lost connections: close still waits for their handlers. */
  const retired = new Set<Promise<GroupConsumer>>();
  let closed = false;
  let closing: Promise<void> | null = null;
  let link: Link | null = null;
  let linked: Promise<Link>;
  let wakeReconnect: (() => void) | null = null;
  /** The open publishing channel; null while it or the connection is being reopened. */
  let publisher: ConfirmChannel | null = null;
  /** Resolves with the next publishing channel while `publisher` is null. */
  let publisherReady: Promise<ConfirmChannel>;

  /** The publishing channel, waiting up to publishWaitMs for one being reopened (the wait follows a reconnection that replaces it). */
  const currentPublisher = async (what: string): Promise<ConfirmChannel> => {
    const deadline = Date.now() + settings.publishWaitMs;
    for (;;) {
      if (closed) throw new Error(`cannot ${what}: the event bus is closed`);
      if (publisher) return publisher;
      const waiting = publisherReady;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
      });
      try {
        const outcome = await Promise.race([waiting, timeout]);
        if (outcome === 'timeout') throw new Error(`cannot ${what}: RabbitMQ is unreachable`);
        return outcome;
      } catch (err) {
        // A reopening overtaken by a lost connection: wait for what replaced it, within the same deadline.
        if (closed || publisherReady === waiting || Date.now() >= deadline) throw err;
      } finally {
        clearTimeout(timer);
      }
    }
  };

  /** Makes `channel` the publishing channel of `current`, and reopens it if it closes alone. */
  const usePublisher = (current: Link, channel: ConfirmChannel): void => {
    publisher = channel;
    channel.on('close', () => {
      if (closed || link !== current || publisher !== channel) return;
      logger.error('RabbitMQ publishing channel closed; reopening it');
      publisher = null;
      publisherReady = reopenPublisher(current);
      publisherReady.catch(() => undefined);
    });
  };

  async function openPublisher(connection: ChannelModel): Promise<ConfirmChannel> {
    const channel = await connection.createConfirmChannel();
    channel.on('error', (err: unknown) => logger.error({ err }, 'RabbitMQ publishing channel failed'));
    await channel.assertExchange(settings.exchange, 'topic', { durable: true });
    return channel;
  }

  async function reopenPublisher(current: Link): Promise<ConfirmChannel> {
    for (let delay = settings.reconnectDelayMs; ; delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS)) {
      if (closed || link !== current) throw new Error('the RabbitMQ connection was lost');
      try {
        const channel = await openPublisher(current.connection);
        if (closed || link !== current) {
          await channel.close().catch(() => undefined);
          throw new Error('the RabbitMQ connection was lost');
        }
        usePublisher(current, channel);
        logger.info('RabbitMQ publishing channel reopened');
        return channel;
      } catch (err) {
        if (closed || link !== current) throw err;
        logger.warn({ err, retryInMs: delay }, 'reopening the RabbitMQ publishing channel failed');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  const startConsumer = (current: Link, group: string, state: GroupState): Promise<GroupConsumer> => {
    const consumer = (async () => {
      const publisherOf = () => currentPublisher('move a message to a retry or dead-letter queue');
      const onLost = (reason: string) => replaceConsumer(current, group, state, consumer, reason);
      const started = await startGroup(
        current.connection,
        publisherOf,
        { ...settings, name: group, queues: groupQueues(names, group), logger, onLost },
        state.members,
      );
      for (const event of new Set(state.members.map((m) => m.event))) await started.bind(event);
      return started;
    })();
    consumer.catch((err: unknown) => {
      logger.error({ err, group }, 'could not start the RabbitMQ consumer');
      if (state.consumer === consumer) state.consumer = null;
    });
    return consumer;
  };

  /**
   * A consumer that ended on its own while its connection lives on (a channel error, its queue
   * deleted): stopped (its deliveries settle; unacked ones come back) and started again after a
   * pause, with backoff while starting fails. A lost connection is `lost`'s to handle instead.
   */
  function replaceConsumer(current: Link, group: string, state: GroupState, old: Promise<GroupConsumer>, reason: string): void {
    if (closed || link !== current || state.consumer !== old) return;
    logger.warn({ group, reason, retryInMs: settings.reconnectDelayMs }, 'RabbitMQ consumer ended; starting it again');
    state.consumer = null;
    retired.add(old);
    void old
      .then((c) => c.stop())
      .catch(() => undefined)
      .finally(() => retired.delete(old));
    const restart = (delay: number) => {
      setTimeout(() => {
        // The connection may have gone meanwhile (reconnecting starts every consumer), or one was started.
        if (closed || link !== current || state.consumer || state.members.length === 0) return;
        const fresh = startConsumer(current, group, state);
        state.consumer = fresh;
        // startConsumer's own handler has logged the failure and cleared state.consumer by now.
        fresh.catch(() => restart(Math.min(delay * 2, MAX_RECONNECT_DELAY_MS)));
      }, delay).unref();
    };
    restart(settings.reconnectDelayMs);
  }

  async function open(): Promise<Link> {
    const connection = await amqp.connect(options.url);
    // Without a listener an 'error' would crash the process; 'close' follows it and reconnects.
    connection.on('error', (err: unknown) => logger.error({ err }, 'RabbitMQ connection failed'));
    try {
      const current: Link = { connection, publisher: await openPublisher(connection) };
      connection.on('close', () => lost(current));
      return current;
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  function lost(current: Link): void {
    if (closed || link !== current) return;
    logger.error('RabbitMQ connection lost; reconnecting');
    link = null;
    publisher = null;
    for (const state of groups.values()) {
      const old = state.consumer;
      state.consumer = null;
      if (!old) continue;
      // Its channel is gone: stop it so its handlers' promises settle (their acks fail; the broker redelivers).
      retired.add(old);
      void old
        .then((c) => c.stop())
        .catch(() => undefined)
        .finally(() => retired.delete(old));
    }
    linked = reconnect();
    linked.catch(() => undefined);
    publisherReady = linked.then((l) => publisher ?? l.publisher);
    publisherReady.catch(() => undefined);
  }

  async function reconnect(): Promise<Link> {
    for (let delay = settings.reconnectDelayMs; ; delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wakeReconnect = () => (clearTimeout(timer), resolve());
      });
      wakeReconnect = null;
      if (closed) throw new Error('the event bus is closed');
      try {
        const current = await open();
        if (closed) {
          await current.connection.close().catch(() => undefined);
          throw new Error('the event bus is closed');
        }
        link = current;
        usePublisher(current, current.publisher);
        for (const [group, state] of groups) if (state.members.length > 0) state.consumer = startConsumer(current, group, state);
        logger.info('RabbitMQ connection restored');
        return current;
      } catch (err) {
        if (closed) throw err;
        logger.warn({ err, retryInMs: Math.min(delay * 2, MAX_RECONNECT_DELAY_MS) }, 'RabbitMQ reconnection failed');
      }
    }
  }

  /** The current link, waiting a bounded time for a lost one to come back. */
  const current = async (what: string): Promise<Link> => {
    if (closed) throw new Error(`cannot ${what}: the event bus is closed`);
    if (link) return link;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`cannot ${what}: RabbitMQ is unreachable`)), settings.publishWaitMs);
    });
    try {
      return await Promise.race([linked, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  link = await open();
  linked = Promise.resolve(link);
  usePublisher(link, link.publisher);
  publisherReady = Promise.resolve(link.publisher);

  return {
    maxAttempts: settings.maxAttempts,

    async publish(envelope) {
      const channel = await currentPublisher(`publish '${envelope.event}'`);
      await publishConfirmed(channel, settings.exchange, envelope.event, Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        contentType: 'application/json',
        messageId: envelope.id,
        headers: { [EVENT_HEADER]: envelope.event },
      });
    },

    async subscribe(event, group, handler, subscribeOptions?: SubscribeOptions): Promise<BusSubscription> {
      const maxAttempts = subscriptionMaxAttempts(subscribeOptions, settings.maxAttempts);
      const now = await current(`subscribe to '${event}'`);
      let state = groups.get(group);
      if (!state) groups.set(group, (state = { members: [], consumer: null }));
      const member: GroupMember = { event, handler, maxAttempts, running: new Set() };
      // Registered before the binding, so no message of the event finds no handler here.
      state.members.push(member);
      try {
        if (state.consumer) await (await state.consumer).bind(event);
        else await (state.consumer = startConsumer(now, group, state));
      } catch (err) {
        state.members.splice(state.members.indexOf(member), 1);
        throw err;
      }
      const owner = state;
      let left = false;
      return {
        async unsubscribe() {
          if (!left) {
            left = true;
            owner.members.splice(owner.members.indexOf(member), 1);
            if (owner.members.length === 0 && groups.get(group) === owner) {
              groups.delete(group);
              const consumer = owner.consumer;
              owner.consumer = null;
              if (consumer) await consumer.then((c) => c.stop(), () => undefined);
            }
          }
          await Promise.allSettled([...member.running]);
        },
      };
    },

    close() {
      closing ??= (async () => {
        closed = true;
        wakeReconnect?.();
        const consumers = [...retired, ...[...groups.values()].flatMap((s) => (s.consumer ? [s.consumer] : []))];
        groups.clear();
        await Promise.allSettled(consumers.map((c) => c.then((consumer) => consumer.stop())));
        if (link) {
          const { connection } = link;
          const channel = publisher;
          link = null;
          publisher = null;
          await channel?.close().catch(() => undefined);
          await connection.close().catch(() => undefined);
        }
      })();
      return closing;
    },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

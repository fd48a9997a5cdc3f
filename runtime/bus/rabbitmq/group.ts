// One subscribing group (a service) in this process: a channel with a prefetch limit and one consumer
// on the group's work queue, dispatching each message to a local handler of its event. A handler
// that succeeds gets its message acknowledged; one that throws gets it moved to a delay queue (and
// back, counted in a header) or, after the last attempt or an UnprocessableEvent, to the group's
// dead-letter queue; the original is acknowledged only once the broker confirmed the move. The
// attempts limit is the handling member's own (its subscription's maxAttempts, else the bus's).
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import type { Logger } from 'pino';
import { UnprocessableEvent, type EnvelopeHandler, type EventEnvelope } from '../types.js';
import { publishConfirmed } from './confirm.js';
import { ATTEMPTS_HEADER, DEAD_AT_HEADER, ERROR_HEADER, EVENT_HEADER, GROUP_HEADER, attemptsOf } from './headers.js';
import { deadLetterExchange, retryDelay, type GroupQueues } from './names.js';

export interface GroupSettings {
  readonly name: string;
  readonly exchange: string;
  readonly queues: GroupQueues;
  readonly prefetch: number;
  /** The bus's attempts limit: for messages no member here handles. */
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly logger: Logger;
  /**
   * Called once when the consumer ends without `stop`: its channel closed on its own (a channel
   * error, the connection going) or the broker cancelled it (its queue was deleted). The bus starts a
   * new one, which declares the queues again.
   */
  readonly onLost?: (reason: string) => void;
}

export interface GroupMember {
  readonly event: string;
  readonly handler: EnvelopeHandler;
  /** Deliveries of one event to this member's group before it is dead-lettered (the subscription's limit). */
  readonly maxAttempts: number;
  /** Handler calls in progress, so unsubscribing can wait for them. */
  readonly running: Set<Promise<unknown>>;
}

export interface GroupConsumer {
  /**
   * Declares the delay queues the event's members' attempts need, then binds the group's queue to the
   * event (the binding stays after unsubscribing: events keep queueing while the service is away).
   */
  bind(event: string): Promise<void>;
  /** Cancels the consumer, waits for the deliveries in flight (they ack or move), closes the channel. */
  stop(): Promise<void>;
}

/**
 * Declares the group's queues and starts consuming. `publisher` gives the bus's current confirm channel
 * (it may be reopened); `members` is the bus's live list of the group's handlers (kept across reconnections).
 */
export async function startGroup(
  connection: ChannelModel,
  publisher: () => Promise<ConfirmChannel>,
  settings: GroupSettings,
  members: readonly GroupMember[],
): Promise<GroupConsumer> {
  const { name, exchange, queues, maxAttempts, logger } = settings;
  const channel = await connection.createChannel();
  channel.on('error', (err: unknown) => logger.error({ err, group: name }, 'RabbitMQ consumer channel failed'));
  await channel.prefetch(settings.prefetch);
  await declareQueues(channel, settings);
  /** Delay queues declared on this channel, by delay. */
  const delays = new Set<number>();
  const declareRetries = async (maxAttempts: number) => {
    for (let failed = 1; failed < maxAttempts; failed++) {
      const delay = retryDelay(failed, settings.retryDelayMs, settings.maxRetryDelayMs);
      if (delays.has(delay)) continue;
      await declareRetryQueue(channel, queues, delay);
      delays.add(delay);
    }
  };
  await declareRetries(Math.max(maxAttempts, ...members.map((m) => m.maxAttempts)));

  const byEvent = new Map<string, { next: number }>();
  const deliveries = new Set<Promise<void>>();

  const pick = (event: string): GroupMember | undefined => {
    const candidates = members.filter((m) => m.event === event);
    if (candidates.length === 0) return undefined;
    const state = byEvent.get(event) ?? { next: 0 };
    byEvent.set(event, state);
    const member = candidates[state.next % candidates.length];
    state.next += 1;
    return member;
  };

  async function handle(message: ConsumeMessage): Promise<void> {
    const failed = attemptsOf(message.properties.headers);
    let envelope: EventEnvelope;
    try {
      envelope = JSON.parse(message.content.toString('utf8')) as EventEnvelope;
    } catch (err) {
      await moveToDead(message, failed + 1, new UnprocessableEvent(`the message is not JSON: ${(err as Error).message}`));
      return;
    }
    const log = { event: envelope.event, eventId: envelope.id, group: name };
    const member = pick(envelope.event);
    let error: unknown;
    if (member) {
      const run = callHandler(member.handler, envelope);
      member.running.add(run);
      let succeeded = false;
      try {
        await run;
        succeeded = true;
      } catch (err) {
        error = err;
      } finally {
        member.running.delete(run);
      }
      // Outside the try: an ack that fails (channel gone) is not a handler failure; the broker redelivers.
      if (succeeded) {
        channel.ack(message);
        return;
      }
    } else {
      // A binding left by an earlier version of the service, or a handler not registered yet: counted like a failure, so it ends.
      error = new Error(`no handler for '${envelope.event}' in group '${name}' in this process`);
    }
    const attempts = failed + 1;
    if (error instanceof UnprocessableEvent || attempts >= (member?.maxAttempts ?? maxAttempts)) {
      logger.error({ ...log, attempts, err: error }, 'event dead-lettered');
      await moveToDead(message, attempts, error);
    } else {
      const delay = retryDelay(attempts, settings.retryDelayMs, settings.maxRetryDelayMs);
      logger.warn({ ...log, attempt: attempts, retryInMs: delay, err: error }, 'event handler failed; retrying');
      await move(message, '', queues.retry(delay), { [ATTEMPTS_HEADER]: attempts });
    }
  }

  function moveToDead(message: ConsumeMessage, attempts: number, error: unknown): Promise<void> {
    return move(message, deadLetterExchange(exchange), queues.queue, {
      [ATTEMPTS_HEADER]: attempts,
      [ERROR_HEADER]: error instanceof Error ? error.message : String(error),
      [DEAD_AT_HEADER]: new Date().toISOString(),
      [GROUP_HEADER]: name,
    });
  }

  // Republish, then ack: a crash in between delivers the message twice, never loses it.
  async function move(message: ConsumeMessage, toExchange: string, routingKey: string, headers: Record<string, unknown>): Promise<void> {
    const original = message.properties;
    const options: Options.Publish = {
      persistent: true,
      contentType: original.contentType ?? 'application/json',
      headers: { ...original.headers, [EVENT_HEADER]: original.headers?.[EVENT_HEADER] ?? message.fields.routingKey, ...headers },
    };
    if (original.messageId !== undefined) options.messageId = original.messageId;
    await publishConfirmed(await publisher(), toExchange, routingKey, message.content, options);
    channel.ack(message);
  }

  const onMessage = (message: ConsumeMessage | null) => {
    if (message === null) {
      logger.warn({ group: name, queue: queues.queue }, 'RabbitMQ cancelled the consumer (queue deleted?)');
      reportLost('the broker cancelled it');
      return;
    }
    const delivery = handle(message).catch((err: unknown) => {
      // The move failed (channel or connection gone): unacked, the broker delivers the message again.
      logger.error({ err, group: name }, 'could not settle a message; the broker will deliver it again');
    });
    deliveries.add(delivery);
    void delivery.finally(() => deliveries.delete(delivery));
  };

  let stopping: Promise<void> | null = null;
  let lost = false;
  const reportLost = (reason: string) => {
    if (stopping || lost) return;
    lost = true;
    settings.onLost?.(reason);
  };
  channel.on('close', () => reportLost('its channel closed'));
  const { consumerTag } = await channel.consume(queues.queue, onMessage, { noAck: false });

  return {
    async bind(event) {
      await declareRetries(Math.max(0, ...members.filter((m) => m.event === event).map((m) => m.maxAttempts)));
      await channel.bindQueue(queues.queue, exchange, event);
    },
    stop() {
      stopping ??= (async () => {
        await channel.cancel(consumerTag).catch(() => undefined);
        while (deliveries.size > 0) await Promise.allSettled([...deliveries]);
        await channel.close().catch(() => undefined);
      })();
      return stopping;
    },
  };
}

async function declareQueues(channel: Channel, settings: GroupSettings): Promise<void> {
  const { exchange, queues } = settings;
  const dlx = deadLetterExchange(exchange);
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertExchange(dlx, 'direct', { durable: true });
  await channel.assertQueue(queues.queue, { durable: true });
  await channel.assertQueue(queues.dead, { durable: true });
  await channel.bindQueue(queues.dead, dlx, queues.queue);
}

/** No consumer: messages wait out the queue's TTL, then expire back into the work queue. */
async function declareRetryQueue(channel: Channel, queues: GroupQueues, delay: number): Promise<void> {
  await channel.assertQueue(queues.retry(delay), {
    durable: true,
    messageTtl: delay,
    deadLetterExchange: '',
    deadLetterRoutingKey: queues.queue,
  });
}

// Turns a synchronous throw into a rejection, so both are retried alike.
async function callHandler(handler: EnvelopeHandler, envelope: EventEnvelope): Promise<void> {
  await handler(envelope);
}

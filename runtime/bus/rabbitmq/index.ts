// meshspec/runtime/bus/rabbitmq: the EventBus over RabbitMQ (amqplib). See bus.ts for its guarantees.

/**
 * Connects to RabbitMQ and returns an EventBus: a durable topic exchange, publisher confirms,
 * a durable queue per subscribing group with manual acknowledgement, delayed retries counted in a
 * header, then a dead-letter queue per group (`<queue>.dead`); a lost connection is reopened with
 * backoff and the consumers restarted, and a publishing channel that closed alone (a channel error) is
 * reopened on the same connection. Rejects if the broker is unreachable at the first connection.
 * `subscribe(event, group, handler, { maxAttempts })` overrides the attempts limit for one subscription.
 *
 * @param options.url AMQP URL (required)
 * @param options.exchange default `meshspec.events`
 * @param options.queuePrefix default `meshspec.` (a group's queue is `meshspec.<group>`)
 * @param options.prefetch default 16
 * @param options.maxAttempts default 5 (a subscription's own `maxAttempts`, 1..100, wins)
 * @param options.retryDelayMs default 1000 (doubled per attempt)
 * @param options.maxRetryDelayMs default 60000
 * @param options.reconnectDelayMs default 100 (first wait before reconnecting after a lost connection, doubled up to 5 s)
 * @param options.publishWaitMs default 10000 (how long a publish waits for a lost connection or publishing channel to come back)
 * @example
 * const bus = await connectRabbitBus({ url: 'amqp://guest:guest@127.0.0.1:5672' });
 * await bus.subscribe('payment.completed', 'orders', async (envelope) => { ... });
 * await bus.publish(envelope); // resolves once the broker confirmed it
 * await bus.close(); // waits for handlers in flight and acknowledges them
 */
export { connectRabbitBus, RABBIT_DEFAULTS, type RabbitBusOptions } from './bus.js';

/**
 * Queue names of a group: `queue`, `dead`, and `retry(delayMs)`.
 * @param options the exchange and queue prefix the bus uses
 * @param group the subscribing service
 * @example groupQueues({ exchange: 'meshspec.events', queuePrefix: 'meshspec.' }, 'orders').dead // 'meshspec.orders.dead'
 */
export { groupQueues, deadLetterExchange, retryDelay, type GroupQueues, type RabbitNamesOptions } from './names.js';

/** Header names on retried and dead-lettered messages (attempts, error, time, event, group). */
export { ATTEMPTS_HEADER, DEAD_AT_HEADER, ERROR_HEADER, EVENT_HEADER, GROUP_HEADER, attemptsOf } from './headers.js';

/**
 * Lists and replays a group's dead letters (`<queue>.dead`): list takes the messages unacknowledged
 * and requeues them in order; replay publishes each chosen one to the group's work queue with its
 * attempts reset and acknowledges the dead copy once the broker confirmed it.
 *
 * @param options.url AMQP URL (required)
 * @param options.queuePrefix default `meshspec.`
 * @param options.connectTimeoutMs default 3000
 * @example
 * const admin = await connectRabbitDeadLetters({ url: 'amqp://guest:guest@127.0.0.1:5672' });
 * const { replayed, notFound } = await admin.replay('orders', ['4f0c…']);
 * await admin.close();
 */
export { connectRabbitDeadLetters, type RabbitDeadLettersOptions } from './dead-letters.js';
export type { DeadLetter, DeadLetterAdmin, ListDeadLettersOptions, ReplayResult } from '../dead-letters.js';

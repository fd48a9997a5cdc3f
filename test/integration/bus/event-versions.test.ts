// An event version rollout on real brokers (Redis 127.0.0.1:6379 or REDIS_URL, RabbitMQ the local one
// or RABBITMQ_URL; a missing broker fails the file, never skips it). `order.created` moves from v1 to
// v2: a v1 event already on the broker before the move, and v1 and v2 events published during the
// rollout, all reach the subscriber's hook as v2 payloads while v1 is accepted; once the spec retires
// v1, a v1 event is dead-lettered at once with the reason, and nothing is lost.
import { randomBytes, randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRabbitBus, connectRabbitDeadLetters, deadLetterExchange, groupQueues, retryDelay } from '../../../runtime/bus/rabbitmq/index.js';
import { connectRedisDeadLetters, createRedisBus } from '../../../runtime/bus/redis/index.js';
import type { DeadLetterAdmin } from '../../../runtime/bus/dead-letters.js';
import {
  createLogger,
  createPublisher,
  createValidators,
  subscribeAll,
  type EventBus,
  type EventCatalog,
  type EventEnvelope,
  type SchemaRegistry,
  type ServiceDefinition,
} from '../../support/runtime.js';
import { eventsOnlyContext } from '../../support/event-context.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RABBIT_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const run = `t${randomBytes(4).toString('hex')}`;
const logger = createLogger({ service: 'bus', level: 'silent' });
const RETRY_MS = 20;
const MAX_ATTEMPTS = 3;

const record = (required: string[], properties: Record<string, object>) => ({ type: 'object', additionalProperties: false, required, properties });
const schemas: SchemaRegistry = {
  $id: 'https://meshspec.test/schemas/rollout',
  $defs: {
    OrderCreated: record(['orderId', 'amount'], { orderId: { type: 'string' }, amount: { type: 'number' } }),
    OrderCreatedV2: record(['orderId', 'amount', 'currency'], { orderId: { type: 'string' }, amount: { type: 'number' }, currency: { type: 'string' } }),
  },
};
const validators = createValidators(schemas);
// The catalogs generated/events.ts holds before, during and after the rollout.
const before: EventCatalog = { 'order.created': { payload: 'OrderCreated', version: 1 } };
const during: EventCatalog = { 'order.created': { payload: 'OrderCreatedV2', version: 2, accepts: { 1: 'OrderCreated' } } };
const after: EventCatalog = { 'order.created': { payload: 'OrderCreatedV2', version: 2 } };

const orders: ServiceDefinition = { mesh: 'shop', name: 'orders', version: '1.0.0', ports: { http: 0, grpc: null }, endpoints: [], subscriptions: [], publishes: ['order.created'], calls: [], proto: null };
const mailer = (upgrades?: Record<number, string>): ServiceDefinition => ({
  ...orders,
  name: `mailer${run}`,
  publishes: [],
  subscriptions: [{ event: 'order.created', handler: 'confirmOrder', ...(upgrades ? { upgrades } : {}) }],
});

interface Broker {
  bus(): Promise<EventBus>;
  admin: DeadLetterAdmin;
  cleanup(): Promise<void>;
}

async function redisBroker(): Promise<Broker> {
  const prefix = `meshspec-test-${run}:`;
  const buses: EventBus[] = [];
  const admin = await connectRedisDeadLetters({ url: REDIS_URL, prefix });
  return {
    admin,
    bus: async () => {
      const created = createRedisBus({ url: REDIS_URL, prefix, logger, retryDelayMs: RETRY_MS, maxAttempts: MAX_ATTEMPTS });
      buses.push(created);
      return created;
    },
    async cleanup() {
      await Promise.allSettled(buses.map((b) => b.close()));
      await admin.close();
      const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}

async function rabbitBroker(): Promise<Broker> {
  const names = { exchange: `${run}.events`, queuePrefix: `${run}.` };
  const buses: EventBus[] = [];
  const admin = await connectRabbitDeadLetters({ url: RABBIT_URL, queuePrefix: names.queuePrefix });
  return {
    admin,
    bus: async () => {
      const created = await connectRabbitBus({ url: RABBIT_URL, ...names, retryDelayMs: RETRY_MS, maxRetryDelayMs: RETRY_MS * 4, maxAttempts: MAX_ATTEMPTS, logger });
      buses.push(created);
      return created;
    },
    async cleanup() {
      await Promise.allSettled(buses.map((b) => b.close()));
      await admin.close();
      const connection = await amqp.connect(RABBIT_URL);
      const channel = await connection.createChannel();
      const q = groupQueues(names, mailer().name);
      const delays = new Set([1, 2, 3].map((n) => retryDelay(n, RETRY_MS, RETRY_MS * 4)));
      for (const queue of [q.queue, q.dead, ...[...delays].map((d) => q.retry(d))]) await channel.deleteQueue(queue);
      await channel.deleteExchange(names.exchange);
      await channel.deleteExchange(deadLetterExchange(names.exchange));
      await connection.close();
    },
  };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const v1 = (orderId: string) => ({ orderId, amount: 10 });
const v1Envelope = (orderId: string): EventEnvelope => ({ id: randomUUID(), event: 'order.created', version: 1, source: 'orders', time: new Date().toISOString(), payload: v1(orderId) });

/** The mailer as deployed with one spec: its hook records what it got, with the envelope's version. */
async function startMailer(bus: EventBus, catalog: EventCatalog, definition: ServiceDefinition, seen: { payload: unknown; version: number }[]) {
  const contextFor = eventsOnlyContext({ definition, events: catalog, validators, bus });
  const subscriptions = {
    async confirmOrder(payload: unknown, ctx: { event: { version: number } }) {
      seen.push({ payload, version: ctx.event.version });
    },
  };
  // Every order before the move was in euros: the upgrade says so instead of leaving currency out.
  const upgrades = { orderCreatedFromV1: async (payload: object) => ({ ...payload, currency: 'EUR' }) };
  return subscribeAll({ definition, subscriptions, upgrades, events: catalog, validators, bus, contextFor, logger });
}

const brokers: Broker[] = [];
afterAll(async () => {
  await Promise.allSettled(brokers.map((b) => b.cleanup()));
});

describe.each([
  ['Redis', redisBroker],
  ['RabbitMQ', rabbitBroker],
])('an event version rollout on %s', (_name, connect) => {
  it('handles v1 and v2 while v1 is accepted, then dead-letters v1 at once with the reason once it is retired', async () => {
    const broker = await connect();
    brokers.push(broker);
    const group = mailer().name;
    const seen: { payload: unknown; version: number }[] = [];

    // Before the move: the mailer's group exists, and a v1 event waits on the broker while the services redeploy.
    const old = await startMailer(await broker.bus(), before, mailer(), []);
    await old.close();
    const publisher = await broker.bus();
    await createPublisher({ definition: orders, events: before, validators, bus: publisher })('order.created', v1('o-before'));

    // During the rollout: orders publishes v2; a v1 straggler still arrives (an orders replica not redeployed yet).
    const rollout = await startMailer(await broker.bus(), during, mailer({ 1: 'orderCreatedFromV1' }), seen);
    await createPublisher({ definition: orders, events: during, validators, bus: publisher })('order.created', { orderId: 'o-v2', amount: 20, currency: 'USD' });
    await publisher.publish(v1Envelope('o-straggler'));
    await until('three events handled', () => seen.length === 3);
    await rollout.close();
    expect(seen).toEqual(
      expect.arrayContaining([
        { payload: { orderId: 'o-before', amount: 10, currency: 'EUR' }, version: 1 },
        { payload: { orderId: 'o-v2', amount: 20, currency: 'USD' }, version: 2 },
        { payload: { orderId: 'o-straggler', amount: 10, currency: 'EUR' }, version: 1 },
      ]),
    );
    expect(await broker.admin.count(group)).toBe(0);

    // After retiring v1: a late v1 event is not handled, nor retried: it is dead-lettered with why.
    const late = v1Envelope('o-late');
    const retired = await startMailer(await broker.bus(), after, mailer(), seen);
    await publisher.publish(late);
    await until('the late v1 event dead-lettered', async () => (await broker.admin.count(group)) === 1);
    await retired.close();
    expect(seen).toHaveLength(3);
    const [letter] = await broker.admin.list(group);
    expect(letter).toMatchObject({ event: 'order.created', envelopeId: late.id, attempts: 1, envelope: late });
    expect(letter!.error).toContain(`'order.created' version 1 from orders is not taken by ${group}, which takes only version 2 (current): version 1 is retired`);
  }, 60_000);
});

// The RabbitMQ bus's per-subscription attempts, recovery of its publishing channel, and a broker
// restart during publishing, against a PRIVATE RabbitMQ node (test/support/rabbitmq-instance.ts) that
// this file starts, restarts and deletes; the shared broker is never touched. A machine without the
// RabbitMQ binaries fails the file, never skips it.
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRabbitBus, groupQueues, type RabbitBusOptions } from '../../../runtime/bus/rabbitmq/index.js';
import type { EventBus, EventEnvelope } from '../../../runtime/bus/types.js';
import { createLogger } from '../../../runtime/logging/index.js';
import { envelope, until } from '../../support/bus.js';
import { startRabbitInstance, type RabbitInstance } from '../../support/rabbitmq-instance.js';

const names = { exchange: 'test.events', queuePrefix: 'test.' };
const logger = createLogger({ service: 'bus', level: 'silent' });
let rabbit: RabbitInstance;
let admin: ChannelModel;
let channel: Channel;
const buses: EventBus[] = [];

function bus(overrides: Partial<RabbitBusOptions> = {}): Promise<EventBus> {
  const options = { url: rabbit.url, ...names, retryDelayMs: 5, maxRetryDelayMs: 20, reconnectDelayMs: 50, logger, ...overrides };
  return connectRabbitBus(options).then((b) => (buses.push(b), b));
}

async function openAdmin(): Promise<void> {
  admin = await amqp.connect(rabbit.url);
  admin.on('error', () => undefined);
  channel = await admin.createChannel();
}

beforeAll(async () => {
  rabbit = await startRabbitInstance();
  await openAdmin();
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(buses.map((b) => b.close()));
  await admin?.close().catch(() => undefined);
  await rabbit?.destroy();
}, 60_000);

describe('RabbitMQ bus: per-subscription maxAttempts', () => {
  it("dead-letters after the subscription's own maxAttempts, declaring the delay queues it needs; another group keeps the bus's", async () => {
    const b = await bus({ maxAttempts: 2 });
    const calls = { long: 0, short: 0 };
    // More attempts than the bus's: the group needs delay queues the bus's limit would not declare.
    await b.subscribe('card.charged', 'long', async () => {
      calls.long += 1;
      throw new Error('long down');
    }, { maxAttempts: 5 });
    await b.subscribe('card.charged', 'short', async () => {
      calls.short += 1;
      throw new Error('short down');
    });
    await b.publish(envelope('card.charged'));
    const dead = async (group: string) => (await channel.checkQueue(groupQueues(names, group).dead)).messageCount;
    await until('both dead letters', async () => (await dead('long')) === 1 && (await dead('short')) === 1);
    expect(calls).toEqual({ long: 5, short: 2 });
    for (const delay of [5, 10, 20]) expect((await channel.checkQueue(groupQueues(names, 'long').retry(delay))).messageCount).toBe(0);
  });

  it('refuses a maxAttempts that is not an integer from 1 to 100', async () => {
    const b = await bus();
    for (const maxAttempts of [0, 101, 1.5]) {
      await expect(b.subscribe('card.charged', 'refused', async () => {}, { maxAttempts })).rejects.toThrow(
        new RangeError(`maxAttempts must be an integer from 1 to 100, got ${maxAttempts}`),
      );
    }
  });
});

describe('RabbitMQ bus: the publishing channel', () => {
  it('is reopened after it closes on its own (a channel error), and publishing goes on', async () => {
    const b = await bus();
    const got: string[] = [];
    await b.subscribe('parcel.sent', 'before', async (e) => void got.push(e.id));
    // Deleting the exchange makes the next publish a channel error (404): the broker closes the channel.
    await channel.deleteExchange(names.exchange);
    await expect(b.publish(envelope('parcel.sent'))).rejects.toThrow(/NOT_FOUND|closed/i);
    // The reopened channel declares the exchange again; the queue's binding went with the old exchange.
    await until('a publish to succeed again', async () => b.publish(envelope('parcel.other')).then(() => true, () => false));
    await channel.bindQueue(groupQueues(names, 'before').queue, names.exchange, 'parcel.sent');
    const sent = envelope('parcel.sent');
    await b.publish(sent);
    await until('the event published on the reopened channel', () => got.includes(sent.id));
  });
});

describe('RabbitMQ bus: a broker restart during publishing', () => {
  it('loses no event whose publish resolved; a publish waiting through the outage resolves after reconnecting, or rejects after publishWaitMs', { timeout: 180_000 }, async () => {
    const consumer = await bus();
    const publisher = await bus({ publishWaitMs: 90_000 });
    const impatient = await bus({ publishWaitMs: 300 });
    const handled = new Set<string>();
    await consumer.subscribe('meter.read', 'billing', async (e: EventEnvelope) => void handled.add(e.id));

    const resolved: string[] = [];
    let rejected = 0;
    const publishOne = async () => {
      const e = envelope('meter.read');
      try {
        await publisher.publish(e);
        resolved.push(e.id);
      } catch {
        rejected += 1; // not confirmed: its publisher knows to send it again
      }
    };
    /** Published while the broker was down: waits, and resolves once the bus reconnected. */
    const waiting = envelope('meter.read');
    let waited: Promise<void> | undefined;
    let restarted = false;
    const restart = async () => {
      await until('500 publishes resolved', () => resolved.length >= 500, 60_000);
      await rabbit.stop();
      waited = publisher.publish(waiting);
      await expect(impatient.publish(envelope('meter.read'))).rejects.toThrow(/RabbitMQ is unreachable/);
      await rabbit.start();
      restarted = true;
    };
    const restarting = restart();
    // 10 publishers, paced, until the broker is back and 3,000 were sent: publishes run into the stop and follow the start.
    let sent = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (!restarted || sent < 3000) {
          sent += 1;
          await publishOne();
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }),
    );
    await restarting;
    await expect(waited).resolves.toBeUndefined();
    resolved.push(waiting.id);
    console.log(`rabbitmq restart: ${sent + 1} publishes, ${resolved.length} resolved, ${rejected} rejected (in flight when the connection dropped)`);
    expect(resolved.length + rejected).toBe(sent + 1);
    // The queue and its persistent messages survived the restart; the consumer came back to them.
    await until('every resolved event handled', () => resolved.every((id) => handled.has(id)), 60_000);
    await openAdmin();
  });
});

// Listing and replaying the RabbitMQ bus's dead letters against a real broker (RABBITMQ_URL, default
// the local one; a missing broker fails the file, never skips it). Every run uses its own exchange and
// queue names and deletes them.
import { randomBytes, randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectRabbitBus,
  connectRabbitDeadLetters,
  deadLetterExchange,
  groupQueues,
  retryDelay,
  type DeadLetterAdmin,
} from '../../../runtime/bus/rabbitmq/index.js';
import { UnprocessableEvent, type EventBus, type EventEnvelope } from '../../../runtime/bus/types.js';
import { createLogger } from '../../../runtime/logging/index.js';
import { freePort } from '../../support/processes.js';

const URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const run = `t${randomBytes(4).toString('hex')}`;
const names = { exchange: `${run}.events`, queuePrefix: `${run}.` };
const RETRY_MS = 20;
const MAX_RETRY_MS = 80;
const MAX_ATTEMPTS = 3;

let connection: ChannelModel;
let channel: Channel;
let admin: DeadLetterAdmin;
const buses: EventBus[] = [];
const groupsUsed = new Set<string>();

async function bus(): Promise<EventBus> {
  const created = await connectRabbitBus({
    url: URL, ...names, retryDelayMs: RETRY_MS, maxRetryDelayMs: MAX_RETRY_MS, maxAttempts: MAX_ATTEMPTS, logger: createLogger({ service: 'bus', level: 'silent' }),
  });
  buses.push(created);
  return created;
}

const group = (name: string) => (groupsUsed.add(name), name);
const envelope = (event: string, payload: unknown = {}): EventEnvelope => ({ id: randomUUID(), event, version: 1, source: 'payments', time: new Date().toISOString(), payload });

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  connection = await amqp.connect(URL);
  channel = await connection.createChannel();
  admin = await connectRabbitDeadLetters({ url: URL, queuePrefix: names.queuePrefix });
});

afterAll(async () => {
  await Promise.allSettled(buses.map((b) => b.close()));
  await admin.close();
  for (const g of groupsUsed) {
    const q = groupQueues(names, g);
    const delays = new Set([1, 2, 3].map((n) => retryDelay(n, RETRY_MS, MAX_RETRY_MS)));
    for (const queue of [q.queue, q.dead, ...[...delays].map((d) => q.retry(d))]) await channel.deleteQueue(queue);
  }
  await channel.deleteExchange(names.exchange);
  await channel.deleteExchange(deadLetterExchange(names.exchange));
  await connection.close();
});

describe('RabbitMQ dead letters', () => {
  it('lists a dead letter with its error and attempts; replay sends it to its group only, once, with attempts reset', async () => {
    const billingGroup = group('billing');
    const auditGroup = group('audit');
    const b = await bus();
    let fixed = false;
    const billing: { id: string; ok: boolean }[] = [];
    const audit: string[] = [];
    await b.subscribe('payment.failed', billingGroup, async (e) => {
      billing.push({ id: e.id, ok: fixed });
      if (!fixed) throw new Error('card declined');
    });
    await b.subscribe('refund.asked', billingGroup, async () => {
      throw new UnprocessableEvent('payload.amount must be a number');
    });
    await b.subscribe('payment.failed', auditGroup, async (e) => void audit.push(e.id));

    const failing = envelope('payment.failed', { amount: 5 });
    await b.publish(failing);
    await until('the failing event to be dead-lettered', async () => (await admin.count(billingGroup)) === 1);
    await b.publish(envelope('refund.asked'));
    await until('the unprocessable event to be dead-lettered', async () => (await admin.count(billingGroup)) === 2);
    expect(billing.map((c) => c.ok)).toEqual([false, false, false]);

    const all = await admin.list(billingGroup);
    expect(all.map((l) => l.event)).toEqual(['payment.failed', 'refund.asked']);
    const [letter] = all;
    expect(letter).toMatchObject({ id: failing.id, event: 'payment.failed', envelopeId: failing.id, source: 'payments', error: 'card declined', attempts: MAX_ATTEMPTS, envelope: failing });
    expect(Date.parse(letter!.deadAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(await admin.list(billingGroup, { event: 'refund.asked' })).toEqual([expect.objectContaining({ event: 'refund.asked', attempts: 1, error: 'payload.amount must be a number' })]);
    expect(await admin.list(billingGroup, { event: 'no.such.event' })).toEqual([]);
    expect(await admin.list(billingGroup, { limit: 1 })).toEqual([letter]);
    expect(await admin.list(group('nobody'))).toEqual([]);
    // Listing took nothing away and kept the order (the broker's message count lags after a requeue: not asked here).
    expect(await admin.list(billingGroup)).toEqual(all);

    fixed = true;
    const unknown = randomUUID();
    expect(await admin.replay(billingGroup, [failing.id, unknown])).toEqual({ replayed: 1, notFound: [unknown] });
    expect((await admin.list(billingGroup)).map((l) => l.event)).toEqual(['refund.asked']);

    // Published after the replay: queues are FIFO, so a fanned-out copy would reach audit before it.
    const marker = envelope('payment.failed');
    await b.publish(marker);
    await until('billing to handle the replayed event and the marker', () => billing.some((c) => c.id === marker.id) && billing.some((c) => c.id === failing.id && c.ok));
    await until('audit to handle the marker', () => audit.includes(marker.id));
    expect(billing.filter((c) => c.id === failing.id && c.ok)).toHaveLength(1);
    expect(audit).toEqual([failing.id, marker.id]);

    expect(await admin.replay(billingGroup, [failing.id])).toEqual({ replayed: 0, notFound: [failing.id] });
    expect((await admin.list(billingGroup)).map((l) => l.event)).toEqual(['refund.asked']);
  });

  it('replays all dead letters of a group; one that fails again is dead-lettered again, as a first attempt', async () => {
    const g = group('shipping');
    const b = await bus();
    let calls = 0;
    await b.subscribe('parcel.sent', g, async () => {
      calls += 1;
      throw new UnprocessableEvent('no address');
    });
    const sent = [envelope('parcel.sent'), envelope('parcel.sent'), envelope('parcel.sent')];
    for (const e of sent) await b.publish(e);
    await until('three dead letters', async () => (await admin.count(g)) === 3);
    expect((await admin.list(g)).map((l) => l.id)).toEqual(sent.map((e) => e.id));
    expect(await admin.replay(g, 'all')).toEqual({ replayed: 3, notFound: [] });
    await until('the three handled again', () => calls === 6);
    await until('three dead letters again', async () => (await admin.count(g)) === 3);
    const after = await admin.list(g);
    expect(after.map((l) => l.id).sort()).toEqual(sent.map((e) => e.id).sort());
    expect(after.every((l) => l.attempts === 1)).toBe(true);
  });

  it('refuses to replay into a work queue that does not exist, and keeps the dead letter', async () => {
    const g = group('gone');
    const q = groupQueues(names, g);
    await channel.assertQueue(q.dead, { durable: true });
    const lost = envelope('x.happened');
    channel.sendToQueue(q.dead, Buffer.from(JSON.stringify(lost)), { messageId: lost.id, persistent: true });
    await until('the dead letter', async () => (await admin.count(g)) === 1);
    await expect(admin.replay(g, 'all')).rejects.toThrow(`the queue ${q.queue} does not exist`);
    expect((await admin.list(g)).map((l) => l.id)).toEqual([lost.id]);
    await channel.assertQueue(q.queue, { durable: true });
  });

  it('rejects at once when the broker is unreachable', async () => {
    const port = await freePort();
    await expect(connectRabbitDeadLetters({ url: `amqp://guest:guest@127.0.0.1:${port}` })).rejects.toThrow(/ECONNREFUSED/);
  });
});

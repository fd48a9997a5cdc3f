// The RabbitMQ EventBus against a real broker (RABBITMQ_URL, default the local one; a missing broker
// fails the file, never skips it). Every run uses its own exchange and queue names and deletes them.
import { randomBytes, randomUUID } from 'node:crypto';
import net from 'node:net';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTEMPTS_HEADER,
  DEAD_AT_HEADER,
  ERROR_HEADER,
  EVENT_HEADER,
  connectRabbitBus,
  deadLetterExchange,
  groupQueues,
  retryDelay,
  type RabbitBusOptions,
} from '../../../runtime/bus/rabbitmq/index.js';
import { UnprocessableEvent, type EventBus, type EventEnvelope } from '../../../runtime/bus/types.js';
import { createLogger } from '../../../runtime/logging/index.js';

const URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const run = `t${randomBytes(4).toString('hex')}`;
const names = { exchange: `${run}.events`, queuePrefix: `${run}.` };
const RETRY_MS = 20;
const MAX_RETRY_MS = 80;
const WAIT_MS = 10_000;

let admin: ChannelModel;
let channel: Channel;
const buses: EventBus[] = [];
const groupsUsed = new Set<string>();
/** Queues a test declared itself. */
const queuesMade = new Set<string>();

function bus(overrides: Partial<RabbitBusOptions> = {}): Promise<EventBus> {
  const options = { url: URL, ...names, retryDelayMs: RETRY_MS, maxRetryDelayMs: MAX_RETRY_MS, logger: createLogger({ service: 'bus', level: 'silent' }), ...overrides };
  return connectRabbitBus(options).then((b) => (buses.push(b), b));
}

function group(name: string): string {
  groupsUsed.add(name);
  return name;
}

function envelope(event: string, payload: unknown = { n: 1 }): EventEnvelope {
  return { id: randomUUID(), event, version: 1, source: 'test', time: new Date().toISOString(), payload };
}

/** Resolves once `predicate` holds, checked on every `tick()`; rejects after a bounded wait. */
function waiter(label: string) {
  const checks: Array<() => boolean> = [];
  return {
    until(predicate: () => boolean): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${label}`)), WAIT_MS);
        const check = () => {
          if (!predicate()) return false;
          clearTimeout(timer);
          resolve();
          return true;
        };
        if (!check()) checks.push(check);
      });
    },
    tick() {
      for (const check of [...checks]) if (check()) checks.splice(checks.indexOf(check), 1);
    },
  };
}

/** The next message of a queue, consumed with a raw channel (acked). */
async function nextMessage(queue: string): Promise<ConsumeMessage> {
  let tag = '';
  const message = await new Promise<ConsumeMessage>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${queue}`)), WAIT_MS);
    void channel
      .consume(queue, (m) => {
        if (!m) return;
        clearTimeout(timer);
        channel.ack(m);
        resolve(m);
      })
      .then((ok) => (tag = ok.consumerTag));
  });
  await channel.cancel(tag);
  return message;
}


/** A TCP proxy to the broker whose connections the test can cut, as a network failure would. */
async function brokerProxy() {
  const target = new globalThis.URL(URL);
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted += 1;
    const upstream = net.connect(Number(target.port || 5672), target.hostname);
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(a);
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => (b.destroy(), sockets.delete(a)));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = new globalThis.URL(URL);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    get accepted() {
      return accepted;
    },
    drop: () => sockets.forEach((s) => s.destroy()),
    close: () => (sockets.forEach((s) => s.destroy()), new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}

beforeAll(async () => {
  admin = await amqp.connect(URL);
  channel = await admin.createChannel();
});

afterAll(async () => {
  await Promise.allSettled(buses.map((b) => b.close()));
  for (const g of groupsUsed) {
    const q = groupQueues(names, g);
    const delays = new Set([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, RETRY_MS, MAX_RETRY_MS)));
    for (const queue of [q.queue, q.dead, ...[...delays].map((d) => q.retry(d))]) await channel.deleteQueue(queue);
  }
  for (const queue of queuesMade) await channel.deleteQueue(queue);
  await channel.deleteExchange(names.exchange);
  await channel.deleteExchange(deadLetterExchange(names.exchange));
  await admin.close();
});

describe('RabbitMQ event bus', () => {
  it('fans every event out to each subscribing group, as a parsed JSON copy', async () => {
    const b = await bus();
    const seen = { a: [] as EventEnvelope[], b: [] as EventEnvelope[] };
    const w = waiter('both groups');
    await b.subscribe('item.added', group('fan-a'), async (e) => void (seen.a.push(e), w.tick()));
    await b.subscribe('item.added', group('fan-b'), async (e) => void (seen.b.push(e), w.tick()));
    const sent = Array.from({ length: 20 }, (_, n) => envelope('item.added', { n, at: new Date(0) }));
    for (const e of sent) await b.publish(e);
    await w.until(() => seen.a.length >= 20 && seen.b.length >= 20);
    const ids = sent.map((e) => e.id).sort();
    expect(seen.a.map((e) => e.id).sort()).toEqual(ids);
    expect(seen.b.map((e) => e.id).sort()).toEqual(ids);
    // JSON on the wire: a Date arrives as its string, and groups never share an object.
    const first = seen.a.find((e) => e.id === sent[0]!.id)!;
    expect(first.payload).toEqual({ n: 0, at: '1970-01-01T00:00:00.000Z' });
    expect(seen.b.find((e) => e.id === sent[0]!.id)!.payload).not.toBe(first.payload);
  });

  it('splits a group’s events between its consumers, none handled by both', async () => {
    const g = group('shared');
    const [publisher, one, two] = await Promise.all([bus(), bus({ prefetch: 4 }), bus({ prefetch: 4 })]);
    const got = { one: [] as string[], two: [] as string[] };
    const w = waiter('200 events');
    // A little work per event, so one consumer cannot drain the queue before the other's prefetch fills.
    const slow = (list: string[]) => async (e: EventEnvelope) => {
      await new Promise((r) => setTimeout(r, 2));
      list.push(e.id);
      w.tick();
    };
    await one.subscribe('job.queued', g, slow(got.one));
    await two.subscribe('job.queued', g, slow(got.two));
    const sent = Array.from({ length: 200 }, () => envelope('job.queued'));
    await Promise.all(sent.map((e) => publisher.publish(e)));
    await w.until(() => got.one.length + got.two.length >= 200);
    expect(got.one.length).toBeGreaterThan(0);
    expect(got.two.length).toBeGreaterThan(0);
    expect(got.one.filter((id) => got.two.includes(id))).toEqual([]);
    expect([...got.one, ...got.two].sort()).toEqual(sent.map((e) => e.id).sort());
  });

  it('resolves publish once the broker holds the event: persistent JSON in the durable queue before any consumer', async () => {
    const g = group('durable');
    const queue = groupQueues(names, g).queue;
    const subscriber = await bus();
    const subscription = await subscriber.subscribe('order.placed', g, async () => {});
    await subscription.unsubscribe(); // the queue and its binding stay; nobody consumes now
    const b = await bus();
    const sent = [envelope('order.placed'), envelope('order.placed'), envelope('order.placed')];
    for (const [n, e] of sent.entries()) {
      await b.publish(e);
      expect((await channel.checkQueue(queue)).messageCount).toBe(n + 1);
    }
    expect((await channel.checkQueue(queue)).consumerCount).toBe(0);
    const message = await channel.get(queue, { noAck: true });
    if (!message) throw new Error('the queue is empty');
    expect(message.properties.deliveryMode).toBe(2);
    expect(message.properties.contentType).toBe('application/json');
    expect(message.properties.messageId).toBe(sent[0]!.id);
    expect(message.properties.headers?.[EVENT_HEADER]).toBe('order.placed');
    expect(message.fields.routingKey).toBe('order.placed');
    expect(JSON.parse(message.content.toString())).toEqual(sent[0]);
    await channel.purgeQueue(queue);
    await b.close();
    await expect(b.publish(envelope('order.placed'))).rejects.toThrow(/closed/);
  });

  it('rejects a publish the broker nacks', async () => {
    // A full queue with overflow 'reject-publish' makes the broker nack what is routed to it.
    const full = `${run}.full`;
    const b = await bus();
    await channel.assertQueue(full, { durable: true, maxLength: 1, arguments: { 'x-overflow': 'reject-publish' } });
    queuesMade.add(full);
    await channel.bindQueue(full, names.exchange, 'audit.logged');
    await b.publish(envelope('audit.logged'));
    await expect(b.publish(envelope('audit.logged'))).rejects.toThrow();
    expect((await channel.checkQueue(full)).messageCount).toBe(1);
    // A nack leaves the publishing channel open: the bus keeps publishing.
    await expect(b.publish(envelope('audit.other'))).resolves.toBeUndefined();
  });

  it('retries a failing handler with a delay, counting attempts, until it succeeds', async () => {
    const g = group('retry-ok');
    const b = await bus();
    const calls: number[] = [];
    const w = waiter('third attempt');
    await b.subscribe('mail.send', g, async () => {
      calls.push(Date.now());
      w.tick();
      if (calls.length < 3) throw new Error(`transient ${calls.length}`);
    });
    await b.publish(envelope('mail.send'));
    await w.until(() => calls.length >= 3);
    // The waits are the configured backoff (20 ms, then 40 ms), served by the delay queues' TTL.
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(RETRY_MS - 5);
    expect(calls[2]! - calls[1]!).toBeGreaterThanOrEqual(2 * RETRY_MS - 5);
    await b.close();
    expect(calls).toHaveLength(3);
    const q = groupQueues(names, g);
    expect((await channel.checkQueue(q.queue)).messageCount).toBe(0);
    expect((await channel.checkQueue(q.dead)).messageCount).toBe(0);
  });

  it('dead-letters an event after the last attempt, with its error and attempts', async () => {
    const g = group('retry-dead');
    const b = await bus({ maxAttempts: 3 });
    let calls = 0;
    await b.subscribe('mail.send', g, async () => {
      calls += 1;
      throw new Error('smtp refused');
    });
    const sent = envelope('mail.send');
    await b.publish(sent);
    const dead = await nextMessage(groupQueues(names, g).dead);
    expect(calls).toBe(3);
    expect(JSON.parse(dead.content.toString())).toEqual(sent);
    expect(dead.properties.messageId).toBe(sent.id);
    expect(dead.properties.headers?.[ERROR_HEADER]).toBe('smtp refused');
    expect(dead.properties.headers?.[ATTEMPTS_HEADER]).toBe(3);
    expect(dead.properties.headers?.[EVENT_HEADER]).toBe('mail.send');
    expect(Date.now() - Date.parse(String(dead.properties.headers?.[DEAD_AT_HEADER]))).toBeLessThan(WAIT_MS);
    await b.close();
    expect(calls).toBe(3);
    expect((await channel.checkQueue(groupQueues(names, g).queue)).messageCount).toBe(0);
  });

  it('dead-letters an UnprocessableEvent at once', async () => {
    const g = group('unprocessable');
    const b = await bus();
    let calls = 0;
    await b.subscribe('order.placed', g, async () => {
      calls += 1;
      throw new UnprocessableEvent('payload.total: must be a number');
    });
    await b.publish(envelope('order.placed'));
    const dead = await nextMessage(groupQueues(names, g).dead);
    expect(calls).toBe(1);
    expect(dead.properties.headers?.[ATTEMPTS_HEADER]).toBe(1);
    expect(dead.properties.headers?.[ERROR_HEADER]).toBe('payload.total: must be a number');
  });

  it('dead-letters, after its attempts, an event the group’s queue is still bound to but no handler here takes', async () => {
    const g = group('stale');
    const earlier = await bus();
    await (await earlier.subscribe('user.renamed', g, async () => {})).unsubscribe(); // leaves the binding
    const b = await bus({ maxAttempts: 2 });
    await b.subscribe('user.created', g, async () => {});
    const sent = envelope('user.renamed');
    await b.publish(sent);
    const dead = await nextMessage(groupQueues(names, g).dead);
    expect(dead.properties.messageId).toBe(sent.id);
    expect(dead.properties.headers?.[ATTEMPTS_HEADER]).toBe(2);
    expect(String(dead.properties.headers?.[ERROR_HEADER])).toMatch(/no handler for 'user.renamed'/);
  });

  it('close waits for a handler in flight and acknowledges its event, which is not delivered again', async () => {
    const g = group('closing');
    const queue = groupQueues(names, g).queue;
    const b = await bus();
    let enter!: () => void;
    let release!: () => void;
    const entered = new Promise<void>((r) => (enter = r));
    const released = new Promise<void>((r) => (release = r));
    let finished = false;
    await b.subscribe('report.build', g, async () => {
      enter();
      await released;
      finished = true;
    });
    await b.publish(envelope('report.build'));
    await entered;
    let closed = false;
    const closing = b.close().then(() => (closed = true));
    // The consumer is cancelled at once, while the handler still holds its message.
    await expect.poll(async () => (await channel.checkQueue(queue)).consumerCount, { timeout: WAIT_MS }).toBe(0);
    expect(closed).toBe(false);
    release();
    await closing;
    expect(finished).toBe(true);
    // Unacked, the channel's close would have put the message back in the queue.
    expect((await channel.checkQueue(queue)).messageCount).toBe(0);
    const again = await bus();
    let redelivered = 0;
    await again.subscribe('report.build', g, async () => void (redelivered += 1));
    const marker = envelope('report.build');
    const w = waiter('marker');
    let markerSeen = false;
    await again.subscribe('report.mark', g, async () => void ((markerSeen = true), w.tick()));
    await again.publish({ ...marker, event: 'report.mark' });
    await w.until(() => markerSeen);
    expect(redelivered).toBe(0);
  });
  it('starts a consumer again when the broker cancels it (its queue deleted), declaring the queue and its bindings anew', async () => {
    const g = group('recover');
    const subscriber = await bus({ reconnectDelayMs: 20 });
    const handled: string[] = [];
    const w = waiter('an event after the recovery');
    await subscriber.subscribe('tick.recovered', g, async (e) => void (handled.push(e.id), w.tick()));
    const { queue } = groupQueues(names, g);
    await channel.deleteQueue(queue);
    // The consumer declares the queue again; publish once it has, since nothing routes to a missing queue.
    const deadline = Date.now() + WAIT_MS;
    let restored = false;
    while (!restored && Date.now() < deadline) {
      const probe = await admin.createChannel();
      probe.on('error', () => undefined);
      restored = await probe.checkQueue(queue).then((q) => q.consumerCount > 0, () => false);
      await probe.close().catch(() => undefined);
      if (!restored) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(restored).toBe(true);
    const sent = envelope('tick.recovered');
    await subscriber.publish(sent);
    await w.until(() => handled.includes(sent.id));
    await subscriber.close();
  });

  it('reconnects after the connection drops: every event whose publish resolved is handled', async () => {
    const g = group('reconnect');
    const proxy = await brokerProxy();
    const consumer = await bus({ url: proxy.url, reconnectDelayMs: 20 });
    const publisher = await bus({ url: proxy.url, reconnectDelayMs: 20 });
    const handled = new Set<string>();
    const w = waiter('confirmed events handled');
    await consumer.subscribe('tick.counted', g, async (e) => void (handled.add(e.id), w.tick()));
    const confirmed: string[] = [];
    let rejected = 0;
    const publishOne = async () => {
      const e = envelope('tick.counted');
      try {
        await publisher.publish(e);
        confirmed.push(e.id);
      } catch {
        rejected += 1; // not confirmed: the publisher knows to retry it
      }
    };
    for (let batch = 0; batch < 10; batch++) {
      const sending = Array.from({ length: 20 }, publishOne);
      if (batch === 4) proxy.drop();
      await Promise.all(sending);
    }
    await w.until(() => confirmed.every((id) => handled.has(id)));
    // Both buses came back (2 connections, then 2 more), and the batches after the drop went through.
    expect(proxy.accepted).toBeGreaterThanOrEqual(4);
    expect(confirmed.length).toBeGreaterThanOrEqual(100);
    expect(confirmed.length + rejected).toBe(200);
    expect(confirmed.filter((id) => !handled.has(id))).toEqual([]);
    await consumer.close();
    await publisher.close();
    await proxy.close();
  });
});

// The Redis Streams bus's per-subscription attempts, trimming by age, and a connection dropped while
// publishing, against a real Redis (127.0.0.1:6379, or REDIS_URL; a missing Redis fails, never skips).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBus, deadLetterKey, streamKey, type RedisBus, type RedisBusOptions } from '../../../runtime/bus/redis/index.js';
import { createLogger } from '../../../runtime/logging/index.js';
import { deleteKeys, envelope, until } from '../../support/bus.js';
import { tcpProxy } from '../../support/tcp-proxy.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ service: 'bus', level: 'silent' });
const prefix = `meshspec-test-${randomUUID().slice(0, 8)}:`;
let admin: Redis;
const buses: RedisBus[] = [];

function bus(options: RedisBusOptions = {}): RedisBus {
  const created = createRedisBus({ url, prefix, logger, retryDelayMs: 5, ...options });
  buses.push(created);
  return created;
}

const eventName = () => `test.${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  admin = new Redis(url, { maxRetriesPerRequest: 1 });
  expect(await admin.ping()).toBe('PONG');
});

afterEach(async () => {
  const open = buses.splice(0);
  const timeout = new Promise((resolve) => setTimeout(resolve, 5000).unref());
  await Promise.race([Promise.all(open.map((b) => b.close())), timeout]);
  for (const b of open) b.disconnect();
});

afterAll(async () => {
  await deleteKeys(admin, prefix);
  expect(await admin.keys(`${prefix}*`)).toEqual([]);
  await admin.quit();
});

describe('Redis Streams bus: per-subscription maxAttempts', () => {
  it('dead-letters after the subscription\'s own maxAttempts; another group keeps the bus\'s', async () => {
    const event = eventName();
    const b = bus({ maxAttempts: 4 });
    const calls = { orders: 0, billing: 0 };
    await b.subscribe(event, 'orders', async () => {
      calls.orders += 1;
      throw new Error('orders down');
    }, { maxAttempts: 2 });
    await b.subscribe(event, 'billing', async () => {
      calls.billing += 1;
      throw new Error('billing down');
    });
    await b.publish(envelope(event));
    await until('both dead letters', async () => (await admin.xlen(deadLetterKey(prefix, 'orders'))) + (await admin.xlen(deadLetterKey(prefix, 'billing'))) === 2);
    expect(calls).toEqual({ orders: 2, billing: 4 });
    const [[, orders]] = (await admin.xrange(deadLetterKey(prefix, 'orders'), '-', '+')) as [[string, string[]]];
    expect(orders[orders.indexOf('attempts') + 1]).toBe('2');
  });

  it('refuses a maxAttempts that is not an integer from 1 to 100, and subscribes nothing', async () => {
    const event = eventName();
    const b = bus();
    for (const maxAttempts of [0, 101, 2.5]) {
      await expect(b.subscribe(event, 'orders', async () => {}, { maxAttempts })).rejects.toThrow(RangeError);
    }
    expect(await admin.exists(streamKey(prefix, event))).toBe(0);
  });
});

describe('Redis Streams bus: the in-flight limit', () => {
  it('holds at most batchSize entries, also when claiming a dead consumer\'s entries fills every slot', async () => {
    const event = eventName();
    const options = { batchSize: 5, claimIdleMs: 300, blockMs: 100 };
    const hang = () => new Promise<void>(() => undefined);
    const sent = Array.from({ length: 55 }, () => envelope(event));
    for (const e of sent) await bus().publish(e);
    const dying = bus(options);
    const taken: string[] = [];
    await dying.subscribe(event, 'orders', async (e) => {
      taken.push(e.id);
      await hang();
    });
    await until('the first consumer to take 5', () => taken.length === 5);
    dying.disconnect();
    await new Promise((resolve) => setTimeout(resolve, options.claimIdleMs + 100));
    // Its first claim takes the dead consumer's 5 and fills every slot: it must not read more.
    const got: string[] = [];
    await bus(options).subscribe(event, 'orders', async (e) => {
      got.push(e.id);
      await hang();
    });
    await until('the dead consumer\'s entries claimed', () => got.length >= 5);
    await new Promise((resolve) => setTimeout(resolve, 5 * options.blockMs));
    expect(got.sort()).toEqual([...taken].sort());
    const summary = (await admin.xpending(streamKey(prefix, event), 'orders')) as [number, string, string, [string, string][]];
    expect(summary[0]).toBe(5);
  });
});

describe('Redis Streams bus: trimming by age', () => {
  it('trims entries older than maxAgeMs on publish (XTRIM MINID ~), keeping the young ones', async () => {
    const event = eventName();
    const stream = streamKey(prefix, event);
    // 1,000 entries an hour old, written with explicit ids (a stream id is its time in ms).
    const hourAgo = Date.now() - 3_600_000;
    const pipeline = admin.pipeline();
    for (let i = 0; i < 1000; i++) pipeline.xadd(stream, `${hourAgo}-${i + 1}`, 'envelope', '{}');
    await pipeline.exec();
    const b = bus({ maxAgeMs: 60_000 });
    const young = envelope(event);
    await b.publish(young);
    // `~` removes whole macro nodes only: most old entries go, and never the new one.
    const length = await admin.xlen(stream);
    expect(length).toBeLessThan(200);
    const [[, fields]] = (await admin.xrevrange(stream, '+', '-', 'COUNT', 1)) as [[string, string[]]];
    expect(JSON.parse(fields[1]!)).toEqual(young);
  });

  it('keeps every entry without maxAgeMs (the default), and refuses a maxAgeMs that is not a positive integer', async () => {
    const event = eventName();
    const stream = streamKey(prefix, event);
    const pipeline = admin.pipeline();
    for (let i = 0; i < 300; i++) pipeline.xadd(stream, `${Date.now() - 3_600_000}-${i + 1}`, 'envelope', '{}');
    await pipeline.exec();
    await bus().publish(envelope(event));
    expect(await admin.xlen(stream)).toBe(301);
    expect(() => createRedisBus({ url, prefix, logger, maxAgeMs: 0 })).toThrow(new RangeError('maxAgeMs must be a positive integer or null, got 0'));
  });
});

describe('Redis Streams bus: a connection dropped while publishing', () => {
  it('loses no event whose publish resolved', async () => {
    const event = eventName();
    const target = new URL(url);
    const proxy = await tcpProxy(target.hostname, Number(target.port || 6379));
    const proxied = new URL(url);
    proxied.host = `127.0.0.1:${proxy.port}`;
    try {
      // Publisher and consumer both go through the proxy: the drop cuts publishes and reads in flight.
      const publisher = bus({ url: proxied.toString() });
      const consumer = bus({ url: proxied.toString(), claimIdleMs: 500, blockMs: 200 });
      const handled = new Set<string>();
      await consumer.subscribe(event, 'orders', async (e) => void handled.add(e.id));
      const resolved: string[] = [];
      let rejected = 0;
      const drops = new Set([400, 1200]);
      const publishOne = async () => {
        const e = envelope(event);
        try {
          await publisher.publish(e);
          resolved.push(e.id);
          // Cut while the other publishes of the window are in flight.
          if (drops.delete(resolved.length)) proxy.drop();
        } catch {
          rejected += 1;
        }
      };
      // 2,000 publishes, 20 in flight at a time.
      let next = 0;
      await Promise.all(Array.from({ length: 20 }, async () => {
        while (next < 2000) {
          next += 1;
          await publishOne();
        }
      }));
      console.log(`redis dropped connection: ${resolved.length} publishes resolved, ${rejected} rejected, ${proxy.accepted} connections through the proxy`);
      expect(resolved.length + rejected).toBe(2000);
      expect(drops.size).toBe(0);
      expect(proxy.accepted).toBeGreaterThanOrEqual(4);
      // In the stream, and handled by the group (entries whose read was cut are claimed after claimIdleMs).
      const inStream = new Set((await admin.xrange(streamKey(prefix, event), '-', '+')).map(([, f]) => (JSON.parse(f[1]!) as { id: string }).id));
      expect(resolved.filter((id) => !inStream.has(id))).toEqual([]);
      await until('every resolved event handled', () => resolved.every((id) => handled.has(id)), 20_000);
    } finally {
      await proxy.close();
    }
  });
});

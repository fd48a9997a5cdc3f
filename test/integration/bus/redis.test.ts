// The Redis Streams bus against a real Redis (127.0.0.1:6379, or REDIS_URL): a missing Redis fails
// these tests, it never skips them. Every run writes under a random prefix and deletes it afterwards.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBus, deadLetterKey, streamKey, type RedisBus, type RedisBusOptions } from '../../../runtime/bus/redis/index.js';
import { createLogger, UnprocessableEvent, type EventEnvelope } from '../../support/runtime.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ service: 'bus', level: 'silent' });
const prefix = `meshspec-test-${randomUUID().slice(0, 8)}:`;
let admin: Redis;
const buses: RedisBus[] = [];

function bus(options: RedisBusOptions = {}): RedisBus {
  const created = createRedisBus({ url, prefix, logger, retryDelayMs: 10, ...options });
  buses.push(created);
  return created;
}

/** A fresh event name per test, so tests never share a stream. */
const eventName = () => `test.${randomUUID().slice(0, 8)}`;

function envelope(event: string, payload: unknown = {}): EventEnvelope {
  return { id: randomUUID(), event, version: 1, source: 'test', time: new Date().toISOString(), payload };
}

/** Polls until `check` holds; fails with `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function pendingCount(event: string, group: string): Promise<number> {
  const summary = (await admin.xpending(streamKey(prefix, event), group)) as [number, ...unknown[]];
  return summary[0];
}

async function deadLetters(group: string): Promise<Record<string, string>[]> {
  const entries = await admin.xrange(deadLetterKey(prefix, group), '-', '+');
  return entries.map(([, fields]) => Object.fromEntries(Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]])));
}

beforeAll(async () => {
  admin = new Redis(url, { maxRetriesPerRequest: 1 });
  expect(await admin.ping()).toBe('PONG');
});

afterEach(async () => {
  // A failed test may leave a handler hanging: close what closes in time, then drop the rest.
  const open = buses.splice(0);
  const timeout = new Promise((resolve) => setTimeout(resolve, 5000).unref());
  await Promise.race([Promise.all(open.map((b) => b.close())), timeout]);
  for (const b of open) b.disconnect();
});

afterAll(async () => {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await admin.del(...keys);
  } while (cursor !== '0');
  expect(await admin.keys(`${prefix}*`)).toEqual([]);
  await admin.quit();
});

describe('Redis Streams bus', () => {
  it('writes each event to its stream with approximate trimming and resolves once XADD returned', async () => {
    const event = eventName();
    const b = bus({ maxLen: 10 });
    const sent = envelope(event, { n: 1 });
    await b.publish(sent);
    const [[, fields]] = (await admin.xrange(streamKey(prefix, event), '-', '+')) as [[string, string[]]];
    expect(fields).toEqual(['envelope', JSON.stringify(sent)]);
    for (let i = 0; i < 500; i++) await b.publish(envelope(event, { n: i }));
    // MAXLEN ~ trims whole macro nodes: well below 500, not necessarily exactly 10.
    expect(await admin.xlen(streamKey(prefix, event))).toBeLessThan(300);
  });

  it('fans out: two groups each get every event once, as a parsed JSON copy', async () => {
    const event = eventName();
    const b = bus();
    const got: Record<string, EventEnvelope[]> = { orders: [], billing: [] };
    for (const group of ['orders', 'billing']) {
      await b.subscribe(event, group, async (e) => {
        got[group]!.push(e);
        (e.payload as { at: string }).at = 'changed by ' + group;
      });
    }
    const sent = Array.from({ length: 20 }, (_, i) => envelope(event, { i, at: new Date(0) }));
    for (const e of sent) await b.publish(e);
    await until('both groups to get 20 events', () => got.orders!.length >= 20 && got.billing!.length >= 20);
    await b.close();
    for (const group of ['orders', 'billing']) {
      expect(got[group]!.map((e) => e.id).sort()).toEqual(sent.map((e) => e.id).sort());
      const first = got[group]!.find((e) => e.id === sent[0]!.id)!;
      expect(first.payload).toEqual({ i: 0, at: `changed by ${group}` });
      expect(await pendingCount(event, group)).toBe(0);
    }
    expect(got.orders![0]).not.toBe(got.billing![0]);
  });

  it('splits the events between two consumers of one group, none handled by both', async () => {
    const event = eventName();
    const handled: Record<string, string[]> = { a: [], b: [] };
    for (const name of ['a', 'b']) {
      await bus({ batchSize: 10 }).subscribe(event, 'orders', async (e) => {
        handled[name]!.push(e.id);
        await new Promise((resolve) => setTimeout(resolve, 1));
      });
    }
    const publisher = bus();
    const sent = Array.from({ length: 200 }, () => envelope(event));
    await Promise.all(sent.map((e) => publisher.publish(e)));
    await until('200 events handled', () => handled.a!.length + handled.b!.length >= 200);
    await Promise.all(buses.splice(0).map((b) => b.close()));
    const both = handled.a!.filter((id) => handled.b!.includes(id));
    expect(both).toEqual([]);
    expect(handled.a!.length).toBeGreaterThan(0);
    expect(handled.b!.length).toBeGreaterThan(0);
    expect([...handled.a!, ...handled.b!].sort()).toEqual(sent.map((e) => e.id).sort());
    expect(await pendingCount(event, 'orders')).toBe(0);
  });

  it('acknowledges only after the handler succeeded: a failing entry stays pending and comes back', async () => {
    const event = eventName();
    const seen: { pending: number; deliveries: number }[] = [];
    let calls = 0;
    await bus().subscribe(event, 'orders', async () => {
      calls += 1;
      const [[, , , deliveries]] = (await admin.xpending(streamKey(prefix, event), 'orders', '-', '+', 10)) as [[string, string, number, number]];
      seen.push({ pending: await pendingCount(event, 'orders'), deliveries });
      if (calls < 3) throw new Error(`failure ${calls}`);
    });
    await bus().publish(envelope(event));
    await until('the third attempt to succeed and be acknowledged', async () => calls === 3 && (await pendingCount(event, 'orders')) === 0);
    expect(seen).toEqual([{ pending: 1, deliveries: 1 }, { pending: 1, deliveries: 2 }, { pending: 1, deliveries: 3 }]);
    expect(await deadLetters('orders')).toEqual([]);
  });

  it('retries with growing backoff up to maxAttempts, then dead-letters with the error and attempts', async () => {
    const event = eventName();
    const times: number[] = [];
    await bus({ maxAttempts: 3, retryDelayMs: 40 }).subscribe(event, 'billing', async () => {
      times.push(Date.now());
      throw new Error('card declined');
    });
    const sent = envelope(event, { amount: 5 });
    await bus().publish(sent);
    await until('a dead letter', async () => (await admin.xlen(deadLetterKey(prefix, 'billing'))) > 0);
    const [letter, ...more] = await deadLetters('billing');
    expect(more).toEqual([]);
    expect(letter).toMatchObject({ event, group: 'billing', error: 'Error: card declined', attempts: '3' });
    expect(JSON.parse(letter!.envelope!)).toEqual(sent);
    expect(Date.parse(letter!.time!)).toBeGreaterThan(Date.now() - 10_000);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(38);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(78);
    expect(await pendingCount(event, 'billing')).toBe(0);
  });

  it('dead-letters an UnprocessableEvent at once', async () => {
    const event = eventName();
    let calls = 0;
    await bus().subscribe(event, 'shipping', async () => {
      calls += 1;
      throw new UnprocessableEvent('payload.orderId must be a string');
    });
    await bus().publish(envelope(event));
    await until('a dead letter', async () => (await admin.xlen(deadLetterKey(prefix, 'shipping'))) > 0);
    expect(calls).toBe(1);
    expect(await deadLetters('shipping')).toEqual([
      expect.objectContaining({ error: 'UnprocessableEvent: payload.orderId must be a string', attempts: '1', group: 'shipping' }),
    ]);
    expect(await pendingCount(event, 'shipping')).toBe(0);
  });

  it('lets a live consumer claim the entries a dead one took, after claimIdleMs', async () => {
    const event = eventName();
    const claimIdleMs = 600;
    const taken: string[] = [];
    const dying = bus({ claimIdleMs });
    await dying.subscribe(event, 'orders', async (e) => {
      taken.push(e.id);
      await new Promise(() => undefined); // hangs: never acknowledged
    });
    const sent = Array.from({ length: 5 }, () => envelope(event));
    for (const e of sent) await bus().publish(e);
    await until('the first consumer to take all 5', () => taken.length === 5);
    const takenAt = Date.now();
    dying.disconnect();
    expect(await pendingCount(event, 'orders')).toBe(5);

    const handled = new Map<string, number>();
    await bus({ claimIdleMs }).subscribe(event, 'orders', async (e) => {
      handled.set(e.id, Date.now());
    });
    await until('the live consumer to handle all 5', () => handled.size === 5);
    expect([...handled.keys()].sort()).toEqual(sent.map((e) => e.id).sort());
    expect(Math.min(...handled.values()) - takenAt).toBeGreaterThanOrEqual(claimIdleMs - 50);
    await until('all acknowledged', async () => (await pendingCount(event, 'orders')) === 0);
    expect(await deadLetters('orders')).toEqual([]);
  });

  it('keeps events published before a group existed for that group (groups start at the first entry)', async () => {
    const event = eventName();
    const sent = [envelope(event), envelope(event), envelope(event)];
    for (const e of sent) await bus().publish(e);
    const got: string[] = [];
    await bus().subscribe(event, 'latecomer', async (e) => {
      got.push(e.id);
    });
    await until('the three earlier events', () => got.length >= 3);
    expect(got).toEqual(sent.map((e) => e.id));
  });

  it('on close, stops fetching, waits for the handler in flight and acknowledges it', async () => {
    const event = eventName();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls: string[] = [];
    let finished = false;
    const closing = bus({ blockMs: 5000 });
    await closing.subscribe(event, 'orders', async (e) => {
      calls.push(e.id);
      await gate;
      finished = true;
    });
    const first = envelope(event);
    await bus().publish(first);
    await until('the handler to start', () => calls.length === 1);

    const readerBlocked = async () => {
      const clients = String(await admin.client('LIST')).split('\n');
      return clients.some((line) => line.includes(`name=${prefix}consumer-`) && /flags=\w*b/.test(line));
    };
    // Its next read waits in Redis, so only the UNBLOCK sent by close can end it (blockMs is 5 s).
    await until('the consumer to wait in its next read', readerBlocked);
    let closed = false;
    const done = closing.close().then(() => (closed = true));
    await until('the closing consumer to leave its blocking read', async () => !(await readerBlocked()), 1000);
    // Published after it stopped fetching: the closing consumer must not take it.
    const second = envelope(event);
    await admin.xadd(streamKey(prefix, event), '*', 'envelope', JSON.stringify(second));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closed).toBe(false);
    expect(await pendingCount(event, 'orders')).toBe(1);

    const releasedAt = Date.now();
    release();
    await done;
    expect(Date.now() - releasedAt).toBeLessThan(1000); // the blocked read was cut short, not waited out
    expect(finished).toBe(true);
    expect(calls).toEqual([first.id]);
    expect(await pendingCount(event, 'orders')).toBe(0);

    const later: string[] = [];
    await bus().subscribe(event, 'orders', async (e) => {
      later.push(e.id);
    });
    await until('the event published during close to reach the next consumer', () => later.length >= 1);
    expect(later).toEqual([second.id]);
  });

  it('dead-letters, without running it, an entry whose consumers kept dying on it (delivery count past maxAttempts)', async () => {
    const event = eventName();
    const options = { claimIdleMs: 300, maxAttempts: 2 };
    await bus().publish(envelope(event));
    for (let round = 1; round <= 2; round++) {
      let took = false;
      const dying = bus(options);
      await dying.subscribe(event, 'poisoned', async () => {
        took = true;
        await new Promise(() => undefined);
      });
      await until(`consumer ${round} to take the entry`, () => took);
      dying.disconnect();
    }
    let calls = 0;
    await bus(options).subscribe(event, 'poisoned', async () => {
      calls += 1;
    });
    await until('a dead letter', async () => (await admin.xlen(deadLetterKey(prefix, 'poisoned'))) > 0);
    expect(calls).toBe(0);
    expect(await deadLetters('poisoned')).toEqual([
      expect.objectContaining({ attempts: '2', error: 'Error: delivered 2 times without an acknowledgement' }),
    ]);
    expect(await pendingCount(event, 'poisoned')).toBe(0);
  });

  it('unsubscribe ends one subscription; the others of the bus keep receiving', async () => {
    const event = eventName();
    const b = bus();
    const got: Record<string, number> = { left: 0, stays: 0 };
    const leaving = await b.subscribe(event, 'left', async () => void (got.left! += 1));
    await b.subscribe(event, 'stays', async () => void (got.stays! += 1));
    await b.publish(envelope(event));
    await until('both groups to get the first event', () => got.left === 1 && got.stays === 1);
    await leaving.unsubscribe();
    await b.publish(envelope(event));
    await until('the remaining group to get the second event', () => got.stays === 2);
    expect(got.left).toBe(1);
    // The group keeps its place: the event waits for the service's next start.
    await b.subscribe(event, 'left', async () => void (got.left! += 1));
    await until('the returning group to get the event it missed', () => got.left === 2);
  });
});

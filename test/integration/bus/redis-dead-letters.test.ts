// Listing and replaying the Redis Streams bus's dead letters against a real Redis (127.0.0.1:6379, or
// REDIS_URL): a missing Redis fails these tests, it never skips them. Keys live under a random prefix
// and are deleted afterwards.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRedisDeadLetters, createRedisBus, deadLetterKey, streamKey, type DeadLetterAdmin, type RedisBus } from '../../../runtime/bus/redis/index.js';
import { createLogger, UnprocessableEvent, type EventEnvelope } from '../../support/runtime.js';
import { freePort } from '../../support/processes.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ service: 'bus', level: 'silent' });
const prefix = `meshspec-test-${randomUUID().slice(0, 8)}:`;
let redis: Redis;
let admin: DeadLetterAdmin;
const buses: RedisBus[] = [];

function bus(): RedisBus {
  const created = createRedisBus({ url, prefix, logger, retryDelayMs: 10, maxAttempts: 3 });
  buses.push(created);
  return created;
}

const eventName = () => `test.${randomUUID().slice(0, 8)}`;
const envelope = (event: string, payload: unknown = {}): EventEnvelope => ({ id: randomUUID(), event, version: 1, source: 'payments', time: new Date().toISOString(), payload });

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  redis = new Redis(url, { maxRetriesPerRequest: 1 });
  expect(await redis.ping()).toBe('PONG');
  admin = await connectRedisDeadLetters({ url, prefix });
});

afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});

afterAll(async () => {
  await admin.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('Redis dead letters', () => {
  it('lists a dead letter with its error and attempts; replay sends it to its group only, once, with attempts reset', async () => {
    const event = eventName();
    const other = eventName();
    const b = bus();
    let fixed = false;
    const billing: { id: string; ok: boolean }[] = [];
    const audit: string[] = [];
    await b.subscribe(event, 'billing', async (e) => {
      billing.push({ id: e.id, ok: fixed });
      if (!fixed) throw new Error('card declined');
    });
    await b.subscribe(other, 'billing', async () => {
      throw new UnprocessableEvent('payload.amount must be a number');
    });
    await b.subscribe(event, 'audit', async (e) => void audit.push(e.id));

    const failing = envelope(event, { amount: 5 });
    await b.publish(failing);
    await until('the failing event to be dead-lettered', async () => (await admin.count('billing')) === 1);
    await b.publish(envelope(other));
    await until('the unprocessable event to be dead-lettered', async () => (await admin.count('billing')) === 2);
    expect(billing.map((c) => c.ok)).toEqual([false, false, false]);

    const all = await admin.list('billing');
    expect(all.map((l) => l.event)).toEqual([event, other]);
    const [letter] = all;
    expect(letter).toMatchObject({ event, envelopeId: failing.id, source: 'payments', error: 'Error: card declined', attempts: 3, envelope: failing });
    expect(letter!.id).toMatch(/^\d+-\d+$/);
    expect(Date.parse(letter!.deadAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(await admin.list('billing', { event: other })).toEqual([expect.objectContaining({ event: other, attempts: 1, error: 'UnprocessableEvent: payload.amount must be a number' })]);
    expect(await admin.list('billing', { event: 'no.such.event' })).toEqual([]);
    expect(await admin.list('billing', { limit: 1 })).toEqual([letter]);
    expect(await admin.list('nobody')).toEqual([]);

    fixed = true;
    expect(await admin.replay('billing', [letter!.id, 'not-an-id', '1-1'])).toEqual({ replayed: 1, notFound: ['not-an-id', '1-1'] });
    expect((await admin.list('billing')).map((l) => l.event)).toEqual([other]);

    // Published after the replay: once each group handled it, each has read past the replayed entry too.
    const marker = envelope(event);
    await b.publish(marker);
    await until('billing to handle the replayed event and the marker', () => billing.some((c) => c.id === marker.id) && billing.some((c) => c.id === failing.id && c.ok));
    await until('audit to handle the marker', () => audit.includes(marker.id));
    expect(billing.filter((c) => c.id === failing.id && c.ok)).toHaveLength(1);
    expect(audit).toEqual([failing.id, marker.id]);
    await until('nothing pending', async () => ((await redis.xpending(streamKey(prefix, event), 'billing')) as [number])[0] === 0);

    expect(await admin.replay('billing', [letter!.id])).toEqual({ replayed: 0, notFound: [letter!.id] });
  });

  it('replays all dead letters of a group; one that fails again is dead-lettered again, as a first attempt', async () => {
    const event = eventName();
    const b = bus();
    let calls = 0;
    await b.subscribe(event, 'shipping', async () => {
      calls += 1;
      throw new UnprocessableEvent('no address');
    });
    for (let i = 0; i < 3; i++) await b.publish(envelope(event, { i }));
    await until('three dead letters', async () => (await admin.count('shipping')) === 3);
    const before = await admin.list('shipping');
    expect(await admin.replay('shipping', 'all')).toEqual({ replayed: 3, notFound: [] });
    await until('three dead letters again', async () => (await admin.count('shipping')) === 3);
    const after = await admin.list('shipping');
    expect(calls).toBe(6);
    expect(after.map((l) => l.envelopeId).sort()).toEqual(before.map((l) => l.envelopeId).sort());
    expect(after.every((l) => l.attempts === 1 && !before.some((b) => b.id === l.id))).toBe(true);
    // The replayed entries went into the event's stream, marked for the shipping group.
    const entries = await redis.xrange(streamKey(prefix, event), '-', '+');
    expect(entries.slice(3).map(([, fields]) => fields.slice(2))).toEqual([['replayFor', 'shipping'], ['replayFor', 'shipping'], ['replayFor', 'shipping']]);
    expect(await redis.xlen(deadLetterKey(prefix, 'shipping'))).toBe(3);
  });

  it('refuses to replay into a stream the group does not read, and keeps the dead letter', async () => {
    const event = eventName();
    const fields = ['envelope', JSON.stringify(envelope(event)), 'event', event, 'group', 'gone', 'error', 'Error: x', 'attempts', '5', 'time', new Date().toISOString(), 'stream', streamKey(prefix, event), 'entryId', '1-0'];
    const id = await redis.xadd(deadLetterKey(prefix, 'gone'), '*', ...fields);
    await expect(admin.replay('gone', 'all')).rejects.toThrow(`gone does not read the stream ${streamKey(prefix, event)}`);
    // A group of that name on another event's stream does not count.
    await redis.xgroup('CREATE', streamKey(prefix, 'other'), 'gone', '0', 'MKSTREAM');
    await expect(admin.replay('gone', [id!])).rejects.toThrow('gone does not read');
    expect((await admin.list('gone')).map((l) => l.id)).toEqual([id]);
    expect(await redis.exists(streamKey(prefix, event))).toBe(0);
  });

  it('rejects at once when Redis is unreachable', async () => {
    const port = await freePort();
    await expect(connectRedisDeadLetters({ url: `redis://127.0.0.1:${port}`, prefix })).rejects.toThrow(/ECONNREFUSED/);
  });
});

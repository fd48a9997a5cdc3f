// The memory bus's DeadLetterAdmin, and the shared replay (runtime/bus/replay.ts) that
// `meshspec events dlq replay` and the dashboard both run, with its wording.
import { describe, expect, it } from 'vitest';
import type { DeadLetterAdmin } from '../../../runtime/bus/dead-letters.js';
import { createMemoryDeadLetters } from '../../../runtime/bus/memory-dead-letters.js';
import { createMemoryBus, type MemoryBus } from '../../../runtime/bus/memory.js';
import { replayDeadLetters } from '../../../runtime/bus/replay.js';
import { UnprocessableEvent, type EventEnvelope } from '../../../runtime/bus/types.js';
import { createLogger } from '../../../runtime/logging/index.js';

const logger = createLogger({ service: 'bus', level: 'silent' });
let serial = 0;
const envelope = (event: string): EventEnvelope => ({ id: `evt-${++serial}`, event, version: 1, source: 'payments', time: new Date().toISOString(), payload: { n: serial } });

/** Dead letters: orders gives up on payment.completed (twice) and payment.failed, mail on payment.completed. */
async function busWithDeadLetters(): Promise<MemoryBus> {
  const bus = createMemoryBus({ logger, maxAttempts: 2, retryDelayMs: 1 });
  await bus.subscribe('payment.completed', 'orders', async () => {
    throw new Error('orders database down\n  on two lines');
  });
  await bus.subscribe('payment.failed', 'orders', async () => {
    throw new UnprocessableEvent('no order in the payload');
  });
  await bus.subscribe('payment.completed', 'mail', async () => {
    throw 'a string';
  });
  for (const event of ['payment.completed', 'payment.failed', 'payment.completed']) {
    await bus.publish(envelope(event));
    await bus.idle();
  }
  return bus;
}

describe('createMemoryDeadLetters', () => {
  it('lists a group\'s dead letters oldest first in the brokers\' shape, the error on one line', async () => {
    const bus = await busWithDeadLetters();
    const admin = createMemoryDeadLetters(bus);
    const letters = await admin.list('orders');
    expect(letters.map((l) => [l.id, l.event, l.attempts])).toEqual([
      ['dl-1', 'payment.completed', 2],
      ['dl-3', 'payment.failed', 1],
      ['dl-4', 'payment.completed', 2],
    ]);
    expect(letters[0]).toEqual({
      id: 'dl-1',
      event: 'payment.completed',
      envelopeId: bus.deadLetters[0]!.envelope.id,
      source: 'payments',
      error: 'Error: orders database down on two lines',
      attempts: 2,
      deadAt: bus.deadLetters[0]!.time,
      envelope: bus.deadLetters[0]!.envelope,
    });
    expect(letters[1]!.error).toBe('UnprocessableEvent: no order in the payload');
    expect((await admin.list('mail'))[0]!.error).toBe('a string');
    await bus.close();
  });

  it('filters by event, limits, and counts every event of the group', async () => {
    const bus = await busWithDeadLetters();
    const admin = createMemoryDeadLetters(bus);
    expect((await admin.list('orders', { event: 'payment.completed' })).map((l) => l.id)).toEqual(['dl-1', 'dl-4']);
    expect((await admin.list('orders', { limit: 1 })).map((l) => l.id)).toEqual(['dl-1']);
    expect(await admin.list('orders', { limit: 0 })).toEqual([]);
    expect(await admin.list('nobody')).toEqual([]);
    expect(await admin.count('orders')).toBe(3);
    expect(await admin.count('mail')).toBe(2);
    await admin.close();
    expect(await admin.count('orders')).toBe(3);
    await bus.close();
  });

  it('replays by id or all, for that group only', async () => {
    const bus = await busWithDeadLetters();
    const admin = createMemoryDeadLetters(bus);
    expect(await admin.replay('orders', ['dl-3', 'dl-2'])).toEqual({ replayed: 1, notFound: ['dl-2'] });
    await bus.idle();
    // Unprocessable again: a new dead letter.
    expect((await admin.list('orders')).map((l) => l.id)).toEqual(['dl-1', 'dl-4', 'dl-6']);
    expect(await admin.count('mail')).toBe(2);
    await bus.close();
  });
});

describe('replayDeadLetters (shared by the CLI and the dashboard)', () => {
  /** An admin answering a fixed result, to word every case. */
  const answering = (replayed: number, notFound: string[]): DeadLetterAdmin => ({
    list: async () => [],
    count: async () => 0,
    replay: async () => ({ replayed, notFound }),
    close: async () => {},
  });

  it('words what went back and what was not found, as `meshspec events dlq replay` says it', async () => {
    expect(await replayDeadLetters(answering(2, []), 'orders', ['a', 'b'])).toEqual({
      replayed: 2,
      notFound: [],
      summary: 'replayed 2 dead letters to orders (attempts reset)',
      missing: null,
      message: 'replayed 2 dead letters to orders (attempts reset)',
    });
    expect(await replayDeadLetters(answering(1, ['x']), 'orders', ['a', 'x'])).toEqual({
      replayed: 1,
      notFound: ['x'],
      summary: 'replayed 1 dead letter to orders (attempts reset)',
      missing: 'orders has no dead letter x: `meshspec events dlq list orders` shows the IDs',
      message: 'replayed 1 dead letter to orders (attempts reset); orders has no dead letter x: `meshspec events dlq list orders` shows the IDs',
    });
    expect(await replayDeadLetters(answering(0, []), 'orders', 'all')).toMatchObject({ summary: 'no dead letters of orders to replay', missing: null, message: 'no dead letters of orders to replay' });
    expect(await replayDeadLetters(answering(0, []), 'orders', [])).toMatchObject({ summary: null, missing: null, message: 'nothing to replay to orders: no IDs given' });
  });

  it('names at most five missing ids, each cut to 80 characters, and where the list is', async () => {
    const ids = ['1', '2', '3', '4', '5', '6', 'x'.repeat(100)];
    const { missing } = await replayDeadLetters(answering(0, ids), 'mail', ids, { listedBy: (group) => `the ${group} list` });
    expect(missing).toBe('mail has no dead letter 1, 2, 3, 4, 5, … (7 in all): the mail list shows the IDs');
    const long = await replayDeadLetters(answering(0, ['y'.repeat(100)]), 'mail', ['y'.repeat(100)]);
    expect(long.missing).toBe(`mail has no dead letter ${'y'.repeat(80)}: \`meshspec events dlq list mail\` shows the IDs`);
  });

  it('replays through the memory admin', async () => {
    const bus = await busWithDeadLetters();
    const outcome = await replayDeadLetters(createMemoryDeadLetters(bus), 'mail', 'all');
    expect(outcome.message).toBe('replayed 2 dead letters to mail (attempts reset)');
    await bus.idle();
    await bus.close();
  });

  it('rejects as the admin does', async () => {
    const failing: DeadLetterAdmin = { ...answering(0, []), replay: async () => Promise.reject(new Error('broker gone')) };
    await expect(replayDeadLetters(failing, 'orders', 'all')).rejects.toThrow('broker gone');
  });
});

// Replaying the memory bus's dead letters: back to the one group that gave up, attempts reset,
// removed from the dead letters; the other groups of the event untouched.
import { describe, expect, it } from 'vitest';
import { createMemoryBus, ReplayRefused, type MemoryBus } from '../../../runtime/bus/memory.js';
import type { EventEnvelope } from '../../../runtime/bus/types.js';
import { createLogger } from '../../../runtime/logging/index.js';

const logger = createLogger({ service: 'bus', level: 'silent' });
let serial = 0;
const envelope = (event = 'payment.completed'): EventEnvelope => ({ id: `evt-${++serial}`, event, version: 1, source: 'payments', time: new Date().toISOString(), payload: { orderId: `o-${serial}` } });

/** A bus whose `orders` group fails `payment.completed` while `failing.on`, and whose `mail` group always takes it. */
async function busWithFailingOrders(): Promise<{ bus: MemoryBus; failing: { on: boolean }; orders: EventEnvelope[]; mail: EventEnvelope[]; attempts: () => number }> {
  const bus = createMemoryBus({ logger, maxAttempts: 3, retryDelayMs: 1, maxRetryDelayMs: 2 });
  const failing = { on: true };
  const orders: EventEnvelope[] = [];
  const mail: EventEnvelope[] = [];
  let attempts = 0;
  await bus.subscribe('payment.completed', 'orders', async (e) => {
    attempts += 1;
    if (failing.on) throw new Error('orders database down');
    orders.push(e);
  });
  await bus.subscribe('payment.completed', 'mail', async (e) => void mail.push(e));
  return { bus, failing, orders, mail, attempts: () => attempts };
}

describe('MemoryBus dead letters and replay', () => {
  it('dead-letters after the attempts run out, with an id, the attempts and the error', async () => {
    const { bus } = await busWithFailingOrders();
    const published = envelope();
    await bus.publish(published);
    await bus.idle();
    expect(bus.deadLetters).toHaveLength(1);
    expect(bus.deadLetters[0]).toMatchObject({ id: 'dl-1', group: 'orders', attempts: 3, envelope: published });
    expect((bus.deadLetters[0]!.error as Error).message).toBe('orders database down');
    await bus.close();
  });

  it('replays to that group only, once, with attempts reset, and removes the dead letter', async () => {
    const { bus, failing, orders, mail, attempts } = await busWithFailingOrders();
    const published = envelope();
    await bus.publish(published);
    await bus.idle();
    expect(mail).toHaveLength(1);
    const [letter] = bus.deadLetters;
    failing.on = false;
    const before = attempts();

    expect(bus.replayDeadLetters('orders', [letter!.id])).toEqual({ replayed: 1, notFound: [] });
    expect(bus.deadLetters).toEqual([]);
    await bus.idle();

    expect(orders).toEqual([published]);
    expect(attempts() - before).toBe(1);
    expect(mail).toHaveLength(1);
    const groups = bus.stats()[0]!.groups;
    expect(groups.find((g) => g.group === 'orders')).toEqual({ group: 'orders', handled: 1, failures: 3, lag: 0, retrying: 0, deadLettered: 1, deadLetters: 0 });
    expect(groups.find((g) => g.group === 'mail')).toMatchObject({ handled: 1, failures: 0 });
    await bus.close();
  });

  it('gives a replayed event its full attempts again, and a new id when it dies again', async () => {
    const { bus, attempts } = await busWithFailingOrders();
    await bus.publish(envelope());
    await bus.idle();
    expect(attempts()).toBe(3);
    bus.replayDeadLetters('orders', 'all');
    await bus.idle();
    expect(attempts()).toBe(6);
    expect(bus.deadLetters.map((l) => [l.id, l.attempts])).toEqual([['dl-2', 3]]);
    await bus.close();
  });

  it('answers ids the group has no dead letter for (another group\'s included) as not found', async () => {
    const { bus, failing } = await busWithFailingOrders();
    await bus.publish(envelope());
    await bus.publish(envelope());
    await bus.idle();
    failing.on = false;
    expect(bus.replayDeadLetters('mail', ['dl-1'])).toEqual({ replayed: 0, notFound: ['dl-1'] });
    expect(bus.replayDeadLetters('orders', ['dl-2', 'dl-9', 'dl-2'])).toEqual({ replayed: 1, notFound: ['dl-9'] });
    expect(bus.replayDeadLetters('orders', ['dl-2'])).toEqual({ replayed: 0, notFound: ['dl-2'] });
    expect(bus.deadLetters.map((l) => l.id)).toEqual(['dl-1']);
    expect(bus.replayDeadLetters('orders', 'all')).toEqual({ replayed: 1, notFound: [] });
    expect(bus.replayDeadLetters('orders', 'all')).toEqual({ replayed: 0, notFound: [] });
    await bus.close();
  });

  it('refuses, moving nothing, to replay to a group that left the event', async () => {
    const bus = createMemoryBus({ logger, maxAttempts: 1 });
    const subscription = await bus.subscribe('payment.completed', 'orders', async () => {
      throw new Error('no');
    });
    await bus.publish(envelope());
    await bus.idle();
    await subscription.unsubscribe();
    expect(() => bus.replayDeadLetters('orders', 'all')).toThrow(ReplayRefused);
    expect(() => bus.replayDeadLetters('orders', 'all')).toThrow('orders does not subscribe to payment.completed (any more)');
    expect(bus.deadLetters).toHaveLength(1);
    await bus.close();
    expect(() => bus.replayDeadLetters('orders', 'all')).toThrow('the event bus is closed');
  });

  it('tells listeners the new total when a dead letter is added or replayed', async () => {
    const { bus, failing } = await busWithFailingOrders();
    const totals: number[] = [];
    const stop = bus.onDeadLetters((total) => totals.push(total));
    bus.onDeadLetters(() => {
      throw new Error('a broken listener breaks nothing');
    });
    await bus.publish(envelope());
    await bus.publish(envelope());
    await bus.idle();
    failing.on = false;
    bus.replayDeadLetters('orders', 'all');
    await bus.idle();
    expect(totals).toEqual([1, 2, 0]);
    stop();
    failing.on = true;
    await bus.publish(envelope());
    await bus.idle();
    expect(totals).toEqual([1, 2, 0]);
    expect(bus.deadLetters).toHaveLength(1);
    await bus.close();
  });
});

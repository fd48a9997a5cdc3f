// The memory bus's counters: published per event; per event and group handled, failures, lag
// (waiting, running, waiting for a retry), retrying and dead letters.
import { describe, expect, it } from 'vitest';
import { createMemoryBus, type EventCounts, type GroupCounts, type MemoryBus } from '../../../runtime/bus/memory.js';
import type { EventEnvelope } from '../../../runtime/bus/types.js';
import { createLogger } from '../../../runtime/logging/index.js';

const logger = createLogger({ service: 'bus', level: 'silent' });
let serial = 0;
const envelope = (event: string): EventEnvelope => ({ id: `evt-${++serial}`, event, version: 1, source: 'payments', time: new Date().toISOString(), payload: { n: serial } });

function groupOf(bus: MemoryBus, event: string, group: string): GroupCounts | undefined {
  return bus.stats().find((e) => e.event === event)?.groups.find((g) => g.group === group);
}

/** Polls until `check` holds: the bus works on timers of its own. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(check()).toBe(true);
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('MemoryBus.stats', () => {
  it('counts publishes, with or without a subscriber, and lists subscribed groups with zeros', async () => {
    const bus = createMemoryBus({ logger });
    await bus.publish(envelope('nobody.listens'));
    await bus.subscribe('payment.completed', 'orders', async () => {});
    expect(bus.stats()).toEqual<EventCounts[]>([
      { event: 'nobody.listens', published: 1, groups: [] },
      { event: 'payment.completed', published: 0, groups: [{ group: 'orders', handled: 0, failures: 0, lag: 0, retrying: 0, deadLettered: 0, deadLetters: 0 }] },
    ]);
    await bus.close();
  });

  it('counts handled deliveries per group, once per event for a group of several members', async () => {
    const bus = createMemoryBus({ logger });
    await bus.subscribe('payment.completed', 'orders', async () => {});
    await bus.subscribe('payment.completed', 'orders', async () => {});
    await bus.subscribe('payment.completed', 'mail', async () => {});
    for (let i = 0; i < 3; i++) await bus.publish(envelope('payment.completed'));
    await bus.idle();
    const [counts] = bus.stats();
    expect(counts).toEqual({
      event: 'payment.completed',
      published: 3,
      groups: [
        { group: 'orders', handled: 3, failures: 0, lag: 0, retrying: 0, deadLettered: 0, deadLetters: 0 },
        { group: 'mail', handled: 3, failures: 0, lag: 0, retrying: 0, deadLettered: 0, deadLetters: 0 },
      ],
    });
    await bus.close();
  });

  it('counts as lag what waits and what runs, until the handler is done', async () => {
    const bus = createMemoryBus({ logger });
    const release = gate();
    let started = 0;
    await bus.subscribe('payment.completed', 'orders', async () => {
      started += 1;
      await release.opened;
    });
    await bus.subscribe('payment.completed', 'mail', async () => {});
    await bus.publish(envelope('payment.completed'));
    await bus.publish(envelope('payment.completed'));
    expect(groupOf(bus, 'payment.completed', 'orders')).toMatchObject({ lag: 2, handled: 0 });
    await until(() => started === 2);
    await until(() => groupOf(bus, 'payment.completed', 'mail')?.handled === 2);
    expect(groupOf(bus, 'payment.completed', 'orders')).toMatchObject({ lag: 2, retrying: 0, handled: 0 });
    expect(groupOf(bus, 'payment.completed', 'mail')).toMatchObject({ lag: 0, handled: 2 });
    release.open();
    await bus.idle();
    expect(groupOf(bus, 'payment.completed', 'orders')).toMatchObject({ lag: 0, handled: 2 });
    await bus.close();
  });

  it('counts a delivery waiting for its retry as retrying (and lag), and each failed attempt', async () => {
    // A retry an hour away: the delivery stays waiting until the bus closes.
    const bus = createMemoryBus({ logger, retryDelayMs: 3_600_000, maxRetryDelayMs: 3_600_000 });
    await bus.subscribe('payment.completed', 'orders', async () => {
      throw new Error('database down');
    });
    await bus.publish(envelope('payment.completed'));
    await until(() => groupOf(bus, 'payment.completed', 'orders')?.retrying === 1);
    expect(groupOf(bus, 'payment.completed', 'orders')).toEqual({ group: 'orders', handled: 0, failures: 1, lag: 1, retrying: 1, deadLettered: 0, deadLetters: 0 });
    await bus.close();
    expect(groupOf(bus, 'payment.completed', 'orders')).toMatchObject({ lag: 0, retrying: 0 });
  });

  it('counts every failed attempt and the dead letter of a handler that never succeeds', async () => {
    const bus = createMemoryBus({ logger, maxAttempts: 3, retryDelayMs: 1 });
    await bus.subscribe('payment.completed', 'orders', async () => {
      throw new Error('still broken');
    });
    await bus.subscribe('payment.completed', 'mail', async () => {});
    await bus.publish(envelope('payment.completed'));
    await bus.idle();
    expect(groupOf(bus, 'payment.completed', 'orders')).toEqual({ group: 'orders', handled: 0, failures: 3, lag: 0, retrying: 0, deadLettered: 1, deadLetters: 1 });
    expect(groupOf(bus, 'payment.completed', 'mail')).toMatchObject({ handled: 1, failures: 0, deadLetters: 0 });
    await bus.close();
  });

  it('keeps a group\'s counts after its last member left, and answers a snapshot', async () => {
    const bus = createMemoryBus({ logger });
    const subscription = await bus.subscribe('payment.completed', 'orders', async () => {});
    await bus.publish(envelope('payment.completed'));
    await bus.idle();
    const before = bus.stats();
    await subscription.unsubscribe();
    await bus.publish(envelope('payment.completed'));
    expect(bus.stats()).toEqual([{ event: 'payment.completed', published: 2, groups: [{ group: 'orders', handled: 1, failures: 0, lag: 0, retrying: 0, deadLettered: 0, deadLetters: 0 }] }]);
    expect(before[0]?.published).toBe(1);
    await bus.close();
  });
});

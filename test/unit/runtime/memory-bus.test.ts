import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { createLogger, createMemoryBus, UnprocessableEvent, type EventEnvelope } from '../../support/runtime.js';

const logger = createLogger({ service: 'bus', level: 'silent' });
let n = 0;
const envelope = (event = 'user.created', payload: unknown = { n: ++n }): EventEnvelope => ({
  id: `evt-${n}`,
  event,
  version: 1,
  source: 'users',
  time: new Date().toISOString(),
  payload,
});

describe('createMemoryBus', () => {
  it('delivers asynchronously, never inside publish', async () => {
    const bus = createMemoryBus({ logger });
    const seen: unknown[] = [];
    await bus.subscribe('user.created', 'orders', async (e) => void seen.push(e.payload));
    const publishing = bus.publish(envelope('user.created', { a: 1 }));
    expect(seen).toEqual([]);
    await publishing;
    expect(seen).toEqual([]);
    await bus.idle();
    expect(seen).toEqual([{ a: 1 }]);
    await bus.close();
  });

  it("runs a handler in its subscription's async context, never in the publisher's (a relay publishes inside its transaction)", async () => {
    const bus = createMemoryBus({ logger, retryDelayMs: 1 });
    const scope = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    await bus.subscribe('user.created', 'orders', async () => void seen.push(scope.getStore()));
    await scope.run('mail subscribed', () => bus.subscribe('user.created', 'mail', async () => {
      seen.push(scope.getStore());
      if (seen.length < 4) throw new Error('once more'); // the retry too
    }));
    await scope.run('inside the publisher\'s transaction', () => bus.publish(envelope()));
    await bus.idle();
    expect(seen.sort()).toEqual([undefined, 'mail subscribed', 'mail subscribed', 'mail subscribed'].sort());
    await bus.close();
  });

  it('delivers once per group, round-robin among the group', async () => {
    const bus = createMemoryBus({ logger });
    const calls: string[] = [];
    await bus.subscribe('user.created', 'orders', async () => void calls.push('orders-1'));
    await bus.subscribe('user.created', 'orders', async () => void calls.push('orders-2'));
    await bus.subscribe('user.created', 'mail', async () => void calls.push('mail'));
    for (let i = 0; i < 4; i++) await bus.publish(envelope());
    await bus.idle();
    expect(calls.filter((c) => c === 'mail')).toHaveLength(4);
    expect(calls.filter((c) => c === 'orders-1')).toHaveLength(2);
    expect(calls.filter((c) => c === 'orders-2')).toHaveLength(2);
    await bus.close();
  });

  it('gives each group its own copy of the payload', async () => {
    const bus = createMemoryBus({ logger });
    const seen: unknown[] = [];
    await bus.subscribe('e', 'a', async (e) => {
      (e.payload as { n: number }).n = 99;
    });
    await bus.subscribe('e', 'b', async (e) => void seen.push(e.payload));
    const payload = { n: 1 };
    await bus.publish(envelope('e', payload));
    payload.n = 2;
    await bus.idle();
    expect(seen).toEqual([{ n: 1 }]);
    await bus.close();
  });

  it('retries a failing handler, then dead-letters the event', async () => {
    const bus = createMemoryBus({ logger, maxAttempts: 3, retryDelayMs: 1 });
    let attempts = 0;
    await bus.subscribe('e', 'g', async () => {
      attempts++;
      throw new Error('still broken');
    });
    const event = envelope('e');
    await bus.publish(event);
    await bus.idle();
    expect(attempts).toBe(3);
    expect(bus.deadLetters).toHaveLength(1);
    expect(bus.deadLetters[0]).toMatchObject({ group: 'g', attempts: 3, envelope: { id: event.id } });
    expect((bus.deadLetters[0]?.error as Error).message).toBe('still broken');
    await bus.close();
  });

  it('honours a subscription\'s own maxAttempts over the bus\'s', async () => {
    const bus = createMemoryBus({ logger, maxAttempts: 5, retryDelayMs: 1 });
    const calls = { orders: 0, mail: 0 };
    await bus.subscribe('user.created', 'orders', async () => {
      calls.orders += 1;
      throw new Error('down');
    }, { maxAttempts: 2 });
    await bus.subscribe('user.created', 'mail', async () => {
      calls.mail += 1;
      throw new Error('down');
    });
    await bus.publish(envelope());
    await bus.idle();
    expect(calls).toEqual({ orders: 2, mail: 5 });
    expect(bus.deadLetters.map((d) => [d.group, d.attempts]).sort()).toEqual([['mail', 5], ['orders', 2]]);
    await bus.close();
  });

  it('refuses a maxAttempts that is not an integer from 1 to 100', async () => {
    const bus = createMemoryBus({ logger });
    for (const maxAttempts of [0, -1, 1.5, 101, Number.NaN]) {
      await expect(bus.subscribe('user.created', 'orders', async () => {}, { maxAttempts })).rejects.toThrow(
        new RangeError(`maxAttempts must be an integer from 1 to 100, got ${maxAttempts}`),
      );
    }
    await expect(bus.subscribe('user.created', 'orders', async () => {}, { maxAttempts: 100 })).resolves.toBeDefined();
    await bus.close();
  });

  it('succeeds on a retry without dead-lettering', async () => {
    const bus = createMemoryBus({ logger, retryDelayMs: 1 });
    let attempts = 0;
    await bus.subscribe('e', 'g', async () => {
      if (++attempts < 3) throw new Error('flaky');
    });
    await bus.publish(envelope('e'));
    await bus.idle();
    expect(attempts).toBe(3);
    expect(bus.deadLetters).toEqual([]);
    await bus.close();
  });

  it('dead-letters an unprocessable event at once', async () => {
    const bus = createMemoryBus({ logger, retryDelayMs: 1 });
    let attempts = 0;
    await bus.subscribe('e', 'g', async () => {
      attempts++;
      throw new UnprocessableEvent('bad payload');
    });
    await bus.publish(envelope('e'));
    await bus.idle();
    expect(attempts).toBe(1);
    expect(bus.deadLetters).toHaveLength(1);
    await bus.close();
  });

  it('drops events nobody subscribed to', async () => {
    const bus = createMemoryBus({ logger });
    await bus.publish(envelope('nobody.listens'));
    const seen: unknown[] = [];
    await bus.subscribe('nobody.listens', 'late', async (e) => void seen.push(e));
    await bus.idle();
    expect(seen).toEqual([]);
    await bus.close();
  });

  it('stops delivering to an unsubscribed handler', async () => {
    const bus = createMemoryBus({ logger });
    const seen: unknown[] = [];
    const sub = await bus.subscribe('e', 'g', async (e) => void seen.push(e));
    await sub.unsubscribe();
    await bus.publish(envelope('e'));
    await bus.idle();
    expect(seen).toEqual([]);
    await bus.close();
  });

  it('close waits for handlers in progress, then refuses publishing', async () => {
    const bus = createMemoryBus({ logger });
    let finished = false;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    await bus.subscribe('e', 'g', async () => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 50));
      finished = true;
    });
    await bus.publish(envelope('e'));
    await running;
    await bus.close();
    expect(finished).toBe(true);
    await expect(bus.publish(envelope('e'))).rejects.toThrow('the event bus is closed');
  });

  it('close cancels pending retries instead of waiting them out', async () => {
    const retryDelayMs = 20_000;
    // The bus logs the retry right before it starts waiting: the signal that a retry is pending.
    let retrying!: () => void;
    const pending = new Promise<void>((resolve) => (retrying = resolve));
    const watcher = createLogger({
      service: 'bus',
      level: 'warn',
      destination: { write: (line: string) => void (line.includes('retrying') && retrying()) },
    });
    const bus = createMemoryBus({ logger: watcher, retryDelayMs, maxRetryDelayMs: retryDelayMs });
    let attempts = 0;
    await bus.subscribe('e', 'g', async () => {
      attempts++;
      throw new Error('fails');
    });
    await bus.publish(envelope('e'));
    await pending;
    const started = Date.now();
    await bus.close();
    // Waiting the retry out would have taken the whole delay.
    expect(Date.now() - started).toBeLessThan(retryDelayMs / 2);
    expect(attempts).toBe(1);
  });
});

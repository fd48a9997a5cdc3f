// The connecting bus: a broker that is not there yet keeps the process not ready, publishes wait a
// bounded time then fail as 503, subscriptions taken early are applied once the broker answers.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createConnectingBus } from '../../../runtime/bus/connecting.js';
import { createMemoryBus } from '../../../runtime/bus/memory.js';
import type { EventBus, EventEnvelope } from '../../../runtime/bus/types.js';
import { createLogger, isMeshError } from '../../support/runtime.js';

const logger = createLogger({ service: 'bus', level: 'silent' });
const envelope = (event: string): EventEnvelope => ({ id: randomUUID(), event, version: 1, source: 't', time: new Date().toISOString(), payload: {} });

/** A broker that refuses `failures` connection attempts, then hands out a memory bus. */
function flakyBroker(failures: number) {
  let attempts = 0;
  const inner = createMemoryBus({ logger });
  let allow = failures;
  return {
    inner,
    get attempts() {
      return attempts;
    },
    /** Lets every further attempt succeed. */
    open() {
      allow = 0;
    },
    connect: async (): Promise<EventBus> => {
      attempts++;
      if (attempts <= allow) throw new Error('connect ECONNREFUSED 127.0.0.1:1');
      return inner;
    },
  };
}

describe('createConnectingBus', () => {
  it('is not connected while the broker refuses, retries with backoff, then applies early subscriptions', async () => {
    const broker = flakyBroker(3);
    const bus = createConnectingBus({ connect: broker.connect, describe: 'test broker', logger, initialDelayMs: 5, maxDelayMs: 20 });
    const seen: string[] = [];
    await bus.subscribe('a.b', 'g', async (e) => void seen.push(e.id));
    expect(bus.connected).toBe(false);
    await bus.ready();
    expect(bus.connected).toBe(true);
    expect(broker.attempts).toBe(4);
    const sent = envelope('a.b');
    await bus.publish(sent);
    await broker.inner.idle();
    expect(seen).toEqual([sent.id]);
    await bus.close();
  });

  it('lets a publish wait for the connection, and fails it as Unavailable (503) after publishWaitMs', async () => {
    const broker = flakyBroker(Number.POSITIVE_INFINITY);
    const bus = createConnectingBus({ connect: broker.connect, describe: 'test broker', logger, initialDelayMs: 5, maxDelayMs: 5, publishWaitMs: 50 });
    const failure = await bus.publish(envelope('a.b')).catch((err: unknown) => err);
    expect(isMeshError(failure, 'Unavailable')).toBe(true);
    expect((failure as Error).message).toBe("cannot publish 'a.b': the event bus is not reachable yet; try again shortly");
    expect((failure as { status: number }).status).toBe(503);

    const waiting = bus.publish(envelope('a.b'));
    broker.open();
    await expect(waiting).resolves.toBeUndefined();
    await bus.close();
  });

  it('stops retrying on close: ready rejects, publishes fail, nothing keeps the process alive', async () => {
    const broker = flakyBroker(Number.POSITIVE_INFINITY);
    const bus = createConnectingBus({ connect: broker.connect, describe: 'test broker', logger, initialDelayMs: 5, maxDelayMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await bus.close();
    const attempts = broker.attempts;
    await expect(bus.ready()).rejects.toThrow('the event bus (test broker) was closed before it connected');
    await expect(bus.publish(envelope('a.b'))).rejects.toThrow("cannot publish 'a.b': the event bus is closed");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(broker.attempts).toBe(attempts);
  });

  it('does not apply a subscription cancelled before the connection', async () => {
    const broker = flakyBroker(1);
    const bus = createConnectingBus({ connect: broker.connect, describe: 'test broker', logger, initialDelayMs: 5 });
    const seen: string[] = [];
    const subscription = await bus.subscribe('a.b', 'g', async (e) => void seen.push(e.id));
    await subscription.unsubscribe();
    await bus.ready();
    await bus.publish(envelope('a.b'));
    await broker.inner.idle();
    expect(seen).toEqual([]);
    await bus.close();
  });
});

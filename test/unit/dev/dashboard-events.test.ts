// The dashboard's events source over a memory bus: the view (rates from the bus's counters, lag,
// dead letters per group), the dead letters, the replay and the dead-letter listener.
import { describe, expect, it } from 'vitest';
import { createMemoryBus, type MemoryBus } from '../../../runtime/bus/memory.js';
import type { EventEnvelope } from '../../../runtime/bus/types.js';
import type { CatalogEvent, EventsView, ReplayRequest } from '../../../runtime/dev/dashboard/api-types.js';
import { createEventsSource } from '../../../runtime/dev/dashboard/events.js';
import { createLogger } from '../../../runtime/logging/index.js';

const logger = createLogger({ service: 'bus', level: 'silent' });
let serial = 0;
const envelope = (event: string): EventEnvelope => ({ id: `evt-${++serial}`, event, version: 1, source: 'payments', time: new Date().toISOString(), payload: { n: serial } });

const catalog: CatalogEvent[] = [
  {
    name: 'payment.completed',
    version: 1,
    payload: 'PaymentEvent',
    publishers: ['payments'],
    subscribers: [
      { service: 'orders', group: 'orders', handler: 'confirmOrder' },
      { service: 'orders', group: 'orders', handler: 'auditPayment' },
      { service: 'mail', group: 'mail', handler: 'sendReceipt' },
    ],
  },
  { name: 'user.deleted', version: 2, payload: 'UserEvent', publishers: ['users'], subscribers: [{ service: 'orders', group: 'orders', handler: 'cancelOrdersForUser' }] },
];

/** orders fails payment.completed while `failing.on`; mail always takes it. */
async function setUp() {
  const bus = createMemoryBus({ logger, maxAttempts: 2, retryDelayMs: 1 });
  const failing = { on: false };
  const handled: string[] = [];
  await bus.subscribe('payment.completed', 'orders', async (e) => {
    if (failing.on) throw new Error('orders database down');
    handled.push(`orders:${e.id}`);
  });
  await bus.subscribe('payment.completed', 'mail', async (e) => void handled.push(`mail:${e.id}`));
  let clock = 1_000_000;
  const events = createEventsSource({ bus, events: () => catalog, now: () => clock });
  return { bus, failing, handled, events, tick: (ms: number) => (clock += ms), publish: async (n: number) => {
    for (let i = 0; i < n; i++) await bus.publish(envelope('payment.completed'));
    await bus.idle();
  } };
}

const groupOf = (view: EventsView, event: string, group: string) => view.events.find((e) => e.name === event)?.groups.find((g) => g.group === group);

describe('createEventsSource', () => {
  it('answers every event of the catalog with its publishers and one line per subscribing group, zeros before any traffic', async () => {
    const { bus, events } = await setUp();
    expect(events.view()).toEqual({
      at: 1_000_000,
      events: [
        {
          name: 'payment.completed',
          version: 1,
          publishers: ['payments'],
          publishRate: 0,
          published: 0,
          groups: [
            { service: 'orders', group: 'orders', handleRate: 0, failureRate: 0, lag: 0, retrying: 0, handled: 0, deadLetters: 0 },
            { service: 'mail', group: 'mail', handleRate: 0, failureRate: 0, lag: 0, retrying: 0, handled: 0, deadLetters: 0 },
          ],
        },
        { name: 'user.deleted', version: 2, publishers: ['users'], publishRate: 0, published: 0, groups: [{ service: 'orders', group: 'orders', handleRate: 0, failureRate: 0, lag: 0, retrying: 0, handled: 0, deadLetters: 0 }] },
      ],
    });
    await bus.close();
  });

  it('rates publishes, handled events and failures per second since the earlier reading', async () => {
    const { bus, failing, events, tick, publish } = await setUp();
    events.view();
    await publish(4);
    tick(2000);
    let view = events.view();
    expect(view.events[0]).toMatchObject({ published: 4, publishRate: 2 });
    expect(groupOf(view, 'payment.completed', 'orders')).toMatchObject({ handled: 4, handleRate: 2, failureRate: 0 });
    failing.on = true;
    await publish(1);
    tick(1000);
    view = events.view();
    // Over the 3 s since the first reading: 5 published, orders handled 4 and failed twice.
    expect(view.events[0]).toMatchObject({ published: 5, publishRate: 5 / 3 });
    expect(groupOf(view, 'payment.completed', 'orders')).toMatchObject({ handled: 4, handleRate: 4 / 3, failureRate: 2 / 3, deadLetters: 1, lag: 0 });
    expect(groupOf(view, 'payment.completed', 'mail')).toMatchObject({ handled: 5, deadLetters: 0 });
    await bus.close();
  });

  it('lists dead letters by service (the group) and event, oldest first, at most the limit', async () => {
    const { bus, failing, events, publish } = await setUp();
    failing.on = true;
    await publish(3);
    const all = events.deadLetters({ limit: 500 });
    expect(all.map((l) => [l.id, l.service, l.event, l.attempts])).toEqual([
      ['dl-1', 'orders', 'payment.completed', 2],
      ['dl-2', 'orders', 'payment.completed', 2],
      ['dl-3', 'orders', 'payment.completed', 2],
    ]);
    expect(all[0]).toEqual({
      id: 'dl-1',
      service: 'orders',
      event: 'payment.completed',
      envelopeId: bus.deadLetters[0]!.envelope.id,
      source: 'payments',
      error: 'Error: orders database down',
      attempts: 2,
      deadAt: bus.deadLetters[0]!.time,
      envelope: bus.deadLetters[0]!.envelope,
    });
    expect(events.deadLetters({ service: 'orders', event: 'payment.completed', limit: 2 }).map((l) => l.id)).toEqual(['dl-1', 'dl-2']);
    expect(events.deadLetters({ service: 'mail', limit: 500 })).toEqual([]);
    expect(events.deadLetters({ event: 'user.deleted', limit: 500 })).toEqual([]);
    expect(events.deadLetters({ limit: 0 })).toEqual([]);
    expect(events.deadLetters({ limit: Number.NaN })).toEqual([]);
    await bus.close();
  });

  it('replays to the service only, with the words of `meshspec events dlq replay`, and tells listeners the total', async () => {
    const { bus, failing, handled, events, publish } = await setUp();
    const totals: number[] = [];
    const stop = events.onDeadLetters((total) => totals.push(total));
    failing.on = true;
    await publish(2);
    failing.on = false;
    const [first] = events.deadLetters({ limit: 1 });
    handled.length = 0;
    expect(await events.replay({ service: 'orders', ids: [first!.id, 'dl-9'] })).toEqual({
      replayed: 1,
      notFound: ['dl-9'],
      message: "replayed 1 dead letter to orders (attempts reset); orders has no dead letter dl-9: the dashboard's dead letters list shows the IDs",
    });
    await bus.idle();
    expect(handled).toEqual([`orders:${first!.envelopeId}`]);
    expect(await events.replay({ service: 'orders', ids: 'all' })).toEqual({ replayed: 1, notFound: [], message: 'replayed 1 dead letter to orders (attempts reset)' });
    await bus.idle();
    expect(totals).toEqual([1, 2, 1, 0]);
    stop();
    expect(groupOf(events.view(), 'payment.completed', 'orders')).toMatchObject({ handled: 2, deadLetters: 0, lag: 0 });
    await bus.close();
  });

  it('answers an unknown service with its ids not found, and a malformed request without throwing', async () => {
    const { bus, failing, events, publish } = await setUp();
    failing.on = true;
    await publish(1);
    expect(await events.replay({ service: 'nobody', ids: ['dl-1'] })).toMatchObject({ replayed: 0, notFound: ['dl-1'] });
    expect(await events.replay({ service: 'nobody', ids: 'all' })).toEqual({ replayed: 0, notFound: [], message: 'no dead letters of nobody to replay' });
    expect(await events.replay({ service: 'mail', ids: ['dl-1'] })).toMatchObject({ replayed: 0, notFound: ['dl-1'] });
    const malformed = [null, {}, { service: 3, ids: ['dl-1'] }, { service: 'orders', ids: 'some' }, { service: 'orders', ids: [1, 'dl-7'] }] as unknown as ReplayRequest[];
    const answers = await Promise.all(malformed.map((request) => events.replay(request)));
    expect(answers.map((a) => [a.replayed, a.notFound])).toEqual([[0, []], [0, []], [0, ['dl-1']], [0, []], [0, ['dl-7']]]);
    expect(bus.deadLetters).toHaveLength(1);
    await bus.close();
  });

  it('answers a refused replay (the group left the event) in words, moving nothing', async () => {
    const bus = createMemoryBus({ logger, maxAttempts: 1 });
    const subscription = await bus.subscribe('payment.completed', 'orders', async () => {
      throw new Error('no');
    });
    await bus.publish(envelope('payment.completed'));
    await bus.idle();
    await subscription.unsubscribe();
    const events = createEventsSource({ bus, events: () => catalog });
    expect(await events.replay({ service: 'orders', ids: 'all' })).toEqual({
      replayed: 0,
      notFound: [],
      message: 'orders does not subscribe to payment.completed (any more): start the orders service with its subscription, then replay',
    });
    expect(bus.deadLetters).toHaveLength(1);
    await bus.close();
  });

  it('reads the catalog at each view', async () => {
    const bus: MemoryBus = createMemoryBus({ logger });
    let list: CatalogEvent[] = [];
    const events = createEventsSource({ bus, events: () => list });
    expect(events.view().events).toEqual([]);
    list = catalog.slice(1);
    expect(events.view().events.map((e) => e.name)).toEqual(['user.deleted']);
    await bus.close();
  });
});

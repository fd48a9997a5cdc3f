// The dashboard's events source on the real example stack, as `meshspec dev` runs it: orders fails
// `payment.completed` until it is dead-lettered, the source lists the dead letter, and its replay
// (the code `meshspec events dlq replay` runs) confirms the order once orders works again.
// The calls go to the services' own URLs (no gateway, so no JWT): user, order, payment, then the order's status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevStack, RunningStack } from '../../../runtime/dev/index.js';
import { startStack } from '../../../runtime/dev/index.js';
import type { CatalogEvent } from '../../../runtime/dev/dashboard/api-types.js';
import { createEventsSource } from '../../../runtime/dev/dashboard/events.js';
import type { EventsSource } from '../../../runtime/dev/dashboard/sources.js';
import { eventually } from '../../support/processes.js';
import { SHOP_AUTH_ENV } from '../../support/shop-flow.js';
import { withFailingSubscriber } from '../../support/failing-subscriber.js';

const SERVICES = ['inventory', 'orders', 'payments', 'users'] as const;
/** While set, orders' `confirmOrder` throws: its `payment.completed` deliveries fail until dead-lettered. */
const failing = { on: false };
const catalog: CatalogEvent[] = [
  { name: 'payment.completed', version: 1, payload: 'PaymentEvent', publishers: ['payments'], subscribers: [{ service: 'orders', group: 'orders', handler: 'confirmOrder' }] },
];

let running: RunningStack;
let events: EventsSource;

beforeAll(async () => {
  const { stack } = (await import('../../../generated/stack.js')) as { stack: DevStack };
  Object.assign(process.env, SHOP_AUTH_ENV);
  const withFlag = withFailingSubscriber(stack, { service: 'orders', handler: 'confirmOrder' }, failing, 'orders cannot confirm right now (test)');
  const ports = Object.fromEntries(SERVICES.map((s) => [s, { http: 0, grpc: 0 }]));
  running = await startStack(
    withFlag,
    { ports, gatewayPort: 0, data: 'memory', logLevel: 'silent', env: {}, bus: { retryDelayMs: 5, maxRetryDelayMs: 20 } },
  );
  events = createEventsSource({ bus: running.bus, events: () => catalog });
}, 60_000);
afterAll(() => running?.close());

async function post(service: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${running.urls[service]!.http}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function orderStatus(id: string): Promise<unknown> {
  const res = await fetch(`${running.urls['orders']!.http}/orders/${id}`);
  return ((await res.json()) as { status?: unknown }).status;
}

describe('the events source on the example stack', () => {
  it('dead-letters payment.completed while orders fails, and replaying it confirms the order', async () => {
    const user = await post('users', '/users', { email: `ada-${Date.now()}@example.com`, name: 'Ada' });
    expect(user.status).toBe(201);
    const order = await post('orders', '/orders', { userId: user.body['id'], items: [{ productId: 'sku-keyboard', quantity: 1 }] });
    expect(order.status).toBe(201);
    const orderId = order.body['id'] as string;

    failing.on = true;
    const totals: number[] = [];
    const stop = events.onDeadLetters((total) => totals.push(total));
    const paid = await post('payments', '/payments', { orderId, amount: order.body['totalAmount'], cardToken: 'tok_visa' });
    expect(paid.status).toBe(201);

    await eventually(async () => events.deadLetters({ service: 'orders', event: 'payment.completed', limit: 10 }).length === 1, 30_000);
    const [letter] = events.deadLetters({ service: 'orders', event: 'payment.completed', limit: 10 });
    expect(letter).toMatchObject({
      service: 'orders',
      event: 'payment.completed',
      source: 'payments',
      error: 'Error: orders cannot confirm right now (test)',
      attempts: 5,
      envelope: { payload: { orderId, paymentId: paid.body['id'] } },
    });
    expect(await orderStatus(orderId)).toBe('pending');
    const view = events.view();
    expect(view.events[0]).toMatchObject({ name: 'payment.completed', published: 1 });
    expect(view.events[0]!.groups[0]).toMatchObject({ service: 'orders', deadLetters: 1, handled: 0, lag: 0 });
    expect(totals).toEqual([1]);

    failing.on = false;
    expect(await events.replay({ service: 'orders', ids: [letter!.id] })).toEqual({ replayed: 1, notFound: [], message: 'replayed 1 dead letter to orders (attempts reset)' });
    await eventually(async () => (await orderStatus(orderId)) === 'confirmed', 30_000);
    expect(events.deadLetters({ service: 'orders', limit: 10 })).toEqual([]);
    expect(totals).toEqual([1, 0]);
    await running.bus.idle();
    expect(events.view().events[0]!.groups[0]).toMatchObject({ handled: 1, deadLetters: 0, lag: 0, retrying: 0 });
    stop();
  }, 90_000);
});
